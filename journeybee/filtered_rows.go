package journeybee

import (
	"context"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

// What journeybee_lead_deal and journeybee_partnership share: reading their
// quals, one API scan per combination of the one-value-per-request
// parameters (view, search, custom fields), and rows that carry the filter
// values they answer.

// qualReader reads key-column quals into API filter values. It keeps the
// first error, and notes a column whose quals contradict (or an empty IN
// list): nothing can match, so no request is needed.
type qualReader struct {
	quals          plugin.KeyColumnQualMap
	err            error
	matchesNothing bool
}

// readQual returns the values column must equal, nil when unconstrained.
func readQual[T comparable](r *qualReader, column string, convert func(string, *proto.QualValue) (T, error)) []T {
	if r.err != nil {
		return nil
	}
	values, present, err := equalValues(r.quals, column, convert)
	r.note(present, len(values), err)
	return values
}

// assignment reads is_assigned as the API's assigned / unassigned flags.
func (r *qualReader) assignment() (assigned, unassigned bool) {
	if r.err != nil {
		return false, false
	}
	wanted, present, err := wantedBools(r.quals, "is_assigned")
	r.note(present, len(wanted), err)
	if len(wanted) == 1 {
		return wanted[0], !wanted[0]
	}
	return false, false
}

func (r *qualReader) note(present bool, n int, err error) {
	if err != nil {
		r.err = err
	}
	if present && n == 0 {
		r.matchesNothing = true
	}
}

// filterQuery is what a cursored table's quals ask of the API: the options
// O shared by every scan, and the scans.
type filterQuery[O any] struct {
	filters O
	// scans are the combinations of the one-value-per-request parameters.
	scans []scanFilters
	// matchesNothing is set for contradictory or empty IN quals.
	matchesNothing bool
	// forScan sets one scan's parameters on the shared options.
	forScan func(O, *scanFilters) O
}

// options are one scan's API options.
func (q *filterQuery[O]) options(scan *scanFilters) O { return q.forScan(q.filters, scan) }

// newFilterQuery finishes reading the quals: the scans for every
// combination of views, searches and custom field filters, each one's
// options validated before any request is made.
func newFilterQuery[O interface{ Validate() error }](r *qualReader, filters O, views, searches, customFields []string, forScan func(O, *scanFilters) O) (*filterQuery[O], error) {
	if r.err != nil {
		return nil, r.err
	}
	q := &filterQuery[O]{filters: filters, scans: scanCombinations(views, searches, customFields), matchesNothing: r.matchesNothing, forScan: forScan}
	for i := range q.scans {
		if err := q.options(&q.scans[i]).Validate(); err != nil {
			return nil, err
		}
	}
	return q, nil
}

// scanFilters are one API scan's one-value-per-request parameters; the
// filter-only columns of its rows hold them ("" is NULL: not filtered).
type scanFilters struct {
	view, search, customFields string
}

// scanCombinations is every combination of the requested values, one
// scan each; an unfiltered parameter is "" in all of them.
func scanCombinations(views, searches, customFields []string) []scanFilters {
	var scans []scanFilters
	for _, view := range orZero(views) {
		for _, search := range orZero(searches) {
			for _, cf := range orZero(customFields) {
				scans = append(scans, scanFilters{view: view, search: search, customFields: cf})
			}
		}
	}
	return scans
}

// filteredRow is a streamed item with the filter values it answers: its
// scan's parameters, and the requested tag and assigned user it carries.
type filteredRow[T any] struct {
	Item   *T
	scan   *scanFilters
	tagID  *int64
	userID *int64
}

// idFilter is a requested id list and the item's own list it is matched in.
type idFilter struct {
	requested []int64
	items     []api.Ref
}

// eachFilteredRow yields an item's rows: one, or one per requested tag and
// assigned user it carries, so that tag_id and assigned_user_id always hold
// a value the query asked for and the item really has.
func eachFilteredRow[T any](item *T, scan *scanFilters, tags, users idFilter, yield func(*filteredRow[T])) {
	if len(tags.requested) == 0 && len(users.requested) == 0 {
		// The common case, one row, without matchingIDs' allocations.
		yield(&filteredRow[T]{Item: item, scan: scan})
		return
	}
	for _, tagID := range matchingIDs(tags.requested, tags.items) {
		for _, userID := range matchingIDs(users.requested, users.items) {
			yield(&filteredRow[T]{Item: item, scan: scan, tagID: tagID, userID: userID})
		}
	}
}

// filteredList is the List function of a cursored table: the whole WHERE
// clause validated first (the SDK splits a lone IN list into concurrent
// calls), then each scan of this call's quals streamed page by page.
// fromQuals reads the quals, list starts a scan's pager, and eachRow yields
// an item's rows.
func filteredList[T, O any](where string, keyColumns plugin.KeyColumnSlice, fromQuals func(plugin.KeyColumnQualMap) (*filterQuery[O], error),
	list func(*api.Client, O) (*api.Pager[T], error), eachRow func(*filterQuery[O], *T, *scanFilters, func(*filteredRow[T]))) plugin.HydrateFunc {
	return listHydrate(where, func(ctx context.Context, d *plugin.QueryData, client *api.Client) error {
		if _, err := fromQuals(wholeWhere(d, keyColumns)); err != nil {
			return err
		}
		query, err := fromQuals(d.Quals)
		if err != nil || query.matchesNothing {
			return err
		}
		return streamScans(ctx, d, where, query.scans,
			func(scan *scanFilters) (*api.Pager[T], error) { return list(client, query.options(scan)) },
			func(item *T, scan *scanFilters) {
				eachRow(query, item, scan, func(row *filteredRow[T]) { d.StreamListItem(ctx, row) })
			})
	})
}

// streamScans runs the scans in turn, streaming every page of each, until
// LIMIT is reached. list starts one scan's pager; emit streams an item's
// rows.
func streamScans[T any](ctx context.Context, d *plugin.QueryData, where string, scans []scanFilters, list func(*scanFilters) (*api.Pager[T], error), emit func(*T, *scanFilters)) error {
	for i := range scans {
		scan := &scans[i]
		pager, err := list(scan)
		if err != nil {
			return err
		}
		limitReached, err := streamPages(ctx, d, where, pager, func(item *T) { emit(item, scan) })
		if err != nil || limitReached {
			return err
		}
	}
	return nil
}

// orZero is values, or one zero value standing for "not filtered".
func orZero[T any](values []T) []T {
	if len(values) == 0 {
		var zero T
		return []T{zero}
	}
	return values
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

// The filter-only columns' values.

func rowView[T any](r *filteredRow[T]) any         { return optEnum(r.scan.view) }
func rowSearch[T any](r *filteredRow[T]) any       { return optEnum(r.scan.search) }
func rowCustomFields[T any](r *filteredRow[T]) any { return optRaw(r.scan.customFields) }
func rowTagID[T any](r *filteredRow[T]) any        { return optInt(r.tagID) }
func rowUserID[T any](r *filteredRow[T]) any       { return optInt(r.userID) }
