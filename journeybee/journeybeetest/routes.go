package journeybeetest

import (
	"cmp"
	"net/url"
	"slices"
	"strconv"
)

// apiPrefix is the base URL's path: the reference's Base URL is
// https://app.journeybee.io/api/v1.
const apiPrefix = "/api/v1"

// routes registers every GET endpoint of the v1 reference. Where the
// reference leaves a point unknown, the fake's reading is written beside
// the registration; userId is optional wherever it is not required (see
// endpoint.userIDRequired).
func (s *Server) routes() []endpoint {
	d := &s.data
	return []endpoint{
		// Cursor-paged by created_at, newest first, total on every item,
		// userId required: the reference's GET /leads.
		pagedEndpoint(s, leadsPath, "leads", true, d.leads, d.leadQuery),

		// The list row without total, plus custom_fields (the reference's
		// inference: its example is a trimmed row). An unknown lead is a
		// 404 with the message of the lead write pages.
		objectEndpoint(apiPrefix+"/companies/{companyId}/leads/{leadId}", "lead", "leadId", "Lead not found or not accessible", d.leads,
			func(l *Lead) any {
				return LeadDetail{Lead: *l, CustomFields: d.customFieldValues(d.customValues[l.ID], l.ID)}
			}),

		// Paged like leads (the page says "ISO timestamp" like leads; the
		// cursor's field is read as created_at). userId is not in the
		// visible parameters: accepted when present, not required.
		pagedEndpoint(s, apiPrefix+"/lead-deals", "deals", false, d.deals, d.dealQuery),

		// The list row without total, plus custom_fields. The "partnership
		// relationship data" key is not visible in the reference: not sent.
		objectEndpoint(apiPrefix+"/companies/{companyId}/lead-deals/{dealId}", "deal", "dealId", "Deal not found or not accessible", d.deals,
			func(deal *LeadDeal) any {
				return LeadDealDetail{LeadDeal: *deal, CustomFields: d.customFieldValues(d.dealCustomValues[deal.ID], deal.ID)}
			}),

		// userId required; the cursor's format is not stated: read as
		// an ISO timestamp of partnership.created_at, newest first, like
		// leads.
		pagedEndpoint(s, apiPrefix+"/partnerships", "partnerships", true, d.partnerships, d.partnershipQuery(s.cfg.UserID)),

		// {partnershipId} is the nested partnership.id (the reference's
		// inference from its sample ids). No paging parameter: every
		// contact in one reply, total on each. An unknown partnership is a
		// 404; one without contacts an empty list.
		listEndpoint(apiPrefix+"/partnerships/{partnershipId}/users", "users", d.partnerUsers, true, d.partnerUsersQuery),

		// No paging, no total. Without indirect only active, direct users
		// (the reference's inference); with it, any value, everyone.
		listEndpoint(apiPrefix+"/users", "users", d.users, false, usersQuery),

		// Small lookups: no paging, no total. Stages in series order.
		listEndpoint(apiPrefix+"/stages/lead-deal-stages", "stages", d.dealStages, false, everything[DealStage]),
		listEndpoint(apiPrefix+"/stages/partner-stages", "stages", d.partnerStage, false, everything[PartnerStage]),
		// Each filter takes one value (several are not documented); an item
		// whose field is null matches no value of that filter.
		listEndpoint(apiPrefix+"/tags", "tags", d.tags, false, enumQuery(
			enumParam[TagDefinition]{"association", []string{"lead", "lead_deal", "partner", "card"}, func(t *TagDefinition) *string { return t.Association }},
			enumParam[TagDefinition]{"partner_type", partnerTypes, func(t *TagDefinition) *string { return t.PartnerType }})),
		listEndpoint(apiPrefix+"/custom-fields", "custom_fields", d.customFields, false, enumQuery(
			enumParam[CustomField]{"category", []string{"lead", "lead_deal", "partner"}, func(f *CustomField) *string { return f.Category }},
			enumParam[CustomField]{"partner_type", partnerTypes, func(f *CustomField) *string { return f.PartnerType }})),
		listEndpoint(apiPrefix+"/tiers", "tiers", d.tiers, false, everything[Tier]),
		listEndpoint(apiPrefix+"/categories", "categories", d.categories, false, everything[Category]),

		// Every note of the lead, newest first (the order is not
		// documented); an unknown lead is a 404, a lead without notes an
		// empty list.
		listEndpoint(apiPrefix+"/leads/{leadId}/notes", "notes", d.notes, false, d.notesQuery),
	}
}

var partnerTypes = []string{"referral", "reseller"}

func (d *dataset) partnerUsersQuery(req apiRequest) (selector[PartnerUser], error) {
	id := req.ids["partnershipId"]
	i := slices.IndexFunc(d.partnerships.data().items, func(p Partnership) bool { return p.Partnership.ID == id })
	if i < 0 {
		return selector[PartnerUser]{}, notFound("Partnership not found or not accessible")
	}
	var partnerID *int64
	if p := d.partnerships.data().items[i].Partner; p != nil {
		partnerID = &p.ID
	}
	return selector[PartnerUser]{
		key:  "partner " + strconv.FormatInt(Deref(partnerID), 10),
		keep: func(u *PartnerUser) bool { return partnerID != nil && idIn(u.CompanyID, []int64{*partnerID}) },
	}, nil
}

func usersQuery(req apiRequest) (selector[User], error) {
	if req.query.Has("indirect") {
		return selector[User]{}, nil
	}
	return selector[User]{key: "direct", keep: func(u *User) bool {
		return u.DisabledAt == nil && Deref(u.Role) != "indirect"
	}}, nil
}

func (d *dataset) notesQuery(req apiRequest) (selector[leadNote], error) {
	id := req.ids["leadId"]
	if d.leads.byID(id) == nil {
		return selector[leadNote]{}, notFound("Lead not found or not accessible")
	}
	return selector[leadNote]{key: "lead " + strconv.FormatInt(id, 10), keep: func(n *leadNote) bool { return n.leadID == id }}, nil
}

// enumParam is a query parameter selecting items whose field equals it.
type enumParam[T any] struct {
	name    string
	allowed []string
	field   func(*T) *string
}

// enumQuery parses the given one-value filters; they combine with AND.
func enumQuery[T any](params ...enumParam[T]) parser[T] {
	return func(req apiRequest) (selector[T], error) {
		var q selector[T]
		var set []enumParam[T]
		wants := url.Values{}
		for _, p := range params {
			v := req.query.Get(p.name)
			if v == "" {
				continue
			}
			if err := oneOf(p.name, v, p.allowed); err != nil {
				return q, err
			}
			set = append(set, p)
			wants.Set(p.name, v)
		}
		if len(set) == 0 {
			return q, nil
		}
		q.key = wants.Encode()
		q.keep = func(item *T) bool {
			return !slices.ContainsFunc(set, func(p enumParam[T]) bool { return Deref(p.field(item)) != wants.Get(p.name) })
		}
		return q, nil
	}
}

// customFieldValues builds a record's custom_fields from its values (field
// id → value), in field id order, named and typed by the definitions. A
// value without a definition gets the type its JSON suggests.
func (d *dataset) customFieldValues(values map[int64]any, recordID int64) []CustomFieldValue {
	ids := make([]int64, 0, len(values))
	for id := range values {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]CustomFieldValue, 0, len(ids))
	for _, id := range ids {
		v := values[id]
		cf := CustomFieldValue{ID: id, Type: new(typeOfValue(v)), CustomFieldValueID: new(id*1_000_000 + recordID)}
		if def := d.customFields.byID(id); def != nil {
			cf.Label, cf.Type = def.Label, cmp.Or(def.Type, cf.Type)
		}
		key := Deref(cf.Type)
		if key == "textarea" { // the reference's inference: {"text": …}
			key = "text"
		}
		cf.Value = map[string]any{key: v}
		out = append(out, cf)
	}
	return out
}

func typeOfValue(v any) string {
	switch v.(type) {
	case float64:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "multi_select"
	}
	return "text"
}
