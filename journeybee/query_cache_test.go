//go:build !race

package journeybee

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

// Issue 13 item 1: a self-join through the FDW returned a contiguous block
// of leads missing and the leads 1,000 positions later twice. Identical
// concurrent scans with the query cache on, each of whose consumers stops
// reading for a while (as Postgres stops reading one side of a join while it
// reads the other), must each still return every lead exactly once.
func TestConcurrentIdenticalScansWithSlowConsumersReturnEveryLeadOnce(t *testing.T) {
	const leads, pageSize, scans = 3000, 100, 4
	for _, cache := range []bool{true, false} {
		t.Run(fmt.Sprintf("cache=%v", cache), func(t *testing.T) {
			f := newFixture(t, journeybeetest.Config{Leads: journeybeetest.GenerateLeads(leads, 13), PageSize: pageSize})
			// Newest first, as the API pages them: positions in the report.
			position := map[int64]int{}
			for i, l := range f.srv.Leads() {
				position[l.ID] = i
			}
			onFakeClock(t, f, func(t *testing.T) {
				results := make([][]int64, scans)
				errs := make([]error, scans)
				var wg sync.WaitGroup
				for i := range scans {
					wg.Go(func() {
						ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
						defer cancel()
						q := pluginhost.Query{Connection: testConnection, Table: "journeybee_lead", Columns: []string{"id", "status"}, Cache: cache}
						errs[i] = f.host.Execute(ctx, q, func(row pluginhost.Row) error {
							if len(results[i]) == 0 {
								// The consumer stalls after its first row until
								// the scan stops making progress: the bubble's
								// clock moves only once every goroutine of the
								// test waits (the scan held back by its
								// consumers, or done).
								time.Sleep(time.Second)
							}
							results[i] = append(results[i], pluginhost.Value(row["id"]).(int64))
							return nil
						})
					})
				}
				wg.Wait()
				for i := range scans {
					if errs[i] != nil {
						t.Errorf("scan %d: %v", i, errs[i])
						continue
					}
					if report := compareToDataset(results[i], position); report != "" {
						t.Errorf("scan %d: %s", i, report)
					}
				}
			})
		})
	}
}

// compareToDataset describes how ids differ from every lead exactly once:
// the count, and the newest-first positions of missing and repeated leads.
func compareToDataset(ids []int64, position map[int64]int) string {
	seen := map[int64]int{}
	for _, id := range ids {
		seen[id]++
	}
	var missing, repeated []int
	for id, p := range position {
		switch n := seen[id]; {
		case n == 0:
			missing = append(missing, p)
		case n > 1:
			repeated = append(repeated, p)
		}
	}
	unknown := 0
	for id := range seen {
		if _, ok := position[id]; !ok {
			unknown++
		}
	}
	if len(ids) == len(position) && len(missing) == 0 && len(repeated) == 0 && unknown == 0 {
		return ""
	}
	return fmt.Sprintf("%d rows for %d leads: %d missing at positions %s, %d repeated at positions %s, %d unknown ids",
		len(ids), len(position), len(missing), ranges(missing), len(repeated), ranges(repeated), unknown)
}

// ranges writes sorted positions as runs: 3-7,12.
func ranges(ps []int) string {
	if len(ps) == 0 {
		return "none"
	}
	slices.Sort(ps)
	var runs []string
	for i := 0; i < len(ps); {
		j := i
		for j+1 < len(ps) && ps[j+1] == ps[j]+1 {
			j++
		}
		if i == j {
			runs = append(runs, fmt.Sprint(ps[i]))
		} else {
			runs = append(runs, fmt.Sprintf("%d-%d", ps[i], ps[j]))
		}
		i = j + 1
	}
	return strings.Join(runs, ",")
}
