dashboard "partner_leaderboard" {
  title         = "JourneyBee Partner Leaderboard"
  documentation = file("./dashboards/partner/docs/partner_leaderboard.md")

  tags = merge(local.partner_common_tags, {
    type     = "Report"
    category = "Pipeline"
  })

  container {
    card {
      query = query.partner_leaderboard_partner_count
      width = 3
    }

    card {
      query = query.partner_leaderboard_deal_count
      width = 3
    }

    card {
      query = query.partner_leaderboard_phase_deal_count
      width = 3
      type  = "ok"
      args  = { label = "Won Deals", phase = "closed_won" }
    }

    card {
      query = query.partner_leaderboard_phase_deal_count
      width = 3
      type  = "alert"
      args  = { label = "Lost Deals", phase = "closed_lost" }
    }
  }

  container {
    table {
      title = "Deal Value by Partnership and Currency"
      width = 12
      query = query.partner_leaderboard_value_by_partnership
    }
  }

  container {
    table {
      title = "Deals by Stage Phase"
      width = 6
      query = query.partner_leaderboard_by_phase
    }

    table {
      title = "Deal Value by Partner Tier and Currency"
      width = 6
      query = query.partner_leaderboard_value_by_tier
    }
  }

  container {
    chart {
      title = "Won vs Lost Deals per Month"
      type  = "column"
      width = 6
      query = query.partner_leaderboard_won_lost_by_month
    }

    table {
      title = "Won vs Lost Deal Value per Month and Currency"
      width = 6
      query = query.partner_leaderboard_value_by_month
    }
  }

  container {
    chart {
      title = "Partners by Tier"
      type  = "donut"
      width = 6
      query = query.partner_leaderboard_by_tier
    }

    chart {
      title = "Partners by Category"
      type  = "donut"
      width = 6
      query = query.partner_leaderboard_by_category
    }
  }
}

locals {
  # Every deal with the partnership it came through (joined on
  # partnership_id, the nested partnership.id); the partnership columns are
  # NULL for a deal without one, or whose partnership the user cannot see.
  # The column names match local.partner_deal_value_columns_sql.
  partner_deals_sql = <<-EOQ
    , partner_deals as (
      select
        d.id,
        d.created_at,
        d.stage_phase as phase,
        d.deal_value,
        d.currency_code as currency,
        p.partnership_id,
        p.partner_name,
        p.partner_type,
        p.tier_label
      from
        deals as d
        left join partnerships as p on p.partnership_id = d.partnership_id
    )
  EOQ
}

# The cards read the API's total of a list, one request each (the
# unfiltered ones are the first page of the leaderboard's full scans).
query "partner_leaderboard_partner_count" {
  sql = <<-EOQ
    with partnerships as materialized (
      select total
      from journeybee_partnership
      limit 1
    )
    select
      'Partners' as label,
      coalesce((select total from partnerships), 0) as value;
  EOQ
}

query "partner_leaderboard_deal_count" {
  sql = <<-EOQ
    with deals as materialized (
      select total
      from journeybee_lead_deal
      limit 1
    )
    select
      'Deals' as label,
      coalesce((select total from deals), 0) as value;
  EOQ
}

# Deals in one stage phase (the API's phases filter).
query "partner_leaderboard_phase_deal_count" {
  sql = <<-EOQ
    with deals as materialized (
      select total
      from journeybee_lead_deal
      where stage_phase = $2
      limit 1
    )
    select
      $1 as label,
      coalesce((select total from deals), 0) as value;
  EOQ

  param "label" {}

  param "phase" {
    description = "A deal stage phase: discovery, negotiation, closed_won or closed_lost."
  }
}

# Partners ranked by won deal value, per currency; deals without a visible
# partnership form one "No partnership" row per currency.
query "partner_leaderboard_value_by_partnership" {
  sql = <<-EOQ
    with ${local.journeybee_lead_deals_sql}, ${local.journeybee_partnerships_sql}
    ${local.partner_deals_sql}
    select
      coalesce(partner_name, 'No partnership') as "Partner",
      partnership_id as "Partnership ID",
      partner_type as "Partner Type",
      tier_label as "Tier",
      currency as "Currency",
      count(*) as "Deals",
      ${local.partner_deal_value_columns_sql}
    from
      partner_deals
    where
      $1 = 'all' or partnership_id::text = $1
    group by
      partnership_id, partner_name, partner_type, tier_label, currency
    order by
      "Won" desc, "Partner", "Partnership ID", "Currency";
  EOQ

  param "partnership" {
    description = "A partnership id (the nested partnership.id), or 'all'."
    default     = "all"
  }
}

# Deals and their value per stage phase (in pipeline order) and currency;
# a deal whose stage the API does not give is in phase "none".
query "partner_leaderboard_by_phase" {
  sql = <<-EOQ
    with ${local.journeybee_lead_deals_sql}
    select
      coalesce(stage_phase, 'none') as "Phase",
      currency_code as "Currency",
      count(*) as "Deals",
      coalesce(sum(deal_value), 0) as "Value"
    from
      deals
    group by
      stage_phase, currency_code
    order by
      array_position(array['discovery', 'negotiation', 'closed_won', 'closed_lost'], stage_phase) nulls last,
      "Phase", "Currency";
  EOQ
}

# Deals through a partnership, per the partner's tier ("none" without one)
# and currency.
query "partner_leaderboard_value_by_tier" {
  sql = <<-EOQ
    with ${local.journeybee_lead_deals_sql}, ${local.journeybee_partnerships_sql}
    ${local.partner_deals_sql}
    select
      coalesce(tier_label, 'none') as "Tier",
      currency as "Currency",
      count(distinct partnership_id) as "Partners",
      count(*) as "Deals",
      ${local.partner_deal_value_columns_sql}
    from
      partner_deals
    where
      partnership_id is not null
    group by
      1, 2
    order by
      1, 2;
  EOQ
}

# Per month the deal was created (UTC): deals won and lost.
query "partner_leaderboard_won_lost_by_month" {
  sql = <<-EOQ
    with ${local.journeybee_lead_deals_sql}
    select
      to_char(date_trunc('month', created_at at time zone 'UTC'), 'YYYY-MM') as "Month",
      count(*) filter (where stage_phase = 'closed_won') as "Won",
      count(*) filter (where stage_phase = 'closed_lost') as "Lost"
    from
      deals
    group by
      1
    order by
      1;
  EOQ
}

# Per month the deal was created (UTC) and currency: open, won and lost
# deal value.
query "partner_leaderboard_value_by_month" {
  sql = <<-EOQ
    with ${local.journeybee_lead_deals_sql}, ${local.journeybee_partnerships_sql}
    ${local.partner_deals_sql}
    select
      to_char(date_trunc('month', created_at at time zone 'UTC'), 'YYYY-MM') as "Month",
      currency as "Currency",
      count(*) as "Deals",
      ${local.partner_deal_value_columns_sql}
    from
      partner_deals
    group by
      1, 2
    order by
      1, 2;
  EOQ
}

query "partner_leaderboard_by_tier" {
  sql = <<-EOQ
    with ${local.journeybee_partnerships_sql}
    select
      coalesce(tier_label, 'none') as "Tier",
      count(*) as "Partners"
    from
      partnerships
    group by
      1
    order by
      "Partners" desc, "Tier";
  EOQ
}

query "partner_leaderboard_by_category" {
  sql = <<-EOQ
    with ${local.journeybee_partnerships_sql}
    select
      coalesce(category_label, 'none') as "Category",
      count(*) as "Partners"
    from
      partnerships
    group by
      1
    order by
      "Partners" desc, "Category";
  EOQ
}
