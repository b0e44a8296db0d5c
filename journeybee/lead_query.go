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
					opts.CustomFields = compactJSON(cf)
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
	tagIDs := matchingIDs(q.tagIDs, lead.Tags.Items)
	userIDs := matchingIDs(q.userIDs, lead.AssignedUsers.Items)
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
func matchingIDs(requested []int64, items []api.Ref) []*int64 {
	if len(requested) == 0 {
		return []*int64{nil}
	}
	var out []*int64
	for _, want := range requested {
		for _, it := range items {
			if it.ID == want {
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
