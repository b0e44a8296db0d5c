dashboard "lead_open_age_report" {
  title         = "JourneyBee Open Lead Age Report"
  documentation = file("./dashboards/lead/docs/lead_report_age.md")

  tags = merge(local.lead_common_tags, {
    type     = "Report"
    category = "Age"
  })

  container {
    card {
      query = query.lead_open_count
      width = 2
    }

    card {
      query = query.lead_open_age_count
      width = 2
      type  = "info"
      args  = { label = "< 24 Hours", min_days = 0, max_days = 1 }
    }

    card {
      query = query.lead_open_age_count
      width = 2
      type  = "info"
      args  = { label = "1-30 Days", min_days = 1, max_days = 30 }
    }

    card {
      query = query.lead_open_age_count
      width = 2
      type  = "info"
      args  = { label = "30-90 Days", min_days = 30, max_days = 90 }
    }

    card {
      query = query.lead_open_age_count
      width = 2
      type  = "info"
      args  = { label = "90-365 Days", min_days = 90, max_days = 365 }
    }

    card {
      query = query.lead_open_age_count
      width = 2
      type  = "info"
      args  = { label = "> 1 Year", min_days = 365, max_days = 1000000 }
    }
  }

  container {
    table {
      title = "Open Leads"
      query = query.lead_open_table
      args  = { assigned_user = "all", tag = "all" }
    }
  }
}

# Open leads: the API's totals of the three open statuses, one request
# each.
query "lead_open_count" {
  sql = <<-EOQ
    ${local.lead_open_totals_sql}
    select
      'Open Leads' as label,
      ${local.lead_open_status_total_sql} as value;
  EOQ
}

# Open leads created at least min_days and less than max_days days ago.
# A created_at bound is no filter of the API's total: these cards count the
# open leads' rows (the table's scan).
query "lead_open_age_count" {
  sql = <<-EOQ
    ${local.journeybee_open_leads_sql}
    select
      $1 as label,
      count(*) as value
    from
      leads
    where
      status in ${local.lead_open_statuses_sql}
      and created_at <= now() - make_interval(days => $2::int)
      and created_at > now() - make_interval(days => $3::int);
  EOQ

  param "label" {}
  param "min_days" {}
  param "max_days" {}
}
