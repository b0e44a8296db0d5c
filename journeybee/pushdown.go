package journeybee

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin/quals"
	"github.com/turbot/steampipe-plugin-sdk/v5/query_cache"
)

// The pushdown engine of the cursor-paged tables. A table declares each
// filter column once, in its pagedTable: the SQL operators, the API
// parameter it sets, its kind and its cache match. The engine builds the
// key columns, reads and validates the quals before any request, expands
// the one-value-per-request parameters into scans, bounds the scans by the
// created_at window, looks items up by id, and fills the filter-only
// columns.

// filterKind is how a filter column reaches the API.
type filterKind int

const (
	// sentOnce is one API parameter shared by every scan (status, stage_id).
	sentOnce filterKind = iota
	// scanPerValue takes one value per request: each requested value is a
	// scan of its own (view, search, custom fields filter).
	scanPerValue
	// rowPerID is sent once, and an item gives one row per requested id it
	// carries (tag_id, assigned_user_id).
	rowPerID
	// createdAtWindow bounds the cursor: no page outside it is requested.
	createdAtWindow
	// idLookup fetches each requested item by id, one request each, unless
	// a scanPerValue filter is set: the single-item reply cannot say whether
	// the item is in a view or matches a search, so those still scan and
	// keep the requested ids.
	idLookup
)

// pagedTable is a cursor-paged table's contract with the API: T is the
// API's item, O its list options.
type pagedTable[T, O any] struct {
	// where names the list function in log lines.
	where string
	// list starts one scan inside a created_at window; validate checks one
	// scan's options before any request.
	list     func(*api.Client, O, api.ListOptions) (*api.Pager[T], error)
	validate func(*O) error
	filters  []*filter[T, O]
	// keyColumns are built once from the filters.
	keyColumns plugin.KeyColumnSlice
	// scanSlots and idSlots count the filters whose values rows carry.
	scanSlots, idSlots int
	// lookup is the id filter, nil for a table without one.
	lookup *filter[T, O]
}

// filter is one filter column: how it reads its quals into the query.
type filter[T, O any] struct {
	column    string
	kind      filterKind
	operators []string
	exact     bool
	// slot is where rows keep this filter's value (scanPerValue, rowPerID).
	slot int
	// read reads the column's quals (present in quals) into q; empty
	// reports that nothing can match them.
	read func(quals plugin.KeyColumnQualMap, q *pushdown[T, O]) (empty bool, err error)
	// def is the filter-only column the engine fills with value, nil when
	// the table declares the column (its value is the item's own).
	def   *plugin.Column
	value func(*filteredRow[T]) any
	// setScan sets one scan's value (scanPerValue).
	setScan func(*O, string)
	// refs are the item's own ids a rowPerID filter matches.
	refs func(*T) []api.Ref
	// get fetches one item by id, idOf reads it (idLookup); fullGet
	// replaces get when the query selects fullColumn (readingWith).
	get        func(client *api.Client, ctx context.Context, companyID, id int64) (*T, error)
	idOf       func(*T) int64
	fullGet    func(client *api.Client, ctx context.Context, companyID, id int64) (*T, error)
	fullColumn string
}

// readingWith makes an id lookup read items with get when the query
// selects column, which only get's endpoint carries.
func (f *filter[T, O]) readingWith(column string, get func(*api.Client, context.Context, int64, int64) (*T, error)) *filter[T, O] {
	f.fullColumn, f.fullGet = column, get
	return f
}

// matchExactly makes the query cache match the column's quals exactly: for
// a column whose value (or the row's total) comes from the query.
func (f *filter[T, O]) matchExactly() *filter[T, O] { f.exact = true; return f }

// newPagedTable assembles a table's filters.
func newPagedTable[T, O any](where string, list func(*api.Client, O, api.ListOptions) (*api.Pager[T], error), validate func(*O) error, filters ...*filter[T, O]) *pagedTable[T, O] {
	t := &pagedTable[T, O]{where: where, list: list, validate: validate, filters: filters}
	for _, f := range filters {
		switch f.kind {
		case scanPerValue:
			f.slot, t.scanSlots = t.scanSlots, t.scanSlots+1
		case rowPerID:
			f.slot, t.idSlots = t.idSlots, t.idSlots+1
		case idLookup:
			t.lookup = f
		}
		kc := &plugin.KeyColumn{Name: f.column, Operators: f.operators, Require: plugin.Optional}
		if f.exact {
			kc.CacheMatch = query_cache.CacheMatchExact
		}
		t.keyColumns = append(t.keyColumns, kc)
	}
	return t
}

// listConfig is the table's List: key columns and the engine's list
// function.
func (t *pagedTable[T, O]) listConfig() *plugin.ListConfig {
	return &plugin.ListConfig{Hydrate: t.listHydrate(), KeyColumns: t.keyColumns}
}

// filterColumns are the filter-only columns, filled from the query.
func (t *pagedTable[T, O]) filterColumns() []*plugin.Column {
	var out []*plugin.Column
	for _, f := range t.filters {
		if f.def != nil {
			out = append(out, f.def)
		}
	}
	return out
}

// pushdown is what one List call's quals ask of the API.
type pushdown[T, O any] struct {
	table *pagedTable[T, O]
	// shared are the options every scan sends.
	shared O
	// scanValues are each scanPerValue filter's requested values, nil when
	// unfiltered; rowIDs each rowPerID filter's requested ids.
	scanValues [][]string
	rowIDs     [][]int64
	// scans are the combinations of scanValues, one API scan each.
	scans  []scan[O]
	window api.ListOptions
	// ids are the items asked for by id (id = or IN).
	ids []int64
	// checks are what an item fetched by id must satisfy: the filters the
	// list request would have applied.
	checks []func(*T) bool
	// matchesNothing is set for contradictory or empty IN quals: no request
	// is needed to know the answer is empty.
	matchesNothing bool
}

// scan is one API query: the shared options with one value of each
// scanPerValue filter, values holding them ("" where unfiltered).
type scan[O any] struct {
	options O
	values  []string
}

// filteredRow is the streamed item with the filter values it answers: its
// scan's values and the requested ids it carries (nil: NULL).
type filteredRow[T any] struct {
	Item   *T
	values []string
	ids    []*int64
}

// query reads the whole WHERE clause (IN lists whole: the SDK splits a lone
// IN list into one List call per value, run concurrently, so a call that
// validated only its own value could let the others' requests go out before
// an invalid one fails the query), validates every scan, then narrows to
// this call's quals: the column whose IN list the SDK split is read again.
func (t *pagedTable[T, O]) query(whole, call plugin.KeyColumnQualMap) (*pushdown[T, O], error) {
	q, err := t.read(whole)
	if err != nil {
		return nil, err
	}
	for i := range q.scans {
		if err := t.validate(&q.scans[i].options); err != nil {
			return nil, err
		}
	}
	split := false
	for _, f := range t.filters {
		if hasList(whole[f.column]) && !hasList(call[f.column]) {
			split = true
			if err := q.readColumn(f, call); err != nil {
				return nil, err
			}
		}
	}
	if split {
		q.expandScans()
	}
	return q, nil
}

// read maps quals to a pushdown, with its scans expanded but not validated.
func (t *pagedTable[T, O]) read(quals plugin.KeyColumnQualMap) (*pushdown[T, O], error) {
	q := &pushdown[T, O]{table: t, scanValues: make([][]string, t.scanSlots), rowIDs: make([][]int64, t.idSlots)}
	for _, f := range t.filters {
		if err := q.readColumn(f, quals); err != nil {
			return nil, err
		}
	}
	q.expandScans()
	return q, nil
}

// readColumn reads one filter's quals, noting a column that can match
// nothing.
func (q *pushdown[T, O]) readColumn(f *filter[T, O], quals plugin.KeyColumnQualMap) error {
	if _, ok := quals[f.column]; !ok {
		return nil
	}
	empty, err := f.read(quals, q)
	if empty {
		q.matchesNothing = true
	}
	return err
}

// hasList reports whether a column's quals hold an IN list.
func hasList(column *plugin.KeyColumnQuals) bool {
	if column == nil {
		return false
	}
	return slices.ContainsFunc(column.Quals, func(q *quals.Qual) bool { return q.Value.GetListValue() != nil })
}

// expandScans is every combination of the requested scanPerValue values.
func (q *pushdown[T, O]) expandScans() {
	q.scans = []scan[O]{{options: q.shared, values: make([]string, q.table.scanSlots)}}
	for _, f := range q.table.filters {
		if f.kind != scanPerValue || q.scanValues[f.slot] == nil {
			continue
		}
		var next []scan[O]
		for _, s := range q.scans {
			for _, v := range q.scanValues[f.slot] {
				values := slices.Clone(s.values)
				values[f.slot] = v
				next = append(next, scan[O]{values: values})
			}
		}
		q.scans = next
	}
	for i := range q.scans {
		s := &q.scans[i]
		s.options = q.shared
		for _, f := range q.table.filters {
			if f.kind == scanPerValue && s.values[f.slot] != "" {
				f.setScan(&s.options, s.values[f.slot])
			}
		}
	}
}

// byID reports whether the requested ids are fetched one by one instead of
// scanned: an id is asked for and no scanPerValue filter is set.
func (q *pushdown[T, O]) byID() bool {
	return len(q.ids) > 0 && !slices.ContainsFunc(q.scanValues, func(v []string) bool { return v != nil })
}

// wantsID reports whether a scanned item is one the query asks for by id.
func (q *pushdown[T, O]) wantsID(item *T) bool {
	return len(q.ids) == 0 || slices.Contains(q.ids, q.table.lookup.idOf(item))
}

// admits applies, to an item fetched by id, the filters a list request
// would have applied.
func (q *pushdown[T, O]) admits(item *T) bool {
	for _, check := range q.checks {
		if !check(item) {
			return false
		}
	}
	return true
}

// eachRow yields an item's rows: one, or one per requested id of each
// rowPerID filter it carries, so that those columns always hold a value the
// query asked for and the item really has.
func (q *pushdown[T, O]) eachRow(item *T, s *scan[O], yield func(*filteredRow[T])) {
	if !slices.ContainsFunc(q.rowIDs, func(ids []int64) bool { return ids != nil }) {
		// The common case, one row, without matchingIDs' allocations.
		yield(&filteredRow[T]{Item: item, values: s.values})
		return
	}
	rows := [][]*int64{make([]*int64, q.table.idSlots)}
	for _, f := range q.table.filters {
		if f.kind != rowPerID {
			continue
		}
		var next [][]*int64
		for _, ids := range rows {
			for _, id := range matchingIDs(q.rowIDs[f.slot], f.refs(item)) {
				these := slices.Clone(ids)
				these[f.slot] = id
				next = append(next, these)
			}
		}
		rows = next
	}
	for _, ids := range rows {
		yield(&filteredRow[T]{Item: item, values: s.values, ids: ids})
	}
}

// listHydrate is the table's List: the scans streamed page by page, or
// the items asked for by id fetched one by one.
func (t *pagedTable[T, O]) listHydrate() plugin.HydrateFunc {
	return listHydrate(t.where, func(ctx context.Context, d *plugin.QueryData, client *api.Client) error {
		q, err := t.query(wholeWhere(d, t.keyColumns), d.Quals)
		if err != nil || q.matchesNothing {
			return err
		}
		if q.byID() {
			return t.getByID(ctx, d, client, q)
		}
		for i := range q.scans {
			s := &q.scans[i]
			pager, err := t.list(client, s.options, q.window)
			if err != nil {
				return err
			}
			limitReached, err := streamPages(ctx, d, t.where, pager, func(item *T) {
				if q.wantsID(item) {
					q.eachRow(item, s, func(row *filteredRow[T]) { d.StreamListItem(ctx, row) })
				}
			})
			if err != nil || limitReached {
				return err
			}
		}
		return nil
	})
}

// getByID fetches each item asked for by id: one request per id, and an
// item that does not exist (or an account without leads, so without a
// company id) is no row.
func (t *pagedTable[T, O]) getByID(ctx context.Context, d *plugin.QueryData, client *api.Client, q *pushdown[T, O]) error {
	company, found, err := companyID(ctx, d, client)
	if err != nil || !found {
		return err
	}
	get := t.lookup.get
	if t.lookup.fullGet != nil && slices.Contains(d.QueryContext.Columns, t.lookup.fullColumn) {
		get = t.lookup.fullGet
	}
	for _, id := range q.ids {
		item, err := get(client, ctx, company, id)
		if api.IsNotFound(err) {
			plugin.Logger(ctx).Debug(t.where, "not_found", id)
			continue
		}
		if err != nil {
			return err
		}
		if !q.admits(item) {
			continue
		}
		q.eachRow(item, &q.scans[0], func(row *filteredRow[T]) { d.StreamListItem(ctx, row) })
		if d.RowsRemaining(ctx) <= 0 {
			return nil
		}
	}
	return nil
}

// matchingIDs returns the requested ids the item carries. With no request
// it is one nil (the column is NULL). When the API matched an item whose
// list lacks every requested id, the lone requested id is trusted (or the
// first of several), so the row still satisfies the query's qual.
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

// inWindow reports whether t lies inside the window (zero bounds are open).
func inWindow(w api.ListOptions, t time.Time) bool {
	return (w.NotBefore.IsZero() || !t.Before(w.NotBefore)) && (w.NotAfter.IsZero() || !t.After(w.NotAfter))
}

// filterOf declares the filters of a table of T listed with options O.
type filterOf[T, O any] struct{}

// text is a text filter (= or IN) sent once for every scan; set maps the
// values to the options (and refuses a value the API does not take), own
// is the item's value, checked on an item fetched by id.
func (filterOf[T, O]) text(column string, set func(*O, []string) error, own func(*T) *string) *filter[T, O] {
	return sent(column, qualString, set, own)
}

// ids is an id filter (= or IN) sent once for every scan.
func (filterOf[T, O]) ids(column string, set func(*O, []int64), own func(*T) *int64) *filter[T, O] {
	return sent(column, qualInt64, func(o *O, ids []int64) error { set(o, ids); return nil }, own)
}

func sent[T, O any, V comparable](column string, convert func(string, *proto.QualValue) (V, error), set func(*O, []V) error, own func(*T) *V) *filter[T, O] {
	f := &filter[T, O]{column: column, kind: sentOnce, operators: []string{"="}}
	f.read = func(quals plugin.KeyColumnQualMap, q *pushdown[T, O]) (bool, error) {
		values, _, err := equalValues(quals, column, convert)
		if err == nil {
			err = set(&q.shared, values)
		}
		q.checks = append(q.checks, func(item *T) bool {
			v := own(item)
			return v != nil && slices.Contains(values, *v)
		})
		return len(values) == 0, err
	}
	return f
}

// rowIDs is an id filter (= or IN) sent once, whose column holds the
// requested id the item carries: one row per matching id, refs being the
// item's own.
func (filterOf[T, O]) rowIDs(column, description string, set func(*O, []int64), refs func(*T) []api.Ref) *filter[T, O] {
	f := &filter[T, O]{column: column, kind: rowPerID, operators: []string{"="}, exact: true, refs: refs}
	f.read = func(quals plugin.KeyColumnQualMap, q *pushdown[T, O]) (bool, error) {
		ids, _, err := equalValues(quals, column, qualInt64)
		set(&q.shared, ids)
		q.rowIDs[f.slot] = ids
		q.checks = append(q.checks, func(item *T) bool {
			return slices.ContainsFunc(refs(item), func(r api.Ref) bool { return slices.Contains(ids, r.ID) })
		})
		return len(ids) == 0, err
	}
	f.value = func(r *filteredRow[T]) any {
		if r.ids == nil {
			return nil
		}
		return opt(r.ids[f.slot])
	}
	f.def = intColumn(column, description, f.value)
	return f
}

// assignment is a boolean column computed from the item, pushed as the
// API's assigned=1 / unassigned=1. <> lets `NOT column` push down, and
// with it the query's LIMIT.
func (filterOf[T, O]) assignment(column, description string, set func(o *O, assigned, unassigned bool), assigned func(*T) bool) *filter[T, O] {
	f := &filter[T, O]{column: column, kind: sentOnce, operators: []string{"=", "<>"}}
	f.read = func(quals plugin.KeyColumnQualMap, q *pushdown[T, O]) (bool, error) {
		wanted, _, err := wantedBools(quals, column)
		if len(wanted) == 1 {
			set(&q.shared, wanted[0], !wanted[0])
			q.checks = append(q.checks, func(item *T) bool { return assigned(item) == wanted[0] })
		}
		return len(wanted) == 0, err
	}
	f.value = func(r *filteredRow[T]) any { return assigned(r.Item) }
	f.def = boolColumn(column, description, f.value)
	return f
}

// scanText is a text filter the API takes one value of per request: one
// scan per value, its column holding the scan's value. convert reads (and
// checks) a value.
func (filterOf[T, O]) scanText(column, description string, convert func(string, *proto.QualValue) (string, error), set func(*O, string)) *filter[T, O] {
	f := scanned[T](column, convert, set)
	f.value = func(r *filteredRow[T]) any { return optEnum(r.values[f.slot]) }
	f.def = stringColumn(column, description, f.value)
	return f
}

// scanJSON is scanText for a JSON filter: the API gets it compacted, the
// column holds the query's own text, which Postgres and SQLite compare
// rows against.
func (filterOf[T, O]) scanJSON(column, description string, set func(*O, json.RawMessage)) *filter[T, O] {
	f := scanned[T](column, qualJSON, func(o *O, v string) { set(o, compactJSON(v)) })
	f.value = func(r *filteredRow[T]) any { return optRaw(r.values[f.slot]) }
	f.def = jsonColumn(column, description, f.value)
	return f
}

func scanned[T, O any](column string, convert func(string, *proto.QualValue) (string, error), set func(*O, string)) *filter[T, O] {
	f := &filter[T, O]{column: column, kind: scanPerValue, operators: []string{"="}, exact: true, setScan: set}
	f.read = func(quals plugin.KeyColumnQualMap, q *pushdown[T, O]) (bool, error) {
		values, _, err := equalValues(quals, column, convert)
		q.scanValues[f.slot] = values
		return len(values) == 0, err
	}
	return f
}

// window is the created_at column the API pages by: its comparisons bound
// the scan. createdAt is the item's own.
func (filterOf[T, O]) window(column string, createdAt func(*T) time.Time) *filter[T, O] {
	f := &filter[T, O]{column: column, kind: createdAtWindow, operators: []string{">", ">=", "<", "<=", "="}}
	f.read = func(quals plugin.KeyColumnQualMap, q *pushdown[T, O]) (bool, error) {
		w, empty, err := timeWindow(quals, column)
		q.window = w
		q.checks = append(q.checks, func(item *T) bool { return inWindow(w, createdAt(item)) })
		return empty, err
	}
	return f
}

// id is the id column: = or IN fetches each item with get (a client
// method expression such as (*api.Client).GetLead), idOf reading a
// scanned item's.
func (filterOf[T, O]) id(column string, get func(*api.Client, context.Context, int64, int64) (*T, error), idOf func(*T) int64) *filter[T, O] {
	f := &filter[T, O]{column: column, kind: idLookup, operators: []string{"="}, get: get, idOf: idOf}
	f.read = func(quals plugin.KeyColumnQualMap, q *pushdown[T, O]) (bool, error) {
		ids, _, err := equalValues(quals, column, qualInt64)
		q.ids = ids
		return len(ids) == 0, err
	}
	return f
}
