//go:build !race

package journeybee

import (
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

// A real account changes while a scan pages through it under the rate
// limit. These tests change the fake's data between pages (BeforeRequest
// runs before each reply is computed) and check what a scan must keep:
// every lead that matches the filters for the whole scan comes back
// exactly once, and routine changes never fail the query.

// changingScan is a fixture whose data a test changes before each request
// that carries a cursor (every page after the first).
type changingScan struct {
	f       *fixture
	mu      sync.Mutex
	history [][]journeybeetest.Lead // every version of the dataset the scan saw
}

// change gets the page number and the cursor of the coming request: the
// leads created before it are the ones the scan has not reached.
func newChangingScan(t *testing.T, n int, change func(page int, cursor time.Time, leads []journeybeetest.Lead) []journeybeetest.Lead) *changingScan {
	t.Helper()
	cs := &changingScan{}
	var srv *journeybeetest.Server
	page := 0
	cfg := journeybeetest.Config{Leads: journeybeetest.GenerateLeads(n, 21), PageSize: 10}
	cfg.BeforeRequest = func(_ int, _ string, q url.Values) {
		if q.Get("cursor") == "" {
			return
		}
		cursor, err := time.Parse(time.RFC3339Nano, q.Get("cursor"))
		if err != nil {
			t.Errorf("cursor %q: %v", q.Get("cursor"), err)
		}
		cs.mu.Lock()
		defer cs.mu.Unlock()
		page++
		srv.UpdateLeads(func(leads []journeybeetest.Lead) []journeybeetest.Lead { return change(page, cursor, leads) })
		cs.history = append(cs.history, srv.Leads())
	}
	cs.f = newFixture(t, cfg)
	srv = cs.f.srv
	cs.history = [][]journeybeetest.Lead{srv.Leads()}
	return cs
}

// matchedThroughout are the ids of leads that match keep in every version
// of the data; matchedEver those that match in at least one.
func (cs *changingScan) matched(keep func(*journeybeetest.Lead) bool) (throughout, ever map[int64]bool) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	count := map[int64]int{}
	for _, version := range cs.history {
		for i := range version {
			if keep(&version[i]) {
				count[version[i].ID]++
			}
		}
	}
	throughout, ever = map[int64]bool{}, map[int64]bool{}
	for id, n := range count {
		ever[id] = true
		if n == len(cs.history) {
			throughout[id] = true
		}
	}
	return throughout, ever
}

// assertScanRight runs the query and checks the rows against the data's
// history: each lead that matched throughout exactly once, nothing that
// never matched, no duplicates, no error.
func (cs *changingScan) assertScanRight(t *testing.T, keep func(*journeybeetest.Lead) bool, quals ...*proto.Qual) []pluginhost.Row {
	t.Helper()
	rows, err := cs.f.query(0, quals...)
	if err != nil {
		t.Fatalf("a routine change failed the query: %v", err)
	}
	throughout, ever := cs.matched(keep)
	seen := map[int64]bool{}
	for _, r := range rows {
		id := pluginhost.Value(r["id"]).(int64)
		if seen[id] {
			t.Fatalf("lead %d returned twice", id)
		}
		seen[id] = true
		if !ever[id] {
			t.Fatalf("lead %d never matched the filters", id)
		}
	}
	for id := range throughout {
		if !seen[id] {
			t.Fatalf("lead %d matched the filters for the whole scan but is missing (%d rows, %d matched throughout)", id, len(rows), len(throughout))
		}
	}
	if len(cs.history) < 3 {
		t.Fatalf("the data changed %d times: the scan was too short to prove anything", len(cs.history)-1)
	}
	return rows
}

func everyLead(*journeybeetest.Lead) bool { return true }

func statusIs(s string) func(*journeybeetest.Lead) bool {
	return func(l *journeybeetest.Lead) bool { return l.Status == s }
}

// newLead is a lead created now: newer than any lead of the dataset.
func newLead(id int64, status string) journeybeetest.Lead {
	name := "Created during the scan"
	return journeybeetest.Lead{ID: id, CreatedAt: time.Now().UTC().Truncate(time.Second), Status: status, CompanyName: &name, CompanyID: journeybeetest.CompanyID}
}

func TestLeadsCreatedDuringAScan(t *testing.T) {
	cs := newChangingScan(t, 200, func(page int, _ time.Time, leads []journeybeetest.Lead) []journeybeetest.Lead {
		return append(leads, newLead(900000+int64(page), "new"))
	})
	cs.assertScanRight(t, everyLead)
}

func TestLeadsDeletedDuringAScan(t *testing.T) {
	cs := newChangingScan(t, 200, func(page int, _ time.Time, leads []journeybeetest.Lead) []journeybeetest.Lead {
		// Delete one lead the scan has already passed and one it has not.
		return slices.Delete(slices.Delete(leads, len(leads)-1-page, len(leads)-page), page, page+1)
	})
	cs.assertScanRight(t, everyLead)
}

// TestLeadsMovingBetweenStatusesWhileTotalStaysTheSame: while a
// status = 'contacted' scan pages, on every page a contacted lead the scan
// has passed moves to lost and a lead it has not reached yet becomes
// contacted. total never changes, but more contacted leads lie ahead than
// total minus those seen: stopping once total leads were seen drops the
// oldest contacted leads, which matched all along.
func TestLeadsMovingBetweenStatusesWhileTotalStaysTheSame(t *testing.T) {
	cs := newChangingScan(t, 300, func(_ int, cursor time.Time, leads []journeybeetest.Lead) []journeybeetest.Lead {
		// leads are newest first: those before passed the scan has seen.
		passed := slices.IndexFunc(leads, func(l journeybeetest.Lead) bool { return l.CreatedAt.Before(cursor) })
		if passed < 0 {
			return leads
		}
		for i := 0; i < passed; i++ {
			if leads[i].Status == "contacted" {
				leads[i].Status = "lost"
				break
			}
		}
		for i := passed + 1; i < len(leads); i++ {
			if leads[i].Status != "contacted" {
				leads[i].Status = "contacted"
				break
			}
		}
		return leads
	})
	cs.assertScanRight(t, statusIs("contacted"), eq("status", "contacted"))
}

func TestLeadsMovingIntoAndOutOfTheFilteredStatus(t *testing.T) {
	cs := newChangingScan(t, 300, func(page int, _ time.Time, leads []journeybeetest.Lead) []journeybeetest.Lead {
		for i := page; i < len(leads); i += 37 {
			if leads[i].Status == "new" {
				leads[i].Status = "qualified"
			} else {
				leads[i].Status = "new"
			}
		}
		return append(leads, newLead(910000+int64(page), "new"))
	})
	cs.assertScanRight(t, statusIs("new"), eq("status", "new"))
}
