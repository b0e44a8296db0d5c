package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"
)

// The cursor assumption, kept in this one place.
//
// The reference says only that paging is "cursor-based (timestamp-based)" and
// that cursor is "an ISO timestamp". The reply is a bare array with no
// next-cursor or has-more field; every item carries total. The pager assumes:
//
//   - items arrive newest first by created_at;
//   - a request with cursor C returns the items created before C (whether
//     the bound is inclusive is not documented and does not matter here);
//   - total counts every item matching the request's filters.
//
// The next page is requested with cursor = the created_at of the previous
// page's last item plus one unit of the timestamps' precision. Items that
// share the boundary instant therefore come again under either reading of
// the bound, instead of being skipped by an exclusive one; the ones already
// seen are dropped by id. Paging ends on an empty page or once total items
// were seen.
//
// Because it is an assumption, every page is checked against it. A page that
// is not newest first, holds an item newer than the boundary, or would not
// move the cursor fails with a *PagingError, and so does paging that ends
// with fewer items than the API's total: a loud failure, never a silently
// short or looping result.

// ErrNoMorePages is returned by Pager.Next once the last page was returned.
var ErrNoMorePages = errors.New("journeybee api: no more pages")

// CursorKey is what the pager needs to know of an item.
type CursorKey struct {
	ID    int64
	Time  time.Time
	Total int
}

// Page is one page of distinct items.
type Page[T any] struct {
	// Items are the page's items minus repeats of already-seen boundary items.
	Items []T
	// Number counts pages from 1.
	Number int
	// Total is the API's count of items matching the request.
	Total int
	// Duplicates counts the boundary items dropped from this page.
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

	// BeforeRequest, when set, runs before every request after the first
	// (the Steampipe table waits on its rate limiter there).
	BeforeRequest func(ctx context.Context) error

	requests int
	pages    int
	seen     int
	done     bool
	// total is the largest total a page reported (paging stops once that
	// many items were seen); minTotal the smallest (fewer seen at the end is
	// a loss). They differ only when items change during the scan.
	total, minTotal int
	cursor          string
	// boundaryTime is the created_at of the last item so far; boundaryIDs
	// the ids seen at that instant: the only items the overlapping cursor
	// repeats, so memory stays flat however many pages go by.
	boundaryTime time.Time
	boundaryIDs  map[int64]struct{}
	// precision is the finest unit seen in created_at values.
	precision time.Duration

	pending chan fetchResult[T]
	cancel  context.CancelFunc
	// body holds the reply being decoded. Fetches of one pager never
	// overlap (Prefetch starts one only when none is pending), and decoding
	// copies what it keeps, so one buffer serves every page.
	body bytes.Buffer
	// lastLen is the previous reply's length, the next page's likely size.
	lastLen int
	// decode, when set, replaces json.Unmarshal with a decoder giving the
	// same result (decodeLeads).
	decode func(body []byte, items []T) ([]T, error)
}

type fetchResult[T any] struct {
	items []T
	err   error
}

func newPager[T any](c *Client, path string, query url.Values, key func(*T) CursorKey) *Pager[T] {
	return &Pager[T]{client: c, path: path, query: query, key: key, boundaryIDs: map[int64]struct{}{}, precision: time.Second}
}

// Requests is the number of pages requested so far, prefetches included.
func (p *Pager[T]) Requests() int { return p.requests }

// Seen is the number of distinct items returned so far.
func (p *Pager[T]) Seen() int { return p.seen }

// Done reports whether Next would return ErrNoMorePages.
func (p *Pager[T]) Done() bool { return p.done }

// Next returns the next page, or ErrNoMorePages after the last one.
func (p *Pager[T]) Next(ctx context.Context) (*Page[T], error) {
	if p.done {
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
	if page == nil {
		return nil, ErrNoMorePages
	}
	return page, nil
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

// Close abandons a prefetch under way.
func (p *Pager[T]) Close() {
	if p.cancel != nil {
		p.cancel()
	}
	p.done = true
}

func (p *Pager[T]) fetch(ctx context.Context, cursor string) ([]T, error) {
	if p.requests > 0 && p.BeforeRequest != nil {
		if err := p.BeforeRequest(ctx); err != nil {
			return nil, err
		}
	}
	p.requests++
	query := cloneValues(p.query)
	if cursor != "" {
		query.Set("cursor", cursor)
	}
	body, err := p.client.get(ctx, p.path, query, &p.body)
	if err != nil {
		return nil, err
	}
	// Sized like the previous page, the slice is not regrown while decoding.
	items := make([]T, 0, p.lastLen)
	if p.decode != nil {
		items, err = p.decode(body, items)
	} else {
		err = json.Unmarshal(body, &items)
	}
	if err != nil {
		return nil, decodeFailure(p.path, body, err)
	}
	p.lastLen = len(items)
	return items, nil
}

// accept checks a page against the cursor assumption, drops boundary
// repeats and moves the cursor. It returns nil when paging is over.
func (p *Pager[T]) accept(items []T) (*Page[T], error) {
	pageNumber := p.pages + 1
	fail := func(format string, args ...any) error {
		return &PagingError{Path: p.path, Page: pageNumber, Reason: fmt.Sprintf(format, args...)}
	}
	if len(items) == 0 {
		p.done = true
		if p.seen < p.minTotal {
			return nil, fail("paging ended after %d items but the API counts %d: items were skipped", p.seen, p.minTotal)
		}
		return nil, nil
	}
	hasCursor := p.cursor != ""
	last := p.key(&items[len(items)-1])
	if hasCursor && !last.Time.Before(p.boundaryTime) {
		return nil, fail("the cursor stopped advancing: the page requested with cursor %s ends at %s (item %d)", p.cursor, formatCursor(last.Time), last.ID)
	}
	fresh := items[:0]
	var prev CursorKey
	duplicates := 0
	for i := range items {
		k := p.key(&items[i])
		if hasCursor && k.Time.After(p.boundaryTime) {
			return nil, fail("item %d created at %s is newer than the previous page's last item (%s)", k.ID, formatCursor(k.Time), formatCursor(p.boundaryTime))
		}
		if i > 0 && k.Time.After(prev.Time) {
			return nil, fail("items are not newest first: item %d (%s) follows item %d (%s)", k.ID, formatCursor(k.Time), prev.ID, formatCursor(prev.Time))
		}
		if k.Total <= 0 {
			return nil, fail("item %d carries a total of %d: the API counts no items yet returned some", k.ID, k.Total)
		}
		prev = k
		p.total = max(p.total, k.Total)
		if p.minTotal == 0 || k.Total < p.minTotal {
			p.minTotal = k.Total
		}
		p.precision = min(p.precision, precisionOf(k.Time))
		if !k.Time.Equal(p.boundaryTime) {
			p.boundaryTime = k.Time
			clear(p.boundaryIDs)
		} else if _, repeated := p.boundaryIDs[k.ID]; repeated {
			duplicates++
			continue
		}
		p.boundaryIDs[k.ID] = struct{}{}
		fresh = append(fresh, items[i])
	}
	if len(fresh) == 0 {
		return nil, fail("the cursor stopped advancing: page %d repeats only items already returned", pageNumber)
	}
	p.cursor = formatCursor(p.boundaryTime.Add(p.precision))
	p.pages++
	p.seen += len(fresh)
	if p.seen >= p.total {
		p.done = true
	}
	return &Page[T]{Items: fresh, Number: pageNumber, Total: p.total, Duplicates: duplicates}, nil
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

// decodeFailure explains a 2xx body that is not the documented JSON array.
// Only non-JSON bodies (a proxy's HTML page, plain text) are quoted: a JSON
// body holds customer data, which does not belong in errors and logs.
func decodeFailure(path string, body []byte, err error) error {
	e := &DecodeError{Path: path, Reason: "the body is malformed or cut short: " + err.Error()}
	switch firstByte(body) {
	case '[':
	case '{':
		var payload struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(body, &payload) == nil && payload.Error != "" {
			e.Reason = fmt.Sprintf("a JSON object carrying the error %q instead of an array", payload.Error)
		} else {
			e.Reason = "a JSON object instead of the documented array"
		}
	case '<':
		e.Reason, e.Body = "an HTML page instead of JSON", snippet(body)
	case 0:
		e.Reason = "an empty body instead of a JSON array"
	default:
		e.Reason, e.Body = "text that is not JSON", snippet(body)
	}
	return e
}

func firstByte(b []byte) byte {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c
	}
	return 0
}
