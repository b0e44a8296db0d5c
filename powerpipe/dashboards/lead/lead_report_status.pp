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
      args  = { status = "new", assigned_user = self.input.assigned_user.value, tag = self.input.tag.value }
    }

    card {
      query = query.lead_status_count
      width = 2
      args  = { status = "contacted", assigned_user = self.input.assigned_user.value, tag = self.input.tag.value }
    }

    card {
      query = query.lead_status_count
      width = 2
      args  = { status = "qualified", assigned_user = self.input.assigned_user.value, tag = self.input.tag.value }
    }

    card {
      query = query.lead_status_count
      width = 2
      args  = { status = "converted", assigned_user = self.input.assigned_user.value, tag = self.input.tag.value }
    }

    card {
      query = query.lead_status_count
      width = 2
      args  = { status = "lost", assigned_user = self.input.assigned_user.value, tag = self.input.tag.value }
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

query "lead_status_count" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
    select
      initcap($1) as label,
      count(*) as value
    from
      leads as l
    where
      l.status = $1
      and ($2 = 'all' or exists (select 1 from jsonb_array_elements(l.assigned_users) as u where u ->> 'id' = $2))
      and ($3 = 'all' or exists (select 1 from jsonb_array_elements(l.tags) as t where t ->> 'id' = $3));
  EOQ

  param "status" {
    description = "A lead status: new, contacted, qualified, converted or lost."
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

query "lead_stale_new_count" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
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
