package journeybeetest

import (
	"cmp"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
)

// leadFilter is a parsed Get Leads query minus userId and cursor. Every
// field that is set must match (AND); list fields match any of their values.
type leadFilter struct {
	sharedFilter
	statuses     []string
	userIDs      []int64
	customFields []customFieldFilter
	// sortByStatus orders by status (LeadStatuses order), then newest first.
	sortByStatus bool
	statusAsc    bool
}

// leadQuery is the GET /leads parser.
func (d *dataset) leadQuery(req apiRequest) (selector[Lead], error) {
	f, err := parseLeadFilter(req.query)
	if err != nil || f.isZero() {
		return selector[Lead]{}, err
	}
	q := selector[Lead]{key: f.key(), keep: func(l *Lead) bool { return f.matches(l, d.customValues[l.ID]) }}
	if f.sortByStatus {
		// Stable, so leads of one status stay newest first.
		q.order = func(a, b *Lead) int {
			c := cmp.Compare(statusRank(a.Status), statusRank(b.Status))
			if !f.statusAsc {
				c = -c
			}
			return c
		}
	}
	return q, nil
}

// parseLeadFilter reads the documented filters. Its errors are the 400
// messages.
func parseLeadFilter(q url.Values) (leadFilter, error) {
	var f leadFilter
	var err error
	if f.sharedFilter, err = parseSharedFilter(q, LeadViews); err != nil {
		return f, err
	}
	for _, s := range csv(q, "status") {
		if err := oneOf("status", s, LeadStatuses); err != nil {
			return f, err
		}
		f.statuses = append(f.statuses, s)
	}
	if f.userIDs, err = parseIDs(q, "users", "user IDs"); err != nil {
		return f, err
	}
	if raw := q.Get("customFields"); raw != "" {
		if f.customFields, err = parseCustomFields(raw); err != nil {
			return f, err
		}
	}
	if raw := q.Get("sort"); raw != "" {
		if err := f.parseSort(raw); err != nil {
			return f, err
		}
	}
	return f, nil
}

// parseSort accepts [{"type":"status","asc":true}]; asc defaults to true.
// The first entry decides: status is the only documented type.
func (f *leadFilter) parseSort(raw string) error {
	opts, err := parseSortOptions(raw, []string{"status"})
	if err != nil || len(opts) == 0 {
		return err
	}
	f.sortByStatus = true
	f.statusAsc = opts[0].asc
	return nil
}

// isZero reports whether the filter selects every lead in the default order.
func (f *leadFilter) isZero() bool {
	return f.sharedFilter.isZero() && len(f.statuses) == 0 && len(f.userIDs) == 0 &&
		len(f.customFields) == 0 && !f.sortByStatus
}

// key identifies the filter for the selection cache.
func (f *leadFilter) key() string {
	cf := make([]any, len(f.customFields))
	for i, c := range f.customFields {
		cf[i] = []any{c.id, c.want} // maps encode with sorted keys
	}
	b, _ := json.Marshal([]any{f.search, f.view, f.assigned, f.unassigned, f.statuses, f.tagIDs, f.userIDs, cf, f.sortByStatus, f.statusAsc})
	return string(b)
}

// matches applies every filter to l. customValues holds l's custom field
// values (field id → value, normalised through JSON).
func (f *leadFilter) matches(l *Lead, customValues map[int64]any) bool {
	if f.search != "" && !searchMatches(l, f.search) {
		return false
	}
	if f.view != "" && !viewMatches(l, f.view) {
		return false
	}
	if !f.assignmentAndTagsMatch(l.AssignedUsers, l.Tags) {
		return false
	}
	if len(f.statuses) > 0 && !slices.Contains(f.statuses, l.Status) {
		return false
	}
	if len(f.userIDs) > 0 && !anyUser(l.AssignedUsers, f.userIDs) {
		return false
	}
	for _, cf := range f.customFields {
		if !cf.matches(customValues) {
			return false
		}
	}
	return true
}

// viewMatches is the fake's reading of the views, which the reference
// describes only as "lead source/type":
//   - received: the lead has a partnership_lead with direction "received";
//   - sent: it has one with direction "sent";
//   - reseller: the lead's partner_type is "reseller";
//   - campaigns: the lead has a campaign_id.
func viewMatches(l *Lead, view string) bool {
	switch view {
	case "received", "sent":
		return slices.ContainsFunc(l.PartnershipLeads, func(p PartnershipLead) bool { return p.Direction == view })
	case "reseller":
		return Deref(l.PartnerType) == "reseller"
	case "campaigns":
		return l.CampaignID != nil
	}
	return false
}

// MatchesSearch reports whether the fake's search parameter finds the lead
// for text: a case-insensitive substring of the company name, email, phone,
// first or last name, an assigned user's names or email, or a partner
// company's name. Tests use it as the documented search's oracle.
func MatchesSearch(l *Lead, text string) bool {
	return searchMatches(l, strings.ToLower(strings.TrimSpace(text)))
}

func searchMatches(l *Lead, needle string) bool {
	if anyContains(needle, l.CompanyName, l.Email, l.PhoneNumber, l.FirstName, l.LastName) || usersMatch(l.AssignedUsers, needle) {
		return true
	}
	return slices.ContainsFunc(l.PartnershipLeads, func(p PartnershipLead) bool {
		return anyContains(needle, p.SentByCompanyName, p.ReceivedByCompanyName)
	})
}

// statusRank orders statuses as the reference lists them.
func statusRank(s string) int {
	if i := slices.Index(LeadStatuses, s); i >= 0 {
		return i
	}
	return len(LeadStatuses)
}
