package journeybeetest

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
)

func cursorOf(l Lead) string { return l.CreatedAt.Format(time.RFC3339Nano) }

func TestOrderTotalAndPageSize(t *testing.T) {
	leads := GenerateLeads(250, 1)
	shuffled := slices.Clone(leads)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	s := start(t, Config{Leads: shuffled})

	page := getLeads(t, s)
	if len(page) != 100 {
		t.Fatalf("first page holds %d leads, want the default page size 100", len(page))
	}
	wantIDs(t, "first page", ids(page), ids(leads[:100]))
	for i, l := range page {
		if l.Total != 250 {
			t.Fatalf("lead %d: total %d, want 250", l.ID, l.Total)
		}
		if i > 0 {
			prev := page[i-1]
			if l.CreatedAt.After(prev.CreatedAt) || (l.CreatedAt.Equal(prev.CreatedAt) && l.ID > prev.ID) {
				t.Fatalf("lead %d follows lead %d out of order", l.ID, prev.ID)
			}
		}
	}
	// total ignores the cursor.
	if second := getLeads(t, s, "cursor", cursorOf(page[99])); second[0].Total != 250 {
		t.Errorf("second page total %d, want 250", second[0].Total)
	}
}

// TestEqualTimestampsTieByID uses the generator's first deliberate pair.
func TestEqualTimestampsTieByID(t *testing.T) {
	leads := GenerateLeads(20, 1)
	if !leads[4].CreatedAt.Equal(leads[5].CreatedAt) || leads[4].ID < leads[5].ID {
		t.Fatalf("fixture assumption: leads 4 and 5 share an instant, higher id first")
	}
	s := start(t, Config{Leads: []Lead{leads[5], leads[4]}})
	wantIDs(t, "tie", ids(getLeads(t, s)), []int64{leads[4].ID, leads[5].ID})
}

func TestPagingModes(t *testing.T) {
	// Page size 5 splits the pair at indexes 4 and 5 across pages 1 and 2.
	leads := GenerateLeads(20, 1)
	boundary := cursorOf(leads[4])
	tests := []struct {
		mode       PagingMode
		secondPage []Lead
	}{
		// Strictly older than the cursor: the boundary's twin is skipped.
		{PagingExclusive, leads[6:11]},
		// At or before it: the boundary lead comes again, then its twin.
		{PagingInclusive, leads[4:9]},
		// The cursor never moves.
		{PagingIgnoreCursor, leads[0:5]},
		// Exclusive while real leads remain.
		{PagingPastTotal, leads[6:11]},
	}
	for _, tt := range tests {
		t.Run(tt.mode.String(), func(t *testing.T) {
			s := start(t, Config{Leads: leads, PageSize: 5, Paging: tt.mode})
			wantIDs(t, "first page", ids(getLeads(t, s)), ids(leads[:5]))
			wantIDs(t, "second page", ids(getLeads(t, s, "cursor", boundary)), ids(tt.secondPage))
		})
	}
}

func TestExclusivePagingWalk(t *testing.T) {
	leads := GenerateLeads(1000, 2)
	s := start(t, Config{Leads: leads})
	got, err := newClient(t, s).AllLeads(context.Background(), api.ListLeadsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, "all leads", clientIDs(got), ids(leads))
	// The client overlaps each cursor by one millisecond (the data's
	// precision) so that leads tied at a page boundary are not skipped:
	// after the first page, each page repeats the boundary lead, and the
	// page after the last holds only that lead, which ends the scan.
	if n := s.RequestCount(); n != 12 {
		t.Errorf("%d requests for 1000 leads at 100 a page, want 12 (100 + 10 × 99 new leads + the closing page)", n)
	}
	createdAt := map[string]bool{}
	for _, l := range leads {
		createdAt[cursorOf(l)] = true
	}
	var previous time.Time
	for _, r := range s.Requests()[1:] {
		cursor, err := time.Parse(time.RFC3339Nano, r.Query.Get("cursor"))
		if err != nil {
			t.Fatalf("request %d: cursor %q: %v", r.Number, r.Query.Get("cursor"), err)
		}
		if !createdAt[cursorOf(Lead{CreatedAt: cursor.Add(-time.Millisecond)})] {
			t.Errorf("request %d: cursor %s is not a lead's created_at + 1ms", r.Number, r.Query.Get("cursor"))
		}
		if !previous.IsZero() && !cursor.Before(previous) {
			t.Errorf("request %d: cursor %s did not move back", r.Number, r.Query.Get("cursor"))
		}
		previous = cursor
	}
	if got := getLeads(t, s, "cursor", cursorOf(leads[999])); len(got) != 0 {
		t.Errorf("past the oldest lead: %d leads, want none", len(got))
	}
}

func TestInclusivePagingWalkWithClient(t *testing.T) {
	leads := GenerateLeads(20, 1)
	s := start(t, Config{Leads: leads, PageSize: 5, Paging: PagingInclusive})
	got, err := newClient(t, s).AllLeads(context.Background(), api.ListLeadsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, "all leads, boundary repeats dropped", clientIDs(got), ids(leads))
}

func TestIgnoreCursorTripsTheClient(t *testing.T) {
	s := start(t, Config{Leads: GenerateLeads(20, 1), PageSize: 5, Paging: PagingIgnoreCursor})
	_, err := newClient(t, s).AllLeads(context.Background(), api.ListLeadsOptions{})
	var pagingErr *api.PagingError
	if !errors.As(err, &pagingErr) {
		t.Fatalf("got %v, want a *api.PagingError", err)
	}
}

func TestPastTotal(t *testing.T) {
	leads := GenerateLeads(30, 1)
	s := start(t, Config{Leads: leads, PageSize: 10, Paging: PagingPastTotal})

	cursor := cursorOf(leads[29])
	seen := map[int64]bool{}
	for _, l := range leads {
		seen[l.ID] = true
	}
	for page := range 3 {
		items := getLeads(t, s, "cursor", cursor)
		if len(items) != 10 {
			t.Fatalf("synthetic page %d holds %d leads, want 10", page, len(items))
		}
		for _, l := range items {
			if l.Total != 30 {
				t.Errorf("synthetic lead %d: total %d, want the real count 30", l.ID, l.Total)
			}
			if c, _ := time.Parse(time.RFC3339Nano, cursor); !l.CreatedAt.Before(c) {
				t.Errorf("synthetic lead %d at %s is not older than the cursor %s", l.ID, cursorOf(l), cursor)
			}
			if seen[l.ID] {
				t.Errorf("synthetic lead id %d repeats", l.ID)
			}
			seen[l.ID] = true
		}
		cursor = cursorOf(items[9])
	}

	// The client's closing page, after the real leads, holds the boundary
	// lead again, never a synthetic one, so the walk ends at the real leads.
	s.ResetRequests()
	got, err := newClient(t, s).AllLeads(context.Background(), api.ListLeadsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, "client walk", clientIDs(got), ids(leads))
	// 10 leads, then 9 new ones per page (the overlapping cursor repeats
	// the boundary lead): 10 + 9 + 9 + 2, then the page of the repeat.
	if n := s.RequestCount(); n != 5 {
		t.Errorf("client made %d requests, want 5", n)
	}
}

func TestPastTotalWithoutMatches(t *testing.T) {
	s := start(t, Config{Leads: GenerateLeads(30, 1), PageSize: 10, Paging: PagingPastTotal})
	items := getLeads(t, s, "search", "no such lead")
	if len(items) != 10 || items[0].Total != 0 {
		t.Errorf("got %d leads with total %d; want a synthetic page claiming total 0", len(items), items[0].Total)
	}
}

func TestCursorFormats(t *testing.T) {
	leads := fixtureLeads() // newest lead 1 at fixtureBase-1h, lead 2 at -2h
	s := start(t, Config{Leads: leads})
	for _, cursor := range []string{
		"2024-01-15T08:30:00Z",                // lead 2's instant, exclusive
		"2024-01-15T08:30:00.000Z",            // with milliseconds
		"2024-01-15T08:30:00.000000000Z",      // with nanoseconds
		"2024-01-15T10:30:00+02:00",           // an offset
		"2024-01-15T08:29:59.999999999+00:00", // just before lead 2
	} {
		got := getLeads(t, s, "cursor", cursor)
		wantIDs(t, cursor, ids(got), []int64{3, 4, 6, 5})
	}
}
