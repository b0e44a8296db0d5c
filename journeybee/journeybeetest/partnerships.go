package journeybeetest

import (
	"cmp"
	"encoding/json"
	"net/url"
	"strings"
)

var (
	partnershipViews = []string{"all", "assigned", "referral", "reseller"}
	partnershipSorts = []string{"stage", "category", "tier"}
)

// partnershipFilter is a parsed GET /partnerships query. Every field that
// is set must match (AND); list fields match any of their values.
type partnershipFilter struct {
	sharedFilter
	stageIDs, categoryIDs, tierIDs []int64
	userIDs                        []int64
	customFields                   []customFieldFilter
	sort                           []sortOption
	requestingUser                 int64
}

func parsePartnershipFilter(q url.Values, userID int64) (partnershipFilter, error) {
	f := partnershipFilter{requestingUser: userID}
	var err error
	if f.sharedFilter, err = parseSharedFilter(q, partnershipViews); err != nil {
		return f, err
	}
	for _, ids := range []struct {
		into       *[]int64
		name, what string
	}{
		{&f.stageIDs, "stages", "stage IDs"}, {&f.categoryIDs, "categories", "category IDs"},
		{&f.tierIDs, "tiers", "tier IDs"}, {&f.userIDs, "users", "user IDs"},
	} {
		if *ids.into, err = parseIDs(q, ids.name, ids.what); err != nil {
			return f, err
		}
	}
	if raw := q.Get("customFields"); raw != "" {
		if f.customFields, err = parseCustomFields(raw); err != nil {
			return f, err
		}
	}
	if raw := q.Get("sort"); raw != "" {
		if f.sort, err = parseSortOptions(raw, partnershipSorts); err != nil {
			return f, err
		}
	}
	return f, nil
}

// partnershipQuery is the GET /partnerships parser; userID is the
// requesting user, whom view=assigned refers to.
func (d *dataset) partnershipQuery(userID int64) parser[Partnership] {
	return func(req apiRequest) (selector[Partnership], error) {
		f, err := parsePartnershipFilter(req.query, userID)
		if err != nil {
			return selector[Partnership]{}, err
		}
		cf := make([]any, len(f.customFields))
		for i, c := range f.customFields {
			cf[i] = []any{c.id, c.want}
		}
		sorts := make([]string, len(f.sort))
		for i, o := range f.sort {
			sorts[i] = o.typ + map[bool]string{true: " asc", false: " desc"}[o.asc]
		}
		key, _ := json.Marshal([]any{f.search, f.view, f.stageIDs, f.tagIDs, f.categoryIDs, f.tierIDs, f.userIDs, f.assigned, f.unassigned, cf, sorts})
		q := selector[Partnership]{key: string(key), keep: f.matches}
		if len(f.sort) > 0 {
			q.order = f.compare
		}
		return q, nil
	}
}

// matches applies every filter. The fake's readings: view=assigned means
// assigned to the requesting user; referral and reseller compare
// partnership.partner_type; search covers the partner's name, website and
// country and the assigned users (the reference also names an email the
// item does not carry).
func (f *partnershipFilter) matches(p *Partnership) bool {
	partner := Deref(p.Partner)
	country := Deref(partner.Address).CountryLabel
	switch {
	case f.search != "" && !anyContains(f.search, partner.Name, partner.WebsiteURL, country) && !usersMatch(p.AssignedUsers, f.search),
		f.view == "assigned" && !anyUser(p.AssignedUsers, []int64{f.requestingUser}),
		(f.view == "referral" || f.view == "reseller") && Deref(p.Partnership.PartnerType) != f.view,
		len(f.stageIDs) > 0 && !idIn(p.StageID, f.stageIDs),
		!f.assignmentAndTagsMatch(p.AssignedUsers, p.Tags),
		len(f.categoryIDs) > 0 && (p.Category == nil || !idIn(&p.Category.ID, f.categoryIDs)),
		len(f.tierIDs) > 0 && (p.Tier == nil || !idIn(&p.Tier.ID, f.tierIDs)),
		len(f.userIDs) > 0 && !anyUser(p.AssignedUsers, f.userIDs):
		return false
	}
	if len(f.customFields) == 0 {
		return true
	}
	values := customValuesOf(p.CustomFields)
	for _, cf := range f.customFields {
		if !cf.matches(values) {
			return false
		}
	}
	return true
}

// customValuesOf reads field id → value from custom-field values, as
// CustomFieldValues holds them.
func customValuesOf(fields []CustomFieldValue) map[int64]any {
	raw := map[int64]map[int64]any{0: {}}
	for _, cf := range fields {
		for _, v := range cf.Value {
			raw[0][cf.ID] = v
		}
	}
	return normaliseCustomValues(raw)[0]
}

// compare orders by the sort options in turn: stage by series, category
// and tier by label (the fake's reading; nulls first when ascending).
func (f *partnershipFilter) compare(a, b *Partnership) int {
	for _, o := range f.sort {
		var c int
		switch o.typ {
		case "stage":
			c = cmp.Compare(Deref(a.StageSeries), Deref(b.StageSeries))
		case "category":
			c = cmp.Compare(strings.ToLower(Deref(Deref(a.Category).Label)), strings.ToLower(Deref(Deref(b.Category).Label)))
		case "tier":
			c = cmp.Compare(strings.ToLower(Deref(Deref(a.Tier).Label)), strings.ToLower(Deref(Deref(b.Tier).Label)))
		}
		if !o.asc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}
