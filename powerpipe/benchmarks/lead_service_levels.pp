benchmark "lead_service_levels" {
  title         = "JourneyBee Lead and Partner Service Levels"
  description   = "What is waiting on us, for how long, whose is it, and which partners are we failing: one control per service level, a row per lead, deal, partnership or currency with ok, alarm or info."
  documentation = file("./benchmarks/docs/lead_service_levels.md")

  children = [
    control.lead_partner_unassigned,
    control.lead_partner_acceptance,
    control.lead_new_stale,
    control.lead_qualified_without_deal,
    control.deal_open_without_value,
    control.partnership_without_manager,
    control.lead_duplicate_referral,
    control.partner_pipeline_share,
    control.partner_lead_reciprocity,
  ]

  tags = merge(local.service_level_common_tags, {
    type = "Benchmark"
  })
}

locals {
  service_level_common_tags = {
    plugin  = "journeybee"
    service = "JourneyBee/ServiceLevel"
  }

  # Each control reads a table through a materialized scan whose WHERE holds
  # only filters the plugin pushes to the API (status, is_assigned,
  # stage_phase, a created_at window): it downloads only the rows its
  # question is about. Controls asking about the same rows use the same
  # filters and these column lists, so the plugin's reply cache answers the
  # second scan. A created_at window starts at midnight UTC, so two
  # controls (or two runs on one day) send identical requests.
  lead_control_columns_sql        = "id, title, created_at, company_name, email, status, tags, assigned_users, partnership_leads, lead_deals"
  deal_control_columns_sql        = "id, label, created_at, stage_label, stage_phase, deal_value, currency_code, partnership_id, assigned_users, tags"
  partnership_control_columns_sql = "partnership_id, partner_name, assigned_users, tags"

  # Dimensions of a lead, deal or partnership row (its assigned_users,
  # tags and partnership_leads columns). A control shows 'none' for an
  # empty one: Powerpipe's reports would print a NULL as <nil>.
  sent_by_partners_sql = "(select string_agg(pl ->> 'sent_by_company_name', ', ' order by pl ->> 'sent_by_company_name') from jsonb_array_elements(partnership_leads) as pl where pl ->> 'direction' = 'received')"
  assignees_sql        = "(select string_agg(concat_ws(' ', u ->> 'first_name', u ->> 'last_name'), ', ' order by u ->> 'first_name', u ->> 'last_name') from jsonb_array_elements(assigned_users) as u)"
  tag_labels_sql       = "(select string_agg(t ->> 'label', ', ' order by t ->> 'label') from jsonb_array_elements(tags) as t)"
  partner_sourced_sql  = "exists (select 1 from jsonb_array_elements(partnership_leads) as pl where pl ->> 'direction' = 'received')"

  # Mailbox providers: an email domain of theirs says nothing about the
  # company, so it never makes two referrals the same company.
  free_email_domains_sql = "('gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'yahoo.com', 'icloud.com', 'aol.com', 'proton.me', 'protonmail.com', 'gmx.com')"
}

# A lead control's dimension columns. In a locals block of its own: Powerpipe
# v1.5.2 sees a cycle in a reference to a local of the same block.
locals {
  lead_dimensions_sql = "coalesce(${local.sent_by_partners_sql}, 'none') as partner, coalesce(${local.assignees_sql}, 'none') as assignee, coalesce(${local.tag_labels_sql}, 'none') as tag"
}

control "lead_partner_unassigned" {
  title       = "Partner-sourced leads are assigned quickly"
  description = "An open lead a partner sent us has somebody assigned within partner_lead_unassigned_hours of its creation. Rows: every open, unassigned, partner-sourced lead."
  severity    = "high"
  query       = query.lead_partner_unassigned
  tags        = local.service_level_common_tags
}

control "lead_partner_acceptance" {
  title       = "Partner-sourced leads are accepted quickly"
  description = "A lead a partner sent us moves past 'new' within partner_lead_acceptance_hours of its creation: the partner sees its referral accepted. Rows: every partner-sourced lead still 'new'."
  severity    = "high"
  query       = query.lead_partner_acceptance
  tags        = local.service_level_common_tags
}

control "lead_new_stale" {
  title       = "New leads move past 'new'"
  description = "A lead leaves 'new' within stale_days of its creation. Rows: every lead still 'new'."
  severity    = "medium"
  query       = query.lead_new_stale
  tags        = local.service_level_common_tags
}

control "lead_qualified_without_deal" {
  title       = "Qualified leads get a deal"
  description = "A qualified lead has a deal within qualified_lead_deal_days of its creation. Rows: every qualified lead."
  severity    = "medium"
  query       = query.lead_qualified_without_deal
  tags        = local.service_level_common_tags
}

control "deal_open_without_value" {
  title       = "Open deals have a value and a currency"
  description = "A deal in a discovery or negotiation stage has a deal value and a currency, or it is missing from every pipeline figure. Rows: every open deal."
  severity    = "medium"
  query       = query.deal_open_without_value
  tags        = local.service_level_common_tags
}

control "partnership_without_manager" {
  title       = "Every partnership has a partner manager"
  description = "A partnership has at least one assigned user. Rows: every partnership."
  severity    = "high"
  query       = query.partnership_without_manager
  tags        = local.service_level_common_tags
}

control "lead_duplicate_referral" {
  title       = "A company is referred by one partner"
  description = "Within duplicate_referral_days, a company (same company name, or same email domain other than a mailbox provider's) is referred by one partner: the first referral wins, a later one by another partner alarms. Rows: every partner referral created in the window."
  severity    = "high"
  query       = query.lead_duplicate_referral
  tags        = local.service_level_common_tags
}

control "partner_pipeline_share" {
  title       = "Partners source a fair share of the open pipeline"
  description = "Per currency, the value of open deals that came through a partnership is at least partner_pipeline_min_percent of all open deal value. Rows: every currency of an open deal with a value."
  severity    = "low"
  query       = query.partner_pipeline_share
  tags        = local.service_level_common_tags
}

control "partner_lead_reciprocity" {
  title       = "We send leads back to the partners who send us leads"
  description = "A partner that sent us at least reciprocity_min_received leads in the last reciprocity_days gets at least reciprocity_min_percent as many leads back. Rows: every partnership; info when it sent too few leads to judge."
  severity    = "low"
  query       = query.partner_lead_reciprocity
  tags        = local.service_level_common_tags
}

query "lead_partner_unassigned" {
  sql = <<-EOQ
    with leads as materialized (
      select ${local.lead_control_columns_sql}
      from journeybee_lead
      where status in ${local.lead_open_statuses_sql} and is_assigned = false
    )
    select
      'lead:' || id as resource,
      case when created_at < now() - make_interval(hours => $1::int) then 'alarm' else 'ok' end as status,
      title || ' from ' || ${local.sent_by_partners_sql} || ': unassigned for '
        || floor(extract(epoch from now() - created_at) / 3600)::bigint || ' hours, '
        || case when created_at < now() - make_interval(hours => $1::int) then 'over' else 'within' end
        || ' the ' || $1::int || '-hour limit.' as reason,
      ${local.lead_dimensions_sql}
    from
      leads
    where
      ${local.partner_sourced_sql}
    order by
      created_at, id;
  EOQ

  param "unassigned_hours" {
    description = "Hours a partner-sourced lead may stay unassigned."
    default     = var.partner_lead_unassigned_hours
  }
}

query "lead_partner_acceptance" {
  sql = <<-EOQ
    with leads as materialized (
      select ${local.lead_control_columns_sql}
      from journeybee_lead
      where status = 'new'
    )
    select
      'lead:' || id as resource,
      case when created_at < now() - make_interval(hours => $1::int) then 'alarm' else 'ok' end as status,
      title || ' from ' || ${local.sent_by_partners_sql} || ': not accepted (still new) after '
        || floor(extract(epoch from now() - created_at) / 3600)::bigint || ' hours, '
        || case when created_at < now() - make_interval(hours => $1::int) then 'over' else 'within' end
        || ' the ' || $1::int || '-hour limit.' as reason,
      ${local.lead_dimensions_sql}
    from
      leads
    where
      ${local.partner_sourced_sql}
    order by
      created_at, id;
  EOQ

  param "acceptance_hours" {
    description = "Hours a partner-sourced lead may stay 'new'."
    default     = var.partner_lead_acceptance_hours
  }
}

query "lead_new_stale" {
  sql = <<-EOQ
    with leads as materialized (
      select ${local.lead_control_columns_sql}
      from journeybee_lead
      where status = 'new'
    )
    select
      'lead:' || id as resource,
      case when created_at < now() - make_interval(days => $1::int) then 'alarm' else 'ok' end as status,
      title || ': new for ' || floor(extract(epoch from now() - created_at) / 86400)::bigint || ' days, '
        || case when created_at < now() - make_interval(days => $1::int) then 'over' else 'within' end
        || ' the ' || $1::int || '-day limit.' as reason,
      ${local.lead_dimensions_sql}
    from
      leads
    order by
      created_at, id;
  EOQ

  param "stale_days" {
    description = "Days a lead may stay 'new'."
    default     = var.stale_days
  }
}

query "lead_qualified_without_deal" {
  sql = <<-EOQ
    with leads as materialized (
      select ${local.lead_control_columns_sql}
      from journeybee_lead
      where status = 'qualified'
    )
    select
      'lead:' || id as resource,
      case
        when jsonb_array_length(coalesce(lead_deals, '[]')) = 0 and created_at < now() - make_interval(days => $1::int) then 'alarm'
        else 'ok'
      end as status,
      title || ': qualified, ' || case
        when jsonb_array_length(coalesce(lead_deals, '[]')) > 0 then jsonb_array_length(lead_deals) || ' deal(s).'
        else 'no deal after ' || floor(extract(epoch from now() - created_at) / 86400)::bigint || ' days, '
          || case when created_at < now() - make_interval(days => $1::int) then 'over' else 'within' end
          || ' the ' || $1::int || '-day limit.'
      end as reason,
      ${local.lead_dimensions_sql}
    from
      leads
    order by
      created_at, id;
  EOQ

  param "deal_days" {
    description = "Days a qualified lead may go without a deal."
    default     = var.qualified_lead_deal_days
  }
}

query "deal_open_without_value" {
  sql = <<-EOQ
    with deals as materialized (
      select ${local.deal_control_columns_sql}
      from journeybee_lead_deal
      where stage_phase in ('discovery', 'negotiation')
    ), partnerships as materialized (
      select ${local.partnership_control_columns_sql}
      from journeybee_partnership
    )
    select
      'deal:' || d.id as resource,
      case when d.deal_value is null or d.currency_code is null then 'alarm' else 'ok' end as status,
      coalesce(d.label, 'Deal ' || d.id) || ' (' || coalesce(d.stage_label, d.stage_phase) || '): ' || case
        when d.deal_value is null and d.currency_code is null then 'no value and no currency.'
        when d.deal_value is null then 'no value.'
        when d.currency_code is null then 'no currency.'
        else 'value and currency set.'
      end as reason,
      coalesce(p.partner_name, 'none') as partner,
      coalesce((select string_agg(concat_ws(' ', u ->> 'first_name', u ->> 'last_name'), ', ' order by u ->> 'first_name', u ->> 'last_name') from jsonb_array_elements(d.assigned_users) as u), 'none') as assignee,
      coalesce((select string_agg(t ->> 'label', ', ' order by t ->> 'label') from jsonb_array_elements(d.tags) as t), 'none') as tag
    from
      deals as d
      left join partnerships as p on p.partnership_id = d.partnership_id
    order by
      d.created_at, d.id;
  EOQ
}

query "partnership_without_manager" {
  sql = <<-EOQ
    with partnerships as materialized (
      select ${local.partnership_control_columns_sql}
      from journeybee_partnership
    )
    select
      'partnership:' || partnership_id as resource,
      case when jsonb_array_length(coalesce(assigned_users, '[]')) = 0 then 'alarm' else 'ok' end as status,
      coalesce(partner_name, 'Partnership ' || partnership_id) || case
        when jsonb_array_length(coalesce(assigned_users, '[]')) = 0 then ': no partner manager assigned.'
        else ': managed by ' || ${local.assignees_sql} || '.'
      end as reason,
      coalesce(partner_name, 'none') as partner,
      coalesce(${local.assignees_sql}, 'none') as assignee,
      coalesce(${local.tag_labels_sql}, 'none') as tag
    from
      partnerships
    order by
      partnership_id;
  EOQ
}

query "lead_duplicate_referral" {
  sql = <<-EOQ
    with leads as materialized (
      select ${local.lead_control_columns_sql}
      from journeybee_lead
      where created_at > date_trunc('day', now()) - make_interval(days => $1::int)
    ), referrals as materialized (
      select
        id,
        title,
        created_at,
        pl ->> 'sent_by_company_name' as partner,
        nullif(lower(trim(company_name)), '') as company_key,
        case when split_part(lower(email), '@', 2) not in ${local.free_email_domains_sql} then nullif(split_part(lower(email), '@', 2), '') end as domain_key,
        coalesce(${local.assignees_sql}, 'none') as assignee,
        coalesce(${local.tag_labels_sql}, 'none') as tag
      from
        leads,
        jsonb_array_elements(partnership_leads) as pl
      where
        pl ->> 'direction' = 'received'
    )
    select
      'lead:' || r.id as resource,
      case when f.id is null then 'ok' else 'alarm' end as status,
      r.title || ' from ' || r.partner || ': ' || case
        when f.id is null then 'first referral of this company in the last ' || $1::int || ' days.'
        else 'already referred by ' || f.partner || ' on ' || to_char(f.created_at at time zone 'UTC', 'YYYY-MM-DD') || ' (lead ' || f.id || '); the first referral wins.'
      end as reason,
      r.partner,
      r.assignee,
      r.tag
    from
      referrals as r
      left join lateral (
        select e.id, e.partner, e.created_at
        from referrals as e
        where
          e.partner <> r.partner
          and (e.company_key = r.company_key or e.domain_key = r.domain_key)
          and (e.created_at, e.id) < (r.created_at, r.id)
        order by e.created_at, e.id, e.partner
        limit 1
      ) as f on true
    order by
      r.created_at, r.id, r.partner;
  EOQ

  param "window_days" {
    description = "Days a referral protects its company."
    default     = var.duplicate_referral_days
  }
}

query "partner_pipeline_share" {
  sql = <<-EOQ
    with deals as materialized (
      select ${local.deal_control_columns_sql}
      from journeybee_lead_deal
      where stage_phase in ('discovery', 'negotiation')
    ), totals as (
      select
        currency_code,
        coalesce(sum(deal_value::numeric) filter (where partnership_id is not null), 0) as partner_value,
        sum(deal_value::numeric) as total_value
      from
        deals
      where
        deal_value is not null and currency_code is not null
      group by
        currency_code
    )
    select
      'currency:' || currency_code as resource,
      case
        when total_value = 0 then 'info'
        when partner_value * 100 < $1::numeric * total_value then 'alarm'
        else 'ok'
      end as status,
      currency_code || ': ' || case
        when total_value = 0 then 'no open deal value.'
        else 'partners source ' || round(partner_value * 100 / total_value) || '% of the open pipeline (' || round(partner_value) || ' of ' || round(total_value) || '), '
          || case when partner_value * 100 < $1::numeric * total_value then 'below' else 'at or above' end || ' the ' || $1::numeric || '% target.'
      end as reason,
      currency_code as currency
    from
      totals
    order by
      currency_code;
  EOQ

  param "min_percent" {
    description = "Smallest share of open deal value, in percent, that partners should source."
    default     = var.partner_pipeline_min_percent
  }
}

query "partner_lead_reciprocity" {
  sql = <<-EOQ
    with leads as materialized (
      select ${local.lead_control_columns_sql}
      from journeybee_lead
      where created_at > date_trunc('day', now()) - make_interval(days => $1::int)
    ), partnerships as materialized (
      select ${local.partnership_control_columns_sql}
      from journeybee_partnership
    ), flows as materialized (
      select
        (pl ->> 'partnership_id')::bigint as partnership_id,
        count(*) filter (where pl ->> 'direction' = 'received') as received,
        count(*) filter (where pl ->> 'direction' = 'sent') as sent
      from
        leads,
        jsonb_array_elements(partnership_leads) as pl
      group by
        1
    ), counted as (
      select
        p.*,
        coalesce(f.received, 0) as received,
        coalesce(f.sent, 0) as sent
      from
        partnerships as p
        left join flows as f on f.partnership_id = p.partnership_id
    )
    select
      'partnership:' || partnership_id as resource,
      case
        when received < $2::int then 'info'
        when sent * 100 < received * $3::numeric then 'alarm'
        else 'ok'
      end as status,
      coalesce(partner_name, 'Partnership ' || partnership_id) || ' sent us ' || received || ' lead(s) and got ' || sent || ' back in the last ' || $1::int || ' days'
        || case
          when received < $2::int then ': too few to judge (fewer than ' || $2::int || ').'
          when sent * 100 < received * $3::numeric then ', below ' || $3::numeric || '% reciprocity.'
          else ', at least ' || $3::numeric || '% reciprocity.'
        end as reason,
      coalesce(partner_name, 'none') as partner,
      coalesce(${local.assignees_sql}, 'none') as assignee,
      coalesce(${local.tag_labels_sql}, 'none') as tag
    from
      counted
    order by
      partnership_id;
  EOQ

  param "window_days" {
    description = "Days of leads that count."
    default     = var.reciprocity_days
  }

  param "min_received" {
    description = "Leads a partner must have sent to be judged."
    default     = var.reciprocity_min_received
  }

  param "min_percent" {
    description = "Smallest share, in percent, of a partner's leads to send back."
    default     = var.reciprocity_min_percent
  }
}
