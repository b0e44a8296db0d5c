//go:build sqlite_vtable

package sqlite

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

// Issue 13 item 1, as journeybee-query runs it: a self-join over more leads
// than the SDK cache's 1,000-row page, with caching on. SQLite reads a row
// of the outer scan, then the whole inner scan for it: the outer scan's
// reader stops, as Postgres's does in a join. Every lead must pair with
// itself once, and each distinct inner scan must reach the API once.
func TestJourneyBeeSelfJoinWithCacheReturnsEveryLeadOnce(t *testing.T) {
	const n, pageSize = 1500, 100
	server := journeybeetest.NewServer(journeybeetest.Config{Leads: journeybeetest.GenerateLeads(n, 11), PageSize: pageSize})
	t.Cleanup(server.Close)
	config := fmt.Sprintf("api_key = %q\nuser_id = %d\nbase_url = %q\n", server.APIKey(), server.UserID(), server.URL)
	host, err := pluginhost.New(journeybee.Plugin, pluginhost.Options{Log: io.Discard}, pluginhost.Connection{Name: "journeybee", Config: config})
	if err != nil {
		t.Fatal(err)
	}
	if err := host.SetRateLimiters(&proto.RateLimiterDefinition{Name: "journeybee_api", FillRate: 10000, BucketSize: 10000}); err != nil {
		t.Fatal(err)
	}
	db, err := Open(host, "journeybee", WithCache(true))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })

	perStatus := map[string]int{}
	for _, l := range server.Leads() {
		perStatus[string(l.Status)]++
	}
	var want []string
	for s, c := range perStatus {
		want = append(want, fmt.Sprintf("%s|%d|%d", s, c, c))
	}
	sort.Strings(want)
	const join = `select a.status, count(*), count(distinct a.id) from journeybee_lead a
		join journeybee_lead b on b.status = a.status and b.id = a.id group by 1 order by 1`
	if got := queryRows(t, db, join); !slices.Equal(got, want) {
		t.Fatalf("per-status rows = %v, want %v", got, want)
	}
	// One scan of a, one of b per status: each about its leads / page size
	// pages, plus a boundary repeat or an empty last page each.
	if got, max := server.RequestCount(), 2*(n/pageSize)+2*(1+len(perStatus)); got > max {
		t.Errorf("%d API requests, want at most %d (each side scanned once per distinct filter)", got, max)
	}
}
