package journeybeetest

import (
	"net/http"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestDataChangesBetweenPages mutates the leads deterministically before
// the second page: a new lead, a deleted one, one moved between statuses.
func TestDataChangesBetweenPages(t *testing.T) {
	leads := fixtureLeads()
	var s *Server
	var (
		hookMu    sync.Mutex
		hookCalls []string
	)
	cfg := fixtureConfig()
	cfg.PageSize = 3
	cfg.BeforeRequest = func(number int, path string, query url.Values) {
		hookMu.Lock()
		hookCalls = append(hookCalls, path+"?"+query.Encode())
		hookMu.Unlock()
		_ = s.Requests() // outside the server's locks: this must not deadlock
		if number != 2 {
			return
		}
		s.UpdateLeads(func(all []Lead) []Lead {
			all = slices.DeleteFunc(all, func(l Lead) bool { return l.ID == 4 })
			for i := range all {
				if all[i].ID == 6 {
					all[i].Status = "lost"
				}
			}
			return append(all, Lead{ID: 7, CreatedAt: fixtureBase, Status: "new"})
		})
	}
	s = start(t, cfg)

	first := getLeads(t, s, "status", "new,lost")
	wantIDs(t, "first page", ids(first), []int64{1, 6, 5})
	if first[0].Total != 3 {
		t.Errorf("total %d, want 3", first[0].Total)
	}
	// Request 2 sees the change: the selection cache was dropped.
	again := getLeads(t, s, "status", "new,lost")
	wantIDs(t, "after the change", ids(again), []int64{7, 1, 6})
	if again[0].Total != 4 {
		t.Errorf("total %d, want 4 after the new lead", again[0].Total)
	}
	if s.Leads()[0].ID != 7 || slices.ContainsFunc(s.Leads(), func(l Lead) bool { return l.ID == 4 }) {
		t.Errorf("Leads() = %v, want the new lead first and lead 4 gone", ids(s.Leads()))
	}
	hookMu.Lock()
	defer hookMu.Unlock()
	if len(hookCalls) != 2 || hookCalls[0] != "/api/v1/leads?status=new%2Clost&userId=456" {
		t.Errorf("BeforeRequest saw %q", hookCalls)
	}
	if len(leads) != 6 {
		t.Error("UpdateLeads changed a caller's slice")
	}
}

func TestUpdateDeals(t *testing.T) {
	s := start(t, GenerateAccount(30, 1))
	n := len(s.Deals())
	s.UpdateDeals(func(deals []LeadDeal) []LeadDeal { return deals[1:] })
	got := decodeOK[[]LeadDeal](t, s, "/api/v1/lead-deals")
	if len(got) != n-1 || got[0].Total != n-1 {
		t.Errorf("%d deals, total %d; want %d", len(got), got[0].Total, n-1)
	}
}

// TestConcurrentUpdates reads while the data changes (run with -race).
func TestConcurrentUpdates(t *testing.T) {
	s := start(t, Config{Leads: GenerateLeads(200, 1), PageSize: 50})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 10 {
				if w == 0 {
					s.UpdateLeads(func(l []Lead) []Lead { return l[:len(l)-1] })
					continue
				}
				page := getLeads(t, s, "status", LeadStatuses[i%len(LeadStatuses)])
				for _, l := range page {
					if l.Status != LeadStatuses[i%len(LeadStatuses)] {
						t.Errorf("lead %d of status %s in a %s page", l.ID, l.Status, LeadStatuses[i%len(LeadStatuses)])
					}
				}
			}
		})
	}
	wg.Wait()
	if n := len(s.Leads()); n != 190 {
		t.Errorf("%d leads after 10 removals, want 190", n)
	}
}

// TestRateLimitOnEveryEndpoint: one budget per key, whatever the path.
func TestRateLimitOnEveryEndpoint(t *testing.T) {
	cfg := GenerateAccount(10, 1)
	cfg.RateLimitPerMinute = 3
	s := start(t, cfg)
	for _, p := range []string{"/api/v1/tags", "/api/v1/lead-deals", "/api/v1/users"} {
		if r := get(t, s, p, leadsQuery(s)); r.status != 200 {
			t.Fatalf("%s: %d", p, r.status)
		}
	}
	for _, p := range accountPaths(s) {
		r := get(t, s, p.path, leadsQuery(s))
		if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
			t.Errorf("%s: %d, Retry-After %q; want 429 with Retry-After", p.path, r.status, r.header.Get("Retry-After"))
		}
	}
}

func TestPeakRequestsPerMinute(t *testing.T) {
	s := start(t, GenerateAccount(10, 1))
	clock := &fakeClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	s.limiter.now = clock.Now
	at := func(seconds ...int) {
		for _, sec := range seconds {
			clock.Set(time.Date(2025, 1, 1, 0, 0, sec, 0, time.UTC))
			get(t, s, "/api/v1/tiers", nil)
		}
	}
	at(0, 10, 20) // 3 in the first minute
	if got := s.PeakRequestsPerMinute(); got != 3 {
		t.Errorf("peak %d, want 3", got)
	}
	at(60, 65) // 0 has left the window at 60: 10, 20, 60, 65
	at(69, 70) // 10 has left at 70: 20, 60, 65, 69, 70
	if got := s.PeakRequestsPerMinute(); got != 5 {
		t.Errorf("peak %d, want 5", got)
	}
	// Other keys and unknown paths do not count.
	for range 10 {
		getWithKey(t, s, "/api/v1/tiers", nil, "Bearer other")
		get(t, s, "/api/v1/nowhere", nil)
	}
	if got := s.PeakRequestsPerMinute(); got != 5 {
		t.Errorf("peak %d after foreign requests, want 5", got)
	}
}
