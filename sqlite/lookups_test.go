//go:build sqlite_vtable

package sqlite

import (
	"fmt"
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"github.com/mattn/go-sqlite3"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

// BestIndex prices plans in API requests: a scan its pages for the table's
// known size, a lookup by id one request, and nothing (CPU only) for a
// table whose complete scan the memo keeps.
func TestBestIndexPricesPlansInAPIRequests(t *testing.T) {
	schema := &proto.TableSchema{
		Columns: []*proto.ColumnDefinition{
			{Name: "id", Type: proto.ColumnType_INT}, {Name: "status", Type: proto.ColumnType_STRING}, {Name: "total", Type: proto.ColumnType_INT},
		},
		ListCallKeyColumnList: []*proto.KeyColumn{{Name: "id", Operators: []string{"="}, Require: "optional"}, {Name: "status", Operators: []string{"="}, Require: "optional"}},
	}
	e := &engine{stats: newTableStats(), memo: newScanMemo(), cache: true}
	v := &vtab{engine: e, table: newTable("leads", schema)}
	cost := func(csts ...sqlite3.InfoConstraint) float64 {
		t.Helper()
		res, err := v.BestIndex(csts, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res.EstimatedCost
	}
	byID := sqlite3.InfoConstraint{Column: 0, Op: sqlite3.OpEQ, Usable: true}
	byStatus := sqlite3.InfoConstraint{Column: 1, Op: sqlite3.OpEQ, Usable: true}

	if got, want := cost(), scanRequests(defaultTableRows); got != want {
		t.Errorf("a scan of a table of unknown size costs %v, want %v requests", got, want)
	}
	e.stats.sawScan("leads", 400)
	if got := cost(); got != 6 {
		t.Errorf("a scan of 400 rows costs %v, want 6 requests (pages of 99 new rows and the last)", got)
	}
	if got := cost(byStatus); got != 2 {
		t.Errorf("a scan narrowed by = costs %v, want 2 requests (40 rows)", got)
	}
	if got := cost(byID); got != costGet {
		t.Errorf("a lookup by id costs %v, want %v request", got, costGet)
	}
	e.memo.put(memoKey(e.fullScan(v.table)), make([]pluginhost.Row, 400))
	if got := cost(byID); got >= 1 {
		t.Errorf("a lookup by id with the table's complete scan kept costs %v, want no request", got)
	}
	if got := cost(); got >= 1 {
		t.Errorf("a repeated full scan costs %v, want no request", got)
	}
	if got := cost(byStatus); got < 1 {
		t.Errorf("a filtered scan costs %v though only the full scan is kept, want its requests", got)
	}
}

// A lone lookup by id in journeybee-query costs what the plugin's lookup
// costs: no probe of the table's size, no scan.
func TestALoneLookupByIDPaysNoProbe(t *testing.T) {
	cfg := journeybeetest.GenerateAccount(300, 9)
	cfg.PageSize = 100
	db, server := openCachedOver(t, cfg, fmt.Sprintf("company_id = %d", journeybeetest.CompanyID))
	if rows := queryRows(t, db, "select id from journeybee_lead where id = ?", cfg.Leads[10].ID); len(rows) != 1 {
		t.Fatalf("rows %v", rows)
	}
	if n := server.RequestCount(); n != 1 {
		t.Fatalf("%d requests for one lead by id (company_id set), want 1", n)
	}
}
