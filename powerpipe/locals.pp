# The one column list of every scan of journeybee_lead below. In a locals
# block of its own: Powerpipe v1.5.2 reports a local that another local of
# the same block reads as a dependency cycle.
locals {
  journeybee_lead_columns_sql = "id, title, created_at, updated_at, source, company_name, email, status, partner_type, campaign_id, campaign_title, tags, assigned_users, partnership_leads, campaign_partners, lead_deals"
}

locals {
  # Every query of the mod reads each JourneyBee table through its shared
  # CTE below and only through it: one fixed column list and no WHERE
  # inside; filters, joins, ordering and limits outside. Steampipe's query
  # cache is off for every JourneyBee table; the plugin's reply cache
  # answers an API request identical to one made within the TTL, or still
  # in flight, at no cost. Every panel's scan of a table sends the same
  # requests (no pushed-down filter, no limit), so all panels of a dashboard
  # load (and of every other dashboard within the TTL) are answered by a
  # single paging of the API per table. Do not add a column or a WHERE here
  # for one panel: change the list for all of them. `materialized` keeps
  # Postgres from pushing outer conditions (or a LIMIT) into the scan. See
  # docs/index.md, "API calls". journeybee_lead:
  journeybee_leads_sql = <<-EOQ
    with leads as materialized (
      select ${local.journeybee_lead_columns_sql}
      from
        journeybee_lead
    )
  EOQ

  # The exception to the rule above: a report that shows a few rows reads
  # only them. The unassigned open leads come from three small API scans
  # (one per open status, unassigned=1) instead of a scan of every lead;
  # every panel of the unassigned report shares them.
  journeybee_unassigned_open_leads_sql = <<-EOQ
    with leads as materialized (
      select ${local.journeybee_lead_columns_sql}
      from journeybee_lead
      where status in ${local.lead_open_statuses_sql} and is_assigned = false
    )
  EOQ

  # journeybee_lead_deal and journeybee_partnership follow the same rule:
  # one fixed column list each, no WHERE, materialized. They are CTE items
  # without `with`, so a query can read one table or several:
  #   with ${local.journeybee_lead_deals_sql}
  #   with ${local.journeybee_lead_deals_sql}, ${local.journeybee_partnerships_sql}
  #   ${local.journeybee_leads_sql}, ${local.journeybee_lead_deals_sql}
  # Join deals to partnerships on partnership_id (the nested
  # partnership.id), never on the partnership's top-level id.
  journeybee_lead_deals_sql = <<-EOQ
    deals as materialized (
      select
        id,
        label,
        created_at,
        lead_id,
        partnership_id,
        stage_label,
        stage_series,
        stage_phase,
        deal_value,
        currency_code
      from
        journeybee_lead_deal
    )
  EOQ

  journeybee_partnerships_sql = <<-EOQ
    partnerships as materialized (
      select
        partnership_id,
        partner_name,
        partner_type,
        tier_label,
        category_label,
        created_at
      from
        journeybee_partnership
    )
  EOQ
}
