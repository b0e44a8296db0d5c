package api_test

import (
	"context"
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

// TestPagerWalksEveryPagingModeCompletely walks a large generated dataset,
// whose leads include pairs sharing a created_at, through the fake under
// each reading of the cursor bound: every lead must come exactly once.
func TestPagerWalksEveryPagingModeCompletely(t *testing.T) {
	// 20,000 leads in the plain test run; under -race, which is there for
	// the pager's goroutines rather than for the data, 2,000 (20 pages in
	// each mode) walk the same code at a tenth of the cost.
	n := 20000
	if raceDetector {
		n = 2000
	}
	leads := journeybeetest.GenerateLeads(n, 1)
	for _, mode := range []journeybeetest.PagingMode{journeybeetest.PagingExclusive, journeybeetest.PagingInclusive, journeybeetest.PagingPastTotal} {
		t.Run(mode.String(), func(t *testing.T) {
			srv := journeybeetest.NewServer(journeybeetest.Config{Leads: leads, PageSize: 100, Paging: mode})
			defer srv.Close()
			c, err := api.NewClient(srv.APIKey(), srv.UserID(), api.WithBaseURL(srv.URL), api.WithRateLimit(1_000_000))
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.AllLeads(context.Background(), api.ListLeadsOptions{})
			if err != nil {
				t.Fatal(err)
			}
			seen := map[int64]bool{}
			for _, l := range got {
				if seen[l.ID] {
					t.Fatalf("lead %d returned twice", l.ID)
				}
				seen[l.ID] = true
			}
			if len(got) != len(leads) {
				t.Fatalf("%d leads, want all %d", len(got), len(leads))
			}
			t.Logf("%s: %d leads in %d requests", mode, len(got), srv.RequestCount())
		})
	}
}
