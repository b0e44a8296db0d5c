//go:build sqlite_vtable

package sqlite

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest/jbplugin"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

// openJourneyBee opens the engine on the real plugin against a fake API
// serving n generated leads.
func openJourneyBee(t *testing.T, n int) (*DB, *journeybeetest.Server) {
	t.Helper()
	return openOver(t, journeybeetest.Config{Leads: journeybeetest.GenerateLeads(n, 7)})
}

// openOver opens the engine on the real plugin against a fake serving cfg,
// with the tests' connection defaults: the rate limit lifted, and the reply
// cache off so that the engine's own memo is what the tests see.
func openOver(t *testing.T, cfg journeybeetest.Config) (*DB, *journeybeetest.Server) {
	t.Helper()
	server := plugintest.Fake(t, cfg)
	host := jbplugin.StartWith(t, pluginhost.Options{Log: io.Discard}, plugintest.ConfigFor(server))
	db, err := Open(host, "journeybee")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, server
}

func TestJourneyBeeLeads(t *testing.T) {
	const n = 250
	db, server := openJourneyBee(t, n)
	if !slices.Contains(db.Tables(), "journeybee_lead") {
		t.Fatalf("tables = %v", db.Tables())
	}

	t.Run("count", func(t *testing.T) {
		if got := queryRows(t, db, `select count(*) from journeybee_lead`); !slices.Equal(got, []string{fmt.Sprint(n)}) {
			t.Errorf("count = %v, want %d", got, n)
		}
	})

	t.Run("status pushed down", func(t *testing.T) {
		want := 0
		for _, l := range server.Leads() {
			if l.Status == "new" {
				want++
			}
		}
		if want == 0 {
			t.Fatal("the generated leads have no status new")
		}
		server.ResetRequests()
		got := queryRows(t, db, `select count(*), count(distinct status), min(status) from journeybee_lead where status = 'new'`)
		if w := fmt.Sprintf("%d|1|new", want); !slices.Equal(got, []string{w}) {
			t.Errorf("rows = %v, want %s", got, w)
		}
		reqs := server.Requests()
		if len(reqs) == 0 {
			t.Fatal("no request reached the server")
		}
		for _, r := range reqs {
			if s := r.Query.Get("status"); s != "new" {
				t.Errorf("request %s?%s: status = %q, want new", r.Path, r.Query.Encode(), s)
			}
		}
	})

	t.Run("LIMIT stops paging", func(t *testing.T) {
		server.ResetRequests()
		if got := queryRows(t, db, `select id from journeybee_lead limit 3`); len(got) != 3 {
			t.Errorf("rows = %v, want 3", got)
		}
		if c := server.RequestCount(); c != 1 {
			t.Errorf("%d requests for LIMIT 3, want 1", c)
		}
	})

	t.Run("json and dates", func(t *testing.T) {
		got := queryRows(t, db, `
			select count(*) = count(distinct id),
			       sum(json_type(tags) = 'array') = count(*),
			       sum(date(created_at) is not null) = count(*)
			from journeybee_lead`)
		if !slices.Equal(got, []string{"1|1|1"}) {
			t.Errorf("checks = %v, want all true", got)
		}
		got = queryRows(t, db, `
			select count(*) from journeybee_lead l, json_each(l.tags) tag
			where json_extract(tag.value, '$.label') is not null`)
		if len(got) != 1 || strings.HasPrefix(got[0], "-") {
			t.Errorf("tags = %v", got)
		}
	})
}

// TestSelectStarCostsOneScan: every column of journeybee_lead comes with
// the list, so `select *` through the engine costs what `select id` costs.
func TestSelectStarCostsOneScan(t *testing.T) {
	db, server := openJourneyBee(t, 120)
	if got := queryRows(t, db, `select id from journeybee_lead`); len(got) != 120 {
		t.Fatalf("%d ids, want 120", len(got))
	}
	scan := server.RequestCount()
	server.ResetRequests()
	if got := queryRows(t, db, `select * from journeybee_lead`); len(got) != 120 {
		t.Fatalf("%d rows, want 120", len(got))
	}
	if n := server.RequestCount(); n != scan {
		t.Fatalf("select * made %d requests, select id %d", n, scan)
	}
}

// TestCreatedAtWindowsPushDown: SQLite hands the engine created_at
// constraints as text (an ISO timestamp, or what datetime() returns); the
// plugin gets them as timestamp quals and pages only through the window.
func TestCreatedAtWindowsPushDown(t *testing.T) {
	leads := journeybeetest.GenerateLeadsAt(2000, 3, time.Now())
	db, server := openOver(t, journeybeetest.Config{Leads: leads, PageSize: 100})

	since := time.Now().Add(-30 * 24 * time.Hour)
	for _, tt := range []struct{ name, where string }{
		{"iso text", fmt.Sprintf("created_at >= '%s'", since.UTC().Format(time.RFC3339))},
		{"datetime()", "created_at > datetime('now', '-30 days')"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			server.ResetRequests()
			got := queryRows(t, db, "select count(*) from journeybee_lead where "+tt.where)
			want := 0
			for _, l := range leads {
				if l.CreatedAt.After(since.Add(time.Second)) {
					want++
				}
			}
			// since is a second or so older than SQLite's 'now': allow the
			// leads created in between.
			if n := len(leads); want == 0 || want == n {
				t.Fatalf("%d of %d leads in the last 30 days: the window proves nothing", want, n)
			}
			var count int
			fmt.Sscan(got[0], &count)
			if count < want || count > want+1 {
				t.Fatalf("%d leads, want %d", count, want)
			}
			if calls, bound := server.RequestCount(), (want+98)/99+1; calls > bound {
				t.Fatalf("%d API calls for %d leads in the window, want at most %d (the scan stops at the window's floor)", calls, want, bound)
			}
		})
	}
}
