package journeybee

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

// filterQueryScans renders each scan of a query as its API query string.
func filterQueryScans[O interface{ Values() url.Values }](q *filterQuery[O]) []string {
	out := make([]string, len(q.scans))
	for i := range q.scans {
		out[i] = q.options(&q.scans[i]).Values().Encode()
	}
	return out
}

// TestFilterQueryScans: the quals of both cursored tables become one API
// scan per combination of the one-value parameters, every other filter
// shared by all of them; contradictions need no scan.
func TestFilterQueryScans(t *testing.T) {
	for _, tt := range []struct {
		name    string
		quals   []*proto.Qual
		deals   []string
		partner []string
		nothing bool
	}{
		{"no filter: one scan", nil, []string{""}, []string{""}, false},
		{"views × searches", []*proto.Qual{in("view", "reseller", "sent"), in("search", "a", "b"), in("tag_id", int64(1), int64(2))},
			[]string{"search=a&tags=1%2C2&view=reseller", "search=b&tags=1%2C2&view=reseller", "search=a&tags=1%2C2&view=sent", "search=b&tags=1%2C2&view=sent"}, nil, false},
		{"shared filters", []*proto.Qual{in("stage_id", int64(3), int64(4)), op("is_assigned", "<>", true)},
			[]string{"stages=3%2C4&unassigned=1"}, []string{"stages=3%2C4&unassigned=1"}, false},
		{"contradiction", []*proto.Qual{eq("is_assigned", true), eq("is_assigned", false)}, []string{""}, []string{""}, true},
		{"empty IN", []*proto.Qual{in("stage_id")}, []string{""}, []string{""}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			deals, err := dealQueryFromQuals(qualMap(tt.quals...))
			if err != nil {
				t.Fatal(err)
			}
			if got := filterQueryScans(deals); deals.matchesNothing != tt.nothing || !reflect.DeepEqual(got, tt.deals) {
				t.Fatalf("deal scans %q (matches nothing %t), want %q (%t)", got, deals.matchesNothing, tt.deals, tt.nothing)
			}
			if tt.partner == nil {
				return // sent is not a partnership view
			}
			partnerships, err := partnershipQueryFromQuals(qualMap(tt.quals...))
			if err != nil {
				t.Fatal(err)
			}
			if got := filterQueryScans(partnerships); partnerships.matchesNothing != tt.nothing || !reflect.DeepEqual(got, tt.partner) {
				t.Fatalf("partnership scans %q (matches nothing %t), want %q (%t)", got, partnerships.matchesNothing, tt.partner, tt.nothing)
			}
		})
	}
}

// TestEachFilteredRow: an item gives one row per requested tag and user it
// carries, and the lone requested id when the API matched an item whose
// list lacks it (so the row still satisfies the qual).
func TestEachFilteredRow(t *testing.T) {
	deal := &api.Deal{ID: 1}
	refs := func(ids ...int64) []api.Ref {
		out := make([]api.Ref, len(ids))
		for i, id := range ids {
			out[i] = api.Ref{ID: id}
		}
		return out
	}
	for _, tt := range []struct {
		tags, users idFilter
		want        [][2]any
	}{
		{idFilter{}, idFilter{}, [][2]any{{nil, nil}}},
		{idFilter{[]int64{5, 6, 7}, refs(6, 7, 8)}, idFilter{}, [][2]any{{int64(6), nil}, {int64(7), nil}}},
		{idFilter{[]int64{5}, refs(9)}, idFilter{[]int64{3, 4}, refs(3, 4)}, [][2]any{{int64(5), int64(3)}, {int64(5), int64(4)}}},
	} {
		var got [][2]any
		eachFilteredRow(deal, &scanFilters{}, tt.tags, tt.users, func(r *filteredRow[api.Deal]) {
			got = append(got, [2]any{rowTagID(r), rowUserID(r)})
		})
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("tags %v users %v: rows %v, want %v", tt.tags, tt.users, got, tt.want)
		}
	}
}
