package journeybee

import (
	"context"
	"encoding/json"
	"errors"
	"slices"

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

// leadKeyColumns are the filters pushed into the API query. They all match
// the cache exactly: the API computes total (and the filter columns' values)
// per query, so rows cached for one filter are wrong for another.
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
	}
}

//// LIST FUNCTION

func listLeads(ctx context.Context, d *plugin.QueryData, _ *plugin.HydrateData) (any, error) {
	const where = "journeybee_lead.listLeads"
	// The SDK splits a lone IN list into one List call per value, run
	// concurrently: validating only this call's value would let the valid
	// values' requests go out before the invalid one fails the query. So
	// every call first validates the whole WHERE clause.
	if _, err := leadQueryFromQuals(plugin.NewKeyColumnQualValueMap(d.QueryContext.UnsafeQuals, leadKeyColumns())); err != nil {
		return nil, logAndReturn(ctx, where, err)
	}
	query, err := leadQueryFromQuals(d.Quals)
	if err != nil {
		return nil, logAndReturn(ctx, where, err)
	}
	if query.matchesNothing {
		return nil, nil
	}
	client, err := connect(ctx, d)
	if err != nil {
		return nil, logAndReturn(ctx, where, err)
	}
	for _, scan := range query.scans() {
		done, err := streamLeadScan(ctx, d, client, query, scan)
		if err != nil {
			return nil, logAndReturn(ctx, where, explainError(err))
		}
		if done {
			break
		}
	}
	return nil, nil
}

// streamLeadScan pages through one API query, streaming each page's rows as
// it arrives. It reports done when the query needs no more rows.
func streamLeadScan(ctx context.Context, d *plugin.QueryData, client *api.Client, query *leadQuery, scan leadScan) (done bool, err error) {
	pager, err := client.ListLeads(scan.options)
	if err != nil {
		return false, err
	}
	defer pager.Close()
	// The SDK waited on the limiter once for this List call; every further
	// page waits again.
	pager.BeforeRequest = func(ctx context.Context) error {
		d.WaitForListRateLimit(ctx)
		return ctx.Err()
	}
	for {
		page, err := pager.Next(ctx)
		if errors.Is(err, api.ErrNoMorePages) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		plugin.Logger(ctx).Debug("journeybee_lead.listLeads", "page", page.Number, "leads", len(page.Items), "total", page.Total, "duplicates_dropped", page.Duplicates)
		// Fetch the next page while this one streams, unless the LIMIT
		// will be met by this page: then no further request is made.
		if d.RowsRemaining(ctx) > int64(len(page.Items)) {
			pager.Prefetch(ctx)
		}
		for i := range page.Items {
			query.eachRow(&page.Items[i], &scan, func(row *leadRow) {
				d.StreamListItem(ctx, row)
			})
			if d.RowsRemaining(ctx) <= 0 {
				return true, nil
			}
		}
	}
}

//// COLUMNS

func leadColumns() []*plugin.Column {
	return []*plugin.Column{
		// Lead fields, as the API returns them.
		intColumn("id", "Unique identifier of the lead.", func(r *leadRow) any { return r.Lead.ID }),
		stringColumn("uuid", "Globally unique identifier of the lead.", func(r *leadRow) any { return r.Lead.UUID }),
		stringColumn("title", "Display name of the lead: the company name, else the contact's full name, else the email, else the uuid.", func(r *leadRow) any { return leadTitle(r.Lead) }),
		timestampColumn("created_at", "When the lead was created. Leads are listed, and paged, newest first by this time.", func(r *leadRow) any { return r.Lead.CreatedAt }),
		timestampColumn("updated_at", "When the lead was last updated.", func(r *leadRow) any { return optTime(r.Lead.UpdatedAt) }),
		stringColumn("source", "How the lead was created, e.g. partnership.", func(r *leadRow) any { return r.Lead.Source }),
		stringColumn("company_name", "Name of the lead's company.", func(r *leadRow) any { return optString(r.Lead.CompanyName) }),
		stringColumn("email", "Contact email of the lead.", func(r *leadRow) any { return optString(r.Lead.Email) }),
		stringColumn("phone_number", "Contact phone number of the lead.", func(r *leadRow) any { return optString(r.Lead.PhoneNumber) }),
		stringColumn("first_name", "First name of the lead's contact.", func(r *leadRow) any { return optString(r.Lead.FirstName) }),
		stringColumn("last_name", "Last name of the lead's contact.", func(r *leadRow) any { return optString(r.Lead.LastName) }),
		stringColumn("status", "Lead status: new, contacted, qualified, converted or lost. Filter with = or IN: pushed to the API's status parameter (one API call per value of a lone IN list).", func(r *leadRow) any { return r.Lead.Status }),
		stringColumn("partner_type", "Partnership type the lead came through, e.g. referral or reseller.", func(r *leadRow) any { return optString(r.Lead.PartnerType) }),
		intColumn("company_id", "Identifier of the JourneyBee company that owns the lead.", func(r *leadRow) any { return r.Lead.CompanyID }),
		intColumn("created_by_user_id", "Identifier of the user who created the lead.", func(r *leadRow) any { return optInt(r.Lead.CreatedByUserID) }),
		intColumn("campaign_id", "Identifier of the campaign the lead came from, if any.", func(r *leadRow) any { return optInt(r.Lead.CampaignID) }),
		stringColumn("campaign_title", "Title of the campaign the lead came from, if any.", func(r *leadRow) any { return optString(r.Lead.CampaignTitle) }),
		intColumn("total", "Number of leads matching this row's API query (its status, view, tag, assignment, user, search and custom field filters), as reported by the API; not affected by LIMIT or by filters on other columns.", func(r *leadRow) any { return r.Lead.Total }),
		jsonColumn("tags", "Tags on the lead: id, label, background_color, text_color.", func(r *leadRow) any { return jsonList(r.Lead.Tags, 128, appendTagJSON) }),
		jsonColumn("assigned_users", "Users assigned to the lead: id, email, first_name, last_name, color, profile_image_id, profile_image_uuid.", func(r *leadRow) any { return jsonList(r.Lead.AssignedUsers, 256, appendAssignedUserJSON) }),
		jsonColumn("partnership_leads", "The partnerships the lead passed through: partnership_id, sent_by_company_id/name, received_by_company_id/name, partner_type, direction (received or sent), created_at.", func(r *leadRow) any { return jsonList(r.Lead.PartnershipLeads, 640, appendPartnershipLeadJSON) }),
		jsonColumn("campaign_partners", "Partners of the campaign the lead came from, as the API sends them.", func(r *leadRow) any { return jsonList(r.Lead.CampaignPartners, 128, appendCampaignPartnerJSON) }),
		jsonColumn("lead_deals", "Deals opened from the lead: id, label, deal_value (whole currency units), currency_code, stage_id, stage_label, stage_series, stage_phase.", func(r *leadRow) any { return jsonList(r.Lead.LeadDeals, 256, appendLeadDealJSON) }),

		// Filter columns: their values come from the query, checked against
		// the lead's own data where it carries them.
		stringColumn("view", "Filter: received, sent, reseller or campaigns, pushed to the API's view parameter; one API scan per value. Holds the view the row was listed under, NULL when the query sets none.", func(r *leadRow) any { return optEnum(r.scan.view) }),
		intColumn("tag_id", "Filter: a tag id, = or IN, pushed to the API's tags parameter. Holds the requested tag the lead carries (a lead with several requested tags gives one row per tag); NULL when the query sets none.", func(r *leadRow) any { return optInt(r.tagID) }),
		intColumn("assigned_user_id", "Filter: an assigned user's id, = or IN, pushed to the API's users parameter. Holds the requested user assigned to the lead (one row per matching user); NULL when the query sets none.", func(r *leadRow) any { return optInt(r.userID) }),
		boolColumn("is_assigned", "Whether the lead has at least one assigned user, computed from assigned_users. As a filter, true is pushed as assigned=1 and false as unassigned=1.", func(r *leadRow) any { return len(r.Lead.AssignedUsers) > 0 }),
		stringColumn("search", "Filter: free text the API matches against company name, email, phone, first and last name, assigned users and partner companies. Holds the query's search text; NULL when the query sets none.", func(r *leadRow) any { return optEnum(r.scan.search) }),
		jsonColumn("custom_fields_filter", `Filter: custom field conditions passed verbatim to the API's customFields parameter, e.g. '[{"id": 123, "value": {"text": "acme"}}]'. Holds the query's filter; NULL when the query sets none.`, func(r *leadRow) any { return optRaw(r.scan.customFields) }),
	}
}

//// TRANSFORM

// The JSON columns' items, written field by field in the order and with the
// names encoding/json gives them (see jsonList).

func appendTagJSON(b []byte, t *api.Tag) ([]byte, bool) {
	o := newJSONObject(b)
	o.int("id", t.ID)
	o.string("label", t.Label)
	o.string("background_color", t.BackgroundColor)
	o.string("text_color", t.TextColor)
	return o.end()
}

func appendAssignedUserJSON(b []byte, u *api.AssignedUser) ([]byte, bool) {
	o := newJSONObject(b)
	o.int("id", u.ID)
	o.string("email", u.Email)
	o.string("first_name", u.FirstName)
	o.string("last_name", u.LastName)
	o.string("color", u.Color)
	o.optInt("profile_image_id", u.ProfileImageID)
	o.optString("profile_image_uuid", u.ProfileImageUUID)
	return o.end()
}

func appendPartnershipLeadJSON(b []byte, p *api.PartnershipLead) ([]byte, bool) {
	o := newJSONObject(b)
	o.int("id", p.ID)
	o.time("created_at", p.CreatedAt)
	o.int("partnership_id", p.PartnershipID)
	o.int("sent_by_company_id", p.SentByCompanyID)
	o.string("sent_by_company_name", p.SentByCompanyName)
	o.optInt("sent_by_company_logo_id", p.SentByCompanyLogoID)
	o.optString("sent_by_company_logo_uuid", p.SentByCompanyLogoUUID)
	o.int("received_by_company_id", p.ReceivedByCompanyID)
	o.string("received_by_company_name", p.ReceivedByCompanyName)
	o.optInt("received_by_company_logo_id", p.ReceivedByCompanyLogoID)
	o.optString("received_by_company_logo_uuid", p.ReceivedByCompanyLogoUUID)
	o.string("partner_type", p.PartnerType)
	o.string("direction", p.Direction)
	o.marshal("fallback_data", p.FallbackData)
	return o.end()
}

// appendCampaignPartnerJSON leaves partners to their own MarshalJSON (the
// object as the API sent it): the reference shows only empty lists.
func appendCampaignPartnerJSON(b []byte, p *api.CampaignPartner) ([]byte, bool) {
	j, err := json.Marshal(p)
	if err != nil {
		return b, false
	}
	return append(b, j...), true
}

func appendLeadDealJSON(b []byte, d *api.LeadDeal) ([]byte, bool) {
	o := newJSONObject(b)
	o.int("id", d.ID)
	o.string("label", d.Label)
	o.float("deal_value", d.DealValue)
	o.string("currency_code", d.CurrencyCode)
	o.int("stage_id", d.StageID)
	o.string("stage_label", d.StageLabel)
	o.int("stage_series", int64(d.StageSeries))
	o.string("stage_phase", d.StagePhase)
	return o.end()
}

func leadTitle(l *api.Lead) string {
	if l.CompanyName != nil && *l.CompanyName != "" {
		return *l.CompanyName
	}
	name := joinNonEmpty(" ", derefString(l.FirstName), derefString(l.LastName))
	if name != "" {
		return name
	}
	if l.Email != nil && *l.Email != "" {
		return *l.Email
	}
	return l.UUID
}

//// QUALS → API QUERY

// leadQuery is what the SQL quals ask of the API.
type leadQuery struct {
	// filters shared by every scan: status, tags, users, assignment.
	filters api.ListLeadsOptions
	// The API takes one view, one search and one customFields per request:
	// each combination of requested values is a scan of its own.
	views        []api.View
	searches     []string
	customFields []string
	// tagIDs and userIDs select which of a lead's tags and users fill the
	// tag_id and assigned_user_id columns.
	tagIDs, userIDs []int64
	// matchesNothing is set for contradictory or empty IN quals: no request
	// is needed to know the answer is empty.
	matchesNothing bool
}

// leadScan is one API query: one view, search and custom fields filter.
type leadScan struct {
	options      api.ListLeadsOptions
	view         api.View
	search       string
	customFields string
}

// leadRow is the streamed item: a lead and the filter values it answers.
type leadRow struct {
	Lead   *api.Lead
	scan   *leadScan
	tagID  *int64
	userID *int64
}

// leadQueryFromQuals maps the key-column quals to API options, validating
// every value before any request is made.
func leadQueryFromQuals(quals plugin.KeyColumnQualMap) (*leadQuery, error) {
	q := &leadQuery{}
	constrained := func(present bool, n int) {
		if present && n == 0 {
			q.matchesNothing = true
		}
	}

	statuses, present, err := equalValues(quals, "status", qualString)
	if err != nil {
		return nil, err
	}
	constrained(present, len(statuses))
	for _, s := range statuses {
		status, err := api.ParseStatus(s)
		if err != nil {
			return nil, err
		}
		q.filters.Statuses = append(q.filters.Statuses, status)
	}

	views, present, err := equalValues(quals, "view", qualString)
	if err != nil {
		return nil, err
	}
	constrained(present, len(views))
	for _, v := range views {
		view, err := api.ParseView(v)
		if err != nil {
			return nil, err
		}
		q.views = append(q.views, view)
	}

	if q.tagIDs, present, err = equalValues(quals, "tag_id", qualInt64); err != nil {
		return nil, err
	}
	constrained(present, len(q.tagIDs))
	q.filters.TagIDs = q.tagIDs

	if q.userIDs, present, err = equalValues(quals, "assigned_user_id", qualInt64); err != nil {
		return nil, err
	}
	constrained(present, len(q.userIDs))
	q.filters.UserIDs = q.userIDs

	assigned, present, err := assignmentQual(quals)
	if err != nil {
		return nil, err
	}
	constrained(present, len(assigned))
	if len(assigned) == 1 {
		q.filters.Assigned = assigned[0]
		q.filters.Unassigned = !assigned[0]
	}

	if q.searches, present, err = equalValues(quals, "search", qualString); err != nil {
		return nil, err
	}
	constrained(present, len(q.searches))

	if q.customFields, present, err = equalValues(quals, "custom_fields_filter", qualJSON); err != nil {
		return nil, err
	}
	constrained(present, len(q.customFields))

	for _, scan := range q.scans() {
		if err := scan.options.Validate(); err != nil {
			return nil, err
		}
	}
	return q, nil
}

// assignmentQual reads is_assigned: `= b` asks for b, `<> b` for !b.
func assignmentQual(quals plugin.KeyColumnQualMap) (wanted []bool, present bool, err error) {
	columnQuals, ok := quals["is_assigned"]
	if !ok {
		return nil, false, nil
	}
	wanted = []bool{true, false}
	for _, qual := range columnQuals.Quals {
		v, err := qualBool("is_assigned", qual.Value)
		if err != nil {
			return nil, true, err
		}
		if qual.Operator == "<>" {
			v = !v
		}
		wanted = slices.DeleteFunc(wanted, func(w bool) bool { return w != v })
	}
	return wanted, true, nil
}

// scans expands the one-value-per-request parameters into API queries.
func (q *leadQuery) scans() []leadScan {
	views := orZero(q.views)
	searches := orZero(q.searches)
	customFields := orZero(q.customFields)
	scans := make([]leadScan, 0, len(views)*len(searches)*len(customFields))
	for _, view := range views {
		for _, search := range searches {
			for _, cf := range customFields {
				opts := q.filters
				opts.View = view
				opts.Search = search
				if cf != "" {
					opts.CustomFields = json.RawMessage(cf)
				}
				scans = append(scans, leadScan{options: opts, view: view, search: search, customFields: cf})
			}
		}
	}
	return scans
}

// orZero is values, or one zero value standing for "not filtered".
func orZero[T any](values []T) []T {
	if len(values) == 0 {
		var zero T
		return []T{zero}
	}
	return values
}

// eachRow yields the rows a lead gives: one, or one per requested tag and
// assigned user it carries, so that tag_id and assigned_user_id always hold
// a value the query asked for and the lead really has.
func (q *leadQuery) eachRow(lead *api.Lead, scan *leadScan, yield func(*leadRow)) {
	if len(q.tagIDs) == 0 && len(q.userIDs) == 0 {
		// The common case, one row, without matchingIDs' allocations.
		yield(&leadRow{Lead: lead, scan: scan})
		return
	}
	tagIDs := matchingIDs(q.tagIDs, lead.Tags, func(t api.Tag) int64 { return t.ID })
	userIDs := matchingIDs(q.userIDs, lead.AssignedUsers, func(u api.AssignedUser) int64 { return u.ID })
	for _, tagID := range tagIDs {
		for _, userID := range userIDs {
			yield(&leadRow{Lead: lead, scan: scan, tagID: tagID, userID: userID})
		}
	}
}

// matchingIDs returns the requested ids the lead carries. With no request it
// is one nil (the column is NULL). When the API matched a lead whose list
// lacks every requested id, the lone requested id is trusted (or the first
// of several), so the row still satisfies the query's qual.
func matchingIDs[T any](requested []int64, items []T, id func(T) int64) []*int64 {
	if len(requested) == 0 {
		return []*int64{nil}
	}
	var out []*int64
	for _, want := range requested {
		for _, it := range items {
			if id(it) == want {
				out = append(out, &want)
				break
			}
		}
	}
	if len(out) == 0 {
		out = append(out, &requested[0])
	}
	return out
}
