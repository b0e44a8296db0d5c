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

  # The open leads (new, contacted, qualified): the status and open lead
  # age reports show nothing else. A single IN list is one API scan per
  # value, so this sends the requests of the new-leads scan below plus two.
  journeybee_open_leads_sql = <<-EOQ
    with leads as materialized (
      select ${local.journeybee_lead_columns_sql}
      from journeybee_lead
      where status in ${local.lead_open_statuses_sql}
    )
  EOQ

  # The leads still 'new': the stale card reads only them.
  journeybee_new_leads_sql = <<-EOQ
    with leads as materialized (
      select ${local.journeybee_lead_columns_sql}
      from journeybee_lead
      where status = 'new'
    )
  EOQ

  # Count cards read the API's total instead of counting a scan: a scan
  # whose WHERE holds only pushed-down filters and that has limit 1 is one
  # API request (the FDW hands the plugin the LIMIT only then), and its row
  # carries the number of leads the API matched; no row (no match) is 0.
  # Open leads are one scan per open status: a lone IN list shares one LIMIT
  # between its values, so `status in (...) limit 1` would read one status.
  # Add up the three with local.lead_open_status_total_sql.
  lead_open_totals_sql = <<-EOQ
    with new_total as materialized (
      select total
      from journeybee_lead
      where status = 'new'
      limit 1
    ), contacted_total as materialized (
      select total
      from journeybee_lead
      where status = 'contacted'
      limit 1
    ), qualified_total as materialized (
      select total
      from journeybee_lead
      where status = 'qualified'
      limit 1
    )
  EOQ

  # The same for the open leads nobody is assigned to (unassigned=1).
  lead_unassigned_open_totals_sql = <<-EOQ
    with new_total as materialized (
      select total
      from journeybee_lead
      where status = 'new' and is_assigned = false
      limit 1
    ), contacted_total as materialized (
      select total
      from journeybee_lead
      where status = 'contacted' and is_assigned = false
      limit 1
    ), qualified_total as materialized (
      select total
      from journeybee_lead
      where status = 'qualified' and is_assigned = false
      limit 1
    )
  EOQ

  lead_open_status_total_sql = "coalesce((select total from new_total), 0) + coalesce((select total from contacted_total), 0) + coalesce((select total from qualified_total), 0)"

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
