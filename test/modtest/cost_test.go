package modtest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"github.com/zclconf/go-cty/cty"
)

// sharedCTE is the shape of a table's shared CTE (local.journeybee_leads_sql
// starts the query with `with`, the others are CTE items placed after `with`
// or a comma): its groups are the CTE's name, the column list every panel's
// scan asks the plugin for, and the table.
var sharedCTE = regexp.MustCompile(`(?s)^(?:with\s+)?(\w+) as materialized \(\s*select(.*?)from\s+(journeybee_\w+)\s*\)\s*$`)

// tableName is a reference to a JourneyBee table.
var tableName = regexp.MustCompile(`\bjourneybee_[a-z_]+\b`)

// cte is a table's shared CTE.
type cte struct {
	local, text string
	columns     []string
}

// sharedCTEs returns the shared CTE of each table the mod's locals read.
// A local that names a table must be one: a materialized scan of a fixed
// column list, without WHERE, and the only one for its table.
func (m *mod) sharedCTEs(t *testing.T) map[string]*cte {
	t.Helper()
	out := map[string]*cte{}
	for name, v := range m.locals {
		if !v.Type().Equals(cty.String) || !tableName.MatchString(v.AsString()) {
			continue
		}
		text := v.AsString()
		g := sharedCTE.FindStringSubmatch(text)
		if g == nil || strings.Contains(strings.ToLower(text), "where") {
			t.Errorf("local.%s reads a table but is not a materialized scan without WHERE:\n%s", name, text)
			continue
		}
		if prev := out[g[3]]; prev != nil {
			t.Errorf("%s has two shared CTEs: local.%s and local.%s", g[3], prev.local, name)
			continue
		}
		c := &cte{local: name, text: text}
		for _, col := range strings.Split(g[2], ",") {
			c.columns = append(c.columns, strings.TrimSpace(col))
		}
		out[g[3]] = c
	}
	return out
}

// tablesOf lists the tables a query reads, through their shared CTEs.
func tablesOf(q *modQuery, ctes map[string]*cte) []string {
	var out []string
	for table, c := range ctes {
		if strings.Contains(q.sql, c.text) {
			out = append(out, table)
		}
	}
	sort.Strings(out)
	return out
}

// testAPICost measures what the README promises: with the plugin's reply
// cache (on for the connection's cache_ttl), loading a dashboard (all its
// panels' scans at once, as Powerpipe starts them) costs one full scan of
// API requests per table it reads, and loading it or another dashboard
// again within the TTL costs none. Each panel's scan of a table is the one
// the FDW sends for that table's shared CTE: its columns, no quals, no
// limit.
func (e *env) testAPICost(t *testing.T) {
	ctes := e.mod.sharedCTEs(t)
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
	rowsOf := map[string]int{"journeybee_lead": len(e.leads), "journeybee_lead_deal": len(e.deals), "journeybee_partnership": len(e.partnerships)}

	// One full scan of each table, with the reply cache off, for N items in
	// pages of 100: one request when the first page holds them all (N <=
	// 100), else ⌈(N - 1) / 99⌉ + 1 (each page after the first repeats the
	// boundary item, and the last holds only it).
	fullScan := map[string]int64{}
	for table, c := range ctes {
		baseURL := counting()
		host := plugintest.HostAt(t, baseURL, srv.APIKey(), srv.UserID(), "cache_ttl = 0")
		before := requests.Load()
		rows, err := host.Collect(context.Background(), pluginhost.Query{Connection: plugintest.Connection, Table: table, Columns: c.columns})
		if err != nil {
			t.Fatal(err)
		}
		fullScan[table] = requests.Load() - before
		n := int64(rowsOf[table])
		t.Logf("%s: one full scan of %d rows: %d API requests", table, len(rows), fullScan[table])
		want := int64(1)
		if n > 100 {
			want = (n-1+98)/99 + 1
		}
		if int64(len(rows)) != n || fullScan[table] != want {
			t.Errorf("%s: a full scan streamed %d rows in %d requests, want %d rows in %d", table, len(rows), fullScan[table], n, want)
		}
	}

	// panelScans are a dashboard's scans: one per panel and table its query
	// reads.
	panelScans := func(d *modDashboard) []string {
		var out []string
		for _, p := range d.panels {
			out = append(out, tablesOf(e.mod.queries[p.query], ctes)...)
		}
		return out
	}
	// load runs a dashboard's scans at once, as Powerpipe starts its
	// panels, and returns the API requests they made.
	load := func(host *pluginhost.Host, scans []string) int64 {
		before := requests.Load()
		var wg sync.WaitGroup
		for _, table := range scans {
			wg.Go(func() {
				rows, err := host.Collect(context.Background(), pluginhost.Query{Connection: plugintest.Connection, Table: table, Columns: ctes[table].columns, Cache: true})
				if err != nil || len(rows) != rowsOf[table] {
					t.Errorf("a panel's scan of %s streamed %d rows (%v), want %d", table, len(rows), err, rowsOf[table])
				}
			})
		}
		wg.Wait()
		return requests.Load() - before
	}
	// cost is one full scan of each table in scans not read before.
	cost := func(scans []string, read map[string]bool) int64 {
		var n int64
		for _, table := range scans {
			if !read[table] {
				read[table] = true
				n += fullScan[table]
			}
		}
		return n
	}

	for _, d := range e.mod.dashboards {
		// A fresh plugin and an empty cache.
		host := plugintest.HostAt(t, counting(), srv.APIKey(), srv.UserID())
		scans := panelScans(d)
		want := cost(scans, map[string]bool{})
		first, refresh := load(host, scans), load(host, scans)
		t.Logf("%s: %d panels, %d scans; first load %d API requests, refresh %d (one full scan of each table read: %d)", d.name, len(d.panels), len(scans), first, refresh, want)
		if first != want || refresh != 0 {
			t.Errorf("%s (%d panels): first load made %d API requests, want %d (one scan per table); a refresh %d, want 0", d.name, len(d.panels), first, want, refresh)
		}
	}

	if os.Getenv("JOURNEYBEE_MEASURE_PER_CONNECTION") != "" {
		e.measurePerConnection(t, srv, counting, requests.Load, ctes, rowsOf, fullScan, panelScans, cost)
	}

	// One plugin loading every dashboard in turn: each costs a scan of the
	// tables no dashboard before it read, and within the TTL loading them
	// all again costs nothing.
	host := plugintest.HostAt(t, counting(), srv.APIKey(), srv.UserID())
	read := map[string]bool{}
	for _, d := range e.mod.dashboards {
		scans := panelScans(d)
		if got, want := load(host, scans), cost(scans, read); got != want {
			t.Errorf("loading %s after the dashboards before it made %d API requests, want %d", d.name, got, want)
		}
	}
	for _, table := range modTables {
		if !read[table] {
			t.Errorf("no dashboard reads %s", table)
		}
	}
	for _, d := range e.mod.dashboards {
		if got := load(host, panelScans(d)); got != 0 {
			t.Errorf("loading %s again made %d API requests, want 0", d.name, got)
		}
	}
}

// measurePerConnection measures the mod's per-dashboard requests for a
// plugin per Postgres connection, as under the standalone FDW, for the
// table in powerpipe/docs/index.md (JOURNEYBEE_MEASURE_PER_CONNECTION=1
// go test -run 'TestMod/API_cost' ./test/modtest/): about 300 plugin
// instances, 10 GB of memory, so not on every run. TestProcessesShareReplies proves the same with OS processes.
func (e *env) measurePerConnection(t *testing.T, srv *journeybeetest.Server, counting func() string, requestCount func() int64, ctes map[string]*cte, rowsOf map[string]int, fullScan map[string]int64, panelScans func(*modDashboard) []string, cost func([]string, map[string]bool) int64) {
	// A plugin per Postgres connection, as under the standalone FDW: each
	// panel's scan runs in a plugin copy of its own (its own client, pace
	// and in-memory reply cache), new on every load as Powerpipe opens new
	// connections. The copies share the machine's state directory; with
	// state_dir = "none" (every copy on its own, as before the state
	// directory existed) each panel costs a full scan. Every copy is kept
	// until the test ends: the plugin tells its instances apart by address,
	// which a collected one could hand to a new one. Their SDK caches get
	// 1 MB: the SDK's cache is off for every table.
	var copies []*pluginhost.Host
	perConnection := func(baseURL, stateDir string, scans []string) int64 {
		before := requestCount()
		var wg sync.WaitGroup
		for _, table := range scans {
			host := plugintest.HostWith(t, pluginhost.Options{MaxCacheSizeMb: 1}, baseURL, srv.APIKey(), srv.UserID(), fmt.Sprintf("state_dir = %q", stateDir))
			copies = append(copies, host)
			wg.Go(func() {
				rows, err := host.Collect(context.Background(), pluginhost.Query{Connection: plugintest.Connection, Table: table, Columns: ctes[table].columns})
				if err != nil || len(rows) != rowsOf[table] {
					t.Errorf("a panel's scan of %s streamed %d rows (%v), want %d", table, len(rows), err, rowsOf[table])
				}
			})
		}
		wg.Wait()
		return requestCount() - before
	}
	for _, d := range e.mod.dashboards {
		scans := panelScans(d)
		want := cost(scans, map[string]bool{})
		apart := counting()
		aloneFirst, aloneRefresh := perConnection(apart, "none", scans), perConnection(apart, "none", scans)
		shared, dir := counting(), filepath.Join(t.TempDir(), "state")
		first, refresh := perConnection(shared, dir, scans), perConnection(shared, dir, scans)
		t.Logf("%s, a plugin per connection: first load %d API requests, refresh %d (each copy on its own: %d and %d)", d.name, first, refresh, aloneFirst, aloneRefresh)
		var alone int64
		for _, table := range scans {
			alone += fullScan[table]
		}
		if aloneFirst != alone || aloneRefresh != alone {
			t.Errorf("%s, each copy on its own: %d and %d API requests, want a full scan per panel, %d", d.name, aloneFirst, aloneRefresh, alone)
		}
		if first != want || refresh != 0 {
			t.Errorf("%s, a plugin per panel sharing the state directory: first load made %d API requests, want %d (one scan per table); a refresh %d, want 0", d.name, first, want, refresh)
		}
	}
}
