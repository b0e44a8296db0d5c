dashboard "partner_pipeline_report" {
  title         = "JourneyBee Partner-Sourced Pipeline Report"
  documentation = file("./dashboards/partner/docs/partner_report_pipeline.md")

  tags = merge(local.partner_common_tags, {
    type     = "Report"
    category = "Pipeline"
  })

  input "partner" {
    title       = "Sending partner"
    query       = query.partner_input
    width       = 4
    placeholder = "All partners"
  }

  container {
    card {
      query = query.partner_sourced_lead_count
      width = 3
      args  = { partner = self.input.partner.value }
    }

    card {
      query = query.partner_sourced_deal_count
      width = 3
      args  = { partner = self.input.partner.value, label = "Deals", phase = "all" }
    }

    card {
      query = query.partner_sourced_deal_count
      width = 3
      type  = "ok"
      args  = { partner = self.input.partner.value, label = "Won Deals", phase = "closed_won" }
    }

    card {
      query = query.partner_sourced_deal_count
      width = 3
      type  = "alert"
      args  = { partner = self.input.partner.value, label = "Lost Deals", phase = "closed_lost" }
    }
  }

  container {
    table {
      title = "Leads and Deals by Sending Partner"
      width = 6
      query = query.partner_sourced_by_partner
      args  = { partner = self.input.partner.value }
    }

    chart {
      title = "Won vs Lost Deals by Sending Partner"
      type  = "column"
      width = 6
      query = query.partner_sourced_won_lost
      args  = { partner = self.input.partner.value }
    }
  }

  container {
    table {
      title = "Deal Value by Sending Partner and Currency"
      width = 6
      query = query.partner_sourced_value_by_partner
      args  = { partner = self.input.partner.value }
    }

    table {
      title = "Deals by Stage"
      width = 6
      query = query.partner_sourced_by_stage
      args  = { partner = self.input.partner.value }
    }
  }

  container {
    chart {
      title = "Partner-Sourced Leads and Deals per Month"
      type  = "line"
      width = 6
      query = query.partner_sourced_by_month
      args  = { partner = self.input.partner.value }
    }

    table {
      title = "Deal Value per Month and Currency"
      width = 6
      query = query.partner_sourced_value_by_month
      args  = { partner = self.input.partner.value }
    }
  }
}

query "partner_sourced_lead_count" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
    ${local.partner_sourced_leads_sql}
    select
      'Partner-Sourced Leads' as label,
      count(distinct id) as value
    from
      sourced;
  EOQ

  param "partner" {
    description = "A sending partner company name, or 'all'."
    default     = "all"
  }
}

# Deals on partner-sourced leads, in one phase or all of them.
query "partner_sourced_deal_count" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
    ${local.partner_sourced_leads_sql}
    select
      $2 as label,
      count(*) as value
    from
      sourced_deals
    where
      $3 = 'all' or phase = $3;
  EOQ

  param "partner" {
    description = "A sending partner company name, or 'all'."
    default     = "all"
  }

  param "label" {}

  param "phase" {
    description = "A deal stage phase (discovery, negotiation, closed_won, closed_lost), or 'all'."
    default     = "all"
  }
}

query "partner_sourced_by_partner" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
    ${local.partner_sourced_leads_sql}
    select
      s.partner as "Partner",
      s.partner_type as "Partner Type",
      count(*) as "Leads",
      count(*) filter (where s.status in ${local.lead_open_statuses_sql}) as "Open Leads",
      count(*) filter (where s.status = 'converted') as "Converted",
      sum(jsonb_array_length(s.lead_deals)) as "Deals"
    from
      sourced as s
    group by
      s.partner, s.partner_type
    order by
      "Leads" desc, "Partner";
  EOQ

  param "partner" {
    description = "A sending partner company name, or 'all'."
    default     = "all"
  }
}

query "partner_sourced_won_lost" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
    ${local.partner_sourced_leads_sql}
    select
      partner as "Partner",
      count(*) filter (where phase = 'closed_won') as "Won",
      count(*) filter (where phase = 'closed_lost') as "Lost"
    from
      sourced_deals
    group by
      partner
    order by
      partner;
  EOQ

  param "partner" {
    description = "A sending partner company name, or 'all'."
    default     = "all"
  }
}

query "partner_sourced_value_by_partner" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
    ${local.partner_sourced_leads_sql}
    select
      partner as "Partner",
      currency as "Currency",
      ${local.partner_deal_value_columns_sql}
    from
      sourced_deals
    group by
      partner, currency
    order by
      partner, currency;
  EOQ

  param "partner" {
    description = "A sending partner company name, or 'all'."
    default     = "all"
  }
}

query "partner_sourced_by_stage" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
    ${local.partner_sourced_leads_sql}
    select
      stage as "Stage",
      phase as "Phase",
      currency as "Currency",
      count(*) as "Deals",
      sum(deal_value) as "Value"
    from
      sourced_deals
    group by
      stage_series, stage, phase, currency
    order by
      stage_series, currency;
  EOQ

  param "partner" {
    description = "A sending partner company name, or 'all'."
    default     = "all"
  }
}

# Per month the lead was created (UTC): partner-sourced leads, their deals
# and the deals won.
query "partner_sourced_by_month" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
    ${local.partner_sourced_leads_sql}
    select
      to_char(date_trunc('month', s.created_at at time zone 'UTC'), 'YYYY-MM') as "Month",
      count(distinct s.id) as "Leads",
      coalesce(sum(jsonb_array_length(s.lead_deals)), 0) as "Deals",
      count(distinct s.id) filter (where s.status = 'converted') as "Converted"
    from
      sourced as s
    group by
      1
    order by
      1;
  EOQ

  param "partner" {
    description = "A sending partner company name, or 'all'."
    default     = "all"
  }
}

# Per month the lead was created (UTC) and currency: deal value on
# partner-sourced leads.
query "partner_sourced_value_by_month" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
    ${local.partner_sourced_leads_sql}
    select
      to_char(date_trunc('month', created_at at time zone 'UTC'), 'YYYY-MM') as "Month",
      currency as "Currency",
      count(*) as "Deals",
      ${local.partner_deal_value_columns_sql}
    from
      sourced_deals
    group by
      1, 2
    order by
      1, 2;
  EOQ

  param "partner" {
    description = "A sending partner company name, or 'all'."
    default     = "all"
  }
}
