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

locals {
  # The unassigned card over a scan named leads. Its filter repeats the
  # scan's when that is the unassigned scan, and is the card's own over the
  # lead dashboard's full scan.
  lead_unassigned_count_select_sql = <<-EOQ
    select
      'Unassigned Open Leads' as label,
      count(*) as value,
      case when count(*) > 0 then 'alert' else 'ok' end as type
    from
      leads
    where
      status in ('new', 'contacted', 'qualified')
      and jsonb_array_length(assigned_users) = 0;
  EOQ
}

# Open leads nobody is assigned to.
query "lead_unassigned_count" {
  sql = <<-EOQ
    ${local.journeybee_unassigned_open_leads_sql}
    ${local.lead_unassigned_count_select_sql}
  EOQ
}

# The same card on the lead dashboard, from the full scan the dashboard
# makes anyway: the unassigned scan would cost it more requests.
query "lead_dashboard_unassigned_count" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
    ${local.lead_unassigned_count_select_sql}
  EOQ
}

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
