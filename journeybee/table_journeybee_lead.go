package journeybee

import (
	"context"
	"encoding/json"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

//// TABLE DEFINITION

func tableJourneyBeeLead(_ context.Context) *plugin.Table {
	return &plugin.Table{
		Name:        "journeybee_lead",
		Description: "Leads in JourneyBee: referrals received from and sent to partners, reseller and campaign leads, with their tags, assigned users and deals.",
		List:        leads.listConfig(),
		Columns:     leadColumns(),
	}
}

// leadRow is the streamed item: a lead and the filter values it answers.
type leadRow = filteredRow[api.Lead]

//// FILTERS

// leads are journeybee_lead's filters, pushed into Get Leads. The API
// filters match the query cache exactly: the API computes total (and the
// filter columns' values) per query, so rows cached for one filter are
// wrong for another. created_at and id are the row's own values (subset
// matching).
var leads = func() *pagedTable[api.Lead, api.ListLeadsOptions] {
	var f filterOf[api.Lead, api.ListLeadsOptions]
	return newPagedTable("journeybee_lead.listLeads", (*api.Client).ListLeads, (*api.ListLeadsOptions).Validate,
		f.text("status", func(o *api.ListLeadsOptions, values []string) error {
			statuses := make([]api.Status, len(values))
			for i, s := range values {
				status, err := api.ParseStatus(s)
				if err != nil {
					return err
				}
				statuses[i] = status
			}
			o.Statuses = statuses
			return nil
		}, func(l *api.Lead) *string { return l.Status }).matchExactly(),
		f.scanText("view", "Filter: received, sent, reseller or campaigns, pushed to the API's view parameter; one API scan per value. Holds the view the row was listed under, NULL when the query sets none.",
			qualString, func(o *api.ListLeadsOptions, v string) { o.View = api.View(v) }),
		f.rowIDs("tag_id", "Filter: a tag id, = or IN, pushed to the API's tags parameter. Holds the requested tag the lead carries (a lead with several requested tags gives one row per tag); NULL when the query sets none.",
			func(o *api.ListLeadsOptions, ids []int64) { o.TagIDs = ids }, func(l *api.Lead) []api.Ref { return l.Tags.Items }),
		f.rowIDs("assigned_user_id", "Filter: an assigned user's id, = or IN, pushed to the API's users parameter. Holds the requested user assigned to the lead (one row per matching user); NULL when the query sets none.",
			func(o *api.ListLeadsOptions, ids []int64) { o.UserIDs = ids }, func(l *api.Lead) []api.Ref { return l.AssignedUsers.Items }),
		f.assignment("is_assigned", "Whether the lead has at least one assigned user, computed from assigned_users. As a filter, true is pushed as assigned=1 and false as unassigned=1.",
			func(o *api.ListLeadsOptions, assigned, unassigned bool) {
				o.Assigned, o.Unassigned = assigned, unassigned
			},
			func(l *api.Lead) bool { return len(l.AssignedUsers.Items) > 0 }).matchExactly(),
		f.scanText("search", "Filter: free text the API matches against company name, email, phone, first and last name, assigned users and partner companies. Holds the query's search text; NULL when the query sets none.",
			qualSearchText, func(o *api.ListLeadsOptions, v string) { o.Search = v }),
		f.scanJSON("custom_fields_filter", `Filter: custom field conditions passed verbatim to the API's customFields parameter, e.g. '[{"id": 123, "value": {"text": "acme"}}]'. Holds the query's filter; NULL when the query sets none.`,
			func(o *api.ListLeadsOptions, v json.RawMessage) { o.CustomFields = v }),
		f.window("created_at", func(l *api.Lead) time.Time { return l.CreatedAt }),
		f.id("id", (*api.Client).LookupLead, func(l *api.Lead) int64 { return l.ID }),
	)
}()

// readLead is one lead from the single-lead endpoint, custom fields
// included; nil when it does not exist (or the account has no lead, so no
// company id).
func readLead(ctx context.Context, d *plugin.QueryData, client *api.Client, id int64) (*api.Lead, error) {
	company, found, err := companyID(ctx, d, client)
	if err != nil || !found {
		return nil, err
	}
	lead, err := client.GetLead(ctx, company, id)
	if api.IsNotFound(err) {
		return nil, nil
	}
	return lead, err
}

//// COLUMNS

func leadColumns() []*plugin.Column {
	return append([]*plugin.Column{
		// Lead fields, as the API returns them.
		intColumn("id", "Unique identifier of the lead. id = N (or IN) fetches those leads, one API request each, instead of scanning; none for a lead that a complete scan of leads read within the cache TTL (a join on id after reading the leads once).", func(r *leadRow) any { return r.Item.ID }),
		stringColumn("uuid", "Globally unique identifier of the lead.", func(r *leadRow) any { return opt(r.Item.UUID) }),
		stringColumn("title", "Display name of the lead: the company name, else the contact's full name, else the email, else the uuid.", func(r *leadRow) any { return leadTitle(r.Item) }),
		timestampColumn("created_at", "When the lead was created. Leads are listed, and paged, newest first by this time: a window (>, >=, <, <=, =, between) is pushed into the paging, so only the pages inside it are requested.", func(r *leadRow) any { return r.Item.CreatedAt }),
		timestampColumn("updated_at", "When the lead was last updated. Not a filter of the API: a condition on it is applied after a full scan.", func(r *leadRow) any { return opt(r.Item.UpdatedAt) }),
		stringColumn("source", "How the lead was created, e.g. partnership.", func(r *leadRow) any { return opt(r.Item.Source) }),
		stringColumn("company_name", "Name of the lead's company.", func(r *leadRow) any { return opt(r.Item.CompanyName) }),
		stringColumn("email", "Contact email of the lead.", func(r *leadRow) any { return opt(r.Item.Email) }),
		stringColumn("phone_number", "Contact phone number of the lead.", func(r *leadRow) any { return opt(r.Item.PhoneNumber) }),
		stringColumn("first_name", "First name of the lead's contact.", func(r *leadRow) any { return opt(r.Item.FirstName) }),
		stringColumn("last_name", "Last name of the lead's contact.", func(r *leadRow) any { return opt(r.Item.LastName) }),
		stringColumn("status", "Lead status: new, contacted, qualified, converted or lost. Filter with = or IN: pushed to the API's status parameter (one API call per value of a lone IN list).", func(r *leadRow) any { return opt(r.Item.Status) }),
		stringColumn("partner_type", "Partnership type the lead came through, e.g. referral or reseller.", func(r *leadRow) any { return opt(r.Item.PartnerType) }),
		intColumn("company_id", "Identifier of the JourneyBee company that owns the lead.", func(r *leadRow) any { return opt(r.Item.CompanyID) }),
		intColumn("created_by_user_id", "Identifier of the user who created the lead.", func(r *leadRow) any { return opt(r.Item.CreatedByUserID) }),
		intColumn("campaign_id", "Identifier of the campaign the lead came from, if any.", func(r *leadRow) any { return opt(r.Item.CampaignID) }),
		stringColumn("campaign_title", "Title of the campaign the lead came from, if any.", func(r *leadRow) any { return opt(r.Item.CampaignTitle) }),
		intColumn("total", "Number of leads matching this row's API query (its status, view, tag, assignment, user, search and custom field filters), as reported by the API; not affected by LIMIT, a created_at window or filters on other columns. NULL for a lead fetched by id.", func(r *leadRow) any { return optCount(r.Item.Total) }),
		jsonColumn("tags", "Tags on the lead: id, label, background_color, text_color.", func(r *leadRow) any { return rawJSON(r.Item.Tags.Raw) }),
		jsonColumn("assigned_users", "Users assigned to the lead: id, email, first_name, last_name, color, profile_image_id, profile_image_uuid.", func(r *leadRow) any { return rawJSON(r.Item.AssignedUsers.Raw) }),
		jsonColumn("partnership_leads", "The partnerships the lead passed through: partnership_id, sent_by_company_id/name, received_by_company_id/name, partner_type, direction (received or sent), created_at.", func(r *leadRow) any { return rawJSON(r.Item.PartnershipLeads) }),
		jsonColumn("campaign_partners", "Partners of the campaign the lead came from, as the API sends them.", func(r *leadRow) any { return rawJSON(r.Item.CampaignPartners) }),
		jsonColumn("lead_deals", "Deals opened from the lead: id, label, deal_value (whole currency units), currency_code, stage_id, stage_label, stage_series, stage_phase.", func(r *leadRow) any { return rawJSON(r.Item.LeadDeals) }),
	},
		// Filter columns: their values come from the query, checked against
		// the lead's own data where it carries them.
		leads.filterColumns()...)
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
	return opt(l.UUID)
}
