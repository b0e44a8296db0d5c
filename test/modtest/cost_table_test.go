package modtest

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest/jbplugin"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

// TestModCostTable measures, for generated accounts of the sizes in
// JOURNEYBEE_MOD_COST_SIZES (default "1000"; the docs' table was made with
// "1000,20000,100000", which takes many minutes), the API requests of each
// distinct scan the mod's dashboards and benchmark make, alone and with the
// reply cache off; a load's cost is the sum of its distinct scans (an upper
// bound: a created_at window's first page is a full scan's). It fails when
// a dashboard or the benchmark costs more than powerpipe/docs/index.md
// documents for that size, or is missing from its table.
func TestModCostTable(t *testing.T) {
	sizes := cmp.Or(os.Getenv("JOURNEYBEE_MOD_COST_SIZES"), "1000")
	documented := documentedCosts(t)
	m := loadMod(t)
	now := time.Now()
	table := map[string][]string{}
	var header []string
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
		counting := countingProxy(t, srv.URL)
		alone := map[string]int64{}
		for _, d := range m.dashboards {
			made := map[string]bool{}
			var total int64
			for _, s := range e.scansOfLoad(t, d, now) {
				if made[s.key] {
					continue
				}
				made[s.key] = true
				if _, done := alone[s.key]; !done {
					host := jbplugin.Start(t, plugintest.ConfigAt(counting.url(), srv.APIKey(), srv.UserID()))
					before := counting.n.Load()
					if _, err := host.Collect(context.Background(), pluginhost.Query{Connection: plugintest.Connection, Table: s.table, Columns: s.columns, Quals: s.quals}); err != nil {
						t.Fatal(err)
					}
					alone[s.key] = counting.n.Load() - before
				}
				total += alone[s.key]
			}
			table[d.name] = append(table[d.name], fmt.Sprint(total))
			switch bound, ok := documented[d.name][n]; {
			case !ok:
				t.Errorf("powerpipe/docs/index.md documents no cost of %s at %d leads", d.name, n)
			case total > bound:
				t.Errorf("%s at %d leads: one load costs %d API requests, the docs promise at most %d", d.name, n, total, bound)
			}
		}
		t.Logf("%d leads, %d deals, %d partnerships", len(data.Leads), len(data.Deals), len(data.Partnerships))
	}
	out := "| dashboard or benchmark | " + strings.Join(header, " | ") + " |\n"
	for _, d := range m.dashboards {
		out += "| `" + d.name + "` | " + strings.Join(table[d.name], " | ") + " |\n"
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
