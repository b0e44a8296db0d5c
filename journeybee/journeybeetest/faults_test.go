package journeybeetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
)

func TestFaultSchedule(t *testing.T) {
	tests := []struct {
		fault Fault
		fires []int // among requests 1..6
	}{
		{Fault{}, []int{1, 2, 3, 4, 5, 6}},
		{Fault{Times: 2}, []int{1, 2}},
		{Fault{OnRequest: 3}, []int{3}},
		{Fault{OnRequest: 3, Times: 2}, []int{3, 4}},
		{Fault{OnRequest: 4, Times: Always}, []int{4, 5, 6}},
		{Fault{Times: Always}, []int{1, 2, 3, 4, 5, 6}},
	}
	for _, tt := range tests {
		var got []int
		for n := 1; n <= 6; n++ {
			if tt.fault.firesOn(n) {
				got = append(got, n)
			}
		}
		if !slices.Equal(got, tt.fires) {
			t.Errorf("OnRequest %d Times %d fires on %v, want %v", tt.fault.OnRequest, tt.fault.Times, got, tt.fires)
		}
	}
}

// TestFaultKinds injects each fault on the first request and compares the
// reply with the normal one the second request gets.
func TestFaultKinds(t *testing.T) {
	leads := GenerateLeads(20, 1)
	cursor := cursorOf(leads[4])
	tests := []struct {
		name  string
		fault Fault
		check func(t *testing.T, faulty, normal response)
	}{
		{"status with Retry-After", Fault{Kind: FaultStatus, Status: 503, RetryAfter: "7"}, func(t *testing.T, r, _ response) {
			wantReply(t, r, 503, "application/json", `{"error":"Service Unavailable"}`)
			if r.header.Get("Retry-After") != "7" {
				t.Errorf("Retry-After %q, want 7", r.header.Get("Retry-After"))
			}
		}},
		{"status defaults to 500", Fault{Kind: FaultStatus}, func(t *testing.T, r, _ response) {
			wantReply(t, r, 500, "application/json", `{"error":"Internal Server Error"}`)
		}},
		{"status with a verbatim body", Fault{Kind: FaultStatus, Status: 502, Body: "upstream connect error"}, func(t *testing.T, r, _ response) {
			wantReply(t, r, 502, "text/plain; charset=utf-8", "upstream connect error")
		}},
		{"HTML page with 200", Fault{Kind: FaultHTMLPage}, func(t *testing.T, r, _ response) {
			if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !bytes.HasPrefix(r.body, []byte("<!DOCTYPE html>")) {
				t.Errorf("got %d %q %.40s", r.status, r.header.Get("Content-Type"), r.body)
			}
		}},
		{"redirect", Fault{Kind: FaultRedirect, Status: 307, Location: "https://moved.example/api/v1/leads"}, func(t *testing.T, r, _ response) {
			if r.status != 307 || r.header.Get("Location") != "https://moved.example/api/v1/leads" || len(r.body) != 0 {
				t.Errorf("got %d, Location %q, body %q", r.status, r.header.Get("Location"), r.body)
			}
		}},
		{"byte-order mark", Fault{Kind: FaultBOM}, func(t *testing.T, r, normal response) {
			if r.status != 200 || string(r.body) != "\xEF\xBB\xBF"+string(normal.body) {
				t.Errorf("got %d %.20q, want the normal body after EF BB BF", r.status, r.body)
			}
		}},
		{"malformed JSON", Fault{Kind: FaultMalformedJSON}, func(t *testing.T, r, normal response) {
			if r.status != 200 || json.Valid(r.body) || len(r.body) != len(normal.body)+1 {
				t.Errorf("got %d, valid %t: %.60s", r.status, json.Valid(r.body), r.body)
			}
		}},
		{"truncated JSON", Fault{Kind: FaultTruncatedJSON}, func(t *testing.T, r, normal response) {
			if r.status != 200 || r.readErr != nil || json.Valid(r.body) || !bytes.HasPrefix(normal.body, r.body) || len(r.body) != len(normal.body)/2 {
				t.Errorf("got %d, read error %v, %d of %d bytes", r.status, r.readErr, len(r.body), len(normal.body))
			}
		}},
		{"object instead of array", Fault{Kind: FaultObjectInsteadOfArray}, func(t *testing.T, r, normal response) {
			var wrapped struct{ Leads json.RawMessage }
			if err := json.Unmarshal(r.body, &wrapped); err != nil || !bytes.Equal(wrapped.Leads, normal.body) {
				t.Errorf("got %.60s, want {\"leads\": <the page>}", r.body)
			}
		}},
		{"extra fields", Fault{Kind: FaultExtraFields}, func(t *testing.T, r, normal response) {
			var raw []map[string]json.RawMessage
			if err := json.Unmarshal(r.body, &raw); err != nil {
				t.Fatal(err)
			}
			for _, l := range raw {
				if _, ok := l["lead_score"]; !ok {
					t.Fatalf("lead %s lacks the extra fields", l["id"])
				}
			}
			if !equalLeads(t, r.body, normal.body) {
				t.Error("extra fields changed the known fields")
			}
		}},
		{"null arrays", Fault{Kind: FaultNullArrays}, func(t *testing.T, r, _ response) {
			var raw []map[string]json.RawMessage
			if err := json.Unmarshal(r.body, &raw); err != nil {
				t.Fatal(err)
			}
			for _, l := range raw {
				for _, field := range []string{"tags", "assigned_users", "partnership_leads", "campaign_partners", "lead_deals"} {
					if string(l[field]) != "null" {
						t.Fatalf("lead %s: %s = %s, want null", l["id"], field, l[field])
					}
				}
			}
		}},
		{"reordered page", Fault{Kind: FaultReorderPage}, func(t *testing.T, r, normal response) {
			got, want := decodeIDs(t, r.body), decodeIDs(t, normal.body)
			slices.Reverse(want)
			wantIDs(t, "reordered", got, want)
		}},
		{"lead newer than the cursor", Fault{Kind: FaultLeadNewerThanCursor}, func(t *testing.T, r, normal response) {
			got, want := decodeIDs(t, r.body), decodeIDs(t, normal.body)
			// leads[5] shares the cursor's instant, so leads[3] is the
			// closest lead newer than it.
			wantIDs(t, "page", got, append([]int64{leads[3].ID}, want...))
		}},
		{"connection cut mid-body", Fault{Kind: FaultConnectionReset}, func(t *testing.T, r, _ response) {
			if r.status != 200 || r.readErr == nil {
				t.Errorf("got status %d and read error %v; want 200 and a failed body read", r.status, r.readErr)
			}
		}},
		{"delay", Fault{Kind: FaultDelay, Delay: 40 * time.Millisecond}, func(t *testing.T, r, normal response) {
			if !bytes.Equal(r.body, normal.body) {
				t.Error("a delay changed the reply")
			}
		}},
	}
	covered := map[FaultKind]bool{}
	for _, tt := range tests {
		covered[tt.fault.Kind] = true
		t.Run(tt.name, func(t *testing.T) {
			f := tt.fault
			f.OnRequest = 1
			s := start(t, Config{Leads: leads, PageSize: 5, Faults: []Fault{f}})
			q := leadsQuery(s, "cursor", cursor)
			began := time.Now()
			faulty := get(t, s, leadsPath, q)
			took := time.Since(began)
			normal := get(t, s, leadsPath, q)
			if normal.status != 200 {
				t.Fatalf("the fault fired again: %d", normal.status)
			}
			tt.check(t, faulty, normal)
			if f.Kind == FaultDelay && took < f.Delay {
				t.Errorf("reply took %s, want at least %s", took, f.Delay)
			}
			reqs := s.Requests()
			if !slices.Equal(reqs[0].Faults, []FaultKind{f.Kind}) || len(reqs[1].Faults) != 0 {
				t.Errorf("recorded faults %v then %v, want [%s] then none", reqs[0].Faults, reqs[1].Faults, f.Kind)
			}
		})
	}
	for _, k := range FaultKinds {
		if !covered[k] {
			t.Errorf("fault kind %s is not tested", k)
		}
	}
}

func TestEveryStatusFault(t *testing.T) {
	s := start(t, Config{Leads: fixtureLeads()})
	for _, status := range []int{429, 500, 502, 503, 504} {
		s.SetFaults(Fault{Kind: FaultStatus, Status: status})
		r := get(t, s, leadsPath, leadsQuery(s))
		wantReply(t, r, status, "application/json", fmt.Sprintf(`{"error":%q}`, http.StatusText(status)))
	}
}

func TestNewerThanCursorNeedsACursor(t *testing.T) {
	s := start(t, Config{Leads: fixtureLeads(), Faults: []Fault{{Kind: FaultLeadNewerThanCursor}}})
	wantIDs(t, "first page", ids(getLeads(t, s)), []int64{1, 2, 3, 4, 6, 5})
	if f := s.Requests()[0].Faults; len(f) != 0 {
		t.Errorf("recorded %v on a request without cursor", f)
	}
	// With a cursor newer than every lead, a synthetic lead stands in.
	got := getLeads(t, s, "cursor", "2030-01-01T00:00:00Z")
	if len(got) != 7 || !got[0].CreatedAt.After(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("got %v", ids(got))
	}
	wantIDs(t, "after the synthetic lead", ids(got[1:]), []int64{1, 2, 3, 4, 6, 5})
}

func TestShapingFaultsLeaveErrorsAlone(t *testing.T) {
	s := start(t, Config{Leads: fixtureLeads(), Faults: []Fault{{Kind: FaultTruncatedJSON}, {Kind: FaultNullArrays}}})
	r := getWithKey(t, s, leadsPath, leadsQuery(s), "Bearer wrong")
	wantReply(t, r, 401, "application/json", `{"error":"Invalid API key or insufficient permissions"}`)
	if f := s.Requests()[0].Faults; len(f) != 0 {
		t.Errorf("recorded %v on an error reply", f)
	}
}

func TestReplacingFaultsOverrideErrors(t *testing.T) {
	s := start(t, Config{Leads: fixtureLeads(), Faults: []Fault{{Kind: FaultStatus, Status: 502}}})
	r := getWithKey(t, s, leadsPath, leadsQuery(s), "Bearer wrong")
	if r.status != 502 {
		t.Errorf("status %d, want the gateway's 502 before any auth check", r.status)
	}
	if s.Requests()[0].Authorized {
		t.Error("a wrong key was recorded as authorized")
	}
}

func TestFaultsCompose(t *testing.T) {
	s := start(t, Config{Leads: fixtureLeads(), Faults: []Fault{
		{Kind: FaultExtraFields},
		{Kind: FaultNullArrays},
		{Kind: FaultDelay, Delay: 10 * time.Millisecond},
		{Kind: FaultDelay, Delay: 20 * time.Millisecond},
		{Kind: FaultHTMLPage, OnRequest: 2, Status: 502},
		{Kind: FaultStatus, OnRequest: 2, Status: 500},
	}})
	began := time.Now()
	r := get(t, s, leadsPath, leadsQuery(s))
	if took := time.Since(began); took < 30*time.Millisecond {
		t.Errorf("delays did not add up: %s", took)
	}
	if !bytes.Contains(r.body, []byte(`"lead_score":87`)) || !bytes.Contains(r.body, []byte(`"tags":null`)) {
		t.Errorf("extra fields and null arrays did not both apply: %.200s", r.body)
	}
	if want := []FaultKind{FaultNullArrays, FaultExtraFields, FaultDelay}; !slices.Equal(s.Requests()[0].Faults, want) {
		t.Errorf("recorded %v, want %v", s.Requests()[0].Faults, want)
	}
	// Of two replacing faults the first listed wins.
	if r := get(t, s, leadsPath, leadsQuery(s)); r.status != 502 || !bytes.HasPrefix(r.body, []byte("<!DOCTYPE")) {
		t.Errorf("second request: %d %.30s, want the HTML 502", r.status, r.body)
	}
}

func TestSetFaultsWithResetRequests(t *testing.T) {
	s := start(t, Config{Leads: fixtureLeads()})
	getLeads(t, s)
	getLeads(t, s)
	s.SetFaults(Fault{Kind: FaultStatus, OnRequest: 2, Status: 503})
	s.ResetRequests()
	getLeads(t, s)
	if r := get(t, s, leadsPath, leadsQuery(s)); r.status != 503 {
		t.Errorf("second request after reset: %d, want 503", r.status)
	}
}

// TestClientAgainstFaults checks the faults look to our client as intended:
// transient ones are retried away, the rest fail with typed errors.
func TestClientAgainstFaults(t *testing.T) {
	leads := GenerateLeads(30, 1)
	var (
		decodeErr *api.DecodeError
		pagingErr *api.PagingError
		apiErr    *api.APIError
	)
	tests := []struct {
		name   string
		faults []Fault
		wantAs any // nil: the walk succeeds
	}{
		{"503 twice then fine", []Fault{{Kind: FaultStatus, Status: 503, Times: 2}}, nil},
		{"429 with Retry-After", []Fault{{Kind: FaultStatus, Status: 429, RetryAfter: "0", OnRequest: 2}}, nil},
		{"connection cut, then fine", []Fault{{Kind: FaultConnectionReset, OnRequest: 2}}, nil},
		{"extra fields are ignored", []Fault{{Kind: FaultExtraFields}}, nil},
		{"null arrays decode", []Fault{{Kind: FaultNullArrays}}, nil},
		{"always 500", []Fault{{Kind: FaultStatus, Status: 500}}, &apiErr},
		{"truncated JSON", []Fault{{Kind: FaultTruncatedJSON, OnRequest: 2}}, &decodeErr},
		{"malformed JSON", []Fault{{Kind: FaultMalformedJSON}}, &decodeErr},
		{"object instead of array", []Fault{{Kind: FaultObjectInsteadOfArray}}, &decodeErr},
		{"HTML page", []Fault{{Kind: FaultHTMLPage}}, &decodeErr},
		{"reordered page", []Fault{{Kind: FaultReorderPage, OnRequest: 2}}, &pagingErr},
		{"lead newer than the cursor", []Fault{{Kind: FaultLeadNewerThanCursor, OnRequest: 2}}, &pagingErr},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := start(t, Config{Leads: leads, PageSize: 10, Faults: tt.faults})
			got, err := newClient(t, s).AllLeads(context.Background(), api.ListLeadsOptions{})
			if tt.wantAs == nil {
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != 30 {
					t.Errorf("got %d leads, want 30", len(got))
				}
				return
			}
			if !errors.As(err, tt.wantAs) {
				t.Errorf("got %v, want a %T", err, tt.wantAs)
			}
		})
	}
}

func TestDelayBeyondClientTimeout(t *testing.T) {
	s := start(t, Config{Leads: fixtureLeads(), Faults: []Fault{{Kind: FaultDelay, Delay: time.Minute}}})
	client := newClient(t, s, api.WithTimeout(50*time.Millisecond), api.WithRetryPolicy(api.RetryPolicy{}))
	began := time.Now()
	_, err := client.AllLeads(context.Background(), api.ListLeadsOptions{})
	var transportErr *api.TransportError
	if !errors.As(err, &transportErr) {
		t.Fatalf("got %v, want a timeout *api.TransportError", err)
	}
	if took := time.Since(began); took > 5*time.Second {
		t.Errorf("the client waited %s", took)
	}
	if r := s.Requests(); len(r) != 1 || !slices.Equal(r[0].Faults, []FaultKind{FaultDelay}) {
		t.Errorf("recorded %+v", r)
	}
	// Close (in Cleanup) must not wait out the minute.
}

func wantReply(t *testing.T, r response, status int, contentType, body string) {
	t.Helper()
	if r.status != status || r.header.Get("Content-Type") != contentType || string(r.body) != body {
		t.Errorf("got %d %q %s; want %d %q %s", r.status, r.header.Get("Content-Type"), r.body, status, contentType, body)
	}
}

func decodeIDs(t *testing.T, body []byte) []int64 {
	t.Helper()
	var leads []Lead
	if err := json.Unmarshal(body, &leads); err != nil {
		t.Fatalf("%v: %.60s", err, body)
	}
	return ids(leads)
}

// equalLeads reports whether two bodies decode to the same leads.
func equalLeads(t *testing.T, a, b []byte) bool {
	t.Helper()
	var la, lb []Lead
	if json.Unmarshal(a, &la) != nil || json.Unmarshal(b, &lb) != nil {
		return false
	}
	ja, _ := json.Marshal(la)
	jb, _ := json.Marshal(lb)
	return bytes.Equal(ja, jb)
}
