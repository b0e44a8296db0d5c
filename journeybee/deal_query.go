package journeybee

import (
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

// The SQL quals of journeybee_lead_deal, mapped to GET /lead-deals requests.

// dealRow is the streamed item: a deal and the filter values it answers.
type dealRow = filteredRow[api.Deal]

// dealQuery is what the SQL quals ask of the API.
type dealQuery struct {
	// filters shared by every scan: stages, phases, tags, assignment.
	filters api.ListDealsOptions
	// scans are the combinations of view and search: one value each per
	// request.
	scans []scanFilters
	// matchesNothing is set for contradictory or empty IN quals.
	matchesNothing bool
}

// dealQueryFromQuals maps the key-column quals to API options, validating
// every value before any request is made.
func dealQueryFromQuals(quals plugin.KeyColumnQualMap) (*dealQuery, error) {
	r := &qualReader{quals: quals}
	q := &dealQuery{}
	q.filters.StageIDs = readQual(r, "stage_id", qualInt64)
	q.filters.Phases = readQual(r, "stage_phase", qualString)
	q.filters.TagIDs = readQual(r, "tag_id", qualInt64)
	q.filters.Assigned, q.filters.Unassigned = r.assignment()
	views := readQual(r, "view", qualString)
	searches := readQual(r, "search", qualSearchText)
	if r.err != nil {
		return nil, r.err
	}
	q.matchesNothing = r.matchesNothing
	q.scans = scanCombinations(views, searches, nil)
	for i := range q.scans {
		if err := q.options(&q.scans[i]).Validate(); err != nil {
			return nil, err
		}
	}
	return q, nil
}

// options are one scan's API options.
func (q *dealQuery) options(scan *scanFilters) api.ListDealsOptions {
	opts := q.filters
	opts.View, opts.Search = api.View(scan.view), scan.search
	return opts
}

// eachRow yields a deal's rows: one per requested tag it carries.
func (q *dealQuery) eachRow(deal *api.Deal, scan *scanFilters, yield func(*dealRow)) {
	eachFilteredRow(deal, scan, idFilter{q.filters.TagIDs, deal.Tags.Items}, idFilter{}, yield)
}
