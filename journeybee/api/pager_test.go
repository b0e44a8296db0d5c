package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

var statusNew = "new"

var epoch = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// leadsAt builds leads with ids and created_at offsets (minutes before
// epoch), all carrying total.
func leadsAt(total int, idAndMinutes ...[2]int) []Lead {
	out := make([]Lead, len(idAndMinutes))
	for i, im := range idAndMinutes {
		out[i] = Lead{ID: int64(im[0]), Total: total, CreatedAt: epoch.Add(-time.Duration(im[1]) * time.Minute), Status: &statusNew}
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

// collectLeads walks a pager to the end, returning the leads and the
// duplicates dropped.
func collectLeads(t *testing.T, c *Client, window ListOptions) ([]Lead, int, error) {
	t.Helper()
	pager, err := c.ListLeads(ListLeadsOptions{}, window)
	if err != nil {
		t.Fatal(err)
	}
	var all []Lead
	for {
		page, err := pager.Next(context.Background())
		if errors.Is(err, ErrNoMorePages) {
			return all, pager.Duplicates(), nil
		}
		if err != nil {
			return all, pager.Duplicates(), err
		}
		all = append(all, page.Items...)
	}
}

func TestPagerFollowsTheCursorToThePageOfRepeats(t *testing.T) {
	var cursors []string
	c, script, _ := newScriptedClient(t, pages(t, &cursors,
		leadsAt(5, [2]int{5, 1}, [2]int{4, 2}),
		leadsAt(5, [2]int{3, 3}, [2]int{2, 4}),
		leadsAt(5, [2]int{1, 5}),
		// The overlapping cursor brings back the last lead: the list's end.
		leadsAt(5, [2]int{1, 5}),
		leadsAt(5, [2]int{99, 6}), // never requested
	))
	leads, dups, err := collectLeads(t, c, ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(leads); !slices.Equal(got, []int64{5, 4, 3, 2, 1}) || dups != 1 {
		t.Fatalf("ids = %v with %d duplicates, want 5..1 with 1", got, dups)
	}
	if script.count() != 4 {
		t.Fatalf("%d requests, want 4: three pages and the page of repeats that ends the list", script.count())
	}
	// Whole-second timestamps: the cursor is the previous page's last
	// created_at plus one second, so leads tied with it come again.
	want := []string{"", formatCursor(epoch.Add(-2*time.Minute + time.Second)), formatCursor(epoch.Add(-4*time.Minute + time.Second)), formatCursor(epoch.Add(-5*time.Minute + time.Second))}
	if !slices.Equal(cursors, want) {
		t.Fatalf("cursors = %q, want %q (the previous page's last created_at + 1s)", cursors, want)
	}
}

func TestPagerEndsALoneFirstPageHoldingItsTotal(t *testing.T) {
	var cursors []string
	c, script, _ := newScriptedClient(t, pages(t, &cursors, leadsAt(2, [2]int{2, 1}, [2]int{1, 2})))
	leads, _, err := collectLeads(t, c, ListOptions{})
	if err != nil || len(leads) != 2 || script.count() != 1 {
		t.Fatalf("%d leads in %d requests (err %v), want 2 in 1: the page holds its total", len(leads), script.count(), err)
	}
}

// TestPagerDoesNotStopAtTotal: leads of the filtered status move out while
// others move in, so total stays 4 while six leads match; the leads that
// matched throughout (2 and 1, past the fourth position) must not be lost.
func TestPagerDoesNotStopAtTotal(t *testing.T) {
	var cursors []string
	c, _, _ := newScriptedClient(t, pages(t, &cursors,
		leadsAt(4, [2]int{6, 1}, [2]int{5, 2}),
		leadsAt(4, [2]int{4, 3}, [2]int{3, 4}),
		leadsAt(4, [2]int{2, 5}, [2]int{1, 6}),
		leadsAt(4, [2]int{1, 6}),
	))
	leads, _, err := collectLeads(t, c, ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(leads); !slices.Equal(got, []int64{6, 5, 4, 3, 2, 1}) {
		t.Fatalf("ids = %v, want all six: total is a hint, not a stop", got)
	}
}

// TestPagerToleratesATotalThatChanges: a lead created during the scan grows
// total; the last page then brings back only the boundary lead, which is
// the end of the list, not a stalled cursor.
func TestPagerToleratesATotalThatChanges(t *testing.T) {
	for name, totals := range map[string][3]int{"grows": {5, 6, 6}, "shrinks": {5, 4, 4}} {
		t.Run(name, func(t *testing.T) {
			var cursors []string
			c, _, _ := newScriptedClient(t, pages(t, &cursors,
				leadsAt(totals[0], [2]int{5, 1}, [2]int{4, 2}),
				leadsAt(totals[1], [2]int{3, 3}, [2]int{2, 4}),
				leadsAt(totals[2], [2]int{1, 5}),
				leadsAt(totals[2], [2]int{1, 5}),
			))
			leads, _, err := collectLeads(t, c, ListOptions{})
			if err != nil {
				t.Fatalf("a changing total failed the scan: %v", err)
			}
			if len(leads) != 5 {
				t.Fatalf("%d leads, want 5", len(leads))
			}
		})
	}
}

func TestPagerEndsOnAShortPageOfRepeatsAtTheBoundary(t *testing.T) {
	var cursors []string
	// Two leads share the last instant: the page after them can only
	// repeat them, and is shorter than a page: the list is over. The list
	// carries no total (one larger than the three leads would make the end
	// short of it, to be confirmed: see TestPagerConfirmsAnEndShortOfTotal).
	c, script, _ := newScriptedClient(t, pages(t, &cursors,
		leadsAt(0, [2]int{9, 1}, [2]int{8, 2}, [2]int{7, 2}),
		leadsAt(0, [2]int{8, 2}, [2]int{7, 2}),
	))
	leads, dups, err := collectLeads(t, c, ListOptions{})
	if err != nil || !slices.Equal(ids(leads), []int64{9, 8, 7}) || dups != 2 || script.count() != 2 {
		t.Fatalf("ids %v, %d duplicates, %d requests, err %v; want 9 8 7, 2, 2, nil", ids(leads), dups, script.count(), err)
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
	leads, dups, err := collectLeads(t, c, ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{5, 4, 3, 2, 1}; !slices.Equal(ids(leads), want) || dups != 2 {
		t.Fatalf("ids %v with %d duplicates dropped, want %v with 2", ids(leads), dups, want)
	}
}

func TestPagerFailsWhenAFullPageCannotMoveTheCursor(t *testing.T) {
	var cursors []string
	// Pages hold two leads and three share one instant: no cursor can page
	// past them.
	c, _, _ := newScriptedClient(t, pages(t, &cursors,
		leadsAt(9, [2]int{9, 1}, [2]int{8, 2}),
		leadsAt(9, [2]int{8, 2}, [2]int{7, 2}),
	))
	_, _, err := collectLeads(t, c, ListOptions{})
	var pagingErr *PagingError
	if !errors.As(err, &pagingErr) || !strings.Contains(err.Error(), "the cursor stopped advancing") {
		t.Fatalf("err = %v, want a *PagingError about a stalled cursor", err)
	}
}

func TestPagerFailsWhenTheCursorIsIgnored(t *testing.T) {
	var cursors []string
	same := leadsAt(10, [2]int{5, 1}, [2]int{4, 2})
	c, script, _ := newScriptedClient(t, pages(t, &cursors, same, same, same, same))
	_, _, err := collectLeads(t, c, ListOptions{})
	var pagingErr *PagingError
	if !errors.As(err, &pagingErr) || !strings.Contains(err.Error(), "item 5 created at") || !strings.Contains(err.Error(), "is newer than the cursor") {
		t.Fatalf("err = %v, want a *PagingError about an item newer than the cursor", err)
	}
	if !strings.Contains(err.Error(), "the API's paging no longer matches the plugin's assumption") {
		t.Fatalf("err = %v does not say the assumption broke", err)
	}
	if script.count() != 2 {
		t.Fatalf("%d requests, want 2: the broken cursor is seen on the second page", script.count())
	}
}

func TestPagerFailsWhenPagingRunsPastEveryTotal(t *testing.T) {
	n := 0
	c, script, _ := newScriptedClient(t, func(w http.ResponseWriter, r *http.Request) {
		n++
		_ = json.NewEncoder(w).Encode(leadsAt(3, [2]int{1000 - 2*n, 2 * n}, [2]int{999 - 2*n, 2*n + 1}))
	})
	_, _, err := collectLeads(t, c, ListOptions{})
	if err == nil || !strings.Contains(err.Error(), "paging went past the end of the list") {
		t.Fatalf("err = %v, want endless paging stopped", err)
	}
	if script.count() > 6 {
		t.Fatalf("%d requests before giving up, want at most 6", script.count())
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
	if err == nil || !strings.Contains(err.Error(), "item 9 created at") || !strings.Contains(err.Error(), "is newer than the cursor") {
		t.Fatalf("err = %v, want the newer-than-cursor check to fail", err)
	}
}

func TestPagerPrefetchOverlapsAndClose(t *testing.T) {
	var cursors []string
	c, script, _ := newScriptedClient(t, pages(t, &cursors,
		leadsAt(4, [2]int{4, 1}, [2]int{3, 2}),
		leadsAt(4, [2]int{2, 3}, [2]int{1, 4}),
	))
	pager, _ := c.ListLeads(ListLeadsOptions{}, ListOptions{})
	ctx := context.Background()
	first, err := pager.Next(ctx)
	if err != nil || len(first.Items) != 2 {
		t.Fatalf("page 1: %v %v", first, err)
	}
	pager.Prefetch(ctx)
	pager.Prefetch(ctx) // a second call while one is pending does nothing
	second, err := pager.Next(ctx)
	if err != nil || !slices.Equal(ids(second.Items), []int64{2, 1}) {
		t.Fatalf("page 2: %v %v", second, err)
	}
	if _, err := pager.Next(ctx); !errors.Is(err, ErrNoMorePages) {
		t.Fatalf("after the empty page: %v, want ErrNoMorePages", err)
	}
	if script.count() != 3 || pager.Requests() != 3 {
		t.Fatalf("%d requests, want 3 (two pages and the empty one)", script.count())
	}
}

func TestEveryRequestWaitsFirst(t *testing.T) {
	var cursors []string
	c, script, _ := newScriptedClient(t, reply(503, `{"error":"busy"}`),
		pages(t, &cursors, leadsAt(3, [2]int{3, 1}), leadsAt(3, [2]int{2, 2}), leadsAt(3, [2]int{1, 3})))
	waits := 0
	ctx := WithRequestWait(context.Background(), func(context.Context) error { waits++; return nil })
	if _, err := c.AllLeads(ctx, ListLeadsOptions{}); err != nil {
		t.Fatal(err)
	}
	if waits != script.count() || waits < 4 {
		t.Fatalf("waited %d times for %d requests, want one wait per request, the retried one included", waits, script.count())
	}
}

func TestPagerWindow(t *testing.T) {
	at := func(minutes int) time.Time { return epoch.Add(-time.Duration(minutes) * time.Minute) }
	var cursors []string
	c, script, _ := newScriptedClient(t, pages(t, &cursors,
		// Requested with the cursor just past NotAfter (minute 2): the
		// API may still send a lead at that instant's next second.
		leadsAt(9, [2]int{4, 2}, [2]int{3, 3}),
		leadsAt(9, [2]int{2, 4}, [2]int{1, 6}),
		leadsAt(9, [2]int{0, 7}), // never requested: the floor was passed
	))
	leads, _, err := collectLeads(t, c, ListOptions{NotAfter: at(2), NotBefore: at(4)})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids(leads), []int64{4, 3, 2}) {
		t.Fatalf("ids = %v, want 4 3 2 (created between minutes 4 and 2)", ids(leads))
	}
	if script.count() != 2 || cursors[0] != formatCursor(at(2).Add(time.Second)) {
		t.Fatalf("%d requests, first cursor %q; want 2, starting just past NotAfter", script.count(), cursors[0])
	}
}

func TestListLeadsValidatesBeforeAnyRequest(t *testing.T) {
	c, script, _ := newScriptedClient(t, reply(200, `[]`))
	if _, err := c.ListLeads(ListLeadsOptions{Statuses: []Status{"open"}}, ListOptions{}); err == nil {
		t.Fatal("want an error for an unknown status")
	}
	if script.count() != 0 {
		t.Fatalf("%d requests sent for invalid options", script.count())
	}
}
