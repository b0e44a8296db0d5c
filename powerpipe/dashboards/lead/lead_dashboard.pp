dashboard "lead_dashboard" {
  title         = "JourneyBee Lead Dashboard"
  documentation = file("./dashboards/lead/docs/lead_dashboard.md")

  tags = merge(local.lead_common_tags, {
    type = "Dashboard"
  })

  container {
    card {
      query = query.lead_count
      width = 2
    }

    card {
      query = query.lead_open_count
      width = 2
      href  = dashboard.lead_open_age_report.url_path
    }

    card {
      query = query.lead_unassigned_count
      width = 2
      href  = dashboard.lead_unassigned_report.url_path
    }

    card {
      query = query.lead_dashboard_stale_new_count
      width = 2
      args  = { stale_days = var.stale_days }
      href  = dashboard.lead_status_report.url_path
    }

    card {
      query = query.lead_received_count
      width = 2
      href  = dashboard.partner_pipeline_report.url_path
    }
  }

  container {
    title = "Analysis"

    chart {
      title = "Leads by Source"
      query = query.lead_by_source
      type  = "column"
      width = 4
    }

    chart {
      title = "Leads by View"
      query = query.lead_by_view
      type  = "column"
      width = 4
    }

    chart {
      title = "Leads by Partner Type"
      query = query.lead_by_partner_type
      type  = "column"
      width = 4
    }

    chart {
      title = "Leads by Tag"
      query = query.lead_by_tag
      type  = "column"
      width = 6
    }

    chart {
      title = "Leads per Month"
      query = query.lead_by_month
      type  = "line"
      width = 6
    }
  }
}

# Every lead: the API's total of an unfiltered list, one request (the
# first page of the dashboard's full scan).
query "lead_count" {
  sql = <<-EOQ
    with leads as materialized (
      select total
      from journeybee_lead
      limit 1
    )
    select
      'Leads' as label,
      coalesce((select total from leads), 0) as value;
  EOQ
}

# Partner-sourced leads (a partnership lead received from a partner) are the
# API's received view: its total, one request. The pipeline report counts
# them from its scan instead: its partner input is no filter of the API.
query "lead_received_count" {
  sql = <<-EOQ
    with leads as materialized (
      select total
      from journeybee_lead
      where view = 'received'
      limit 1
    )
    select
      'Partner-Sourced Leads' as label,
      coalesce((select total from leads), 0) as value;
  EOQ
}

# The stale card from the dashboard's own full scan: the new-leads scan
# would cost it more requests. A created_at bound is no filter of the
# API's total, so the card counts rows.
query "lead_dashboard_stale_new_count" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
    ${local.lead_stale_new_count_select_sql}
  EOQ

  param "stale_days" {
    description = "Days after which a new lead is stale."
    default     = var.stale_days
  }

  param "assigned_user" {
    description = "A user id, or 'all'."
    default     = "all"
  }

  param "tag" {
    description = "A tag id, or 'all'."
    default     = "all"
  }
}

query "lead_by_source" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
    select
      source as "Source",
      count(*) as "Leads"
    from
      leads
    group by
      source
    order by
      "Leads" desc, "Source";
  EOQ
}

# The views of JourneyBee's lead list, read from each lead's own fields
# (a lead can be in several): received and sent, a partnership_lead of that
# direction; reseller, partner_type reseller; campaigns, a campaign. The
# API's view filter would cost one scan per view; this costs none.
query "lead_by_view" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
    select
      v.view as "View",
      count(*) as "Leads"
    from
      leads as l,
      lateral (
        select 'received' as view
        where exists (select 1 from jsonb_array_elements(l.partnership_leads) as pl where pl ->> 'direction' = 'received')
        union all
        select 'sent'
        where exists (select 1 from jsonb_array_elements(l.partnership_leads) as pl where pl ->> 'direction' = 'sent')
        union all
        select 'reseller'
        where l.partner_type = 'reseller'
        union all
        select 'campaigns'
        where l.campaign_id is not null
      ) as v
    group by
      v.view
    order by
      "Leads" desc, "View";
  EOQ
}

query "lead_by_partner_type" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
    select
      coalesce(partner_type, 'none') as "Partner Type",
      count(*) as "Leads"
    from
      leads
    group by
      1
    order by
      "Leads" desc, "Partner Type";
  EOQ
}

query "lead_by_tag" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
    select
      t ->> 'label' as "Tag",
      count(*) as "Leads"
    from
      leads,
      jsonb_array_elements(tags) as t
    group by
      1
    order by
      "Leads" desc, "Tag";
  EOQ
}

# Leads per month they were created in (UTC), by status group.
query "lead_by_month" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
    select
      to_char(date_trunc('month', created_at at time zone 'UTC'), 'YYYY-MM') as "Month",
      count(*) as "Leads",
      count(*) filter (where status in ${local.lead_open_statuses_sql}) as "Open",
      count(*) filter (where status = 'converted') as "Converted",
      count(*) filter (where status = 'lost') as "Lost"
    from
      leads
    group by
      1
    order by
      1;
  EOQ
}
