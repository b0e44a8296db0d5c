category "partner" {
  title = "Partner"
  icon  = "handshake"
}

locals {
  partner_common_tags = {
    plugin  = "journeybee"
    service = "JourneyBee/Partner"
  }

  # Partner-sourced leads: one row per lead and the partner company that
  # sent it to us (a partnership_lead received by us). A lead passed on to
  # another partner keeps its sender. Built from the lead's
  # partnership_leads and lead_deals: only a partnership lead says who sent
  # the lead to whom, so the report costs the leads' scan alone. The deal
  # and partnership tables are read by the partner leaderboard
  # (partner_leaderboard.pp), through their own shared CTEs (locals.pp).
  partner_sourced_leads_sql = <<-EOQ
    , sourced as (
      select
        l.id,
        l.status,
        l.created_at,
        l.lead_deals,
        pl ->> 'sent_by_company_name' as partner,
        pl ->> 'partner_type' as partner_type
      from
        leads as l,
        jsonb_array_elements(l.partnership_leads) as pl
      where
        pl ->> 'direction' = 'received'
        and ($1 = 'all' or pl ->> 'sent_by_company_name' = $1)
    ), sourced_deals as (
      select
        s.id as lead_id,
        s.partner,
        s.created_at,
        d ->> 'stage_label' as stage,
        (d ->> 'stage_series')::int as stage_series,
        d ->> 'stage_phase' as phase,
        d ->> 'currency_code' as currency,
        (d ->> 'deal_value')::float8 as deal_value
      from
        sourced as s,
        jsonb_array_elements(s.lead_deals) as d
    )
  EOQ

  # The deal value of sourced_deals rows by phase: open pipeline (discovery,
  # negotiation), won and lost.
  partner_deal_value_columns_sql = <<-EOQ
    coalesce(sum(deal_value) filter (where phase in ('discovery', 'negotiation')), 0) as "Open Pipeline",
    coalesce(sum(deal_value) filter (where phase = 'closed_won'), 0) as "Won",
    coalesce(sum(deal_value) filter (where phase = 'closed_lost'), 0) as "Lost"
  EOQ
}

# Options for the partner input: every company that sent us a lead.
query "partner_input" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
    select
      label,
      value
    from (
      select 'All partners' as label, 'all' as value, 0 as sort_group
      union
      select pl ->> 'sent_by_company_name', pl ->> 'sent_by_company_name', 1
      from
        leads,
        jsonb_array_elements(partnership_leads) as pl
      where
        pl ->> 'direction' = 'received'
    ) as options
    order by
      sort_group, label;
  EOQ
}
