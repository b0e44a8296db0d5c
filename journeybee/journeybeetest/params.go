package journeybeetest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// The query-parameter readers every endpoint's filters share. Their
// errors are the 400 messages.

// oneOf refuses a value outside the documented set, naming the set.
func oneOf(what, v string, allowed []string) error {
	if slices.Contains(allowed, v) {
		return nil
	}
	return fmt.Errorf("invalid %s %q: allowed values are %s", what, v, strings.Join(allowed, ", "))
}

// sharedFilter holds the filters leads, deals and partnerships share;
// every field that is set must match.
type sharedFilter struct {
	search     string // lower-cased
	view       string
	assigned   bool
	unassigned bool
	tagIDs     []int64
}

// parseSharedFilter reads search, view (one of views), assigned,
// unassigned and tags.
func parseSharedFilter(q url.Values, views []string) (sharedFilter, error) {
	f := sharedFilter{search: strings.ToLower(strings.TrimSpace(q.Get("search")))}
	if v := q.Get("view"); v != "" {
		if err := oneOf("view", v, views); err != nil {
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
	f.tagIDs, err = parseIDs(q, "tags", "tag IDs")
	return f, err
}

func (f *sharedFilter) isZero() bool {
	return f.search == "" && f.view == "" && !f.assigned && !f.unassigned && len(f.tagIDs) == 0
}

// assignmentAndTagsMatch applies assigned, unassigned and tags.
func (f *sharedFilter) assignmentAndTagsMatch(users []AssignedUser, tags []Tag) bool {
	return !(f.assigned && len(users) == 0) && !(f.unassigned && len(users) > 0) && (len(f.tagIDs) == 0 || anyTag(tags, f.tagIDs))
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

// customFieldFilter is one entry of customFields. Every key of want must
// match the lead's value for field id: "text" as a case-insensitive
// substring, any other key (number, boolean, select, date…) as equal JSON.
type customFieldFilter struct {
	id   int64
	want map[string]any
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

// sortOption is one entry of a sort parameter.
type sortOption struct {
	typ string
	asc bool
}

// parseSortOptions reads [{"type": "…", "asc": true}]; asc defaults to
// true and type must be one of allowed.
func parseSortOptions(raw string, allowed []string) ([]sortOption, error) {
	var opts []struct {
		Type string `json:"type"`
		Asc  *bool  `json:"asc"`
	}
	if err := json.Unmarshal([]byte(raw), &opts); err != nil {
		return nil, fmt.Errorf(`invalid sort: want a JSON array such as [{"type": %q, "asc": true}]`, allowed[0])
	}
	out := make([]sortOption, len(opts))
	for i, o := range opts {
		if !slices.Contains(allowed, o.Type) {
			if len(allowed) == 1 {
				return nil, fmt.Errorf("invalid sort type %q: the only allowed type is %s", o.Type, allowed[0])
			}
			return nil, fmt.Errorf("invalid sort type %q: allowed types are %s", o.Type, strings.Join(allowed, ", "))
		}
		out[i] = sortOption{typ: o.Type, asc: o.Asc == nil || *o.Asc}
	}
	return out, nil
}

// anyContains reports whether needle (lower-cased) is a substring of any
// of the non-null fields, ignoring case.
func anyContains(needle string, fields ...*string) bool {
	return slices.ContainsFunc(fields, func(s *string) bool {
		return s != nil && *s != "" && strings.Contains(strings.ToLower(*s), needle)
	})
}

// usersMatch is the search over assigned users: first name, last name,
// "first last" and email.
func usersMatch(users []AssignedUser, needle string) bool {
	return slices.ContainsFunc(users, func(u AssignedUser) bool {
		full := Deref(u.FirstName) + " " + Deref(u.LastName)
		return anyContains(needle, u.FirstName, u.LastName, &full, u.Email)
	})
}

func anyTag(tags []Tag, ids []int64) bool {
	return slices.ContainsFunc(tags, func(t Tag) bool { return slices.Contains(ids, t.ID) })
}

func anyUser(users []AssignedUser, ids []int64) bool {
	return slices.ContainsFunc(users, func(u AssignedUser) bool { return slices.Contains(ids, u.ID) })
}

// idIn reports whether the nullable id is one of ids.
func idIn(id *int64, ids []int64) bool { return id != nil && slices.Contains(ids, *id) }
