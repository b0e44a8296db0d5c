package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

func scanIndexFixture(t *testing.T) (*api.Client, *journeybeetest.Server, journeybeetest.Config) {
	t.Helper()
	cfg := journeybeetest.GenerateAccount(300, 7)
	cfg.PageSize = 50
	srv := journeybeetest.NewServer(cfg)
	t.Cleanup(srv.Close)
	c, err := api.NewClient(srv.APIKey(), srv.UserID(), api.WithBaseURL(srv.URL), api.WithRateLimit(1_000_000))
	if err != nil {
		t.Fatal(err)
	}
	return c, srv, cfg
}

// A lookup by id after a complete scan within the cache TTL costs no
// request, and gives the item as a read by id does: no list total.
func TestLookupAfterACompleteScanCostsNoRequest(t *testing.T) {
	c, srv, cfg := scanIndexFixture(t)
	ctx := api.WithCacheTTL(context.Background(), time.Minute)
	company := srv.CompanyID()
	leads, err := c.AllLeads(ctx, api.ListLeadsOptions{Statuses: []api.Status{api.StatusNew}})
	if err != nil || len(leads) < 3 {
		t.Fatalf("%d leads, %v", len(leads), err)
	}
	pager, err := c.ListDeals(api.ListDealsOptions{}, api.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	deals, err := api.Collect(ctx, pager)
	if err != nil || len(deals) < 3 {
		t.Fatalf("%d deals, %v", len(deals), err)
	}
	before := srv.RequestCount()
	for _, want := range leads {
		got, err := c.LookupLead(ctx, company, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != want.ID || *got.Status != *want.Status || got.Total != 0 {
			t.Fatalf("lead %d from the scan: id %d status %s total %d, want the listed lead with no total", want.ID, got.ID, *got.Status, got.Total)
		}
	}
	for _, want := range deals {
		got, err := c.LookupDeal(ctx, company, want.ID)
		if err != nil || got.ID != want.ID || got.Total != 0 {
			t.Fatalf("deal %d from the scan: %+v, %v", want.ID, got, err)
		}
	}
	if n := srv.RequestCount() - before; n != 0 {
		t.Fatalf("%d requests for %d leads and %d deals a complete scan had just read, want 0", n, len(leads), len(deals))
	}
	// A lead the filtered scan did not list is asked for.
	var other int64
	for _, l := range cfg.Leads {
		if l.Status != "new" {
			other = l.ID
			break
		}
	}
	if _, err := c.LookupLead(ctx, company, other); err != nil {
		t.Fatal(err)
	}
	if n := srv.RequestCount() - before; n != 1 {
		t.Fatalf("%d requests for a lead no scan read, want 1", n)
	}
}

// Without a cache TTL nothing is reused, and a scan cut short (a LIMIT
// closes its pager) records nothing.
func TestLookupAsksTheAPIWithoutACompleteScanInTheTTL(t *testing.T) {
	c, srv, cfg := scanIndexFixture(t)
	company := srv.CompanyID()
	if _, err := c.AllLeads(context.Background(), api.ListLeadsOptions{}); err != nil {
		t.Fatal(err)
	}
	ctx := api.WithCacheTTL(context.Background(), time.Minute)
	before := srv.RequestCount()
	if _, err := c.LookupLead(ctx, company, cfg.Leads[0].ID); err != nil {
		t.Fatal(err)
	}
	if n := srv.RequestCount() - before; n != 1 {
		t.Fatalf("%d requests after a scan made without a cache TTL, want 1", n)
	}

	pager, err := c.ListLeads(api.ListLeadsOptions{View: api.ViewReceived}, api.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	page, err := pager.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pager.Close()
	before = srv.RequestCount()
	// The page's last lead: not the one read by id above (a cached reply).
	if _, err := c.LookupLead(ctx, company, page.Items[len(page.Items)-1].ID); err != nil {
		t.Fatal(err)
	}
	if n := srv.RequestCount() - before; n != 1 {
		t.Fatalf("%d requests after a scan closed on its first page, want 1: only complete scans are recorded", n)
	}

	// The TTL of the lookup decides: a 1 ns TTL finds nothing fresh.
	if _, err := c.AllLeads(ctx, api.ListLeadsOptions{}); err != nil {
		t.Fatal(err)
	}
	before = srv.RequestCount()
	if _, err := c.LookupLead(api.WithCacheTTL(context.Background(), time.Nanosecond), company, cfg.Leads[1].ID); err != nil {
		t.Fatal(err)
	}
	if n := srv.RequestCount() - before; n != 1 {
		t.Fatalf("%d requests under a TTL shorter than the scan's age, want 1", n)
	}
}
