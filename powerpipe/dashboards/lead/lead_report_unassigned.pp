dashboard "lead_unassigned_report" {
  title         = "JourneyBee Unassigned Leads Report"
  documentation = file("./dashboards/lead/docs/lead_report_unassigned.md")

  tags = merge(local.lead_common_tags, {
    type     = "Report"
    category = "Assignment"
  })

  container {
    card {
      query = query.lead_unassigned_count
      width = 2
    }

    card {
      query = query.lead_unassigned_age_count
      width = 2
      type  = "info"
      args  = { label = "< 1 Day", min_days = 0, max_days = 1 }
    }

    card {
      query = query.lead_unassigned_age_count
      width = 2
      type  = "info"
      args  = { label = "1-7 Days", min_days = 1, max_days = 7 }
    }

    card {
      query = query.lead_unassigned_age_count
      width = 2
      type  = "info"
      args  = { label = "7-30 Days", min_days = 7, max_days = 30 }
    }

    card {
      query = query.lead_unassigned_age_count
      width = 2
      type  = "info"
      args  = { label = "30-90 Days", min_days = 30, max_days = 90 }
    }

    card {
      query = query.lead_unassigned_age_count
      width = 2
      type  = "info"
      args  = { label = "> 90 Days", min_days = 90, max_days = 1000000 }
    }
  }

  container {
    table {
      title = "Unassigned Open Leads"
      query = query.lead_unassigned_table
    }
  }
}

# Open leads nobody is assigned to: the API's totals of the three open
# statuses with unassigned=1, one request each. An alert when there are
# any.
query "lead_unassigned_count" {
  sql = <<-EOQ
    ${local.lead_unassigned_open_totals_sql}
    select
      label,
      value,
      case when value > 0 then 'alert' else 'ok' end as type
    from (
      select
        'Unassigned Open Leads' as label,
        ${local.lead_open_status_total_sql} as value
    ) as card;
  EOQ
}

# A created_at bound is no filter of the API's total: the age cards count
# the rows of the report's scan.
# Unassigned open leads created at least min_days and less than max_days
# days ago.
query "lead_unassigned_age_count" {
  sql = <<-EOQ
    ${local.journeybee_unassigned_open_leads_sql}
    select
      $1 as label,
      count(*) as value
    from
      leads
    where
      created_at <= now() - make_interval(days => $2::int)
      and created_at > now() - make_interval(days => $3::int);
  EOQ

  param "label" {}
  param "min_days" {}
  param "max_days" {}
}

query "lead_unassigned_table" {
  sql = <<-EOQ
    ${local.journeybee_unassigned_open_leads_sql}
    select
      l.title as "Lead",
      l.status as "Status",
      extract(day from now() - l.created_at)::int as "Age in Days",
      l.source as "Source",
      (
        select string_agg(pl ->> 'sent_by_company_name', ', ' order by pl ->> 'sent_by_company_name')
        from jsonb_array_elements(l.partnership_leads) as pl
        where pl ->> 'direction' = 'received'
      ) as "Sending Partner",
      l.email as "Email",
      l.created_at as "Created",
      l.id as "ID"
    from
      leads as l
    order by
      l.created_at, l.id;
  EOQ
}
