package journeybee

import (
	"context"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

//// TABLE DEFINITION

func tableJourneyBeeLeadDeal(_ context.Context) *plugin.Table {
	return &plugin.Table{
		Name:        "journeybee_lead_deal",
		Description: "Deals in JourneyBee: the opportunities opened from leads, with value, currency, stage, commission, tags, assignees and partner. Listed newest first by created_at, a page per API call.",
		List:        deals.listConfig(),
		Columns:     dealColumns(),
	}
}

// dealRow is the streamed item: a deal and the filter values it answers.
type dealRow = filteredRow[api.Deal]

//// FILTERS

// deals are journeybee_lead_deal's filters, pushed into GET /lead-deals.
// stage_id, stage_phase and is_assigned keep the SDK's default cache
// matching (subset): every row carries its own stage and assignees, so a
// cached unfiltered (or less filtered) scan can serve the filtered query,
// Postgres dropping the other rows. view, search and tag_id match exactly:
// their values come from the query itself.
var deals = func() *pagedTable[api.Deal, api.ListDealsOptions] {
	var f filterOf[api.Deal, api.ListDealsOptions]
	return newPagedTable("journeybee_lead_deal.listDeals", (*api.Client).ListDeals, (*api.ListDealsOptions).Validate,
		f.ids("stage_id", func(o *api.ListDealsOptions, ids []int64) { o.StageIDs = ids }, func(d *api.Deal) *int64 { return d.StageID }),
		f.text("stage_phase", func(o *api.ListDealsOptions, phases []string) error { o.Phases = phases; return nil }, func(d *api.Deal) *string { return d.StagePhase }),
		f.assignment("is_assigned", "Whether the deal has at least one assigned user, computed from assigned_users. As a filter, true is pushed as assigned=1 and false as unassigned=1.",
			func(o *api.ListDealsOptions, assigned, unassigned bool) {
				o.Assigned, o.Unassigned = assigned, unassigned
			},
			func(d *api.Deal) bool { return len(d.AssignedUsers.Items) > 0 }),
		f.scanText("view", "Filter: received, sent, reseller or campaigns, pushed to the API's view parameter; one API scan per value. Holds the view the row was listed under, NULL when the query sets none.",
			qualString, func(o *api.ListDealsOptions, v string) { o.View = api.View(v) }),
		f.scanText("search", "Filter: free text the API matches against the deal name, the lead's company name, email and phone, assigned users and partner companies; one API scan per value. Holds the query's search text, NULL when the query sets none.",
			qualSearchText, func(o *api.ListDealsOptions, v string) { o.Search = v }),
		f.rowIDs("tag_id", "Filter: a tag id, = or IN, pushed to the API's tags parameter. Holds the requested tag the deal carries (a deal with several requested tags gives one row per tag); NULL when the query sets none.",
			func(o *api.ListDealsOptions, ids []int64) { o.TagIDs = ids }, func(d *api.Deal) []api.Ref { return d.Tags.Items }),
		f.window("created_at", func(d *api.Deal) time.Time { return d.CreatedAt }),
		// A deal a complete scan read costs no request by id, but only the
		// single-deal endpoint carries custom_fields.
		f.id("id", (*api.Client).LookupDeal, func(d *api.Deal) int64 { return d.ID }).readingWith("custom_fields", (*api.Client).GetDeal),
	)
}()

//// COLUMNS

func dealColumns() []*plugin.Column {
	money := func(name, description string, value func(*api.Deal) *float64) *plugin.Column {
		return itemColumn(name, proto.ColumnType_DOUBLE, description, func(r *dealRow) any { return opt(value(r.Item)) })
	}
	return append([]*plugin.Column{
		// Deal fields, as the API returns them.
		intColumn("id", "Unique identifier of the deal. `where id = N` (or IN) reads each deal with its own API call (GET /companies/{companyId}/lead-deals/{id}), custom_fields included; a deal that a complete scan of deals read within the cache TTL costs no call unless custom_fields is selected; an unknown id gives no row.", func(r *dealRow) any { return r.Item.ID }),
		stringColumn("uuid", "Globally unique identifier of the deal.", func(r *dealRow) any { return opt(r.Item.UUID) }),
		stringColumn("label", "The deal's name.", func(r *dealRow) any { return opt(r.Item.Label) }),
		timestampColumn("created_at", "When the deal was created. Deals are listed, and paged, newest first by this time: a window (>, >=, <, <=, =, between) is pushed into the paging, so only the pages inside it are requested.", func(r *dealRow) any { return optZeroTime(r.Item.CreatedAt) }),
		timestampColumn("updated_at", "When the deal was last updated.", func(r *dealRow) any { return opt(r.Item.UpdatedAt) }),
		money("deal_value", "Value of the deal in whole units of currency_code (not cents).", func(d *api.Deal) *float64 { return d.DealValue }),
		stringColumn("currency_code", "ISO 4217 code of the deal's currency, e.g. USD.", func(r *dealRow) any { return opt(r.Item.CurrencyCode) }),
		intColumn("currency_id", "Identifier of the deal's currency in JourneyBee.", func(r *dealRow) any { return opt(r.Item.CurrencyID) }),
		intColumn("lead_id", "Identifier of the lead the deal was opened from; joins journeybee_lead.id.", func(r *dealRow) any { return opt(r.Item.LeadID) }),
		intColumn("partnership_id", "Identifier of the partnership the deal came through; joins journeybee_partnership.partnership_id and journeybee_partner_user.partnership_id.", func(r *dealRow) any { return opt(r.Item.PartnershipID) }),
		intColumn("company_id", "Identifier of the JourneyBee company that owns the deal.", func(r *dealRow) any { return opt(r.Item.CompanyID) }),
		stringColumn("partner_type", "Partnership type of the deal: referral or reseller.", func(r *dealRow) any { return opt(r.Item.PartnerType) }),
		intColumn("stage_id", "Identifier of the deal's pipeline stage. Filter with = or IN: pushed to the API's stages parameter (one API call per value of a lone IN list).", func(r *dealRow) any { return opt(r.Item.StageID) }),
		stringColumn("stage_label", "Name of the deal's pipeline stage.", func(r *dealRow) any { return opt(r.Item.StageLabel) }),
		intColumn("stage_series", "Position of the deal's stage in the pipeline.", func(r *dealRow) any { return opt(r.Item.StageSeries) }),
		stringColumn("stage_phase", "Phase of the deal's stage: discovery, negotiation, closed_won or closed_lost. Filter with = or IN: pushed to the API's phases parameter as phase names.", func(r *dealRow) any { return opt(r.Item.StagePhase) }),
		intColumn("payment_stage_id", "Identifier of the deal's payment stage.", func(r *dealRow) any { return opt(r.Item.PaymentStageID) }),
		stringColumn("payment_stage_label", "Name of the deal's payment stage, e.g. Invoice Sent.", func(r *dealRow) any { return opt(r.Item.PaymentStageLabel) }),
		intColumn("payment_stage_series", "Position of the payment stage in its sequence.", func(r *dealRow) any { return opt(r.Item.PaymentStageSeries) }),
		stringColumn("payment_stage_phase", "Phase of the payment stage, e.g. pending (the API documents no other value).", func(r *dealRow) any { return opt(r.Item.PaymentStagePhase) }),
		money("commission_amount", "Commission on the deal, in whole units of currency_code.", func(d *api.Deal) *float64 { return d.CommissionAmount }),
		money("commission_percentage", "Commission as a percentage of deal_value: 10 means 10 %.", func(d *api.Deal) *float64 { return d.CommissionPercentage }),
		intColumn("vendor_stage_id", "For reseller deals, the vendor's stage identifier.", func(r *dealRow) any { return opt(r.Item.VendorStageID) }),
		intColumn("campaign_id", "Identifier of the campaign the deal came from, if any.", func(r *dealRow) any { return opt(r.Item.CampaignID) }),
		stringColumn("campaign_title", "Title of the campaign the deal came from, if any.", func(r *dealRow) any { return opt(r.Item.CampaignTitle) }),
		intColumn("company_campaign_id", "Identifier of the company campaign the deal came from, if any.", func(r *dealRow) any { return opt(r.Item.CompanyCampaignID) }),
		intColumn("total", "Number of deals the API counted for the request that listed this row (its view, search, stage, phase, tag and assignment filters), whatever the LIMIT; NULL on a deal read by id.", func(r *dealRow) any { return optCount(r.Item.Total) }),
		jsonColumn("tags", "Tags on the deal: id, label, background_color, text_color.", func(r *dealRow) any { return rawJSON(r.Item.Tags.Raw) }),
		jsonColumn("assigned_users", "Users assigned to the deal: id, email, first_name, last_name, profile_image_id, profile_image_uuid.", func(r *dealRow) any { return rawJSON(r.Item.AssignedUsers.Raw) }),
		jsonColumn("associated_partner", "Partner companies on the deal (an array despite the name): company_id, company_name, company_logo_id, company_logo_uuid.", func(r *dealRow) any { return rawJSON(r.Item.AssociatedPartner) }),
		jsonColumn("campaign_partners", "Partners of the campaign the deal came from, as the API sends them.", func(r *dealRow) any { return rawJSON(r.Item.CampaignPartners) }),
		jsonColumn("custom_fields", "The deal's custom field values (id, label, type, value). Only the single-deal endpoint returns them: filled when the query filters on id, NULL otherwise.", func(r *dealRow) any { return rawJSON(r.Item.CustomFields) }),
	},
		// Filter columns: their values come from the query.
		deals.filterColumns()...)
}
