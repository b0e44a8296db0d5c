package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

var epoch = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// leadsAt builds leads with ids and created_at offsets (minutes before
// epoch), all carrying total.
func leadsAt(total int, idAndMinutes ...[2]int) []Lead {
	out := make([]Lead, len(idAndMinutes))
	for i, im := range idAndMinutes {
		out[i] = Lead{ID: int64(im[0]), Total: total, CreatedAt: epoch.Add(-time.Duration(im[1]) * time.Minute), Status: "new"}
	}
	return out
}

// pages serves a fixed sequence of pages and records each request's cursor.
func pages(t *testing.T, cursors *[]string, pageList ...[]Lead) http.HandlerFunc {
	n := 0
	return func(w http.ResponseWriter, r *http.Request) {
		*cursors = append(*cursors, r.URL.Query().Get("cursor"))
		page := []Lead{}
		if n < len(pageList) {
			page = pageList[n]
		}
		n++
		_ = json.NewEncoder(w).Encode(page)
	}
}

func ids(leads []Lead) []int64 {
	out := make([]int64, len(leads))
	for i, l := range leads {
		out[i] = l.ID
	}
	return out
}

func TestPagerFollowsTheCursorAndStopsAtTotal(t *testing.T) {
	var cursors []string
	c, script, _ := newScriptedClient(t, pages(t, &cursors,
		leadsAt(5, [2]int{5, 1}, [2]int{4, 2}),
		leadsAt(5, [2]int{3, 3}, [2]int{2, 4}),
		leadsAt(5, [2]int{1, 5}),
		leadsAt(5, [2]int{99, 6}), // past total: must never be requested
	))
	leads, err := c.AllLeads(context.Background(), ListLeadsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(leads); len(got) != 5 || got[0] != 5 || got[4] != 1 {
		t.Fatalf("ids = %v, want 5..1", got)
	}
	if script.count() != 3 {
		t.Fatalf("%d requests, want 3: total was reached on page 3", script.count())
	}
	// Whole-second timestamps: the cursor is the previous page's last
	// created_at plus one second, so leads tied with it come again.
	want := []string{"", formatCursor(epoch.Add(-2*time.Minute + time.Second)), formatCursor(epoch.Add(-4*time.Minute + time.Second))}
	for i := range want {
		if cursors[i] != want[i] {
			t.Fatalf("cursor %d = %q, want %q (the previous page's last created_at + 1s)", i, cursors[i], want[i])
		}
	}
}

func TestPagerRejectsLeadsWithoutTotal(t *testing.T) {
	var cursors []string
	c, _, _ := newScriptedClient(t, pages(t, &cursors, leadsAt(0, [2]int{2, 1}, [2]int{1, 2})))
	_, err := c.AllLeads(context.Background(), ListLeadsOptions{})
	if err == nil || !strings.Contains(err.Error(), "carries a total of 0") {
		t.Fatalf("err = %v, want the missing total reported", err)
	}
}

func TestPagerFailsWhenPagingEndsShortOfTotal(t *testing.T) {
	var cursors []string
	c, _, _ := newScriptedClient(t, pages(t, &cursors,
		leadsAt(5, [2]int{5, 1}, [2]int{4, 2}),
		leadsAt(5, [2]int{2, 4}),
	))
	_, err := c.AllLeads(context.Background(), ListLeadsOptions{})
	if err == nil || !strings.Contains(err.Error(), "paging ended after 3 items but the API counts 5") {
		t.Fatalf("err = %v, want the shortfall reported", err)
	}
}

func TestPagerFailsOnPageOfRepeatsOnly(t *testing.T) {
	var cursors []string
	// Three leads share one instant: the second page can only repeat them.
	c, _, _ := newScriptedClient(t, pages(t, &cursors,
		leadsAt(9, [2]int{9, 1}, [2]int{8, 2}, [2]int{7, 2}),
		leadsAt(9, [2]int{8, 2}, [2]int{7, 2}),
	))
	_, err := c.AllLeads(context.Background(), ListLeadsOptions{})
	if err == nil || !strings.Contains(err.Error(), "the cursor stopped advancing") {
		t.Fatalf("err = %v, want a stall", err)
	}
}

func TestPagerDropsRepeatedBoundaryLeads(t *testing.T) {
	var cursors []string
	// An inclusive bound: each page starts again with the previous page's
	// last lead; leads 4 and 3 share an instant across the page boundary.
	c, _, _ := newScriptedClient(t, pages(t, &cursors,
		leadsAt(4, [2]int{5, 1}, [2]int{4, 2}),
		leadsAt(4, [2]int{4, 2}, [2]int{3, 2}, [2]int{2, 3}),
		leadsAt(4, [2]int{2, 3}, [2]int{1, 4}),
	))
	pager, _ := c.ListLeads(ListLeadsOptions{})
	var got []int64
	dups := 0
	for {
		page, err := pager.Next(context.Background())
		if errors.Is(err, ErrNoMorePages) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ids(page.Items)...)
		dups += page.Duplicates
	}
	if want := []int64{5, 4, 3, 2}; !equalIDs(got, want) || dups != 1 {
		t.Fatalf("ids %v with %d duplicates dropped, want %v with 1 (total 4 reached on page 2)", got, dups, want)
	}
}

func TestPagerFailsWhenTheCursorStalls(t *testing.T) {
	var cursors []string
	same := leadsAt(10, [2]int{5, 1}, [2]int{4, 2})
	c, script, _ := newScriptedClient(t, pages(t, &cursors, same, same, same, same))
	_, err := c.AllLeads(context.Background(), ListLeadsOptions{})
	var pagingErr *PagingError
	if !errors.As(err, &pagingErr) || !strings.Contains(err.Error(), "the cursor stopped advancing") {
		t.Fatalf("err = %v, want a *PagingError about a stalled cursor", err)
	}
	if !strings.Contains(err.Error(), "the API's paging no longer matches the plugin's assumption") {
		t.Fatalf("err = %v does not say the assumption broke", err)
	}
	if script.count() != 2 {
		t.Fatalf("%d requests, want 2: the stall is seen on the second page", script.count())
	}
}

func TestPagerFailsOnOutOfOrderPage(t *testing.T) {
	var cursors []string
	c, _, _ := newScriptedClient(t, pages(t, &cursors, leadsAt(3, [2]int{3, 3}, [2]int{2, 1}, [2]int{1, 5})))
	_, err := c.AllLeads(context.Background(), ListLeadsOptions{})
	if err == nil || !strings.Contains(err.Error(), "items are not newest first: item 2") {
		t.Fatalf("err = %v, want the newest-first check to fail", err)
	}
}

func TestPagerFailsOnLeadNewerThanCursor(t *testing.T) {
	var cursors []string
	c, _, _ := newScriptedClient(t, pages(t, &cursors,
		leadsAt(4, [2]int{4, 2}, [2]int{3, 3}),
		leadsAt(4, [2]int{9, 1}, [2]int{1, 5}),
	))
	_, err := c.AllLeads(context.Background(), ListLeadsOptions{})
	if err == nil || !strings.Contains(err.Error(), "item 9 created at") || !strings.Contains(err.Error(), "is newer than the previous page's last item") {
		t.Fatalf("err = %v, want the newer-than-cursor check to fail", err)
	}
}

func TestPagerPrefetchOverlapsAndClose(t *testing.T) {
	var cursors []string
	c, script, _ := newScriptedClient(t, pages(t, &cursors,
		leadsAt(4, [2]int{4, 1}, [2]int{3, 2}),
		leadsAt(4, [2]int{2, 3}, [2]int{1, 4}),
	))
	pager, _ := c.ListLeads(ListLeadsOptions{})
	ctx := context.Background()
	first, err := pager.Next(ctx)
	if err != nil || len(first.Items) != 2 {
		t.Fatalf("page 1: %v %v", first, err)
	}
	pager.Prefetch(ctx)
	pager.Prefetch(ctx) // a second call while one is pending does nothing
	second, err := pager.Next(ctx)
	if err != nil || !equalIDs(ids(second.Items), []int64{2, 1}) {
		t.Fatalf("page 2: %v %v", second, err)
	}
	if _, err := pager.Next(ctx); !errors.Is(err, ErrNoMorePages) {
		t.Fatalf("after total: %v, want ErrNoMorePages", err)
	}
	if script.count() != 2 || pager.Requests() != 2 {
		t.Fatalf("%d requests, want 2", script.count())
	}
}

func TestPagerBeforeRequestRunsForLaterPages(t *testing.T) {
	var cursors []string
	c, _, _ := newScriptedClient(t, pages(t, &cursors,
		leadsAt(3, [2]int{3, 1}), leadsAt(3, [2]int{2, 2}), leadsAt(3, [2]int{1, 3})))
	pager, _ := c.ListLeads(ListLeadsOptions{})
	waits := 0
	pager.BeforeRequest = func(context.Context) error { waits++; return nil }
	for {
		if _, err := pager.Next(context.Background()); err != nil {
			break
		}
	}
	if waits != 2 {
		t.Fatalf("BeforeRequest ran %d times, want 2 (pages 2 and 3)", waits)
	}
}

func TestListLeadsValidatesBeforeAnyRequest(t *testing.T) {
	c, script, _ := newScriptedClient(t, reply(200, `[]`))
	if _, err := c.ListLeads(ListLeadsOptions{Statuses: []Status{"open"}}); err == nil {
		t.Fatal("want an error for an unknown status")
	}
	if script.count() != 0 {
		t.Fatalf("%d requests sent for invalid options", script.count())
	}
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
