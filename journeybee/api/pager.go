package api

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"time"
)

// The cursor assumption, kept in this one place.
//
// The reference says only that paging is "cursor-based (timestamp-based)" and
// that cursor is "an ISO timestamp". The reply is a bare array with no
// next-cursor or has-more field; items may carry total. The pager assumes:
//
//   - items arrive newest first by created_at;
//   - a request with cursor C returns the items created before C (whether
//     the bound is inclusive is not documented and does not matter here).
//
// The next page is requested with cursor = the created_at of the previous
// page's last item plus one unit of the timestamps' precision. Items that
// share the boundary instant therefore come again under either reading of
// the bound, instead of being skipped by an exclusive one; the ones already
// seen are dropped by id.
//
// Accounts change while a scan runs (minutes at the rate limit): items are
// created, deleted and move in and out of the filters. New items are newer
// than any cursor and never show up; an item that matches for the whole scan
// keeps its place in the order and is returned exactly once. So total is
// only a hint: it can grow or shrink between pages, and stopping once total
// items were seen could stop short. Paging ends when
//
//   - a page is empty, or holds only items already returned (the overlap
//     brings back the boundary items after the last page), or
//   - one page holds at least its own total, so nothing else matches, which
//     ends a small list in one request, or
//   - the scan passed the window's lower bound (ListOptions.NotBefore).
//
// A list that ends (an empty page, a null body, a page of nothing new)
// while fewer items were seen than the last total a page reported is
// confirmed before the scan succeeds: an API that answers [] or null in the
// middle of a list must fail the query, not return its first pages as all.
// Windowed scans are exempt: their total counts items outside the window.
// The confirmation re-reads the list's first page (same query, no cursor):
//
//   - the items on it newer than the scan's first item were created since
//     the scan began: newer than its first page, it could never return
//     them, but they count in the current total, so they are discounted.
//     Items deleted since shrink the total; ones the scan returned before
//     they went still count as seen, on the safe side;
//   - if the page reaches back to the scan's first item (so every creation
//     is counted) and seen + created >= the current total, the end is
//     confirmed: one extra request. An empty first page means the list is
//     now empty: confirmed too;
//   - if it falls short on an unfiltered list, the list was cut: nothing
//     else adds to an unfiltered total behind the cursor;
//   - otherwise (a filter an item can move into behind the cursor, or more
//     items created than a page holds) the request that ended the list is
//     sent again: an unseen item older than its cursor proves the end was
//     false and the list was cut; none confirms the end, the shortfall
//     being items that joined the query where the scan had passed. Two
//     extra requests.
//
// Both requests bypass the reply cache: a kept copy of the scan's own
// first or last page would confirm anything. A cut list fails with a
// *PagingError naming the endpoint and the counts. No request is added to
// a list that ends at or past its total.
//
// Because it is an assumption, every page is checked against what a broken
// cursor would look like, and never against what changing data looks like:
// an item newer than the cursor that was sent, a page not newest first, a
// full page that cannot move the cursor (more items at one instant than a
// page holds), or a scan returning far more items than any total reported
// fail with a *PagingError: a loud failure, never a silently short or
// looping result.

// ErrNoMorePages is returned by Pager.Next once the last page was returned.
var ErrNoMorePages = errors.New("journeybee api: no more pages")

// CursorKey is what the pager needs to know of an item.
type CursorKey struct {
	ID   int64
	Time time.Time
	// Total is the item's total, 0 when the list does not carry one.
	Total int
}

// ListOptions bounds a cursored scan by created_at. Zero times are unbounded.
type ListOptions struct {
	// NotAfter starts the scan at the items created at or before this time:
	// no page of newer items is requested.
	NotAfter time.Time
	// NotBefore ends the scan once it reaches items created before this
	// time: no page of older items is requested.
	NotBefore time.Time
}

// Page is one page of distinct items.
type Page[T any] struct {
	// Items are the page's new items inside the window.
	Items []T
	// Number counts pages from 1.
	Number int
	// Total is the largest total reported so far (a hint, see above).
	Total int
	// Duplicates counts the items dropped as already returned.
	Duplicates int
}

// Pager walks a timestamp-cursored list. Pages are requested one at a time;
// Prefetch starts the next request while the caller handles the current page.
// A Pager is used by one goroutine.
type Pager[T any] struct {
	client *Client
	path   string
	query  url.Values
	key    func(*T) CursorKey
	window ListOptions

	requests   int
	pages      int
	seen       int
	duplicates int
	done       bool
	// maxTotal is the largest total a page reported; maxPageLen the longest
	// page, the best guess at the page size.
	maxTotal, maxPageLen int
	// cursor is the cursor sent with the next request; cursorTime the same
	// instant, zero before the first request of an unwindowed scan.
	cursor     string
	cursorTime time.Time
	// boundary is the created_at of the last item so far, recent the items
	// returned within one precision unit of it: the only items the
	// overlapping cursor can bring back, so memory stays flat.
	boundary  time.Time
	recent    map[int64]time.Time
	precision time.Duration

	// lastTotal is the total of the latest page that reported one; newest
	// the created_at of the scan's first item, and newestIDs the first
	// page's items at that instant: what the confirmation of a short end
	// (confirm) compares the re-read first page with.
	lastTotal int
	newest    time.Time
	newestIDs map[int64]bool
	confirm   bool

	pending chan fetchResult[T]
	cancel  context.CancelFunc
	// lastLen is the previous reply's length, the next page's likely size.
	lastLen int
	// recorder, when set, records a complete scan's items (scan_index.go).
	recorder *scanRecorder[T]
}

type fetchResult[T any] struct {
	items []T
	err   error
}

// List returns a pager over the cursored list at path. key reads an item's
// id, created_at and total.
func List[T any](c *Client, path string, query url.Values, window ListOptions, key func(*T) CursorKey) *Pager[T] {
	p := &Pager[T]{client: c, path: path, query: query, key: key, window: window, recent: map[int64]time.Time{}, precision: time.Second}
	if !window.NotAfter.IsZero() {
		// Start at the next whole second: every item created at or before
		// NotAfter comes under either reading of the bound, whatever
		// precision the API parses; the few newer ones are dropped.
		p.cursorTime = window.NotAfter.UTC().Truncate(time.Second).Add(time.Second)
		p.cursor = formatCursor(p.cursorTime)
	}
	return p
}

// Requests is the number of pages requested so far, prefetches included.
func (p *Pager[T]) Requests() int { return p.requests }

// Duplicates is the number of items dropped as already returned.
func (p *Pager[T]) Duplicates() int { return p.duplicates }

// Done reports whether Next would return ErrNoMorePages.
func (p *Pager[T]) Done() bool { return p.done }

// Next returns the next page, or ErrNoMorePages after the last one.
func (p *Pager[T]) Next(ctx context.Context) (*Page[T], error) {
	for {
		if p.done {
			if p.confirm {
				p.confirm = false
				if err := p.confirmEnd(ctx); err != nil {
					return nil, err
				}
			}
			return nil, ErrNoMorePages
		}
		var res fetchResult[T]
		if p.pending != nil {
			select {
			case res = <-p.pending:
			case <-ctx.Done():
				p.Close()
				return nil, ctx.Err()
			}
			p.pending = nil
		} else {
			res.items, res.err = p.fetch(ctx, p.cursor)
		}
		if res.err != nil {
			p.done = true
			return nil, res.err
		}
		page, err := p.accept(res.items)
		if err != nil {
			p.done = true
			return nil, err
		}
		p.record(ctx, page)
		// A page can hold nothing new inside the window (only newer items
		// at a window's start, say) and still move the cursor: go on.
		if page != nil {
			return page, nil
		}
	}
}

// Pages is the one page loop: it yields each page in turn, or the error
// that ended paging, once and last. Leaving the loop early closes the
// pager (abandoning a prefetch under way); the loop's body may call
// Prefetch before handling a page.
func (p *Pager[T]) Pages(ctx context.Context) iter.Seq2[*Page[T], error] {
	return func(yield func(*Page[T], error) bool) {
		defer p.Close()
		for {
			page, err := p.Next(ctx)
			if errors.Is(err, ErrNoMorePages) || !yield(page, err) || err != nil {
				return
			}
		}
	}
}

// Prefetch starts requesting the page after the one Next last returned, so
// that the network round trip overlaps the caller's work. It does nothing
// when paging is over or a prefetch is already under way.
func (p *Pager[T]) Prefetch(ctx context.Context) {
	if p.done || p.pending != nil {
		return
	}
	ctx, p.cancel = context.WithCancel(ctx)
	ch := make(chan fetchResult[T], 1)
	p.pending = ch
	cursor := p.cursor
	go func() {
		items, err := p.fetch(ctx, cursor)
		ch <- fetchResult[T]{items: items, err: err}
	}()
}

// Close abandons a prefetch under way, and the scan: an end not yet
// confirmed is not.
func (p *Pager[T]) Close() {
	if p.cancel != nil {
		p.cancel()
	}
	p.done, p.confirm = true, false
}

func (p *Pager[T]) fetch(ctx context.Context, cursor string) ([]T, error) {
	p.requests++
	query := cloneValues(p.query)
	if cursor != "" {
		query.Set("cursor", cursor)
	}
	// Sized like the previous page, the slice is not regrown while decoding.
	items := make([]T, 0, p.lastLen)
	if err := p.client.get(ctx, p.path, query, &items); err != nil {
		return nil, err
	}
	p.lastLen = len(items)
	return items, nil
}

// accept checks a page against the cursor assumption, drops repeats and
// items outside the window, and moves the cursor. It returns nil when the
// page holds nothing to return; p.done tells whether paging is over.
func (p *Pager[T]) accept(items []T) (*Page[T], error) {
	pageNumber := p.pages + 1
	p.pages++
	fail := func(format string, args ...any) error {
		return &PagingError{Path: p.path, Page: pageNumber, Reason: fmt.Sprintf(format, args...)}
	}
	if len(items) == 0 {
		p.done = true
		p.confirm = p.endsShort()
		return nil, nil
	}
	hasCursor := p.cursor != ""
	fresh := items[:0]
	var prev CursorKey
	duplicates, pageTotal := 0, 0
	reachedFloor := false
	for i := range items {
		k := p.key(&items[i])
		if hasCursor && k.Time.After(p.cursorTime) {
			return nil, fail("item %d created at %s is newer than the cursor %s the page was requested with", k.ID, formatCursor(k.Time), p.cursor)
		}
		if i > 0 && k.Time.After(prev.Time) {
			return nil, fail("items are not newest first: item %d (%s) follows item %d (%s)", k.ID, formatCursor(k.Time), prev.ID, formatCursor(prev.Time))
		}
		prev = k
		pageTotal = max(pageTotal, k.Total)
		p.precision = min(p.precision, precisionOf(k.Time))
		if _, repeated := p.recent[k.ID]; repeated {
			duplicates++
			continue
		}
		p.recent[k.ID] = k.Time
		if !p.window.NotBefore.IsZero() && k.Time.Before(p.window.NotBefore) {
			reachedFloor = true
			continue
		}
		if !p.window.NotAfter.IsZero() && k.Time.After(p.window.NotAfter) {
			continue
		}
		fresh = append(fresh, items[i])
	}
	p.maxTotal = max(p.maxTotal, pageTotal)
	if pageTotal > 0 {
		p.lastTotal = pageTotal
	}
	if pageNumber == 1 {
		p.newest, p.newestIDs = p.key(&items[0]).Time, map[int64]bool{}
		for i := range items {
			if k := p.key(&items[i]); k.Time.Equal(p.newest) {
				p.newestIDs[k.ID] = true
			}
		}
	}
	p.seen += len(fresh)
	p.duplicates += duplicates

	last := prev.Time
	advanced := !hasCursor || last.Before(p.boundary) || p.boundary.IsZero()
	switch {
	case reachedFloor:
		p.done = true
	case pageTotal > 0 && len(items) >= pageTotal:
		p.done = true // this one page holds everything that matches
	case !advanced && len(items) >= p.maxPageLen:
		return nil, fail("the cursor stopped advancing: a full page of %d items requested with cursor %s ends at %s: more items share one instant than a page holds", len(items), p.cursor, formatCursor(last))
	case !advanced:
		p.done = true // a short page at the boundary: nothing older is left
		p.confirm = p.endsShort()
	case p.maxTotal > 0 && p.seen > 2*p.maxTotal+p.maxPageLen:
		return nil, fail("%d items returned but no page counted more than %d: paging went past the end of the list", p.seen, p.maxTotal)
	}
	p.maxPageLen = max(p.maxPageLen, len(items))
	if advanced {
		p.boundary = last
		p.cursorTime = last.Add(p.precision)
		p.cursor = formatCursor(p.cursorTime)
		for id, t := range p.recent {
			if t.After(p.cursorTime) {
				delete(p.recent, id)
			}
		}
	}
	if len(fresh) == 0 {
		return nil, nil
	}
	return &Page[T]{Items: fresh, Number: pageNumber, Total: p.maxTotal, Duplicates: duplicates}, nil
}

// endsShort reports whether a list that just ended saw fewer items than
// its last total: the end must then be confirmed (see above).
func (p *Pager[T]) endsShort() bool {
	return p.window == (ListOptions{}) && p.seen < p.lastTotal
}

// confirmEnd confirms a short end, or fails with a *PagingError when the
// list was cut (the rule is in the comment at the top of this file).
func (p *Pager[T]) confirmEnd(ctx context.Context) error {
	endCursor, endPage := p.cursor, p.pages
	// The API now, not a reply kept from the scan's own first or last page.
	ctx = WithCacheTTL(ctx, 0)
	head, err := p.fetch(ctx, "")
	if err != nil {
		return err
	}
	if len(head) == 0 {
		return nil // the list is empty now: every item went during the scan
	}
	total, created, reachesStart := 0, 0, false
	for i := range head {
		k := p.key(&head[i])
		total = max(total, k.Total)
		if k.Time.After(p.newest) || (k.Time.Equal(p.newest) && !p.newestIDs[k.ID]) {
			created++
		} else {
			reachesStart = true
		}
	}
	cut := &PagingError{Path: p.path, Page: endPage, Reason: fmt.Sprintf(
		"the list was cut short: it ended after %d items while the API counts %d matching (%d of them created since the scan began, which it could not return). "+
			"The API ended the list early (an empty or null page, or a page of items already returned); run the query again, and if it fails again narrow it (a created_at window pages a part of the list) and report the endpoint's behaviour to JourneyBee",
		p.seen, total, created)}
	switch {
	case reachesStart && p.seen+created >= total:
		return nil
	case reachesStart && !p.filtered():
		return cut
	}
	tail, err := p.fetch(ctx, endCursor)
	if err != nil {
		return err
	}
	for i := range tail {
		k := p.key(&tail[i])
		if _, returned := p.recent[k.ID]; !returned && !k.Time.After(p.cursorTime) {
			return cut
		}
	}
	return nil
}

// filtered reports whether the query has a filter an item can move into
// while the scan runs (anything but the user it is made for).
func (p *Pager[T]) filtered() bool {
	for k, v := range p.query {
		if k != "userId" && len(v) > 0 && v[0] != "" {
			return true
		}
	}
	return false
}

// precisionOf is the unit of a timestamp's last non-zero digit, at most a
// second: 10:30:00Z → 1s, 10:30:00.120Z → 1ms.
func precisionOf(t time.Time) time.Duration {
	ns := t.Nanosecond()
	switch {
	case ns == 0:
		return time.Second
	case ns%int(time.Millisecond) == 0:
		return time.Millisecond
	case ns%int(time.Microsecond) == 0:
		return time.Microsecond
	default:
		return time.Nanosecond
	}
}

// formatCursor renders a cursor the way the API writes timestamps.
func formatCursor(t time.Time) string {
	return t.UTC().Format(time.RFC3339Nano)
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v)+1)
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// Collect drains a pager into one slice. It buffers every item, so it suits
// tests and small lists; tables stream page by page.
func Collect[T any](ctx context.Context, p *Pager[T]) ([]T, error) {
	var all []T
	for page, err := range p.Pages(ctx) {
		if err != nil {
			return all, err
		}
		all = append(all, page.Items...)
	}
	return all, nil
}
