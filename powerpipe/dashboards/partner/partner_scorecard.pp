dashboard "partner_overview" {
  title         = "JourneyBee Partners Overview"
  documentation = file("./dashboards/partner/docs/partner_scorecard.md")

  tags = merge(local.partner_common_tags, {
    type     = "Report"
    category = "Scorecard"
  })

  container {
    table {
      title = "Partner Scorecards: Leads"
      query = query.partner_scorecard_table
      args  = { partnership = "all" }
    }
  }

  container {
    table {
      title = "Partner Scorecards: Deal Value per Currency"
      query = query.partner_leaderboard_value_by_partnership
      args  = { partnership = "all" }
    }
  }
}

dashboard "partner_detail" {
  title         = "JourneyBee Partner Detail"
  documentation = file("./dashboards/partner/docs/partner_scorecard.md")

  tags = merge(local.partner_common_tags, {
    type     = "Detail"
    category = "Scorecard"
  })

  input "partnership" {
    title = "Select a partnership:"
    query = query.partnership_input
    width = 4
  }

  container {
    table {
      title = "Leads"
      query = query.partner_scorecard_table
      args  = { partnership = self.input.partnership.value }
    }
  }

  container {
    table {
      title = "Deal Value per Currency"
      query = query.partner_leaderboard_value_by_partnership
      args  = { partnership = self.input.partnership.value }
    }
  }

  container {
    table {
      title = "Open Leads Received"
      query = query.partner_open_leads_table
      args  = { partnership = self.input.partnership.value }
    }
  }
}

# Options for the partnership input: every partnership, by partner name.
query "partnership_input" {
  sql = <<-EOQ
    with ${local.journeybee_partnerships_sql}
    select
      label,
      value
    from (
      select 'All partnerships' as label, 'all' as value, 0 as sort_group
      union
      select coalesce(partner_name, 'Partnership ' || partnership_id), partnership_id::text, 1
      from
        partnerships
    ) as options
    order by
      sort_group, label;
  EOQ
}

# Per partnership: the leads it sent us and how far they got, the leads we
# sent it, and its deals. A lead counts for a partnership through its
# partnership_leads entry of that partnership (received: it sent us the
# lead; sent: we sent it). Overdue: open and older than stale_days.
query "partner_scorecard_table" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}, ${local.journeybee_lead_deals_sql}, ${local.journeybee_partnerships_sql},
    flows as materialized (
      select
        (pl ->> 'partnership_id')::bigint as partnership_id,
        pl ->> 'direction' as direction,
        l.status,
        l.created_at
      from
        leads as l,
        jsonb_array_elements(l.partnership_leads) as pl
    )
    select
      coalesce(p.partner_name, 'Partnership ' || p.partnership_id) as "Partner",
      p.partnership_id as "Partnership ID",
      count(*) filter (where f.direction = 'received') as "Leads Received",
      count(*) filter (where f.direction = 'sent') as "Leads Sent",
      count(*) filter (where f.direction = 'received' and f.status <> 'new') as "Received Past New",
      count(*) filter (where f.direction = 'received' and f.status = 'converted') as "Received Converted",
      count(*) filter (where f.direction = 'received' and f.status in ${local.lead_open_statuses_sql}) as "Open Received",
      count(*) filter (where f.direction = 'received' and f.status in ${local.lead_open_statuses_sql} and f.created_at < now() - make_interval(days => $2::int)) as "Overdue Received",
      (select count(*) from deals as d where d.partnership_id = p.partnership_id) as "Deals",
      (select count(*) from deals as d where d.partnership_id = p.partnership_id and d.stage_phase = 'closed_won') as "Won Deals"
    from
      partnerships as p
      left join flows as f on f.partnership_id = p.partnership_id
    where
      $1 = 'all' or p.partnership_id::text = $1
    group by
      p.partnership_id, p.partner_name
    order by
      "Leads Received" desc, p.partnership_id;
  EOQ

  param "partnership" {
    description = "A partnership id (the nested partnership.id), or 'all'."
  }

  param "stale_days" {
    description = "Days after which an open lead is overdue."
    default     = var.stale_days
  }
}

# The open leads a partnership sent us, oldest first.
query "partner_open_leads_table" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
    select
      l.title as "Lead",
      l.status as "Status",
      extract(day from now() - l.created_at)::int as "Age in Days",
      l.created_at < now() - make_interval(days => $2::int) as "Overdue",
      (
        select string_agg(concat_ws(' ', u ->> 'first_name', u ->> 'last_name'), ', ' order by u ->> 'first_name', u ->> 'last_name')
        from jsonb_array_elements(l.assigned_users) as u
      ) as "Assignees",
      l.created_at as "Created",
      l.id as "ID"
    from
      leads as l
    where
      l.status in ${local.lead_open_statuses_sql}
      and exists (
        select 1 from jsonb_array_elements(l.partnership_leads) as pl
        where pl ->> 'direction' = 'received' and ($1 = 'all' or pl ->> 'partnership_id' = $1)
      )
    order by
      l.created_at, l.id;
  EOQ

  param "partnership" {
    description = "A partnership id (the nested partnership.id), or 'all'."
  }

  param "stale_days" {
    description = "Days after which an open lead is overdue."
    default     = var.stale_days
  }
}
