//go:build sqlite_vtable

package sqlite

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest/jbplugin"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

// Issue 13 item 1, as journeybee-query runs it: a self-join over more leads
// than the SDK cache's 1,000-row page, with caching on. SQLite reads a row
// of the outer scan, then the whole inner scan for it: the outer scan's
// reader stops, as Postgres's does in a join. Every lead must pair with
// itself once, and each distinct inner scan must reach the API once.
func TestJourneyBeeSelfJoinWithCacheReturnsEveryLeadOnce(t *testing.T) {
	const n, pageSize = 1500, 100
	db, server := openCachedOver(t, journeybeetest.Config{Leads: journeybeetest.GenerateLeads(n, 11), PageSize: pageSize})

	perStatus := map[string]int{}
	for _, l := range server.Leads() {
		perStatus[string(l.Status)]++
	}
	var want []string
	for s, c := range perStatus {
		want = append(want, fmt.Sprintf("%s|%d|%d", s, c, c))
	}
	sort.Strings(want)
	// The issue joined on id too; id = is now one API request per outer
	// row (a Get), so uuid stands in for it to keep the inner side a scan.
	const join = `select a.status, count(*), count(distinct a.id) from journeybee_lead a
		join journeybee_lead b on b.status = a.status and b.uuid = a.uuid group by 1 order by 1`
	if got := queryRows(t, db, join); !slices.Equal(got, want) {
		t.Fatalf("per-status rows = %v, want %v", got, want)
	}
	// One scan of a, one of b per status: each about its leads / page size
	// pages, plus a boundary repeat or an empty last page each.
	if got, max := server.RequestCount(), 2*(n/pageSize)+2*(1+len(perStatus)); got > max {
		t.Errorf("%d API requests, want at most %d (each side scanned once per distinct filter)", got, max)
	}
}

// Issue 16 item 2 in journeybee-query: a join through id (each deal to its
// lead, `on l.id = d.lead_id`) looks a lead up per deal. Once the lookups
// have cost what one scan of the leads costs, the engine scans the leads
// once and answers the rest from that scan: the join costs a bounded number
// of requests however many deals there are, and returns what the lookups
// would.
func TestJourneyBeeJoinThroughIDCostsAtMostAboutOneScan(t *testing.T) {
	cfg := journeybeetest.GenerateAccount(400, 3)
	cfg.PageSize = 100
	db, server := openCachedOver(t, cfg)

	title := map[int64]string{}
	for _, l := range cfg.Leads {
		title[l.ID] = "NULL"
		if l.CompanyName != nil {
			title[l.ID] = *l.CompanyName
		}
	}
	var want []string
	for _, d := range cfg.Deals {
		want = append(want, fmt.Sprintf("%d|%s", d.ID, title[d.LeadID]))
	}
	sort.Strings(want)
	const join = `select d.id, l.company_name from journeybee_lead_deal as d
		join journeybee_lead as l on l.id = d.lead_id order by 1`
	got := queryRows(t, db, join)
	sort.Strings(got)
	if !slices.Equal(got, want) {
		t.Fatalf("%d rows %v…, want %d %v…", len(got), got[:min(3, len(got))], len(want), want[:min(3, len(want))])
	}
	pages := func(n int) int { return n/(cfg.PageSize-1) + 2 }
	// The deals' scan; lookups until they cost a lead scan, then the lead
	// scan; reading the leads' size and the company id, a request each.
	bound := pages(len(cfg.Deals)) + 2*pages(len(cfg.Leads)) + 2
	t.Logf("%d requests for %d deals joined to %d leads through id (bound %d)", server.RequestCount(), len(cfg.Deals), len(cfg.Leads), bound)
	if n := server.RequestCount(); n > bound || len(cfg.Deals) <= bound {
		t.Fatalf("%d requests for %d deals joined to %d leads through id, want at most %d (and a dataset with more deals than that)", n, len(cfg.Deals), len(cfg.Leads), bound)
	}
	// Now the leads are known: the same join again costs no request.
	before := server.RequestCount()
	queryRows(t, db, join)
	if n := server.RequestCount() - before; n != 0 {
		t.Fatalf("%d requests for the join repeated within the memo's TTL, want 0", n)
	}
}

// openCachedOver is the engine as journeybee-query opens it (caching on),
// over a fake server with cfg, its rate limit lifted; extraHCL lines are
// added to the connection block.
func openCachedOver(t *testing.T, cfg journeybeetest.Config, extraHCL ...string) (*DB, *journeybeetest.Server) {
	t.Helper()
	server := plugintest.Fake(t, cfg)
	conn := plugintest.ConfigFor(server)
	conn.CacheTTL = nil
	conn.Extra = extraHCL
	host := jbplugin.StartWith(t, pluginhost.Options{Log: io.Discard}, conn)
	db, err := Open(host, "journeybee", WithCache(true))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, server
}
