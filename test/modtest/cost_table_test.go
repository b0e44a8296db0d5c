package modtest

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

// TestModCostTable measures, for generated accounts of the sizes in
// JOURNEYBEE_MOD_COST_SIZES (e.g. "1000,20000,100000"), the API requests of
// each distinct scan the mod's dashboards and benchmark make, alone and
// with the reply cache off, and logs each one's first-load cost: the sum
// of its distinct scans (an upper bound: a created_at window's first page
// is a full scan's). powerpipe/docs/index.md publishes the result. Skipped
// unless the variable is set: 100,000 leads take minutes.
func TestModCostTable(t *testing.T) {
	sizes := os.Getenv("JOURNEYBEE_MOD_COST_SIZES")
	if sizes == "" {
		t.Skip("JOURNEYBEE_MOD_COST_SIZES is not set")
	}
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
					host := plugintest.HostAt(t, counting.url(), srv.APIKey(), srv.UserID(), "cache_ttl = 0")
					before := counting.n.Load()
					if _, err := host.Collect(context.Background(), pluginhost.Query{Connection: plugintest.Connection, Table: s.table, Columns: s.columns, Quals: s.quals}); err != nil {
						t.Fatal(err)
					}
					alone[s.key] = counting.n.Load() - before
				}
				total += alone[s.key]
			}
			table[d.name] = append(table[d.name], fmt.Sprint(total))
		}
		t.Logf("%d leads, %d deals, %d partnerships", len(data.Leads), len(data.Deals), len(data.Partnerships))
	}
	out := "| dashboard or benchmark | " + strings.Join(header, " | ") + " |\n"
	for _, d := range m.dashboards {
		out += "| `" + d.name + "` | " + strings.Join(table[d.name], " | ") + " |\n"
	}
	t.Log("\n" + out)
}
