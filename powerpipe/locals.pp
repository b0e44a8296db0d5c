locals {
  # Every query of the mod reads journeybee_lead through this CTE and only
  # through it: one fixed column list and no WHERE inside, filters, joins,
  # ordering and limits outside. Steampipe's query cache serves a scan to any
  # later request whose columns it covers and whose key-column quals it
  # allows, and lets concurrent identical requests share one scan in flight,
  # so all panels of a dashboard load (and of every other dashboard within
  # the cache TTL) are answered by a single paging of the API. Do not add a
  # column or a WHERE here for one panel: change the list for all of them.
  # `materialized` keeps Postgres from pushing outer conditions (or a LIMIT)
  # into the scan. See docs/index.md, "API calls".
  journeybee_leads_sql = <<-EOQ
    with leads as materialized (
      select
        id,
        title,
        created_at,
        updated_at,
        source,
        company_name,
        email,
        status,
        partner_type,
        campaign_id,
        campaign_title,
        tags,
        assigned_users,
        partnership_leads,
        campaign_partners,
        lead_deals
      from
        journeybee_lead
    )
  EOQ
}
