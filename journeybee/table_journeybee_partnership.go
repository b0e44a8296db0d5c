package journeybee

import (
	"context"
	"encoding/json"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

//// TABLE DEFINITION

func tableJourneyBeePartnership(_ context.Context) *plugin.Table {
	return &plugin.Table{
		Name:        "journeybee_partnership",
		Description: "Partnerships in JourneyBee: your partner companies, with their stage, tier, category, assignees, tags and custom field values. Listed newest first by the partnership's created_at, a page per API call.",
		List:        partnerships.listConfig(),
		Columns:     partnershipColumns(),
	}
}

// partnershipRow is the streamed item: a partnership and the filter values
// it answers.
type partnershipRow = filteredRow[api.Partnership]

//// FILTERS

// partnerships are journeybee_partnership's filters, pushed into GET
// /partnerships. stage_id, category_id, tier_id and is_assigned keep the
// SDK's default cache matching (subset): every row carries its own stage,
// category, tier and assignees, so a cached unfiltered (or less filtered)
// scan can serve the filtered query, Postgres dropping the other rows.
// view, search, custom_fields_filter, tag_id and assigned_user_id match
// exactly: their values come from the query itself (view = 'assigned'
// depends on the requesting user).
var partnerships = func() *pagedTable[api.Partnership, api.ListPartnershipsOptions] {
	var f filterOf[api.Partnership, api.ListPartnershipsOptions]
	type opts = api.ListPartnershipsOptions
	return newPagedTable("journeybee_partnership.listPartnerships", (*api.Client).ListPartnerships, (*opts).Validate,
		f.ids("stage_id", func(o *opts, ids []int64) { o.StageIDs = ids }, func(p *api.Partnership) *int64 { return p.StageID }),
		f.ids("category_id", func(o *opts, ids []int64) { o.CategoryIDs = ids }, func(p *api.Partnership) *int64 { return refIDOf(p.Category.Value) }),
		f.ids("tier_id", func(o *opts, ids []int64) { o.TierIDs = ids }, func(p *api.Partnership) *int64 { return refIDOf(p.Tier.Value) }),
		f.assignment("is_assigned", "Whether the partnership has at least one assigned user, computed from assigned_users. As a filter, true is pushed as assigned=1 and false as unassigned=1.",
			func(o *opts, assigned, unassigned bool) { o.Assigned, o.Unassigned = assigned, unassigned },
			func(p *api.Partnership) bool { return len(p.AssignedUsers.Items) > 0 }),
		f.scanText("view", "Filter: all, assigned (to the connection's user_id), referral or reseller, pushed to the API's view parameter; one API scan per value. Holds the view the row was listed under, NULL when the query sets none.",
			qualString, func(o *opts, v string) { o.View = v }),
		f.scanText("search", "Filter: free text the API matches against the partner's name, email, website and country and the assigned users; one API scan per value. Holds the query's search text, NULL when the query sets none.",
			qualSearchText, func(o *opts, v string) { o.Search = v }),
		f.scanJSON("custom_fields_filter", `Filter: custom field conditions passed verbatim to the API's customFields parameter, e.g. '[{"id": 5, "value": {"text": "acme"}}]'; one API scan per value. Holds the query's filter; NULL when the query sets none.`,
			func(o *opts, v json.RawMessage) { o.CustomFields = v }),
		f.rowIDs("tag_id", "Filter: a tag id, = or IN, pushed to the API's tags parameter. Holds the requested tag the partnership carries (one row per matching tag); NULL when the query sets none.",
			func(o *opts, ids []int64) { o.TagIDs = ids }, func(p *api.Partnership) []api.Ref { return p.Tags.Items }),
		f.rowIDs("assigned_user_id", "Filter: an assigned user's id, = or IN, pushed to the API's users parameter. Holds the requested user assigned to the partnership (one row per matching user); NULL when the query sets none.",
			func(o *opts, ids []int64) { o.UserIDs = ids }, func(p *api.Partnership) []api.Ref { return p.AssignedUsers.Items }),
		f.window("created_at", partnershipCreatedAt),
	)
}()

//// COLUMNS

func partnershipColumns() []*plugin.Column {
	return append([]*plugin.Column{
		// The two ids: see the descriptions.
		intColumn("partnership_id", "Identifier of the partnership (the API's nested partnership.id). This is the id other records use: journeybee_partner_user.partnership_id, journeybee_lead_deal.partnership_id and journeybee_lead's partnership_leads[].partnership_id (the reference's inference from its sample ids).", func(r *partnershipRow) any {
			return partnershipInfo(r, func(i *api.PartnershipInfo) any { return i.ID })
		}),
		intColumn("id", "Identifier of the company-partnership record (the API's top-level id, used by the API's update endpoint). Not the id that partner users, deals and leads refer to: join on partnership_id.", func(r *partnershipRow) any { return r.Item.ID }),
		timestampColumn("created_at", "When the partnership was created (partnership.created_at). Partnerships are listed, and paged, newest first by this time: a window (>, >=, <, <=, =, between) is pushed into the paging, so only the pages inside it are requested.", func(r *partnershipRow) any {
			return partnershipInfo(r, func(i *api.PartnershipInfo) any { return optZeroTime(i.CreatedAt) })
		}),
		stringColumn("partnership_stage", "State of the partnership itself (partnership.stage), e.g. accepted; the API documents no other value.", func(r *partnershipRow) any {
			return partnershipInfo(r, func(i *api.PartnershipInfo) any { return opt(i.Stage) })
		}),
		stringColumn("partner_type", "Partnership type: referral or reseller (partnership.partner_type).", func(r *partnershipRow) any {
			return partnershipInfo(r, func(i *api.PartnershipInfo) any { return opt(i.PartnerType) })
		}),
		intColumn("stage_id", "Identifier of the partnership's lifecycle stage. Filter with = or IN: pushed to the API's stages parameter (one API call per value of a lone IN list).", func(r *partnershipRow) any { return opt(r.Item.StageID) }),
		stringColumn("stage_label", "Name of the partnership's lifecycle stage.", func(r *partnershipRow) any { return opt(r.Item.StageLabel) }),
		intColumn("stage_series", "Position of the partnership's stage in the lifecycle.", func(r *partnershipRow) any { return opt(r.Item.StageSeries) }),

		// The partner company, flattened.
		intColumn("partner_id", "Identifier of the partner company (partner.id); journeybee_partner_user.company_id holds the same id.", func(r *partnershipRow) any { return partner(r, func(p *api.PartnerCompany) any { return p.ID }) }),
		stringColumn("partner_name", "Name of the partner company (partner.name).", func(r *partnershipRow) any {
			return partner(r, func(p *api.PartnerCompany) any { return opt(p.Name) })
		}),
		stringColumn("partner_website_url", "Website of the partner company (partner.website_url).", func(r *partnershipRow) any {
			return partner(r, func(p *api.PartnerCompany) any { return opt(p.WebsiteURL) })
		}),
		stringColumn("partner_country", "Country of the partner company (partner.address.country_label).", func(r *partnershipRow) any {
			return partner(r, func(p *api.PartnerCompany) any { return nested(p.Address, countryLabel) })
		}),

		// Tier and category, flattened.
		intColumn("tier_id", "Identifier of the partner's tier (tier.id); NULL without a tier. Filter with = or IN: pushed to the API's tiers parameter.", func(r *partnershipRow) any { return refID(r.Item.Tier.Value) }),
		stringColumn("tier_label", "Name of the partner's tier, e.g. Gold (tier.label).", func(r *partnershipRow) any { return refLabel(r.Item.Tier.Value) }),
		intColumn("category_id", "Identifier of the partner's category (category.id); NULL without a category. Filter with = or IN: pushed to the API's categories parameter.", func(r *partnershipRow) any { return refID(r.Item.Category.Value) }),
		stringColumn("category_label", "Name of the partner's category (category.label).", func(r *partnershipRow) any { return refLabel(r.Item.Category.Value) }),
		intColumn("total", "Number of partnerships the API counted for the request that listed this row (its pushed-down filters), whatever the LIMIT.", func(r *partnershipRow) any { return optCount(r.Item.Total) }),

		// The nested objects, as the API sends them.
		jsonColumn("partnership", "The nested partnership object: id, created_at, stage, partner_type.", func(r *partnershipRow) any { return rawJSON(r.Item.Partnership.Raw) }),
		jsonColumn("partner", "The partner company: id, name, website_url, logo {id, uuid}, address {country_id, country_label}, fallback_data (stand-in data for an inactive partner).", func(r *partnershipRow) any { return rawJSON(r.Item.Partner.Raw) }),
		jsonColumn("tier", "The partner's tier: id, label, background_color, text_color; NULL without a tier.", func(r *partnershipRow) any { return rawJSON(r.Item.Tier.Raw) }),
		jsonColumn("category", "The partner's category: id, label; NULL without a category.", func(r *partnershipRow) any { return rawJSON(r.Item.Category.Raw) }),
		jsonColumn("assigned_users", "Users assigned to the partnership: id, email, first_name, last_name, profile_image_id, profile_image_uuid, color.", func(r *partnershipRow) any { return rawJSON(r.Item.AssignedUsers.Raw) }),
		jsonColumn("tags", "Tags on the partnership: id, label, background_color, text_color.", func(r *partnershipRow) any { return rawJSON(r.Item.Tags.Raw) }),
		jsonColumn("custom_fields", "The partnership's custom field values: id, label, type, value, custom_field_value_id (the API's customFields).", func(r *partnershipRow) any { return rawJSON(r.Item.CustomFields) }),
	},
		// Filter columns: their values come from the query.
		partnerships.filterColumns()...)
}

//// TRANSFORM

// nested reads a field of a nested object: NULL when the API sent none.
func nested[T any](object *T, field func(*T) any) any {
	if object == nil {
		return nil
	}
	return field(object)
}

// partnershipCreatedAt is the time the API pages partnerships by.
func partnershipCreatedAt(p *api.Partnership) time.Time {
	if info := p.Partnership.Value; info != nil {
		return info.CreatedAt
	}
	return time.Time{}
}

func partnershipInfo(r *partnershipRow, field func(*api.PartnershipInfo) any) any {
	return nested(r.Item.Partnership.Value, field)
}

func partner(r *partnershipRow, field func(*api.PartnerCompany) any) any {
	return nested(r.Item.Partner.Value, field)
}

// refIDOf is a tier's or category's id, nil without one.
func refIDOf(ref *api.LabelRef) *int64 {
	if ref == nil {
		return nil
	}
	return &ref.ID
}

func refID(ref *api.LabelRef) any { return opt(refIDOf(ref)) }
func refLabel(ref *api.LabelRef) any {
	return nested(ref, func(l *api.LabelRef) any { return opt(l.Label) })
}

func countryLabel(a *api.Address) any { return opt(a.CountryLabel) }
