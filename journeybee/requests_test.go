//go:build !race

package journeybee

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

// What the plugin sends, and where: the rate limit as a ceiling, the reply
// cache, redirects, and odd but legal replies, through the SDK's Execute.

// TestFanOutStaysUnderTheAPIRateLimit: status IN (...) AND view IN (...) is
// one List call making one API scan per view and search; with the default
// limit (90 a minute) against a fake enforcing the documented 100 a minute
// with 429s, no request is refused and no 60 s window holds more than 90.
// The minute passes on the fake clock (onFakeClock);
// TestFanOutStaysUnderTheAPIRateLimitRealMinute is the same on the wall
// clock, in make bench.
func TestFanOutStaysUnderTheAPIRateLimit(t *testing.T) {
	f := newFixture(t, fanOutConfig(), "max_requests_per_minute = 90")
	onFakeClock(t, f, func(t *testing.T) {
		began := time.Now()
		checkFanOutPace(t, f)
		if took := time.Since(began); took < time.Minute {
			t.Fatalf("the query ended after %s of the bubble's time: the pace did not make it wait out the minute", took)
		}
	})
}

// TestFanOutStaysUnderTheAPIRateLimitRealMinute is
// TestFanOutStaysUnderTheAPIRateLimit over HTTP for a minute of wall time:
// make bench runs it (JOURNEYBEE_BENCH_REALTIME=1), not make test.
func TestFanOutStaysUnderTheAPIRateLimitRealMinute(t *testing.T) {
	if os.Getenv("JOURNEYBEE_BENCH_REALTIME") == "" {
		t.Skip("a minute-long check: make bench runs it with JOURNEYBEE_BENCH_REALTIME=1")
	}
	checkFanOutPace(t, newFixture(t, fanOutConfig(), "max_requests_per_minute = 90"))
}

// fanOutConfig is 60 leads behind the API's documented 100 requests a
// minute.
func fanOutConfig() journeybeetest.Config {
	return journeybeetest.Config{Leads: journeybeetest.GenerateLeads(60, 4), RateLimitPerMinute: 100}
}

// checkFanOutPace runs 160 one-request API scans with a 62 s deadline and
// checks the first minute: none refused, at most 90 and at least 80
// requests in any 60 s window.
func checkFanOutPace(t *testing.T, f *fixture) {
	t.Helper()
	var searches []any
	for i := 0; i < 40; i++ {
		searches = append(searches, fmt.Sprintf("probe-%d", i))
	}
	// 4 views × 40 searches: 160 API scans of one request each.
	ctx, cancel := context.WithTimeout(context.Background(), 62*time.Second)
	defer cancel()
	_, err := f.host.Collect(ctx, pluginhost.Query{Connection: testConnection, Table: "journeybee_lead", Columns: f.leadColumns(), Quals: []*proto.Qual{
		in("status", "new", "contacted"), in("view", "received", "sent", "reseller", "campaigns"), in("search", searches...),
	}})
	if err == nil {
		t.Fatal("160 requests finished within a minute: the limit was not applied")
	}
	refused := 0
	for _, r := range f.srv.Requests() {
		if r.Status == http.StatusTooManyRequests {
			refused++
		}
	}
	peak := f.srv.PeakRequestsPerMinute()
	t.Logf("%d requests in the first minute (peak in any 60 s window: %d), %d refused", f.srv.RequestCount(), peak, refused)
	if refused > 0 || peak > 90 {
		t.Fatalf("%d requests refused with 429 and a peak of %d in 60 s: the default must stay at or under 90 a minute", refused, peak)
	}
	if peak < 80 {
		t.Fatalf("a peak of %d in 60 s: the limiter is far stricter than its 90 a minute", peak)
	}
}

// TestRequestlessListCallsDoNotWaitOnTheLimit: with a limit of 2 requests
// a minute, a first query spends the burst; twenty repeats answered by the
// reply cache make no request and so must not wait a minute each (a join's
// rescans are such repeats).
func TestRequestlessListCallsDoNotWaitOnTheLimit(t *testing.T) {
	f := newFixture(t, datasetConfig(30), "max_requests_per_minute = 2", "cache_ttl = 300")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for i := 0; i < 21; i++ {
		rows, err := f.host.Collect(ctx, pluginhost.Query{Connection: testConnection, Table: "journeybee_lead", Columns: f.leadColumns(), Quals: []*proto.Qual{eq("status", "new")}, Cache: true})
		if err != nil {
			t.Fatalf("query %d: %v (a repeat answered from the cache waited on the rate limit)", i+1, err)
		}
		if len(rows) == 0 {
			t.Fatal("no rows")
		}
	}
	if n := f.srv.RequestCount(); n != 1 {
		t.Fatalf("%d requests for 21 identical queries within the cache TTL, want 1", n)
	}
}

// TestConcurrentIdenticalScansShareOneAPIScan: a dashboard's panels read the
// same table at once; they cost one API scan, and each gets every row.
func TestConcurrentIdenticalScansShareOneAPIScan(t *testing.T) {
	cfg := datasetConfig(400)
	cfg.Latency = 20 * time.Millisecond
	f := newFixture(t, cfg, "cache_ttl = 300")
	const panels = 6
	var wg sync.WaitGroup
	counts := make([]int, panels)
	errs := make([]error, panels)
	for i := range panels {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rows, err := f.host.Collect(t.Context(), pluginhost.Query{Connection: testConnection, Table: "journeybee_lead", Columns: []string{"id", "status"}, Cache: true})
			counts[i], errs[i] = len(rows), err
		}()
	}
	wg.Wait()
	for i := range panels {
		if errs[i] != nil || counts[i] != 400 {
			t.Fatalf("panel %d: %d rows, %v; want all 400", i, counts[i], errs[i])
		}
	}
	alone := newFixture(t, datasetConfig(400))
	alone.mustQuery(0)
	if n, one := f.srv.RequestCount(), alone.srv.RequestCount(); n != one {
		t.Fatalf("%d requests for %d identical concurrent scans, want %d (what one scan costs)", n, panels, one)
	}
}

// TestRedirectsAreNotFollowed: the API answering with a redirect to another
// port of the same host gets a clear error naming the target; the key is
// never sent there, and nothing is retried.
func TestRedirectsAreNotFollowed(t *testing.T) {
	var elsewhere sync.Map
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Store(r.URL.Path, r.Header.Get("Authorization"))
		_, _ = w.Write([]byte(`[]`))
	}))
	defer other.Close()
	cfg := journeybeetest.Config{Leads: journeybeetest.GenerateLeads(10, 1),
		Faults: []journeybeetest.Fault{{Kind: journeybeetest.FaultRedirect, Status: http.StatusTemporaryRedirect, Location: other.URL + "/api/v1/leads?x=1", Times: journeybeetest.Always}}}
	f := newFixture(t, cfg)
	_, err := f.query(0)
	f.expectQueryError(err, "307 Temporary Redirect redirecting to "+other.URL+"/api/v1/leads: not followed, the API key is sent only to "+f.srv.URL)
	if strings.Contains(err.Error(), "Invalid API key") || strings.Contains(err.Error(), f.srv.APIKey()) {
		t.Fatalf("err = %v", err)
	}
	if n := f.srv.RequestCount(); n != 1 {
		t.Fatalf("%d requests, want 1: a redirect is not retried", n)
	}
	elsewhere.Range(func(path, auth any) bool {
		t.Fatalf("the redirect target got %s with Authorization %q", path, auth)
		return false
	})
}

// TestOddButLegalReplies: a byte-order mark before the JSON, NUL characters
// in text, and nulls where values are expected come through as a user
// would want them.
func TestOddButLegalReplies(t *testing.T) {
	cfg := journeybeetest.GenerateAccount(60, 3)
	nul := "Ac\x00me"
	cfg.Leads[0].CompanyName = &nul
	cfg.PageSize = 50
	cfg.Faults = []journeybeetest.Fault{{Kind: journeybeetest.FaultBOM, Times: journeybeetest.Always}}
	f := newFixture(t, cfg)
	rows := f.mustQuery(0)
	if len(rows) != 60 {
		t.Fatalf("%d rows behind a byte-order mark, want 60", len(rows))
	}
	byID := map[int64]pluginhost.Row{}
	for _, r := range rows {
		byID[pluginhost.Value(r["id"]).(int64)] = r
	}
	if got := pluginhost.Value(byID[cfg.Leads[0].ID]["company_name"]); got != "Ac\uFFFDme" {
		t.Fatalf("company_name = %q, want the NUL as U+FFFD (Postgres cannot store NUL)", got)
	}
	oldest := cfg.Leads[len(cfg.Leads)-1]
	if got := pluginhost.Value(byID[oldest.ID]["source"]); got != nil {
		t.Fatalf("source = %#v for the API's null, want NULL", got)
	}
	nullDeal := 0
	for _, r := range rows {
		if deals, _ := pluginhost.Value(r["lead_deals"]).(string); strings.Contains(deals, `"deal_value":null`) && strings.Contains(deals, `"stage_id":null`) {
			nullDeal++
		}
	}
	if nullDeal != 1 {
		t.Fatalf("%d rows whose lead_deals keep the API's null deal_value and stage_id, want 1", nullDeal)
	}
}
