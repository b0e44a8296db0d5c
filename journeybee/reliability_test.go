//go:build !race

package journeybee

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
	jbt "github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

// TestFaults: whatever the API does, a query returns the exact, complete set
// of leads or an error naming the cause. Each case is bounded in time.
func TestFaults(t *testing.T) {
	type outcome struct {
		complete  bool   // every lead, exactly once
		nullLists bool   // with the API's null lists as NULL
		err       string // else: the error must say this
	}
	fault := func(kind jbt.FaultKind, onRequest, times int) jbt.Fault {
		return jbt.Fault{Kind: kind, OnRequest: onRequest, Times: times}
	}
	status := func(code, onRequest, times int, retryAfter string) jbt.Fault {
		return jbt.Fault{Kind: jbt.FaultStatus, Status: code, OnRequest: onRequest, Times: times, RetryAfter: retryAfter}
	}
	tests := []struct {
		name   string
		faults []jbt.Fault
		paging jbt.PagingMode
		hcl    string
		want   outcome
	}{
		{"429 with Retry-After", []jbt.Fault{status(429, 2, 1, "1")}, 0, "", outcome{complete: true}},
		{"429 without Retry-After", []jbt.Fault{status(429, 2, 3, "")}, 0, "", outcome{complete: true}},
		{"500 burst", []jbt.Fault{status(500, 1, 3, "")}, 0, "", outcome{complete: true}},
		{"502 burst", []jbt.Fault{status(502, 2, 3, "")}, 0, "", outcome{complete: true}},
		{"503 burst", []jbt.Fault{status(503, 3, 4, "")}, 0, "", outcome{complete: true}},
		{"504 burst", []jbt.Fault{status(504, 1, 2, ""), status(504, 5, 2, "")}, 0, "", outcome{complete: true}},
		{"5xx beyond the retries", []jbt.Fault{status(503, 1, jbt.Always, "")}, 0, "max_error_retry_attempts = 2", outcome{err: "503 Service Unavailable"}},
		{"429 beyond the retries", []jbt.Fault{status(429, 1, jbt.Always, "0")}, 0, "max_error_retry_attempts = 1", outcome{err: "100 requests per minute"}},
		{"connection reset mid-body", []jbt.Fault{fault(jbt.FaultConnectionReset, 2, 2)}, 0, "", outcome{complete: true}},
		{"slower than the timeout once", []jbt.Fault{{Kind: jbt.FaultDelay, Delay: 5 * time.Second, OnRequest: 2}}, 0, "request_timeout = 1", outcome{complete: true}},
		{"always slower than the timeout", []jbt.Fault{{Kind: jbt.FaultDelay, Delay: 5 * time.Second, Times: jbt.Always}}, 0, "request_timeout = 1\nmax_error_retry_attempts = 1", outcome{err: "timed out"}},
		{"malformed JSON", []jbt.Fault{fault(jbt.FaultMalformedJSON, 1, 1)}, 0, "", outcome{err: "the body is malformed or cut short"}},
		{"truncated JSON", []jbt.Fault{fault(jbt.FaultTruncatedJSON, 1, 1)}, 0, "", outcome{err: "the body is malformed or cut short"}},
		{"object instead of array", []jbt.Fault{fault(jbt.FaultObjectInsteadOfArray, 1, 1)}, 0, "", outcome{err: "a JSON object instead of the documented array"}},
		{"HTML page with status 200", []jbt.Fault{{Kind: jbt.FaultHTMLPage, OnRequest: 1}}, 0, "", outcome{err: "an HTML page instead of JSON"}},
		{"unknown extra fields are ignored", []jbt.Fault{fault(jbt.FaultExtraFields, 1, jbt.Always)}, 0, "", outcome{complete: true}},
		{"null where arrays are expected", []jbt.Fault{fault(jbt.FaultNullArrays, 1, jbt.Always)}, 0, "", outcome{complete: true, nullLists: true}},
		{"a page out of order", []jbt.Fault{fault(jbt.FaultReorderPage, 1, 1)}, 0, "", outcome{err: "items are not newest first"}},
		{"a lead newer than the cursor", []jbt.Fault{fault(jbt.FaultLeadNewerThanCursor, 2, 1)}, 0, "", outcome{err: "is newer than the cursor"}},
		{"boundary leads repeated", nil, jbt.PagingInclusive, "", outcome{complete: true}},
		{"a cursor that never advances", nil, jbt.PagingIgnoreCursor, "", outcome{err: "is newer than the cursor"}},
		{"pages past total", nil, jbt.PagingPastTotal, "", outcome{complete: true}},
		{"malformed JSON mid-scan", []jbt.Fault{fault(jbt.FaultMalformedJSON, 2, 1)}, 0, "", outcome{err: "the body is malformed or cut short"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := jbt.Config{Leads: jbt.GenerateLeads(120, 5), PageSize: 50, Faults: tt.faults, Paging: tt.paging}
			f := newFixture(t, cfg, tt.hcl)
			var rows []pluginhost.Row
			var err error
			done := make(chan struct{})
			go func() {
				defer close(done)
				rows, err = f.query(0)
			}()
			select {
			case <-done:
			case <-time.After(45 * time.Second):
				t.Fatal("the query hung")
			}
			if tt.want.complete {
				if err != nil {
					t.Fatalf("query failed: %v", err)
				}
				want := plugintest.IDs(cfg.Leads, idOfLead, nil)
				if got := plugintest.RowIDs(rows, "id"); !slices.Equal(got, want) {
					t.Fatalf("%d rows, want exactly the %d leads", len(got), len(want))
				}
				t.Logf("complete: %d rows in %d requests", len(rows), f.srv.RequestCount())
				// A null list from the API stays NULL; otherwise it is
				// the API's array.
				for _, r := range rows {
					tags := pluginhost.Value(r["tags"])
					if tt.want.nullLists && tags != nil {
						t.Fatalf("tags = %v, want NULL for the API's null", tags)
					}
					if !tt.want.nullLists && (tags == nil || !strings.HasPrefix(tags.(string), "[")) {
						t.Fatalf("tags = %v, want a JSON array", tags)
					}
				}
				return
			}
			f.expectQueryError(err, tt.want.err)
			t.Logf("the user sees: %v", err)
		})
	}
}

// TestAPIKeyNeverLogged runs queries — successful, retried and failing —
// with every plugin and SDK log line captured at TRACE, and looks for the key.
func TestAPIKeyNeverLogged(t *testing.T) {
	const key = "jb_api_SECRET-7f3a9c-DO-NOT-LEAK"
	cfg := jbt.Config{APIKey: key, Leads: jbt.GenerateLeads(120, 9), PageSize: 50,
		Faults: []jbt.Fault{{Kind: jbt.FaultStatus, Status: 503, OnRequest: 2}, {Kind: jbt.FaultStatus, Status: 429, RetryAfter: "0", OnRequest: 4}}}
	srv := plugintest.Fake(t, cfg)
	logs := &syncBuffer{}
	host := plugintest.Start(t, Plugin, pluginhost.Options{Log: logs, LogLevel: hclog.Trace},
		plugintest.Config{Name: "good", APIKey: key, UserID: 456, BaseURL: srv.URL, MinErrorRetryDelay: 1},
		plugintest.Config{Name: "bad_user", APIKey: key, UserID: 9, BaseURL: srv.URL},
		plugintest.Config{Name: "bad_url", APIKey: key, UserID: 9, BaseURL: "http://example.com"},
	)
	var errs []error
	for _, conn := range []string{"good", "bad_user", "bad_url"} {
		_, err := host.Collect(t.Context(), pluginhost.Query{Connection: conn, Table: "journeybee_lead", Quals: []*proto.Qual{eq("status", "new")},
			Columns: []string{"id", "title", "email", "status", "tags", "assigned_users", "partnership_leads", "lead_deals"}})
		errs = append(errs, err)
	}
	if errs[0] != nil || errs[1] == nil || errs[2] == nil {
		t.Fatalf("want the good connection to work and the others to fail: %v", errs)
	}
	for _, err := range errs[1:] {
		if strings.Contains(err.Error(), key) {
			t.Fatalf("the key is in an error: %v", err)
		}
	}
	out := logs.String()
	if !strings.Contains(out, "[TRACE]") || !strings.Contains(out, "retrying") {
		t.Fatalf("the log capture saw no TRACE lines or retries; it proves nothing:\n%.2000s", out)
	}
	if strings.Contains(out, key) || strings.Contains(out, "SECRET-7f3a9c") {
		t.Fatal("the API key appears in the plugin log")
	}
	for _, r := range srv.Requests() {
		if strings.Contains(r.Query.Encode(), "SECRET") {
			t.Fatal("the API key was sent in a URL")
		}
	}
}

// TestConcurrentQueriesOnOneConnection: 8 queries at once on one connection
// each get exactly their own leads.
func TestConcurrentQueriesOnOneConnection(t *testing.T) {
	f := newFixture(t, jbt.Config{Leads: jbt.GenerateLeads(400, 21), PageSize: 40})
	leads := f.srv.Leads()
	type job struct {
		quals []*proto.Qual
		keep  func(*jbt.Lead) bool
	}
	jobs := []job{{nil, func(*jbt.Lead) bool { return true }}}
	for _, s := range jbt.LeadStatuses {
		jobs = append(jobs, job{[]*proto.Qual{eq("status", s)}, func(l *jbt.Lead) bool { return l.Status == s }})
	}
	jobs = append(jobs,
		job{[]*proto.Qual{eq("is_assigned", true)}, func(l *jbt.Lead) bool { return len(l.AssignedUsers) > 0 }},
		job{[]*proto.Qual{eq("is_assigned", false)}, func(l *jbt.Lead) bool { return len(l.AssignedUsers) == 0 }},
	)
	if len(jobs) != 8 {
		t.Fatalf("%d jobs, want 8", len(jobs))
	}
	var wg sync.WaitGroup
	errs := make([]error, len(jobs))
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rows, err := f.host.Collect(t.Context(), pluginhost.Query{Connection: testConnection, Table: "journeybee_lead", Columns: f.leadColumns(), Quals: j.quals})
			if err != nil {
				errs[i] = err
				return
			}
			if got, want := plugintest.RowIDs(rows, "id"), plugintest.IDs(leads, idOfLead, j.keep); !slices.Equal(got, want) {
				errs[i] = fmt.Errorf("query %d: %d rows, want %d", i, len(got), len(want))
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
}

// TestCancellationStopsPaging: a query abandoned mid-scan (the client went
// away) stops at once, even while a request is in flight.
func TestCancellationStopsPaging(t *testing.T) {
	cfg := jbt.Config{Leads: jbt.GenerateLeads(500, 4), PageSize: 50,
		Faults: []jbt.Fault{{Kind: jbt.FaultDelay, Delay: 30 * time.Second, OnRequest: 2, Times: jbt.Always}}}
	f := newFixture(t, cfg)
	ctx, cancel := context.WithCancel(t.Context())
	rowsSeen := 0
	done := make(chan error, 1)
	go func() {
		done <- f.host.Execute(ctx, pluginhost.Query{Connection: testConnection, Table: "journeybee_lead", Columns: []string{"id"}}, func(pluginhost.Row) error {
			rowsSeen++
			if rowsSeen == 50 {
				cancel()
			}
			return nil
		})
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the cancelled query kept waiting on the delayed page")
	}
	if n := f.srv.RequestCount(); n > 2 {
		t.Fatalf("%d requests after cancelling on page 1, want at most the prefetch of page 2", n)
	}
}
