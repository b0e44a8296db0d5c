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
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest/jbplugin"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
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
// A local that names a table without a filtered scan must be one: a
// materialized scan of a fixed column list, without WHERE, and the only
// one for its table.
func (m *mod) sharedCTEs(t *testing.T) map[string]*cte {
	t.Helper()
	out := map[string]*cte{}
	for name, v := range m.locals {
		if !v.Type().Equals(cty.String) || !tableName.MatchString(v.AsString()) {
			continue
		}
		text := v.AsString()
		// A local whose scan has a WHERE or a LIMIT is a filtered scan
		// (or a count card's), which the cache rule checks in every query
		// that uses it.
		if f := tableScan.FindStringSubmatch(text); f != nil && (f[4] != "" || f[5] != "") {
			continue
		}
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

// tableScan is the shape of every CTE that reads a JourneyBee table: a
// materialized select of a fixed column list from one table, optionally
// with a WHERE of filters the plugin pushes to the API and a LIMIT (which
// the FDW then pushes too), closed on a line of its own. Its groups are
// the CTE's name, the columns, the table, the WHERE and the LIMIT.
var tableScan = regexp.MustCompile(`(?s)(\w+) as materialized \(\s*select\s+(.*?)\s+from\s+(journeybee_\w+)(?:\s+where\s+(.*?))?(?:\s+limit\s+(\d+))?\s*\n\s*\)`)

// scan is one CTE's read of a table: what the FDW asks the plugin for.
type scan struct {
	table   string
	columns []string
	where   string // "" for none
	limit   int64  // 0 for none
}

// scansOf lists the table scans of a query's SQL, and the SQL outside them.
func scansOf(sql string) ([]scan, string) {
	var out []scan
	for _, g := range tableScan.FindAllStringSubmatch(sql, -1) {
		s := scan{table: g[3], where: strings.TrimSpace(g[4])}
		s.limit, _ = strconv.ParseInt(g[5], 10, 64)
		for _, col := range strings.Split(g[2], ",") {
			s.columns = append(s.columns, strings.TrimSpace(col))
		}
		out = append(out, s)
	}
	return out, tableScan.ReplaceAllString(sql, "")
}

// The conditions a scan's WHERE may hold, each a filter the plugin pushes
// to the API: `column = 'text'`, `column = $n` (a text argument),
// `column = true|false`, `column in ('a', 'b')`, and the created_at window
// that starts at midnight UTC.
var (
	condEq     = regexp.MustCompile(`^(\w+) = '([^']*)'$`)
	condArg    = regexp.MustCompile(`^(\w+) = \$(\d)$`)
	condBool   = regexp.MustCompile(`^(\w+) = (true|false)$`)
	condIn     = regexp.MustCompile(`^(\w+) in \(('[^']*'(?:, '[^']*')*)\)$`)
	condWindow = regexp.MustCompile(`^created_at > date_trunc\('day', now\(\)\) - make_interval\(days => \$(\d)::int\)$`)
)

// quals are the quals the FDW sends for the scan, with the query's
// arguments and now.
func (s scan) quals(args []string, now time.Time) ([]*proto.Qual, error) {
	if s.where == "" {
		return nil, nil
	}
	var out []*proto.Qual
	for _, c := range regexp.MustCompile(`\s+and\s+`).Split(s.where, -1) {
		c = strings.Join(strings.Fields(c), " ")
		switch g := condEq.FindStringSubmatch(c); {
		case g != nil:
			out = append(out, pluginhost.Eq(g[1], g[2]))
			continue
		}
		if g := condArg.FindStringSubmatch(c); g != nil {
			n, _ := strconv.Atoi(g[2])
			if n < 1 || n > len(args) {
				return nil, fmt.Errorf("%q refers to $%d, the query has %d arguments", c, n, len(args))
			}
			out = append(out, pluginhost.Eq(g[1], args[n-1]))
			continue
		}
		if g := condBool.FindStringSubmatch(c); g != nil {
			out = append(out, pluginhost.Eq(g[1], g[2] == "true"))
			continue
		}
		if g := condIn.FindStringSubmatch(c); g != nil {
			var values []any
			for _, v := range strings.Split(g[2], ", ") {
				values = append(values, strings.Trim(v, "'"))
			}
			out = append(out, pluginhost.In(g[1], values...))
			continue
		}
		if g := condWindow.FindStringSubmatch(c); g != nil {
			n, _ := strconv.Atoi(g[1])
			if n < 1 || n > len(args) {
				return nil, fmt.Errorf("%q refers to $%d, the query has %d arguments", c, n, len(args))
			}
			days, err := strconv.Atoi(args[n-1])
			if err != nil {
				return nil, fmt.Errorf("%q: $%d is %q, not whole days", c, n, args[n-1])
			}
			out = append(out, pluginhost.Op("created_at", ">", (&oracle{now: now}).windowStart(days)))
			continue
		}
		return nil, fmt.Errorf("the condition %q of a scan of %s is not one the plugin pushes to the API", c, s.table)
	}
	return out, nil
}

// requestKey identifies the API requests a scan sends: its table, quals
// and limit. Scans with the same key send identical requests, which the
// plugin's reply cache answers once, whatever columns each asks for (a
// limited scan's requests are the first of the unlimited one's).
func requestKey(table string, quals []*proto.Qual, limit int64) string {
	var b strings.Builder
	b.WriteString(table)
	for _, q := range quals {
		fmt.Fprintf(&b, " %s%s%v", q.FieldName, q.GetStringValue(), q.Value)
	}
	if limit > 0 {
		fmt.Fprintf(&b, " limit %d", limit)
	}
	return b.String()
}

// panelScan is a scan with its quals, as one panel's query sends it.
type panelScan struct {
	scan
	quals []*proto.Qual
	key   string
}

// query is the scan as the FDW hands it to the plugin: the columns the
// CTE selects and those its WHERE names, its key-column quals and its
// LIMIT.
func (s panelScan) query(cache bool) pluginhost.Query {
	columns := slices.Clone(s.columns)
	for _, q := range s.quals {
		if !slices.Contains(columns, q.FieldName) {
			columns = append(columns, q.FieldName)
		}
	}
	return pluginhost.Query{Connection: plugintest.Connection, Table: s.table, Columns: columns, Quals: s.quals, Limit: s.limit, Cache: cache}
}

// full reports whether the scan reads the whole table.
func (s panelScan) full() bool { return len(s.quals) == 0 && s.limit == 0 }

// scansOfLoad lists the scans a load of d makes with its first input
// values, as of now.
func (e *env) scansOfLoad(t *testing.T, d *modDashboard, now time.Time) []panelScan {
	t.Helper()
	return e.scansOfCalls(t, e.mod.calls(t, d, firstOr(e.inputs[d.name])), now)
}

// scansOfCalls lists the scans of query calls, as of now.
func (e *env) scansOfCalls(t *testing.T, calls []call, now time.Time) []panelScan {
	t.Helper()
	var out []panelScan
	for _, c := range calls {
		scans, _ := scansOf(e.mod.queries[c.query].sql)
		for _, s := range scans {
			quals, err := s.quals(c.args, now)
			if err != nil {
				t.Fatalf("%s: %v", c, err)
			}
			out = append(out, panelScan{scan: s, quals: quals, key: requestKey(s.table, quals, s.limit)})
		}
	}
	return out
}

// testAPICost measures what the docs promise: with the plugin's reply
// cache (on for the connection's cache_ttl), loading a dashboard or running
// the benchmark (all its panels' scans at once, as Powerpipe starts them)
// costs at most one scan's API requests per distinct scan (table,
// pushed-down quals and limit), and loading it or another within the TTL
// costs nothing more. Each panel's scan is the one the FDW sends for its
// query's CTE: its columns, key-column quals and limit.
func (e *env) testAPICost(t *testing.T) {
	now := time.Now()
	srv := e.fake(100)
	counting := countingProxy(t, srv.URL)
	schema, err := e.host.Schema(plugintest.Connection)
	if err != nil {
		t.Fatal(err)
	}
	rowsOf := map[string]int{"journeybee_lead": len(e.leads), "journeybee_lead_deal": len(e.deals), "journeybee_partnership": len(e.partnerships)}

	// Each distinct scan alone, with the reply cache off. A full scan of N
	// items in pages of 100 is one request when the first page holds them
	// all (N <= 100), else ⌈(N - 1) / 99⌉ + 1 (each page after the first
	// repeats the boundary item, and the last holds only it).
	alone := map[string]int64{}
	for _, d := range e.mod.dashboards {
		for _, s := range e.scansOfLoad(t, d, now) {
			if _, done := alone[s.key]; done {
				continue
			}
			for _, q := range s.quals {
				if !isKeyColumn(schema[s.table], q.FieldName, q.GetStringValue()) {
					t.Errorf("%s: %s %s is not pushed to the API (no key column with that operator)", d.name, s.table, q.FieldName)
				}
			}
			host := jbplugin.Start(t, plugintest.ConfigAt(counting.url(), srv.APIKey(), srv.UserID()))
			before := counting.n.Load()
			rows, err := host.Collect(context.Background(), s.query(false))
			if err != nil {
				t.Fatal(err)
			}
			alone[s.key] = counting.n.Load() - before
			t.Logf("%s: %d rows in %d API requests", s.key, len(rows), alone[s.key])
			if n := int64(rowsOf[s.table]); s.full() && (int64(len(rows)) != n || alone[s.key] != fullScanRequests(n)) {
				t.Errorf("%s: a full scan streamed %d rows in %d requests, want %d rows in %d", s.table, len(rows), alone[s.key], n, fullScanRequests(n))
			}
		}
	}

	loadEach := func(hostFor func(panelScan) *pluginhost.Host, scans []panelScan) int64 {
		return counting.load(hostFor, scans, rowsOf)
	}
	// load runs a load's scans on one plugin.
	load := func(host *pluginhost.Host, scans []panelScan) int64 {
		return loadEach(func(panelScan) *pluginhost.Host { return host }, scans)
	}
	// cost is one scan's requests for each distinct scan not made before.
	cost := func(scans []panelScan, made map[string]bool) int64 {
		var n int64
		for _, s := range scans {
			if !made[s.key] {
				made[s.key] = true
				n += alone[s.key]
			}
		}
		return n
	}

	for _, d := range e.mod.dashboards {
		// A fresh plugin and an empty cache.
		host := jbplugin.Start(t, cachedAt(counting.url(), srv))
		scans := e.scansOfLoad(t, d, now)
		want := cost(scans, map[string]bool{})
		first, refresh := load(host, scans), load(host, scans)
		t.Logf("%s: %d panels, %d scans; first load %d API requests, refresh %d (one of each distinct scan: %d)", d.name, len(d.panels), len(scans), first, refresh, want)
		// At most one of each distinct scan: scans also share requests (a
		// count card's limit 1 is the first page of the unlimited scan of
		// its quals; a lone IN list is one scan per value, each the same
		// requests as a scan of that value alone).
		if first == 0 || first > want || refresh != 0 {
			t.Errorf("%s (%d panels): first load made %d API requests, want 1 to %d (at most one per distinct scan); a refresh %d, want 0", d.name, len(d.panels), first, want, refresh)
		}
	}

	if os.Getenv("JOURNEYBEE_MEASURE_PER_CONNECTION") != "" {
		e.measurePerConnection(t, srv, counting, now, loadEach, cost)
	}

	// One plugin loading every dashboard in turn: each costs the scans no
	// dashboard before it made, and within the TTL loading them all again
	// costs nothing.
	host := jbplugin.Start(t, cachedAt(counting.url(), srv))
	made := map[string]bool{}
	for _, d := range e.mod.dashboards {
		scans := e.scansOfLoad(t, d, now)
		// At most: a scan's first request may be one another scan made
		// (a created_at window's first page is a full scan's).
		if got, most := load(host, scans), cost(scans, made); got > most {
			t.Errorf("loading %s after the dashboards before it made %d API requests, want at most %d", d.name, got, most)
		}
	}
	for _, d := range e.mod.dashboards {
		if got := load(host, e.scansOfLoad(t, d, now)); got != 0 {
			t.Errorf("loading %s again made %d API requests, want 0", d.name, got)
		}
	}
}

// cachedAt is the connection to srv through a proxy at baseURL, with the
// plugin's reply cache on (its default TTL) as the mod's users have it.
func cachedAt(baseURL string, srv *journeybeetest.Server) plugintest.Config {
	conn := plugintest.ConfigAt(baseURL, srv.APIKey(), srv.UserID())
	conn.CacheTTL = nil
	return conn
}

// measurePerConnection measures the mod's per-dashboard requests for a
// plugin per Postgres connection, as under the standalone FDW, for the
// table in powerpipe/docs/index.md (JOURNEYBEE_MEASURE_PER_CONNECTION=1
// go test -run 'TestMod/API_cost' ./test/modtest/): hundreds of plugin
// instances and gigabytes of memory, so not on every run.
// TestProcessesShareReplies proves the same with OS processes.
func (e *env) measurePerConnection(t *testing.T, srv *journeybeetest.Server, counting *proxy, now time.Time, loadEach func(func(panelScan) *pluginhost.Host, []panelScan) int64, cost func([]panelScan, map[string]bool) int64) {
	// Each panel's scan runs in a plugin copy of its own (its own client,
	// pace and in-memory reply cache), new on every load as Powerpipe opens
	// new connections. The copies share the machine's state directory; with
	// state_dir = "none" (every copy on its own, as before the state
	// directory existed) each panel costs its scan. Every copy is kept until
	// the test ends: the plugin tells its instances apart by address, which
	// a collected one could hand to a new one. Their SDK caches get 1 MB:
	// the SDK's cache is off for every table.
	var copies []*pluginhost.Host
	perConnection := func(baseURL, stateDir string, scans []panelScan) int64 {
		return loadEach(func(panelScan) *pluginhost.Host {
			conn := cachedAt(baseURL, srv)
			conn.StateDir = stateDir
			host := jbplugin.StartWith(t, pluginhost.Options{MaxCacheSizeMb: 1}, conn)
			copies = append(copies, host)
			return host
		}, scans)
	}
	for _, d := range e.mod.dashboards {
		scans := e.scansOfLoad(t, d, now)
		want := cost(scans, map[string]bool{})
		apart := counting.url()
		aloneFirst, aloneRefresh := perConnection(apart, "none", scans), perConnection(apart, "none", scans)
		shared, dir := counting.url(), filepath.Join(t.TempDir(), "state")
		first, refresh := perConnection(shared, dir, scans), perConnection(shared, dir, scans)
		t.Logf("%s, a plugin per connection: first load %d API requests, refresh %d (each copy on its own: %d and %d)", d.name, first, refresh, aloneFirst, aloneRefresh)
		if first > want || refresh != 0 {
			t.Errorf("%s, a plugin per panel sharing the state directory: first load made %d API requests, want at most %d (one per distinct scan); a refresh %d, want 0", d.name, first, want, refresh)
		}
	}
	runtime.KeepAlive(copies)
}

// fullScanRequests is what one scan of n items costs in pages of 100.
func fullScanRequests(n int64) int64 {
	if n <= 100 {
		return 1
	}
	return (n-1+98)/99 + 1
}

// isKeyColumn reports whether the table declares column as a key column
// with the operator, so the FDW pushes the qual to the plugin.
func isKeyColumn(schema *proto.TableSchema, column, operator string) bool {
	for _, k := range schema.GetListCallKeyColumnList() {
		if k.Name == column && slices.Contains(k.Operators, operator) {
			return true
		}
	}
	return false
}

// proxy counts the requests that reach a fake through it.
type proxy struct {
	t      *testing.T
	target string
	n      atomic.Int64
}

func countingProxy(t *testing.T, target string) *proxy { return &proxy{t: t, target: target} }

// load runs a load's scans at once, as Powerpipe starts its panels, each on
// the plugin hostFor gives it, and returns the API requests they made. A
// full scan must stream every one of the table's rowsOf.
func (p *proxy) load(hostFor func(panelScan) *pluginhost.Host, scans []panelScan, rowsOf map[string]int) int64 {
	before := p.n.Load()
	var wg sync.WaitGroup
	for _, s := range scans {
		host := hostFor(s)
		wg.Go(func() {
			rows, err := host.Collect(context.Background(), s.query(true))
			if err != nil || s.full() && len(rows) != rowsOf[s.table] {
				p.t.Errorf("a panel's scan of %s streamed %d rows (%v), want %d", s.table, len(rows), err, rowsOf[s.table])
			}
		})
	}
	wg.Wait()
	return p.n.Load() - before
}

// url starts a counting proxy of its own: a base URL no plugin client has
// used, so its reply cache starts empty.
func (p *proxy) url() string {
	target, _ := url.Parse(p.target)
	rp := httputil.NewSingleHostReverseProxy(target)
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.n.Add(1)
		rp.ServeHTTP(w, r)
	}))
	p.t.Cleanup(s.Close)
	return s.URL
}
