category "lead" {
  title = "Lead"
  icon  = "person_search"
}

locals {
  lead_common_tags = {
    plugin  = "journeybee"
    service = "JourneyBee/Lead"
  }

  # A lead is open while someone still has to work it.
  lead_open_statuses_sql = "('new', 'contacted', 'qualified')"
}

# Options for the assigned-user input: every user assigned to an open lead
# (the leads the status report lists).
query "lead_assigned_user_input" {
  sql = <<-EOQ
    ${local.journeybee_open_leads_sql}
    select
      label,
      value
    from (
      select 'All users' as label, 'all' as value, 0 as sort_group
      union
      select
        concat_ws(' ', u ->> 'first_name', u ->> 'last_name') || ' <' || (u ->> 'email') || '>',
        u ->> 'id',
        1
      from
        leads,
        jsonb_array_elements(assigned_users) as u
    ) as options
    order by
      sort_group, label;
  EOQ
}

# Options for the tag input: every tag on an open lead.
query "lead_tag_input" {
  sql = <<-EOQ
    ${local.journeybee_open_leads_sql}
    select
      label,
      value
    from (
      select 'All tags' as label, 'all' as value, 0 as sort_group
      union
      select t ->> 'label', t ->> 'id', 1
      from
        leads,
        jsonb_array_elements(tags) as t
    ) as options
    order by
      sort_group, label;
  EOQ
}

# Open leads, oldest first: the table of the status and age reports.
query "lead_open_table" {
  sql = <<-EOQ
    ${local.journeybee_open_leads_sql}
    select
      l.title as "Lead",
      l.status as "Status",
      extract(day from now() - l.created_at)::int as "Age in Days",
      extract(day from now() - coalesce(l.updated_at, l.created_at))::int as "Days Since Update",
      (
        select string_agg(concat_ws(' ', u ->> 'first_name', u ->> 'last_name'), ', ' order by u ->> 'first_name', u ->> 'last_name')
        from jsonb_array_elements(l.assigned_users) as u
      ) as "Assignees",
      (
        select string_agg(pl ->> 'sent_by_company_name', ', ' order by pl ->> 'sent_by_company_name')
        from jsonb_array_elements(l.partnership_leads) as pl
        where pl ->> 'direction' = 'received'
      ) as "Sending Partner",
      l.source as "Source",
      l.created_at as "Created",
      l.id as "ID"
    from
      leads as l
    where
      l.status in ${local.lead_open_statuses_sql}
      and ($1 = 'all' or exists (select 1 from jsonb_array_elements(l.assigned_users) as u where u ->> 'id' = $1))
      and ($2 = 'all' or exists (select 1 from jsonb_array_elements(l.tags) as t where t ->> 'id' = $2))
    order by
      l.created_at, l.id;
  EOQ

  param "assigned_user" {
    description = "A user id, or 'all'."
    default     = "all"
  }

  param "tag" {
    description = "A tag id, or 'all'."
    default     = "all"
  }
}
