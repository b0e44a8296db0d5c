dashboard "lead_status_report" {
  title         = "JourneyBee Lead Status Report"
  documentation = file("./dashboards/lead/docs/lead_report_status.md")

  tags = merge(local.lead_common_tags, {
    type     = "Report"
    category = "Status"
  })

  input "assigned_user" {
    title       = "Assigned user"
    query       = query.lead_assigned_user_input
    width       = 4
    placeholder = "All users"
  }

  input "tag" {
    title       = "Tag"
    query       = query.lead_tag_input
    width       = 4
    placeholder = "All tags"
  }

  container {
    card {
      query = query.lead_status_count
      width = 2
      args  = { status = "new" }
    }

    card {
      query = query.lead_status_count
      width = 2
      args  = { status = "contacted" }
    }

    card {
      query = query.lead_status_count
      width = 2
      args  = { status = "qualified" }
    }

    card {
      query = query.lead_status_count
      width = 2
      args  = { status = "converted" }
    }

    card {
      query = query.lead_status_count
      width = 2
      args  = { status = "lost" }
    }

    card {
      query = query.lead_stale_new_count
      width = 2
      args  = { stale_days = var.stale_days, assigned_user = self.input.assigned_user.value, tag = self.input.tag.value }
    }
  }

  container {
    table {
      title = "Open Leads"
      query = query.lead_open_table
      args  = { assigned_user = self.input.assigned_user.value, tag = self.input.tag.value }
    }
  }
}

# A status's leads: the API's total for that status, one request. The API
# cannot count them per assigned user and tag without a filter of each
# (and 'all' is none), so the status cards count every lead; the inputs
# filter the stale card and the table.
query "lead_status_count" {
  sql = <<-EOQ
    with leads as materialized (
      select total
      from journeybee_lead
      where status = $1
      limit 1
    )
    select
      initcap($1) as label,
      coalesce((select total from leads), 0) as value;
  EOQ

  param "status" {
    description = "A lead status: new, contacted, qualified, converted or lost."
  }
}

locals {
  # The stale card over a scan named leads: the new leads of the status
  # report, or the lead dashboard's full scan. A created_at bound is no
  # filter of the API's total, so it counts rows.
  lead_stale_new_count_select_sql = <<-EOQ
    select
      'New > ' || $1::int || ' Days' as label,
      count(*) as value,
      case when count(*) > 0 then 'alert' else 'ok' end as type
    from
      leads as l
    where
      l.status = 'new'
      and l.created_at < now() - make_interval(days => $1::int)
      and ($2 = 'all' or exists (select 1 from jsonb_array_elements(l.assigned_users) as u where u ->> 'id' = $2))
      and ($3 = 'all' or exists (select 1 from jsonb_array_elements(l.tags) as t where t ->> 'id' = $3));
  EOQ
}

query "lead_stale_new_count" {
  sql = <<-EOQ
    ${local.journeybee_new_leads_sql}
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
