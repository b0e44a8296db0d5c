//go:build !race

package journeybee

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// created_at windows and id lookups: reports over recent leads and single
// leads must cost a few calls, not a full scan, and return exactly the
// leads a full scan would.

const windowPageSize = 50

// windowDataset is 600 generated leads, with two leads tied at tieAt, the
// instant the tests put a bound on.
func windowDataset() (journeybeetest.Config, time.Time) {
	leads := journeybeetest.GenerateLeads(600, 17)
	// Leads are newest first; tie the 200th and 201st.
	tieAt := leads[200].CreatedAt
	leads[201].CreatedAt = tieAt
	return journeybeetest.Config{Leads: leads, PageSize: windowPageSize}, tieAt
}

func tsQual(column, op string, t time.Time) *proto.Qual {
	return &proto.Qual{FieldName: column, Operator: &proto.Qual_StringValue{StringValue: op}, Value: &proto.QualValue{Value: &proto.QualValue_TimestampValue{TimestampValue: timestamppb.New(t)}}}
}

// cursorCalls returns the request count and whether any request to a path
// containing list went out without a cursor (a page from the newest end).
func cursorCalls(f *fixture, list string) (n int, fromTheTop bool) {
	for _, r := range f.srv.Requests() {
		if strings.Contains(r.Path, list) && r.Query.Get("cursor") == "" {
			fromTheTop = true
		}
	}
	return f.srv.RequestCount(), fromTheTop
}

// windowItem is a dataset item as a window sees it: the id its row's id
// column holds, and its created_at.
type windowItem struct {
	id        int64
	createdAt time.Time
}

// windowedIDs returns the sorted ids of the items whose created_at in keeps.
func windowedIDs(items []windowItem, in func(time.Time) bool) []int64 {
	return plugintest.IDs(items, func(it *windowItem) int64 { return it.id }, func(it *windowItem) bool { return in(it.createdAt) })
}

// assertCreatedAtWindows runs every shape of created_at window against
// table (listed at a path containing list, in pages of pageSize): the rows
// must be exactly the items inside the window, ties at the bound included,
// in at most ⌈matching/(pageSize−1)⌉+1 calls, starting at the upper bound
// when there is one.
func assertCreatedAtWindows(t *testing.T, table, list string, cfg journeybeetest.Config, pageSize int, tie, older time.Time, items func(*journeybeetest.Server) []windowItem) {
	t.Helper()
	tests := []struct {
		name    string
		quals   []*proto.Qual
		in      func(time.Time) bool
		topDown bool // only a lower bound: paging starts at the newest item
	}{
		{"> tie", []*proto.Qual{tsQual("created_at", ">", tie)}, func(c time.Time) bool { return c.After(tie) }, true},
		{">= tie", []*proto.Qual{tsQual("created_at", ">=", tie)}, func(c time.Time) bool { return !c.Before(tie) }, true},
		{"< tie", []*proto.Qual{tsQual("created_at", "<", tie), tsQual("created_at", ">", older)}, func(c time.Time) bool { return c.Before(tie) && c.After(older) }, false},
		{"<= tie", []*proto.Qual{tsQual("created_at", "<=", tie), tsQual("created_at", ">=", older)}, func(c time.Time) bool { return !c.After(tie) && !c.Before(older) }, false},
		{"= tie", []*proto.Qual{tsQual("created_at", "=", tie)}, func(c time.Time) bool { return c.Equal(tie) }, false},
		{"between", []*proto.Qual{tsQual("created_at", ">=", older), tsQual("created_at", "<=", tie)}, func(c time.Time) bool { return !c.Before(older) && !c.After(tie) }, false},
		{"contradiction", []*proto.Qual{tsQual("created_at", ">", tie), tsQual("created_at", "<", older)}, func(time.Time) bool { return false }, false},
	}
	// One plugin and fake for every case: each instance holds its own
	// query cache, so a fixture per case multiplies the test's memory.
	f := newFixture(t, cfg)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.t = t
			f.srv.ResetRequests()
			rows, err := f.queryTable(table, nil, 0, tt.quals...)
			if err != nil {
				t.Fatal(err)
			}
			want := windowedIDs(items(f.srv), tt.in)
			if tt.name == "= tie" && len(want) != 2 {
				t.Fatalf("%d items at the tie, want 2: the test proves nothing", len(want))
			}
			if got := plugintest.RowIDs(rows, "id"); !slices.Equal(got, want) {
				t.Fatalf("%d rows, want the %d items inside the window", len(got), len(want))
			}
			calls, fromTop := cursorCalls(f, list)
			// Each page after the first repeats the boundary item: one less
			// new item a page, then one page that passes the window's floor.
			bound := (len(want)+pageSize-2)/(pageSize-1) + 1
			if tt.name == "contradiction" {
				bound = 0
			}
			if calls > bound {
				t.Fatalf("%d API calls for %d items in the window, want at most %d", calls, len(want), bound)
			}
			if fromTop != tt.topDown {
				t.Fatalf("a request without a cursor: %v, want %v (an upper bound starts the cursor there)", fromTop, tt.topDown)
			}
		})
	}
	t.Run("LIMIT under an upper bound", func(t *testing.T) {
		f.t = t
		f.srv.ResetRequests()
		rows, err := f.queryTable(table, nil, 2, tsQual("created_at", "<=", tie))
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || f.srv.RequestCount() != 1 {
			t.Fatalf("%d rows in %d requests for LIMIT 2 under an upper bound, want 2 in 1", len(rows), f.srv.RequestCount())
		}
	})
	t.Run("not a timestamp", func(t *testing.T) {
		f.t = t
		f.srv.ResetRequests()
		_, err := f.queryTable(table, nil, 0, op("created_at", ">", "last week"))
		f.expectQueryError(err, "created_at must be a timestamp")
		if f.srv.RequestCount() != 0 {
			t.Fatal("a request was sent for an invalid qual")
		}
	})
}

func TestCreatedAtWindows(t *testing.T) {
	cfg, tie := windowDataset()
	assertCreatedAtWindows(t, "journeybee_lead", "/leads", cfg, windowPageSize, tie, tie.Add(-40*24*time.Hour), func(srv *journeybeetest.Server) []windowItem {
		var out []windowItem
		for _, l := range srv.Leads() {
			out = append(out, windowItem{l.ID, l.CreatedAt})
		}
		return out
	})
}

// tieAt sorts items newest first, gives the item after the one at i the
// same created_at, and returns that instant and the created_at of the item
// at j, a lower bound.
func tieAt(items []windowItem, i, j int, set func(id int64, at time.Time)) (tie, older time.Time) {
	slices.SortFunc(items, func(a, b windowItem) int { return b.createdAt.Compare(a.createdAt) })
	set(items[i+1].id, items[i].createdAt)
	return items[i].createdAt, items[j].createdAt
}

func TestLeadDealCreatedAtWindows(t *testing.T) {
	cfg := journeybeetest.GenerateAccount(600, 17)
	var items []windowItem
	for _, d := range cfg.Deals {
		items = append(items, windowItem{d.ID, d.CreatedAt})
	}
	tie, older := tieAt(items, len(items)/3, 2*len(items)/3, func(id int64, at time.Time) {
		cfg.Deals[slices.IndexFunc(cfg.Deals, func(d journeybeetest.LeadDeal) bool { return d.ID == id })].CreatedAt = at
	})
	const pageSize = 20
	cfg.PageSize = pageSize
	assertCreatedAtWindows(t, dealTable, "/lead-deals", cfg, pageSize, tie, older, func(srv *journeybeetest.Server) []windowItem {
		var out []windowItem
		for _, d := range srv.Deals() {
			out = append(out, windowItem{d.ID, d.CreatedAt})
		}
		return out
	})
}

func TestPartnershipCreatedAtWindows(t *testing.T) {
	cfg := journeybeetest.GenerateAccount(50, 17)
	var items []windowItem
	for _, p := range cfg.Partnerships {
		items = append(items, windowItem{p.ID, p.Partnership.CreatedAt})
	}
	tie, older := tieAt(items, 3, 9, func(id int64, at time.Time) {
		cfg.Partnerships[slices.IndexFunc(cfg.Partnerships, func(p journeybeetest.Partnership) bool { return p.ID == id })].Partnership.CreatedAt = at
	})
	const pageSize = 3
	cfg.PageSize = pageSize
	assertCreatedAtWindows(t, "journeybee_partnership", "/partnerships", cfg, pageSize, tie, older, func(srv *journeybeetest.Server) []windowItem {
		var out []windowItem
		for _, p := range srv.Partnerships() {
			out = append(out, windowItem{p.ID, p.Partnership.CreatedAt})
		}
		return out
	})
}

func TestCreatedAtWindowWithStatusInAndLimit(t *testing.T) {
	cfg, tie := windowDataset()
	since := tie.Add(-60 * 24 * time.Hour)
	f := newFixture(t, cfg)
	rows := f.mustQuery(0, tsQual("created_at", ">=", since), tsQual("created_at", "<=", tie), in("status", "new", "lost"))
	want := plugintest.IDs(f.srv.Leads(), idOfLead, func(l *journeybeetest.Lead) bool {
		return !l.CreatedAt.Before(since) && !l.CreatedAt.After(tie) && (l.Status == "new" || l.Status == "lost")
	})
	if got := plugintest.RowIDs(rows, "id"); !slices.Equal(got, want) || len(want) == 0 {
		t.Fatalf("%d rows, want the %d new or lost leads in the window", len(got), len(want))
	}
	for _, r := range f.srv.Requests() {
		if r.Query.Get("cursor") == "" {
			t.Fatalf("request %s has no cursor: each status's scan must start at the window's top", r.Query.Encode())
		}
	}

	f.srv.ResetRequests()
	rows = f.mustQuery(5, tsQual("created_at", "<=", tie))
	if len(rows) != 5 || f.srv.RequestCount() != 1 {
		t.Fatalf("%d rows in %d requests for LIMIT 5 under an upper bound, want 5 in 1", len(rows), f.srv.RequestCount())
	}
	for _, r := range rows {
		if pluginhost.Value(r["created_at"]).(time.Time).After(tie) {
			t.Fatal("a lead newer than the upper bound")
		}
	}
}

func TestGetLeadsByID(t *testing.T) {
	cfg := journeybeetest.GenerateAccount(120, 5)
	cfg.PageSize = 50
	f := newFixture(t, cfg, fmt.Sprintf("company_id = %d", journeybeetest.CompanyID))
	leads := f.srv.Leads()
	one, other := leads[7], leads[93]

	rows := f.mustQuery(0, eq("id", one.ID))
	if got := plugintest.RowIDs(rows, "id"); !slices.Equal(got, []int64{one.ID}) || f.srv.RequestCount() != 1 {
		t.Fatalf("rows %v in %d requests for id = %d, want that lead in 1", got, f.srv.RequestCount(), one.ID)
	}
	if path := f.srv.Requests()[0].Path; path != fmt.Sprintf("/api/v1/companies/%d/leads/%d", journeybeetest.CompanyID, one.ID) {
		t.Fatalf("requested %s", path)
	}
	assertRowIsLead(t, rows[0], one, 0)

	f.srv.ResetRequests()
	rows = f.mustQuery(0, in("id", one.ID, other.ID, int64(999999)), in("status", one.Status, other.Status, "converted"))
	if got, want := plugintest.RowIDs(rows, "id"), sortedIDs(one.ID, other.ID); !slices.Equal(got, want) || f.srv.RequestCount() != 3 {
		t.Fatalf("rows %v in %d requests for three ids, want %v in 3 (one each, the unknown one no row)", got, f.srv.RequestCount(), want)
	}

	// A lead fetched by id still meets the other filters, applied to it.
	f.srv.ResetRequests()
	wrongStatus := "new"
	if one.Status == "new" {
		wrongStatus = "lost"
	}
	if rows := f.mustQuery(0, eq("id", one.ID), eq("status", wrongStatus)); len(rows) != 0 {
		t.Fatalf("lead %d (%s) returned for status = %s", one.ID, one.Status, wrongStatus)
	}

}

func TestGetLeadByIDDiscoversTheCompanyOnce(t *testing.T) {
	f := newFixture(t, datasetConfig(60))
	lead := f.srv.Leads()[3]
	for i := 0; i < 2; i++ {
		rows := f.mustQuery(0, eq("id", lead.ID))
		if len(rows) != 1 {
			t.Fatalf("query %d: %d rows", i, len(rows))
		}
	}
	// One page of leads to learn company_id, then one request per query.
	if n := f.srv.RequestCount(); n != 3 {
		t.Fatalf("%d requests for two lookups without company_id, want 3", n)
	}
	empty := newFixture(t, journeybeetest.Config{})
	if rows := empty.mustQuery(0, eq("id", int64(5))); len(rows) != 0 {
		t.Fatal("a lead found in an account without leads")
	}
}
