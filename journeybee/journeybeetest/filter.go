package journeybeetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// leadFilter is a parsed Get Leads query minus userId and cursor. Every
// field that is set must match (AND); list fields match any of their values.
type leadFilter struct {
	search       string // lower-cased
	view         string
	assigned     bool
	unassigned   bool
	statuses     []string
	tagIDs       []int64
	userIDs      []int64
	customFields []customFieldFilter
	// sortByStatus orders by status (LeadStatuses order), then newest first.
	sortByStatus bool
	statusAsc    bool
}

// customFieldFilter is one entry of customFields. Every key of want must
// match the lead's value for field id: "text" as a case-insensitive
// substring, any other key (number, boolean, select, date…) as equal JSON.
type customFieldFilter struct {
	id   int64
	want map[string]any
}

// parseLeadFilter reads the documented filters. Its errors are the 400
// messages.
func parseLeadFilter(q url.Values) (leadFilter, error) {
	var f leadFilter
	f.search = strings.ToLower(strings.TrimSpace(q.Get("search")))

	if v := q.Get("view"); v != "" {
		if err := oneOf("view", v, LeadViews); err != nil {
			return f, err
		}
		f.view = v
	}

	var err error
	if f.assigned, err = parseFlag(q, "assigned"); err != nil {
		return f, err
	}
	if f.unassigned, err = parseFlag(q, "unassigned"); err != nil {
		return f, err
	}

	for _, s := range csv(q, "status") {
		if err := oneOf("status", s, LeadStatuses); err != nil {
			return f, err
		}
		f.statuses = append(f.statuses, s)
	}
	if f.tagIDs, err = parseIDs(q, "tags", "tag IDs"); err != nil {
		return f, err
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

// oneOf refuses a value outside the documented set, naming the set.
func oneOf(what, v string, allowed []string) error {
	if slices.Contains(allowed, v) {
		return nil
	}
	return fmt.Errorf("invalid %s %q: allowed values are %s", what, v, strings.Join(allowed, ", "))
}

// parseFlag reads assigned/unassigned: 1 turns the filter on, 0 or absence
// leaves it off.
func parseFlag(q url.Values, name string) (bool, error) {
	switch v := q.Get(name); v {
	case "", "0":
		return false, nil
	case "1":
		return true, nil
	default:
		return false, fmt.Errorf("invalid %s %q: use 1 to apply the filter", name, v)
	}
}

// csv splits every value of a comma-separated parameter, dropping blanks.
func csv(q url.Values, name string) []string {
	var out []string
	for _, v := range q[name] {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

func parseIDs(q url.Values, name, what string) ([]int64, error) {
	var ids []int64
	for _, part := range csv(q, name) {
		id, err := strconv.ParseInt(part, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("invalid %s %q: want a comma-separated list of %s", name, q.Get(name), what)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

const customFieldsShape = `[{"id": 123, "value": {"text": "search"}}]`

func parseCustomFields(raw string) ([]customFieldFilter, error) {
	var entries []struct {
		ID    *int64                     `json:"id"`
		Value map[string]json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal([]byte(raw), &entries); err != nil {
		return nil, fmt.Errorf("invalid customFields: want a JSON array such as %s", customFieldsShape)
	}
	filters := make([]customFieldFilter, 0, len(entries))
	for _, e := range entries {
		if e.ID == nil || len(e.Value) == 0 {
			return nil, fmt.Errorf("invalid customFields: every entry needs an id and a value, as in %s", customFieldsShape)
		}
		cf := customFieldFilter{id: *e.ID, want: map[string]any{}}
		for key, rawValue := range e.Value {
			var v any
			if err := json.Unmarshal(rawValue, &v); err != nil {
				return nil, fmt.Errorf("invalid customFields value for field %d", *e.ID)
			}
			if s, isString := v.(string); key == "text" {
				if !isString {
					return nil, fmt.Errorf("invalid customFields: the text value for field %d must be a string", *e.ID)
				}
				v = strings.ToLower(s)
			}
			cf.want[key] = v
		}
		filters = append(filters, cf)
	}
	return filters, nil
}

// parseSort accepts [{"type":"status","asc":true}]; asc defaults to true.
// The first entry decides: status is the only documented type.
func (f *leadFilter) parseSort(raw string) error {
	var opts []struct {
		Type string `json:"type"`
		Asc  *bool  `json:"asc"`
	}
	if err := json.Unmarshal([]byte(raw), &opts); err != nil {
		return errors.New(`invalid sort: want a JSON array such as [{"type": "status", "asc": true}]`)
	}
	for _, o := range opts {
		if o.Type != "status" {
			return fmt.Errorf("invalid sort type %q: the only allowed type is status", o.Type)
		}
	}
	if len(opts) > 0 {
		f.sortByStatus = true
		f.statusAsc = opts[0].Asc == nil || *opts[0].Asc
	}
	return nil
}

// isZero reports whether the filter selects every lead in the default order.
func (f *leadFilter) isZero() bool {
	return f.search == "" && f.view == "" && !f.assigned && !f.unassigned &&
		len(f.statuses) == 0 && len(f.tagIDs) == 0 && len(f.userIDs) == 0 &&
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
	if f.assigned && len(l.AssignedUsers) == 0 {
		return false
	}
	if f.unassigned && len(l.AssignedUsers) > 0 {
		return false
	}
	if len(f.statuses) > 0 && !slices.Contains(f.statuses, l.Status) {
		return false
	}
	if len(f.tagIDs) > 0 && !slices.ContainsFunc(l.Tags, func(t Tag) bool { return slices.Contains(f.tagIDs, t.ID) }) {
		return false
	}
	if len(f.userIDs) > 0 && !slices.ContainsFunc(l.AssignedUsers, func(u AssignedUser) bool { return slices.Contains(f.userIDs, u.ID) }) {
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
		return deref(l.PartnerType) == "reseller"
	case "campaigns":
		return l.CampaignID != nil
	}
	return false
}

// searchMatches is a case-insensitive substring match over the fields the
// reference names: the lead's company name, email, phone, first and last
// name; each assigned user's first name, last name, "first last" and email;
// each partnership lead's sender and receiver company names.
// MatchesSearch reports whether the fake's search parameter finds the lead
// for text: a case-insensitive substring of the company name, email, phone,
// first or last name, an assigned user's names or email, or a partner
// company's name. Tests use it as the documented search's oracle.
func MatchesSearch(l *Lead, text string) bool {
	return searchMatches(l, strings.ToLower(strings.TrimSpace(text)))
}

func searchMatches(l *Lead, needle string) bool {
	has := func(s string) bool { return s != "" && strings.Contains(strings.ToLower(s), needle) }
	hasPtr := func(s *string) bool { return s != nil && has(*s) }
	if hasPtr(l.CompanyName) || hasPtr(l.Email) || hasPtr(l.PhoneNumber) || hasPtr(l.FirstName) || hasPtr(l.LastName) {
		return true
	}
	for _, u := range l.AssignedUsers {
		if hasPtr(u.FirstName) || hasPtr(u.LastName) || has(deref(u.FirstName)+" "+deref(u.LastName)) || hasPtr(u.Email) {
			return true
		}
	}
	for _, p := range l.PartnershipLeads {
		if hasPtr(p.SentByCompanyName) || hasPtr(p.ReceivedByCompanyName) {
			return true
		}
	}
	return false
}

func (cf customFieldFilter) matches(values map[int64]any) bool {
	got, ok := values[cf.id]
	if !ok {
		return false
	}
	for key, want := range cf.want {
		if key == "text" {
			s, isString := got.(string)
			if !isString || !strings.Contains(strings.ToLower(s), want.(string)) {
				return false
			}
			continue
		}
		if !reflect.DeepEqual(got, want) {
			return false
		}
	}
	return true
}

// statusRank orders statuses as the reference lists them.
func statusRank(s string) int {
	if i := slices.Index(LeadStatuses, s); i >= 0 {
		return i
	}
	return len(LeadStatuses)
}
