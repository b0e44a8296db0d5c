//go:build sqlite_vtable

package sqlite

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

// openJourneyBee opens the engine on the real plugin against a fake API
// serving n generated leads.
func openJourneyBee(t *testing.T, n int) (*DB, *journeybeetest.Server) {
	t.Helper()
	server := journeybeetest.NewServer(journeybeetest.Config{Leads: journeybeetest.GenerateLeads(n, 7)})
	t.Cleanup(server.Close)
	// The default rate limit would make the tests slow; the reply cache is
	// off so that the engine's own memo is what the tests see.
	config := fmt.Sprintf("api_key = %q\nuser_id = %d\nbase_url = %q\nmax_requests_per_minute = 100000\ncache_ttl = 0\n", server.APIKey(), server.UserID(), server.URL)
	host, err := pluginhost.New(journeybee.Plugin, pluginhost.Options{Log: io.Discard}, pluginhost.Connection{Name: "journeybee", Config: config})
	if err != nil {
		t.Fatal(err)
	}
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
