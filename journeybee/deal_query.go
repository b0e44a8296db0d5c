package journeybee

import (
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

// The SQL quals of journeybee_lead_deal, mapped to GET /lead-deals requests.

// dealRow is the streamed item: a deal and the filter values it answers.
type dealRow = filteredRow[api.Deal]

// dealQuery is what the SQL quals ask of the API: stages, phases, tags and
// assignment shared by every scan, one scan per view and search.
type dealQuery = filterQuery[api.ListDealsOptions]

// dealQueryFromQuals maps the key-column quals to API options, validating
// every value before any request is made.
func dealQueryFromQuals(quals plugin.KeyColumnQualMap) (*dealQuery, error) {
	r := &qualReader{quals: quals}
	var filters api.ListDealsOptions
	filters.StageIDs = readQual(r, "stage_id", qualInt64)
	filters.Phases = readQual(r, "stage_phase", qualString)
	filters.TagIDs = readQual(r, "tag_id", qualInt64)
	filters.Assigned, filters.Unassigned = r.assignment()
	views := readQual(r, "view", qualString)
	searches := readQual(r, "search", qualSearchText)
	return newFilterQuery(r, filters, views, searches, nil, func(opts api.ListDealsOptions, scan *scanFilters) api.ListDealsOptions {
		opts.View, opts.Search = api.View(scan.view), scan.search
		return opts
	})
}

// eachDealRow yields a deal's rows: one per requested tag it carries.
func eachDealRow(q *dealQuery, deal *api.Deal, scan *scanFilters, yield func(*dealRow)) {
	eachFilteredRow(deal, scan, idFilter{q.filters.TagIDs, deal.Tags.Items}, idFilter{}, yield)
}
