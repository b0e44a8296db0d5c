package journeybeetest

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"time"
)

// PagingMode says how the fake reads the cursor of every cursor-paged
// endpoint.
type PagingMode int

const (
	// PagingExclusive serves the items created strictly before the cursor
	// (the default, and the natural reading of the reference).
	PagingExclusive PagingMode = iota
	// PagingInclusive serves the items created at or before the cursor, so
	// the boundary item comes again at the top of the next page.
	PagingInclusive
	// PagingIgnoreCursor always serves the first page: a cursor that never
	// advances.
	PagingIgnoreCursor
	// PagingPastTotal pages exclusively, but once the real items are
	// exhausted it keeps serving full pages of ever older synthetic items,
	// while total still counts the real ones. Synthetic items ignore the
	// filters.
	PagingPastTotal
)

func (m PagingMode) String() string {
	switch m {
	case PagingExclusive:
		return "exclusive"
	case PagingInclusive:
		return "inclusive"
	case PagingIgnoreCursor:
		return "ignore-cursor"
	case PagingPastTotal:
		return "past-total"
	}
	return "PagingMode(" + strconv.Itoa(int(m)) + ")"
}

// ParsePagingMode reads the names String returns.
func ParsePagingMode(s string) (PagingMode, error) {
	for _, m := range []PagingMode{PagingExclusive, PagingInclusive, PagingIgnoreCursor, PagingPastTotal} {
		if m.String() == s {
			return m, nil
		}
	}
	return 0, fmt.Errorf("unknown paging mode %q: want exclusive, inclusive, ignore-cursor or past-total", s)
}

// cursor is a request's cursor parameter.
type cursor struct {
	at  time.Time
	set bool
}

func parseCursor(q url.Values) (cursor, error) {
	raw := q.Get("cursor")
	if raw == "" {
		return cursor{}, nil
	}
	at, err := time.Parse(time.RFC3339Nano, raw)
	if err != nil {
		return cursor{}, fmt.Errorf("invalid cursor %q: want an ISO 8601 timestamp such as 2024-01-15T10:30:00Z", raw)
	}
	return cursor{at: at, set: true}, nil
}

// page picks the items of one page. The cursor rule lives here: the page
// holds the first size items of the selection created before the cursor
// (at or before it with PagingInclusive).
func (c *collection[T]) page(d *snapshot[T], sel selection[T], cur cursor, size int, mode PagingMode) []*T {
	n := sel.len()
	useCursor := cur.set && mode != PagingIgnoreCursor
	inPage := func(item *T) bool {
		if !useCursor {
			return true
		}
		if mode == PagingInclusive {
			return !c.createdAt(item).After(cur.at)
		}
		return c.createdAt(item).Before(cur.at)
	}

	var picked []*T
	if sel.servingOrder {
		start := sort.Search(n, func(i int) bool { return inPage(sel.at(i)) })
		for i := start; i < n && len(picked) < size; i++ {
			picked = append(picked, sel.at(i))
		}
	} else {
		for i := 0; i < n && len(picked) < size; i++ {
			if item := sel.at(i); inPage(item) {
				picked = append(picked, item)
			}
		}
	}
	if len(picked) == 0 && mode == PagingPastTotal {
		before := cur.at
		if !useCursor {
			before = c.oldestCreatedAt(d)
		}
		for k := range size {
			item := c.synthetic(before.Add(-time.Duration(k+1) * time.Minute))
			picked = append(picked, &item)
		}
	}
	return picked
}

func (c *collection[T]) oldestCreatedAt(d *snapshot[T]) time.Time {
	if len(d.items) == 0 {
		return ReferenceTime
	}
	return c.createdAt(&d.items[len(d.items)-1])
}

// newerThan returns the oldest item of sel created after the cursor, or a
// synthetic one a second after the cursor when there is none.
func (c *collection[T]) newerThan(sel selection[T], at time.Time) *T {
	var found *T
	if sel.servingOrder {
		if j := sort.Search(sel.len(), func(i int) bool { return !c.createdAt(sel.at(i)).After(at) }); j > 0 {
			found = sel.at(j - 1)
		}
	} else {
		for i := range sel.len() {
			if item := sel.at(i); c.createdAt(item).After(at) && (found == nil || c.createdAt(item).Before(c.createdAt(found))) {
				found = item
			}
		}
	}
	if found != nil {
		return found
	}
	item := c.synthetic(at.Add(time.Second))
	return &item
}

// syntheticIDBase keeps synthetic ids clear of any realistic dataset; a
// synthetic item's id is this plus its created_at in Unix seconds.
const syntheticIDBase = 1_000_000_000_000

func syntheticID(at time.Time) int64 { return syntheticIDBase + at.Unix() }
