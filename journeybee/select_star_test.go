//go:build !race

package journeybee

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

// TestSelectStarCostsWhatSelectIDCosts: `select *` is the first query
// everyone types. Over 1,000 leads in pages of 100, at the default pace,
// it makes no more API requests than `select id`: no column of
// journeybee_lead costs a request per row.
func TestSelectStarCostsWhatSelectIDCosts(t *testing.T) {
	cfg := journeybeetest.GenerateAccount(1000, 16)
	cfg.PageSize = 100
	f := newFixture(t, cfg, fmt.Sprintf("max_requests_per_minute = %d", api.DefaultRequestsPerMinute))
	// The default pace makes the two scans last 12 s: on the fake clock.
	onFakeClock(t, f, func(t *testing.T) {
		start := time.Now()
		ids, err := f.queryColumns([]string{"id"}, 0)
		if err != nil || len(ids) != 1000 {
			t.Fatalf("select id: %d rows, %v", len(ids), err)
		}
		idRequests, idTime := f.srv.RequestCount(), time.Since(start)

		f.srv.ResetRequests()
		start = time.Now()
		all, err := f.queryColumns(f.columnsWithout("journeybee_lead", nil), 0)
		starRequests, starTime := f.srv.RequestCount(), time.Since(start)
		t.Logf("select id: %d requests in %v; select *: %d requests in %v (fake time)", idRequests, idTime.Round(time.Millisecond), starRequests, starTime.Round(time.Millisecond))
		if err != nil || len(all) != 1000 {
			t.Fatalf("select *: %d rows, %v (%d requests)", len(all), err, starRequests)
		}
		if starRequests > idRequests {
			t.Fatalf("select * made %d requests, select id %d: a column costs requests of its own", starRequests, idRequests)
		}
	})
}

// TestNoColumnCostsARequestPerRow: a column with a hydrate function of its
// own costs the plugin a call per row of a listing. No table has one.
func TestNoColumnCostsARequestPerRow(t *testing.T) {
	for name, table := range Plugin(context.Background()).TableMap {
		for _, c := range table.Columns {
			if c.Hydrate != nil {
				t.Errorf("%s.%s has a hydrate function of its own: selecting it costs a call per row", name, c.Name)
			}
		}
	}
}
