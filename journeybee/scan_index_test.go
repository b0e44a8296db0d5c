//go:build !race

package journeybee

import (
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

// Issue 16 item 2, through the SDK's execution path: a join through id
// (deals to their leads, a lookup per deal) after one complete scan of each
// side within the cache TTL costs no request per lookup, and an id lookup
// answered that way gives what a read by id gives (total NULL).
func TestIDLookupsAfterACompleteScanCostNoRequest(t *testing.T) {
	cfg := journeybeetest.GenerateAccount(200, 5)
	cfg.PageSize = 50
	f := newFixture(t, cfg, "cache_ttl = 300")
	collect := func(table string, columns []string, quals ...*proto.Qual) []pluginhost.Row {
		t.Helper()
		rows, err := f.host.Collect(t.Context(), pluginhost.Query{Connection: testConnection, Table: table, Columns: columns, Quals: quals})
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	leads := collect("journeybee_lead", []string{"id", "status"})
	deals := collect("journeybee_lead_deal", []string{"id", "lead_id"})
	if len(leads) != 200 || len(deals) < 5 {
		t.Fatalf("%d leads and %d deals", len(leads), len(deals))
	}
	scans := f.srv.RequestCount()

	// The inner side of `deals join leads on l.id = d.lead_id`: one id
	// lookup per deal, as Postgres's nested loop or SQLite asks.
	for _, d := range deals {
		leadID := pluginhost.Value(d["lead_id"]).(int64)
		rows := collect("journeybee_lead", []string{"id", "title", "total"}, eq("id", leadID))
		if len(rows) != 1 || pluginhost.Value(rows[0]["id"]) != leadID {
			t.Fatalf("lead %d: rows %v", leadID, rows)
		}
		if total := pluginhost.Value(rows[0]["total"]); total != nil && total != int64(0) {
			t.Fatalf("lead %d read by id from the scan has total %v, want the by-id value (no list total)", leadID, total)
		}
	}
	for _, d := range deals[:5] {
		rows := collect("journeybee_lead_deal", []string{"id", "label", "total"}, eq("id", pluginhost.Value(d["id"])))
		if len(rows) != 1 || pluginhost.Value(rows[0]["total"]) != nil {
			t.Fatalf("deal %v by id: rows %v, want one with total NULL", pluginhost.Value(d["id"]), rows)
		}
	}
	if n := f.srv.RequestCount() - scans; n != 0 {
		t.Fatalf("%d requests for %d lead and 5 deal lookups after a complete scan of each, want 0", n, len(deals))
	}

	// custom_fields comes only from the single-deal endpoint: asked for.
	rows := collect("journeybee_lead_deal", []string{"id", "custom_fields"}, eq("id", pluginhost.Value(deals[0]["id"])))
	if len(rows) != 1 {
		t.Fatalf("deal by id with custom_fields: %v", rows)
	}
	if n := f.srv.RequestCount() - scans; n != 1 {
		t.Fatalf("%d requests for a deal by id with custom_fields, want 1: the list does not carry them", n)
	}
}
