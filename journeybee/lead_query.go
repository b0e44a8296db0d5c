package journeybee

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

// The SQL quals of journeybee_lead, mapped to Get Leads requests.

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
	// window bounds the scan by created_at: no page of leads outside it is
	// requested.
	window api.ListOptions
	// ids, when set, are the leads asked for by id (id = or IN).
	ids []int64
	// matchesNothing is set for contradictory or empty IN quals: no request
	// is needed to know the answer is empty.
	matchesNothing bool
}

// leadScan is one API query: one view, search and custom fields filter,
// and the options that ask for them.
type leadScan struct {
	options api.ListLeadsOptions
	scanFilters
}

// leadRow is the streamed item: a lead and the filter values it answers.
type leadRow = filteredRow[api.Lead]

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

	assigned, present, err := wantedBools(quals, "is_assigned")
	if err != nil {
		return nil, err
	}
	constrained(present, len(assigned))
	if len(assigned) == 1 {
		q.filters.Assigned = assigned[0]
		q.filters.Unassigned = !assigned[0]
	}

	if q.searches, present, err = equalValues(quals, "search", qualSearchText); err != nil {
		return nil, err
	}
	constrained(present, len(q.searches))

	if q.customFields, present, err = equalValues(quals, "custom_fields_filter", qualJSON); err != nil {
		return nil, err
	}
	constrained(present, len(q.customFields))

	window, empty, err := timeWindow(quals, "created_at")
	if err != nil {
		return nil, err
	}
	q.window = window
	if empty {
		q.matchesNothing = true
	}

	if q.ids, present, err = equalValues(quals, "id", qualInt64); err != nil {
		return nil, err
	}
	constrained(present, len(q.ids))

	for _, scan := range q.scans() {
		if err := scan.options.Validate(); err != nil {
			return nil, err
		}
	}
	return q, nil
}

// getsByID reports whether the leads asked for by id can be fetched one by
// one (GET /companies/{companyId}/leads/{leadId}) instead of scanning: the
// single-lead reply cannot say whether a lead is in a view, matches a
// search or a custom fields filter, so those still scan (and keep the ids).
func (q *leadQuery) getsByID() bool {
	return len(q.ids) > 0 && len(q.views) == 0 && len(q.searches) == 0 && len(q.customFields) == 0
}

// admits applies, to a lead fetched by id, the filters the list request
// would have applied: status, tags, assigned users, assignment, window.
func (q *leadQuery) admits(l *api.Lead) bool {
	f := &q.filters
	if len(f.Statuses) > 0 && (l.Status == nil || !slices.Contains(f.Statuses, api.Status(*l.Status))) {
		return false
	}
	hasAny := func(requested []int64, items []api.Ref) bool {
		return len(requested) == 0 || slices.ContainsFunc(items, func(r api.Ref) bool { return slices.Contains(requested, r.ID) })
	}
	if !hasAny(f.TagIDs, l.Tags.Items) || !hasAny(f.UserIDs, l.AssignedUsers.Items) {
		return false
	}
	if assigned := len(l.AssignedUsers.Items) > 0; f.Assigned && !assigned || f.Unassigned && assigned {
		return false
	}
	return q.inWindow(l)
}

// inWindow reports whether the lead was created inside the window.
func (q *leadQuery) inWindow(l *api.Lead) bool {
	w := q.window
	return (w.NotBefore.IsZero() || !l.CreatedAt.Before(w.NotBefore)) && (w.NotAfter.IsZero() || !l.CreatedAt.After(w.NotAfter))
}

// wantsID reports whether a scanned lead is one the query asks for by id.
func (q *leadQuery) wantsID(id int64) bool {
	return len(q.ids) == 0 || slices.Contains(q.ids, id)
}

// scans expands the one-value-per-request parameters into API queries.
func (q *leadQuery) scans() []leadScan {
	views := make([]string, len(q.views))
	for i, v := range q.views {
		views[i] = string(v)
	}
	combos := scanCombinations(views, q.searches, q.customFields)
	scans := make([]leadScan, len(combos))
	for i, c := range combos {
		opts := q.filters
		opts.View = api.View(c.view)
		opts.Search = c.search
		if c.customFields != "" {
			opts.CustomFields = compactJSON(c.customFields)
		}
		scans[i] = leadScan{options: opts, scanFilters: c}
	}
	return scans
}

// eachRow yields the rows a lead gives (see eachFilteredRow).
func (q *leadQuery) eachRow(lead *api.Lead, scan *leadScan, yield func(*leadRow)) {
	eachFilteredRow(lead, &scan.scanFilters, idFilter{q.tagIDs, lead.Tags.Items}, idFilter{q.userIDs, lead.AssignedUsers.Items}, yield)
}

// qualSearchText refuses an empty search: the API ignores it, so the scan
// would list every row while the search column (NULL without a search)
// could never equal ”.
func qualSearchText(column string, v *proto.QualValue) (string, error) {
	s, err := qualString(column, v)
	if err == nil && strings.TrimSpace(s) == "" {
		return "", fmt.Errorf("%s must not be empty: give the text to search for, or leave the %s filter out to list every row", column, column)
	}
	return s, err
}

// compactJSON is the filter as sent to the API: Postgres hands jsonb over
// pretty-printed, the API gets it on one line. The column keeps the
// query's own text, which Postgres and SQLite compare rows against.
func compactJSON(raw string) json.RawMessage {
	var b bytes.Buffer
	if json.Compact(&b, []byte(raw)) != nil {
		return json.RawMessage(raw) // qualJSON let only valid JSON through
	}
	return b.Bytes()
}
