package modtest

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest/jbplugin"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

// TestModCostTable measures, for generated accounts of the sizes in
// JOURNEYBEE_MOD_COST_SIZES (default "1000"; the docs' tables were made
// with "1000,20000,100000", which takes minutes), the API requests of one
// load of each dashboard and of the benchmark, and of one run of each of
// the benchmark's controls: all its panels' scans at once (the columns,
// key-column quals and limit the FDW pushes for each panel's CTEs) on a
// fresh plugin with an empty reply cache, counted in the fake's request
// log. It fails when one costs more than powerpipe/docs/index.md documents
// for that size, or is missing from its tables.
func TestModCostTable(t *testing.T) {
	sizes := cmp.Or(os.Getenv("JOURNEYBEE_MOD_COST_SIZES"), "1000")
	// JOURNEYBEE_MOD_COST_ONLY (names, comma-separated) measures only
	// those: a slow size split over processes.
	only := os.Getenv("JOURNEYBEE_MOD_COST_ONLY")
	// The SDK frees memory to the OS (a full GC) every 100 rows it
	// streams: with a 100,000-lead account in this process that is most of
	// the test's CPU, and it changes no request.
	t.Setenv("STEAMPIPE_FREE_MEM_INTERVAL", "0")
	documented := documentedCosts(t)
	m := loadMod(t)
	now := time.Now()
	table := map[string][]string{}
	var names, header []string
	for _, size := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(size)
		if err != nil {
			t.Fatal(err)
		}
		header = append(header, size)
		data := journeybeetest.GenerateAccountAt(n, 12, now)
		srv := journeybeetest.NewServer(data)
		t.Cleanup(srv.Close)
		e := &env{mod: m, inputs: map[string][]map[string]string{}}
		for _, d := range m.dashboards {
			in := map[string]string{}
			for _, name := range d.inputs {
				in[name] = "all"
			}
			e.inputs[d.name] = []map[string]string{in}
		}
		rowsOf := map[string]int{"journeybee_lead": len(data.Leads), "journeybee_lead_deal": len(data.Deals), "journeybee_partnership": len(data.Partnerships)}
		counting := countingProxy(t, srv.URL)
		measure := func(name string, scans []panelScan) {
			if only != "" && !slices.Contains(strings.Split(only, ","), name) {
				return
			}
			host := jbplugin.Start(t, cachedAt(counting.url(), srv))
			got := counting.load(func(panelScan) *pluginhost.Host { return host }, scans, rowsOf)
			if len(table[name]) == 0 {
				names = append(names, name)
			}
			table[name] = append(table[name], fmt.Sprint(got))
			t.Logf("%s at %d leads: %d API requests", name, n, got)
			switch bound, ok := documented[name][n]; {
			case !ok:
				t.Errorf("powerpipe/docs/index.md documents no cost of %s at %d leads", name, n)
			case got > bound:
				t.Errorf("%s at %d leads: one load costs %d API requests, the docs promise at most %d", name, n, got, bound)
			}
		}
		for _, d := range m.dashboards {
			calls := m.calls(t, d, firstOr(e.inputs[d.name]))
			measure(d.name, e.scansOfCalls(t, calls, now))
			if !d.benchmark {
				continue
			}
			for _, p := range d.panels {
				measure(p.name, e.scansOfCalls(t, slices.DeleteFunc(slices.Clone(calls), func(c call) bool { return c.query != p.query }), now))
			}
		}
		t.Logf("%d leads, %d deals, %d partnerships", len(data.Leads), len(data.Deals), len(data.Partnerships))
	}
	out := "| dashboard, benchmark or control | " + strings.Join(header, " | ") + " |\n"
	for _, name := range names {
		out += "| `" + name + "` | " + strings.Join(table[name], " | ") + " |\n"
	}
	t.Log("\n" + out)
}

// costRow is a row of the docs' request table: a dashboard or benchmark and
// its requests per load at 1,000, 20,000 and 100,000 leads.
var costRow = regexp.MustCompile("^\\| `(\\w+)` \\| (\\d+) \\| (\\d+) \\| (\\d+) \\|")

// documentedCosts reads the request table of powerpipe/docs/index.md:
// dashboard → leads → requests.
func documentedCosts(t *testing.T) map[string]map[int]int64 {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(modDir, "docs", "index.md"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[int]int64{}
	for _, line := range strings.Split(string(b), "\n") {
		if g := costRow.FindStringSubmatch(line); g != nil {
			out[g[1]] = map[int]int64{}
			for i, n := range []int{1000, 20000, 100000} {
				v, _ := strconv.ParseInt(g[i+2], 10, 64)
				out[g[1]][n] = v
			}
		}
	}
	return out
}
