package journeybee

import (
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

// The SQL quals of journeybee_partnership, mapped to GET /partnerships
// requests.

// partnershipRow is the streamed item: a partnership and the filter values
// it answers.
type partnershipRow = filteredRow[api.Partnership]

// partnershipQuery is what the SQL quals ask of the API.
type partnershipQuery struct {
	// filters shared by every scan: stages, tags, categories, tiers,
	// users, assignment.
	filters api.ListPartnershipsOptions
	// scans are the combinations of view, search and custom fields filter:
	// one value each per request.
	scans []scanFilters
	// matchesNothing is set for contradictory or empty IN quals.
	matchesNothing bool
}

// partnershipQueryFromQuals maps the key-column quals to API options,
// validating every value before any request is made.
func partnershipQueryFromQuals(quals plugin.KeyColumnQualMap) (*partnershipQuery, error) {
	r := &qualReader{quals: quals}
	q := &partnershipQuery{}
	q.filters.StageIDs = readQual(r, "stage_id", qualInt64)
	q.filters.TagIDs = readQual(r, "tag_id", qualInt64)
	q.filters.CategoryIDs = readQual(r, "category_id", qualInt64)
	q.filters.TierIDs = readQual(r, "tier_id", qualInt64)
	q.filters.UserIDs = readQual(r, "assigned_user_id", qualInt64)
	q.filters.Assigned, q.filters.Unassigned = r.assignment()
	views := readQual(r, "view", qualString)
	searches := readQual(r, "search", qualSearchText)
	customFields := readQual(r, "custom_fields_filter", qualJSON)
	if r.err != nil {
		return nil, r.err
	}
	q.matchesNothing = r.matchesNothing
	q.scans = scanCombinations(views, searches, customFields)
	for i := range q.scans {
		if err := q.options(&q.scans[i]).Validate(); err != nil {
			return nil, err
		}
	}
	return q, nil
}

// options are one scan's API options.
func (q *partnershipQuery) options(scan *scanFilters) api.ListPartnershipsOptions {
	opts := q.filters
	opts.View, opts.Search = scan.view, scan.search
	if scan.customFields != "" {
		opts.CustomFields = compactJSON(scan.customFields)
	}
	return opts
}

// eachRow yields a partnership's rows: one per requested tag and assigned
// user it carries.
func (q *partnershipQuery) eachRow(p *api.Partnership, scan *scanFilters, yield func(*partnershipRow)) {
	eachFilteredRow(p, scan, idFilter{q.filters.TagIDs, p.Tags.Items}, idFilter{q.filters.UserIDs, p.AssignedUsers.Items}, yield)
}
