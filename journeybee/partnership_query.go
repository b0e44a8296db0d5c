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

// partnershipQuery is what the SQL quals ask of the API: stages, tags,
// categories, tiers, users and assignment shared by every scan, one scan
// per view, search and custom fields filter.
type partnershipQuery = filterQuery[api.ListPartnershipsOptions]

// partnershipQueryFromQuals maps the key-column quals to API options,
// validating every value before any request is made.
func partnershipQueryFromQuals(quals plugin.KeyColumnQualMap) (*partnershipQuery, error) {
	r := &qualReader{quals: quals}
	var filters api.ListPartnershipsOptions
	filters.StageIDs = readQual(r, "stage_id", qualInt64)
	filters.TagIDs = readQual(r, "tag_id", qualInt64)
	filters.CategoryIDs = readQual(r, "category_id", qualInt64)
	filters.TierIDs = readQual(r, "tier_id", qualInt64)
	filters.UserIDs = readQual(r, "assigned_user_id", qualInt64)
	filters.Assigned, filters.Unassigned = r.assignment()
	views := readQual(r, "view", qualString)
	searches := readQual(r, "search", qualSearchText)
	customFields := readQual(r, "custom_fields_filter", qualJSON)
	return newFilterQuery(r, filters, views, searches, customFields, func(opts api.ListPartnershipsOptions, scan *scanFilters) api.ListPartnershipsOptions {
		opts.View, opts.Search = scan.view, scan.search
		if scan.customFields != "" {
			opts.CustomFields = compactJSON(scan.customFields)
		}
		return opts
	})
}

// eachPartnershipRow yields a partnership's rows: one per requested tag and
// assigned user it carries.
func eachPartnershipRow(q *partnershipQuery, p *api.Partnership, scan *scanFilters, yield func(*partnershipRow)) {
	eachFilteredRow(p, scan, idFilter{q.filters.TagIDs, p.Tags.Items}, idFilter{q.filters.UserIDs, p.AssignedUsers.Items}, yield)
}
