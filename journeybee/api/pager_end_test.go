package api

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestPagerConfirmsAnEndShortOfTotal: a list that ends before its total is
// re-read from its first page (and, when that cannot settle it, asked again
// where it ended) before the scan succeeds. Pages are served in order: the
// confirmation's requests get the last ones of each script.
func TestPagerConfirmsAnEndShortOfTotal(t *testing.T) {
	tests := []struct {
		name     string
		opts     ListLeadsOptions
		pages    [][]Lead
		leads    int
		requests int
		cut      bool
		cacheTTL time.Duration
	}{
		{"an empty page mid-list", ListLeadsOptions{}, [][]Lead{
			leadsAt(6, [2]int{6, 1}, [2]int{5, 2}),
			leadsAt(6, [2]int{4, 3}, [2]int{3, 4}),
			{},
			leadsAt(6, [2]int{6, 1}, [2]int{5, 2}), // the first page again: 6 match
		}, 4, 4, true, 0},
		{"a lead created during the scan", ListLeadsOptions{}, [][]Lead{
			leadsAt(6, [2]int{6, 1}, [2]int{5, 2}),
			leadsAt(7, [2]int{4, 3}, [2]int{3, 4}),
			leadsAt(7, [2]int{2, 5}, [2]int{1, 6}),
			leadsAt(7, [2]int{1, 6}),
			leadsAt(7, [2]int{7, 0}, [2]int{6, 1}), // 7 is newer than the scan's first lead
		}, 6, 5, false, 0},
		{"a lead moved into the filter behind the cursor", ListLeadsOptions{Statuses: []Status{StatusNew}}, [][]Lead{
			leadsAt(4, [2]int{6, 1}, [2]int{5, 3}),
			leadsAt(5, [2]int{4, 4}, [2]int{3, 5}),
			leadsAt(5, [2]int{3, 5}),
			leadsAt(5, [2]int{6, 1}, [2]int{10, 2}), // 10 moved in where the scan had passed
			leadsAt(5, [2]int{3, 5}),                // asked again, the end holds
		}, 4, 5, false, 0},
		{"a filtered list cut short", ListLeadsOptions{Statuses: []Status{StatusNew}}, [][]Lead{
			leadsAt(5, [2]int{6, 1}, [2]int{5, 2}),
			{},
			leadsAt(5, [2]int{6, 1}, [2]int{5, 2}),
			leadsAt(5, [2]int{4, 3}, [2]int{3, 4}), // asked again, it goes on
		}, 2, 4, true, 0},
		// Under the reply cache the first page and the end are cached
		// replies: the confirmation must ask the API again.
		{"a filtered list cut short, the reply cache on", ListLeadsOptions{Statuses: []Status{StatusNew}}, [][]Lead{
			leadsAt(5, [2]int{6, 1}, [2]int{5, 2}),
			{},
			leadsAt(5, [2]int{6, 1}, [2]int{5, 2}),
			leadsAt(5, [2]int{4, 3}, [2]int{3, 4}),
		}, 2, 4, true, time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cursors []string
			c, script, _ := newScriptedClient(t, pages(t, &cursors, tt.pages...))
			pager, err := c.ListLeads(tt.opts, ListOptions{})
			if err != nil {
				t.Fatal(err)
			}
			leads, err := Collect(WithCacheTTL(context.Background(), tt.cacheTTL), pager)
			if len(leads) != tt.leads || script.count() != tt.requests {
				t.Fatalf("%d leads in %d requests (cursors %q), want %d in %d", len(leads), script.count(), cursors, tt.leads, tt.requests)
			}
			var pagingErr *PagingError
			if !tt.cut {
				if err != nil {
					t.Fatalf("a confirmed end failed the scan: %v", err)
				}
				return
			}
			if !errors.As(err, &pagingErr) || !strings.Contains(err.Error(), "GET /api/v1/leads") || !strings.Contains(err.Error(), "the list was cut short") {
				t.Fatalf("err = %v, want a *PagingError saying the list was cut", err)
			}
			t.Logf("the user sees: %v", err)
		})
	}
}
