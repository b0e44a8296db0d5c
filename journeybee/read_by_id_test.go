//go:build !race

package journeybee

import (
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

// TestTotalIsNullForAnItemReadByID: the single-item endpoints report no
// total, so every table with a total column gives NULL for a row read by
// id, not 0; the same rows listed carry the list's count.
func TestTotalIsNullForAnItemReadByID(t *testing.T) {
	cfg := journeybeetest.GenerateAccount(40, 3)
	f := newFixture(t, cfg)
	byID := map[string]int64{
		"journeybee_lead":      cfg.Leads[5].ID,
		"journeybee_lead_deal": cfg.Deals[2].ID,
	}
	schema, err := f.host.Schema(testConnection)
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range schema {
		hasTotal, hasID := false, false
		for _, c := range s.Columns {
			hasTotal = hasTotal || c.Name == "total"
		}
		for _, k := range append(s.ListCallKeyColumnList, s.GetCallKeyColumnList...) {
			hasID = hasID || k.Name == "id"
		}
		if _, listed := byID[name]; hasTotal && hasID && !listed {
			t.Errorf("%s reads items by id and has a total: add it to this test", name)
		}
	}
	for table, id := range byID {
		rows, err := f.queryTable(table, []string{"id", "total"}, 0, eq("id", id))
		if err != nil || len(rows) != 1 {
			t.Fatalf("%s where id = %d: %d rows, %v", table, id, len(rows), err)
		}
		if got := pluginhost.Value(rows[0]["total"]); got != nil {
			t.Errorf("select total from %s where id = %d gives %v, want NULL (the single-item reply has no total)", table, id, got)
		}
		listed, err := f.queryTable(table, []string{"id", "total"}, 0)
		if err != nil || len(listed) == 0 {
			t.Fatalf("%s: %d rows, %v", table, len(listed), err)
		}
		if got := pluginhost.Value(listed[0]["total"]); got != int64(len(listed)) {
			t.Errorf("%s listed: total = %v, want %d", table, got, len(listed))
		}
	}
}
