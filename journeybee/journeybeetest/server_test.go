package journeybeetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"
)

// TestErrorReplies checks every error status and body of the contract.
func TestErrorReplies(t *testing.T) {
	s := start(t, fixtureConfig())
	readOnlyLess := start(t, Config{APIKey: "write-only-key", NoReadAccess: true})
	valid := leadsQuery(s)
	tests := []struct {
		name          string
		server        *Server
		path          string
		query         url.Values
		authorization string
		wantStatus    int
		wantError     string
	}{
		{"no Authorization header", s, leadsPath, valid, "", 401, "Invalid API key or insufficient permissions"},
		{"wrong key", s, leadsPath, valid, "Bearer not-the-key", 401, "Invalid API key or insufficient permissions"},
		{"not a bearer scheme", s, leadsPath, valid, "Basic " + s.APIKey(), 401, "Invalid API key or insufficient permissions"},
		{"key without read access", readOnlyLess, leadsPath, leadsQuery(readOnlyLess), "Bearer write-only-key", 403, "Read access required for this operation"},
		{"missing userId", s, leadsPath, url.Values{}, "Bearer " + s.APIKey(), 400, "userId is required"},
		{"non-numeric userId", s, leadsPath, url.Values{"userId": {"jane"}}, "Bearer " + s.APIKey(), 400, "userId is required"},
		{"another user's id", s, leadsPath, url.Values{"userId": {"999"}}, "Bearer " + s.APIKey(), 404, "Company not found or user not authorized"},
		{"unknown path", s, "/api/v1/opportunities", valid, "Bearer " + s.APIKey(), 404, "Not found"},
		{"trailing slash", s, leadsPath + "/", valid, "Bearer " + s.APIKey(), 404, "Not found"},
		{"unknown path without key", s, "/", nil, "", 404, "Not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := getWithKey(t, tt.server, tt.path, tt.query, tt.authorization)
			if r.status != tt.wantStatus {
				t.Errorf("status %d, want %d", r.status, tt.wantStatus)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q, want application/json", ct)
			}
			want, _ := json.Marshal(map[string]string{"error": tt.wantError})
			if string(r.body) != string(want) {
				t.Errorf("body %s, want %s", r.body, want)
			}
		})
	}
}

func TestMethodNotAllowed(t *testing.T) {
	s := start(t, fixtureConfig())
	req, _ := http.NewRequest(http.MethodPost, s.URL+leadsPath+"?userId=456", nil)
	req.Header.Set("Authorization", "Bearer "+s.APIKey())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET" {
		t.Errorf("POST: status %d, Allow %q; want 405 and GET", resp.StatusCode, resp.Header.Get("Allow"))
	}
}

func TestSuccessfulReplyIsABareJSONArray(t *testing.T) {
	s := start(t, fixtureConfig())
	r := get(t, s, leadsPath, leadsQuery(s))
	if r.status != 200 || r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d, Content-Type %q", r.status, r.header.Get("Content-Type"))
	}
	var raw []map[string]json.RawMessage
	if err := json.Unmarshal(r.body, &raw); err != nil {
		t.Fatalf("not a JSON array of objects: %v", err)
	}
	// Arrays the dataset left nil are sent as [], as the API does.
	for _, lead := range raw {
		for _, field := range []string{"tags", "assigned_users", "partnership_leads", "campaign_partners", "lead_deals"} {
			if got := lead[field]; len(got) == 0 || got[0] != '[' {
				t.Errorf("lead %s: %s = %s, want an array", lead["id"], field, got)
			}
		}
	}
	if got := string(raw[3]["assigned_users"]); got != "[]" { // lead 4, assigned to no one
		t.Errorf("lead 4 assigned_users = %s, want []", got)
	}
	// Past the last lead: an empty array, not null.
	r = get(t, s, leadsPath, leadsQuery(s, "cursor", "2000-01-01T00:00:00Z"))
	if string(r.body) != "[]" {
		t.Errorf("past the end: %s, want []", r.body)
	}
}

func TestCustomerDataRoundTrips(t *testing.T) {
	leads := GenerateLeads(50, 3)
	s := start(t, Config{Leads: leads})
	got := getLeads(t, s)
	for i := range got {
		got[i].Total = 0
	}
	for i := range leads {
		a, _ := json.Marshal(leads[i])
		b, _ := json.Marshal(got[i])
		if string(a) != string(b) {
			t.Fatalf("lead %d changed on the way:\n got %s\nwant %s", leads[i].ID, b, a)
		}
	}
}

func TestRequestsAreRecorded(t *testing.T) {
	s := start(t, fixtureConfig())
	getWithKey(t, s, leadsPath, leadsQuery(s), "Bearer wrong")
	get(t, s, leadsPath, leadsQuery(s, "view", "sent", "status", "new,lost", "search", "Jane Doe"))
	get(t, s, "/nowhere", nil)

	reqs := s.Requests()
	if len(reqs) != 3 || s.RequestCount() != 3 {
		t.Fatalf("recorded %d requests (count %d), want 3", len(reqs), s.RequestCount())
	}
	first, second, third := reqs[0], reqs[1], reqs[2]
	if first.Authorized || first.Status != 401 || first.Number != 1 {
		t.Errorf("first: %+v", first)
	}
	if !second.Authorized || second.Status != 200 || second.Method != "GET" || second.Path != leadsPath {
		t.Errorf("second: %+v", second)
	}
	want := url.Values{"userId": {"456"}, "view": {"sent"}, "status": {"new,lost"}, "search": {"Jane Doe"}}
	if second.Query.Encode() != want.Encode() {
		t.Errorf("second query %v, want %v", second.Query, want)
	}
	if third.Path != "/nowhere" || third.Status != 404 {
		t.Errorf("third: %+v", third)
	}

	// Callers get copies.
	reqs[1].Query.Set("view", "changed")
	if s.Requests()[1].Query.Get("view") != "sent" {
		t.Error("Requests shares its query maps with the caller")
	}

	s.ResetRequests()
	if s.RequestCount() != 0 || len(s.Requests()) != 0 {
		t.Error("ResetRequests left records")
	}
	get(t, s, leadsPath, leadsQuery(s))
	if n := s.Requests()[0].Number; n != 1 {
		t.Errorf("after ResetRequests the first request is number %d, want 1", n)
	}
}

// TestConcurrentRequests serves many clients at once (run with -race).
func TestConcurrentRequests(t *testing.T) {
	s := start(t, Config{Leads: GenerateLeads(300, 1), PageSize: 20, Faults: []Fault{{Kind: FaultExtraFields, OnRequest: 5, Times: 10}}})
	const workers, perWorker = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker)
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				q := leadsQuery(s, "status", LeadStatuses[(w+i)%len(LeadStatuses)])
				req, _ := http.NewRequest(http.MethodGet, s.URL+leadsPath+"?"+q.Encode(), nil)
				req.Header.Set("Authorization", "Bearer "+s.APIKey())
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					errs <- err
					continue
				}
				if resp.StatusCode != http.StatusOK {
					errs <- fmt.Errorf("status %d", resp.StatusCode)
				}
				resp.Body.Close()
				_ = s.Requests()
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	reqs := s.Requests()
	if len(reqs) != workers*perWorker {
		t.Fatalf("recorded %d requests, want %d", len(reqs), workers*perWorker)
	}
	fired := 0
	for i, r := range reqs {
		if r.Number != i+1 {
			t.Fatalf("request numbers are not 1..n: %d at %d", r.Number, i)
		}
		if len(r.Faults) > 0 {
			fired++
		}
	}
	if fired != 10 {
		t.Errorf("the fault fired %d times, want 10", fired)
	}
}

func TestUnstartedServerHandler(t *testing.T) {
	s := NewUnstartedServer(Config{APIKey: "k", UserID: 7, Leads: fixtureLeads()})
	defer s.Close()
	if s.URL != "" {
		t.Errorf("unstarted server has URL %q", s.URL)
	}
	req := httptest.NewRequest(http.MethodGet, leadsPath+"?userId=7&status=new", nil)
	req.Header.Set("Authorization", "Bearer k")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	var leads []Lead
	if err := json.Unmarshal(rec.Body.Bytes(), &leads); rec.Code != 200 || err != nil || len(leads) != 2 {
		t.Errorf("status %d, %d leads, err %v", rec.Code, len(leads), err)
	}
}

func TestConfigDefaults(t *testing.T) {
	s := NewUnstartedServer(Config{})
	defer s.Close()
	if s.APIKey() != "test-api-key" || s.UserID() != 456 || s.PageSize() != 100 {
		t.Errorf("defaults: key %q, user %d, page size %d", s.APIKey(), s.UserID(), s.PageSize())
	}
}

func TestInvalidFaultPanics(t *testing.T) {
	for _, f := range []Fault{{Kind: "bogus"}, {Kind: FaultDelay}, {Kind: FaultStatus, Status: 200}, {Kind: FaultStatus, Times: -2},
		{Kind: FaultRedirect}, {Kind: FaultRedirect, Location: "/relative"}, {Kind: FaultRedirect, Status: 200, Location: "https://x.example/"}} {
		t.Run(fmt.Sprint(f), func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("NewServer accepted %+v", f)
				}
			}()
			NewUnstartedServer(Config{Faults: []Fault{f}})
		})
	}
}

func TestLatency(t *testing.T) {
	s := start(t, Config{Leads: fixtureLeads(), Latency: 60 * time.Millisecond})
	began := time.Now()
	getLeads(t, s)
	if took := time.Since(began); took < 60*time.Millisecond {
		t.Errorf("reply took %s, want at least the 60ms latency", took)
	}
}

func TestRateLimit(t *testing.T) {
	s := start(t, Config{Leads: fixtureLeads(), RateLimitPerMinute: 2})
	clock := &fakeClock{now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	s.limiter.now = clock.Now
	getLeads(t, s)
	clock.Advance(20 * time.Second)
	getLeads(t, s)
	clock.Advance(10 * time.Second)

	r := get(t, s, leadsPath, leadsQuery(s))
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("third request: status %d, want 429", r.status)
	}
	// The first request leaves the window 30 seconds from now.
	if ra := r.header.Get("Retry-After"); ra != "30" {
		t.Errorf("Retry-After %q, want 30", ra)
	}
	if string(r.body) != `{"error":"Rate limit exceeded"}` {
		t.Errorf("body %s", r.body)
	}
	// A refused request does not use a slot; once the first leaves the
	// window a request passes again.
	clock.Advance(31 * time.Second)
	getLeads(t, s)

	// Unauthorised requests are not rate limited: the limit is per key.
	if r := getWithKey(t, s, leadsPath, leadsQuery(s), "Bearer other"); r.status != 401 {
		t.Errorf("bad key while limited: status %d, want 401", r.status)
	}
	if got := s.Requests()[2].Status; got != 429 {
		t.Errorf("recorded status %d, want 429", got)
	}
}

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
