package modtest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
)

// sharedCTE is the shape of local.journeybee_leads_sql; its group is the
// column list every panel's scan asks the plugin for.
var sharedCTE = regexp.MustCompile(`(?s)^with leads as materialized \(\s*select(.*?)from\s+journeybee_lead\s*\)\s*$`)

// testAPICost measures what the README promises: with the plugin's reply
// cache (on for the query's cache TTL), loading a dashboard (all its
// panels' scans at once, as Powerpipe starts them) costs one full scan of
// API requests, and loading it or another dashboard again within the TTL
// costs none. Each panel's scan is the one the FDW sends for the shared
// CTE: its columns, no quals, no limit.
func (e *env) testAPICost(t *testing.T) {
	m := sharedCTE.FindStringSubmatch(e.mod.locals["journeybee_leads_sql"].AsString())
	if m == nil {
		t.Fatal("local.journeybee_leads_sql is not the shared CTE")
	}
	var columns []string
	for _, c := range strings.Split(m[1], ",") {
		columns = append(columns, strings.TrimSpace(c))
	}

	srv := e.fake(100)
	target, _ := url.Parse(srv.URL)
	var requests atomic.Int64
	proxy := httputil.NewSingleHostReverseProxy(target)
	// counting is a proxy of its own: a base URL no plugin client has used,
	// so its reply cache starts empty.
	counting := func() string {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			requests.Add(1)
			proxy.ServeHTTP(w, r)
		}))
		t.Cleanup(s.Close)
		return s.URL
	}
	uncached := func(baseURL string) {
		host := plugintest.HostAt(t, baseURL, srv.APIKey(), srv.UserID(), "cache_ttl = 0")
		if _, err := host.Collect(context.Background(), pluginhost.Query{Connection: plugintest.Connection, Table: "journeybee_lead", Columns: columns}); err != nil {
			t.Fatal(err)
		}
	}
	// load runs one scan per panel at once, as Powerpipe starts them, and
	// returns the API requests they made.
	load := func(host *pluginhost.Host, panels int) int64 {
		before := requests.Load()
		var wg sync.WaitGroup
		for range panels {
			wg.Go(func() {
				rows, err := host.Collect(context.Background(), pluginhost.Query{Connection: plugintest.Connection, Table: "journeybee_lead", Columns: columns, Cache: true})
				if err != nil || len(rows) != len(e.leads) {
					t.Errorf("a panel's scan streamed %d rows (%v), want %d", len(rows), err, len(e.leads))
				}
			})
		}
		wg.Wait()
		return requests.Load() - before
	}

	var host *pluginhost.Host
	for _, d := range e.mod.dashboards {
		// A fresh plugin and an empty cache.
		baseURL := counting()
		host = plugintest.HostAt(t, baseURL, srv.APIKey(), srv.UserID())
		before := requests.Load()
		uncached(baseURL)
		fullScan := requests.Load() - before
		first, refresh := load(host, len(d.panels)), load(host, len(d.panels))
		t.Logf("%s: %d panels; first load %d API requests, refresh %d (one full scan of %d leads: %d)", d.name, len(d.panels), first, refresh, len(e.leads), fullScan)
		if first != fullScan || refresh != 0 {
			t.Errorf("%s (%d panels): first load made %d API requests, want %d (one scan); a refresh %d, want 0", d.name, len(d.panels), first, fullScan, refresh)
		}
	}
	// Within the TTL the other dashboards cost nothing either.
	for _, d := range e.mod.dashboards {
		if got := load(host, len(d.panels)); got != 0 {
			t.Errorf("loading %s after another dashboard made %d API requests, want 0", d.name, got)
		}
	}
}
