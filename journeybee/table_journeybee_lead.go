package journeybee

import (
	"context"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
	"github.com/turbot/steampipe-plugin-sdk/v5/query_cache"
)

//// TABLE DEFINITION

func tableJourneyBeeLead(_ context.Context) *plugin.Table {
	return &plugin.Table{
		Name:        "journeybee_lead",
		Description: "Leads in JourneyBee: referrals received from and sent to partners, reseller and campaign leads, with their tags, assigned users and deals.",
		List: &plugin.ListConfig{
			Hydrate:    listLeads,
			KeyColumns: leadKeyColumns(),
		},
		Columns: leadColumns(),
	}
}

// leadKeyColumns are the filters pushed into the API query. The API filters
// match the cache exactly: the API computes total (and the filter columns'
// values) per query, so rows cached for one filter are wrong for another.
// created_at and id are the row's own values (subset matching). The SDK
// cache is off for every table anyway (query_cache_guard.go); the choice
// stands for when it can come back.
func leadKeyColumns() plugin.KeyColumnSlice {
	optional := func(name string, operators ...string) *plugin.KeyColumn {
		if len(operators) == 0 {
			operators = []string{"="}
		}
		return &plugin.KeyColumn{Name: name, Operators: operators, Require: plugin.Optional, CacheMatch: query_cache.CacheMatchExact}
	}
	return plugin.KeyColumnSlice{
		optional("status"),
		optional("view"),
		optional("tag_id"),
		optional("assigned_user_id"),
		// <> lets `NOT is_assigned` push down, and with it the query's LIMIT.
		optional("is_assigned", "=", "<>"),
		optional("search"),
		optional("custom_fields_filter"),
		// The cursor pages by created_at: a window bounds the scan.
		{Name: "created_at", Operators: []string{">", ">=", "<", "<=", "="}, Require: plugin.Optional},
		// id = N is one GET of that lead, or none after a complete scan.
		{Name: "id", Operators: []string{"="}, Require: plugin.Optional},
	}
}

//// LIST FUNCTION

var listLeads = listHydrate("journeybee_lead.listLeads", func(ctx context.Context, d *plugin.QueryData, client *api.Client) error {
	if _, err := leadQueryFromQuals(wholeWhere(d, leadKeyColumns())); err != nil {
		return err
	}
	query, err := leadQueryFromQuals(d.Quals)
	if err != nil || query.matchesNothing {
		return err
	}
	if query.getsByID() {
		return getLeadsByID(ctx, d, client, query)
	}
	for _, scan := range query.scans() {
		pager, err := client.ListLeads(scan.options, query.window)
		if err != nil {
			return err
		}
		limitReached, err := streamPages(ctx, d, "journeybee_lead.listLeads", pager, func(lead *api.Lead) {
			if query.wantsID(lead.ID) {
				query.eachRow(lead, &scan, func(row *leadRow) { d.StreamListItem(ctx, row) })
			}
		})
		if err != nil || limitReached {
			return err
		}
	}
	return nil
})

// getLeadsByID fetches each lead asked for by id: one request per id, none
// for a lead a complete scan read within the cache TTL (api.LookupLead);
// a lead that does not exist (or an account without leads, so without a
// company id) is no row.
func getLeadsByID(ctx context.Context, d *plugin.QueryData, client *api.Client, query *leadQuery) error {
	scan := query.scans()[0]
	for _, id := range query.ids {
		lead, err := readLead(ctx, d, client, id, (*api.Client).LookupLead)
		if err != nil {
			return err
		}
		if lead == nil || !query.admits(lead) {
			continue
		}
		query.eachRow(lead, &scan, func(row *leadRow) { d.StreamListItem(ctx, row) })
		if d.RowsRemaining(ctx) <= 0 {
			return nil
		}
	}
	return nil
}

// readLead is one lead by id through fetch: (*api.Client).LookupLead
// (answered by a recent complete scan when there is one) or
// (*api.Client).GetLead (the single-lead endpoint, custom fields included).
// It is nil when the lead does not exist (or the account has no lead, so no
// company id). A lead read by id reports no total.
func readLead(ctx context.Context, d *plugin.QueryData, client *api.Client, id int64, fetch func(*api.Client, context.Context, int64, int64) (*api.Lead, error)) (*api.Lead, error) {
	company, found, err := companyID(ctx, d, client)
	if err != nil || !found {
		return nil, err
	}
	lead, err := fetch(client, ctx, company, id)
	if api.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	lead.Total = 0
	return lead, nil
}

//// COLUMNS

func leadColumns() []*plugin.Column {
	return []*plugin.Column{
		// Lead fields, as the API returns them.
		intColumn("id", "Unique identifier of the lead. id = N (or IN) fetches those leads, one API request each, instead of scanning; none for a lead that a complete scan of leads read within the cache TTL (a join on id after reading the leads once).", func(r *leadRow) any { return r.Item.ID }),
		stringColumn("uuid", "Globally unique identifier of the lead.", func(r *leadRow) any { return optString(r.Item.UUID) }),
		stringColumn("title", "Display name of the lead: the company name, else the contact's full name, else the email, else the uuid.", func(r *leadRow) any { return leadTitle(r.Item) }),
		timestampColumn("created_at", "When the lead was created. Leads are listed, and paged, newest first by this time: a window (>, >=, <, <=, =, between) is pushed into the paging, so only the pages inside it are requested.", func(r *leadRow) any { return r.Item.CreatedAt }),
		timestampColumn("updated_at", "When the lead was last updated. Not a filter of the API: a condition on it is applied after a full scan.", func(r *leadRow) any { return optTime(r.Item.UpdatedAt) }),
		stringColumn("source", "How the lead was created, e.g. partnership.", func(r *leadRow) any { return optString(r.Item.Source) }),
		stringColumn("company_name", "Name of the lead's company.", func(r *leadRow) any { return optString(r.Item.CompanyName) }),
		stringColumn("email", "Contact email of the lead.", func(r *leadRow) any { return optString(r.Item.Email) }),
		stringColumn("phone_number", "Contact phone number of the lead.", func(r *leadRow) any { return optString(r.Item.PhoneNumber) }),
		stringColumn("first_name", "First name of the lead's contact.", func(r *leadRow) any { return optString(r.Item.FirstName) }),
		stringColumn("last_name", "Last name of the lead's contact.", func(r *leadRow) any { return optString(r.Item.LastName) }),
		stringColumn("status", "Lead status: new, contacted, qualified, converted or lost. Filter with = or IN: pushed to the API's status parameter (one API call per value of a lone IN list).", func(r *leadRow) any { return optString(r.Item.Status) }),
		stringColumn("partner_type", "Partnership type the lead came through, e.g. referral or reseller.", func(r *leadRow) any { return optString(r.Item.PartnerType) }),
		intColumn("company_id", "Identifier of the JourneyBee company that owns the lead.", func(r *leadRow) any { return optInt(r.Item.CompanyID) }),
		intColumn("created_by_user_id", "Identifier of the user who created the lead.", func(r *leadRow) any { return optInt(r.Item.CreatedByUserID) }),
		intColumn("campaign_id", "Identifier of the campaign the lead came from, if any.", func(r *leadRow) any { return optInt(r.Item.CampaignID) }),
		stringColumn("campaign_title", "Title of the campaign the lead came from, if any.", func(r *leadRow) any { return optString(r.Item.CampaignTitle) }),
		intColumn("total", "Number of leads matching this row's API query (its status, view, tag, assignment, user, search and custom field filters), as reported by the API; not affected by LIMIT, a created_at window or filters on other columns. NULL for a lead fetched by id.", func(r *leadRow) any { return optCount(r.Item.Total) }),
		jsonColumn("tags", "Tags on the lead: id, label, background_color, text_color.", func(r *leadRow) any { return rawJSON(r.Item.Tags.Raw) }),
		jsonColumn("assigned_users", "Users assigned to the lead: id, email, first_name, last_name, color, profile_image_id, profile_image_uuid.", func(r *leadRow) any { return rawJSON(r.Item.AssignedUsers.Raw) }),
		jsonColumn("partnership_leads", "The partnerships the lead passed through: partnership_id, sent_by_company_id/name, received_by_company_id/name, partner_type, direction (received or sent), created_at.", func(r *leadRow) any { return rawJSON(r.Item.PartnershipLeads) }),
		jsonColumn("campaign_partners", "Partners of the campaign the lead came from, as the API sends them.", func(r *leadRow) any { return rawJSON(r.Item.CampaignPartners) }),
		jsonColumn("lead_deals", "Deals opened from the lead: id, label, deal_value (whole currency units), currency_code, stage_id, stage_label, stage_series, stage_phase.", func(r *leadRow) any { return rawJSON(r.Item.LeadDeals) }),

		// Filter columns: their values come from the query, checked against
		// the lead's own data where it carries them.
		stringColumn("view", "Filter: received, sent, reseller or campaigns, pushed to the API's view parameter; one API scan per value. Holds the view the row was listed under, NULL when the query sets none.", rowView[api.Lead]),
		intColumn("tag_id", "Filter: a tag id, = or IN, pushed to the API's tags parameter. Holds the requested tag the lead carries (a lead with several requested tags gives one row per tag); NULL when the query sets none.", rowTagID[api.Lead]),
		intColumn("assigned_user_id", "Filter: an assigned user's id, = or IN, pushed to the API's users parameter. Holds the requested user assigned to the lead (one row per matching user); NULL when the query sets none.", rowUserID[api.Lead]),
		boolColumn("is_assigned", "Whether the lead has at least one assigned user, computed from assigned_users. As a filter, true is pushed as assigned=1 and false as unassigned=1.", func(r *leadRow) any { return len(r.Item.AssignedUsers.Items) > 0 }),
		stringColumn("search", "Filter: free text the API matches against company name, email, phone, first and last name, assigned users and partner companies. Holds the query's search text; NULL when the query sets none.", rowSearch[api.Lead]),
		jsonColumn("custom_fields_filter", `Filter: custom field conditions passed verbatim to the API's customFields parameter, e.g. '[{"id": 123, "value": {"text": "acme"}}]'. Holds the query's filter; NULL when the query sets none.`, rowCustomFields[api.Lead]),
	}
}

//// TRANSFORM

func leadTitle(l *api.Lead) any {
	if l.CompanyName != nil && *l.CompanyName != "" {
		return *l.CompanyName
	}
	if name := joinNonEmpty(" ", derefString(l.FirstName), derefString(l.LastName)); name != "" {
		return name
	}
	if l.Email != nil && *l.Email != "" {
		return *l.Email
	}
	return optString(l.UUID)
}
