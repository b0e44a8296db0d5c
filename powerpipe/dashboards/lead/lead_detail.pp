dashboard "lead_detail" {
  title         = "JourneyBee Lead Detail"
  documentation = file("./dashboards/lead/docs/lead_detail.md")

  tags = merge(local.lead_common_tags, {
    type = "Detail"
  })

  input "lead_id" {
    title       = "Select a lead:"
    query       = query.lead_input
    width       = 6
    placeholder = "Lead"
  }

  container {
    card {
      query = query.lead_detail_status
      width = 3
      args  = { lead_id = self.input.lead_id.value }
    }

    card {
      query = query.lead_detail_age
      width = 3
      args  = { lead_id = self.input.lead_id.value }
    }

    card {
      query = query.lead_detail_deal_count
      width = 3
      args  = { lead_id = self.input.lead_id.value }
    }
  }

  container {
    table {
      title = "Overview"
      type  = "line"
      width = 6
      query = query.lead_detail_overview
      args  = { lead_id = self.input.lead_id.value }
    }

    container {
      width = 6

      table {
        title = "Assigned Users"
        query = query.lead_detail_assignees
        args  = { lead_id = self.input.lead_id.value }
      }

      table {
        title = "Tags"
        query = query.lead_detail_tags
        args  = { lead_id = self.input.lead_id.value }
      }
    }
  }

  container {
    table {
      title = "Partners"
      width = 6
      query = query.lead_detail_partners
      args  = { lead_id = self.input.lead_id.value }
    }

    table {
      title = "Deals"
      width = 6
      query = query.lead_detail_deals
      args  = { lead_id = self.input.lead_id.value }
    }
  }
}

# Options for the lead input, newest first.
query "lead_input" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
    select
      title || ' (#' || id || ')' as label,
      id::text as value
    from
      leads
    order by
      created_at desc, id desc;
  EOQ
}

query "lead_detail_status" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
    select
      'Status' as label,
      initcap(status) as value,
      case when status in ('converted') then 'ok' when status = 'lost' then 'alert' else 'info' end as type
    from
      leads
    where
      id = $1::bigint;
  EOQ

  param "lead_id" {}
}

query "lead_detail_age" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
    select
      'Age in Days' as label,
      extract(day from now() - created_at)::int as value
    from
      leads
    where
      id = $1::bigint;
  EOQ

  param "lead_id" {}
}

query "lead_detail_deal_count" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
    select
      'Deals' as label,
      jsonb_array_length(lead_deals) as value
    from
      leads
    where
      id = $1::bigint;
  EOQ

  param "lead_id" {}
}

query "lead_detail_overview" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
    select
      title as "Title",
      id as "ID",
      status as "Status",
      source as "Source",
      company_name as "Company",
      email as "Email",
      partner_type as "Partner Type",
      campaign_title as "Campaign",
      created_at as "Created",
      updated_at as "Updated"
    from
      leads
    where
      id = $1::bigint;
  EOQ

  param "lead_id" {}
}

query "lead_detail_assignees" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
    select
      concat_ws(' ', u ->> 'first_name', u ->> 'last_name') as "Name",
      u ->> 'email' as "Email"
    from
      leads,
      jsonb_array_elements(assigned_users) as u
    where
      id = $1::bigint
    order by
      "Name";
  EOQ

  param "lead_id" {}
}

query "lead_detail_tags" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
    select
      t ->> 'label' as "Tag"
    from
      leads,
      jsonb_array_elements(tags) as t
    where
      id = $1::bigint
    order by
      "Tag";
  EOQ

  param "lead_id" {}
}

# Companies the lead travelled between: partnership leads (either direction)
# and, for campaign leads, the campaign's partners.
query "lead_detail_partners" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
    select
      initcap(pl ->> 'direction') as "Direction",
      pl ->> 'sent_by_company_name' as "From",
      pl ->> 'received_by_company_name' as "To",
      pl ->> 'partner_type' as "Partner Type",
      (pl ->> 'created_at')::timestamptz as "At"
    from
      leads,
      jsonb_array_elements(partnership_leads) as pl
    where
      id = $1::bigint
    union all
    select
      'Campaign',
      cp ->> 'company_name',
      null,
      partner_type,
      null
    from
      leads,
      jsonb_array_elements(campaign_partners) as cp
    where
      id = $1::bigint
    order by
      "Direction", "From";
  EOQ

  param "lead_id" {}
}

query "lead_detail_deals" {
  sql = <<-EOQ
    ${local.journeybee_leads_sql}
    select
      d ->> 'label' as "Deal",
      d ->> 'stage_label' as "Stage",
      d ->> 'stage_phase' as "Phase",
      (d ->> 'deal_value')::float8 as "Value",
      d ->> 'currency_code' as "Currency"
    from
      leads,
      jsonb_array_elements(lead_deals) as d
    where
      id = $1::bigint
    order by
      "Deal";
  EOQ

  param "lead_id" {}
}
