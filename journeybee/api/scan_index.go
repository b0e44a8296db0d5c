package api

import (
	"context"
	"sync"
	"time"
)

// A lookup by id of an item that a complete scan has just read costs no
// request. Joins through id (a deal's lead_id against journeybee_lead.id)
// and id lookups after a listing otherwise ask the API once per id, at the
// rate limit, for items the client decoded moments ago.
//
// A scan that pages to the natural end of its list (any filter, any
// window) records its items by id when it finishes; a scan cut short (a
// LIMIT, an error, a closed pager) records nothing. A lookup by id within
// the reply cache's TTL (WithCacheTTL, the same freshness a repeated list
// request gets) answers from the newest such scan. The recorded item is
// the item as a read by id gives it where the list and the item endpoint
// agree: the list's total, a count of the scan's own query, is cleared, and
// the fields only the item endpoint carries (custom fields) are absent, so
// callers that need those call GetLead / GetDeal themselves.
//
// An id missing from a scan is not answered "not found" without a request,
// even after an unfiltered scan: the list shows what the user's views show
// (the reference does not say that every lead readable by id is listed),
// and an item created since the scan is missing too.

// maxIndexedItems bounds the items kept, the oldest recordings going
// first, and a scan longer than this records nothing. An item is a few
// hundred bytes plus the raw JSON lists it holds (about 1.5 KB a lead):
// some 75 MB at most, beside the reply cache's 256 MiB of pages.
const maxIndexedItems = 50_000

// scanIndex holds the items of recent complete scans, by list path and id.
type scanIndex struct {
	mu    sync.Mutex
	items map[indexKey]indexedItem
	// order is recording order, for eviction: a key recorded again is
	// listed again, and only its newest listing (same seq) evicts it.
	order []listing
	seq   uint64
	now   func() time.Time
}

type indexKey struct {
	path string
	id   int64
}

type indexedItem struct {
	item   any
	stored time.Time
	seq    uint64
}

type listing struct {
	key indexKey
	seq uint64
}

func newScanIndex() *scanIndex {
	return &scanIndex{items: map[indexKey]indexedItem{}, now: time.Now}
}

// record keeps items read by a complete scan of path. An item still fresh
// under ttl keeps its first recording time: a repeated scan answered by the
// reply cache reads the same old bytes and must not make them look new.
func (x *scanIndex) record(path string, ttl time.Duration, ids []int64, items []any) {
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	for i, id := range ids {
		k := indexKey{path, id}
		stored := now
		if old, ok := x.items[k]; ok && now.Sub(old.stored) < ttl {
			stored = old.stored
		}
		x.seq++
		x.items[k] = indexedItem{item: items[i], stored: stored, seq: x.seq}
		x.order = append(x.order, listing{k, x.seq})
	}
	for len(x.items) > maxIndexedItems {
		l := x.order[0]
		x.order = x.order[1:]
		if x.items[l.key].seq == l.seq {
			delete(x.items, l.key)
		}
	}
	if len(x.order) > 2*len(x.items)+1024 { // mostly superseded listings
		live := make([]listing, 0, len(x.items))
		for _, l := range x.order {
			if x.items[l.key].seq == l.seq {
				live = append(live, l)
			}
		}
		x.order = live
	}
}

// lookup returns the item of path with id that a complete scan recorded
// less than ttl ago.
func (x *scanIndex) lookup(path string, id int64, ttl time.Duration) (any, bool) {
	if ttl <= 0 {
		return nil, false
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	e, ok := x.items[indexKey{path, id}]
	if !ok || x.now().Sub(e.stored) >= ttl {
		return nil, false
	}
	return e.item, true
}

// scanRecorder collects one pager's items until its scan is complete.
type scanRecorder[T any] struct {
	index *scanIndex
	// asRead turns a list item into the item a read by id gives.
	asRead func(T) T
	ids    []int64
	items  []any
	off    bool
}

// recordScan makes the pager record its items in the client's scan index
// once its list is complete.
func (p *Pager[T]) recordScan(asRead func(T) T) *Pager[T] {
	p.recorder = &scanRecorder[T]{index: p.client.index, asRead: asRead}
	return p
}

// record is called by Next with each page it accepted (nil for a page of
// nothing new) and records the whole scan when paging ended there. Only
// scans run under a cache TTL record: without one, nothing is reused.
func (p *Pager[T]) record(ctx context.Context, page *Page[T]) {
	r := p.recorder
	if r == nil || r.off {
		return
	}
	ttl := cacheTTL(ctx)
	if ttl <= 0 {
		r.off, r.ids, r.items = true, nil, nil
		return
	}
	if page != nil {
		if len(r.ids)+len(page.Items) > maxIndexedItems {
			r.off, r.ids, r.items = true, nil, nil
			return
		}
		for i := range page.Items {
			r.ids = append(r.ids, p.key(&page.Items[i]).ID)
			r.items = append(r.items, r.asRead(page.Items[i]))
		}
	}
	if p.done {
		r.index.record(p.path, ttl, r.ids, r.items)
		r.off, r.ids, r.items = true, nil, nil
	}
}

// lookupOrGet returns a copy of the item of the list at path with id that a
// complete scan read within the context's cache TTL, else get's.
func lookupOrGet[T any](ctx context.Context, c *Client, path string, id int64, get func() (*T, error)) (*T, error) {
	if v, ok := c.index.lookup(path, id, cacheTTL(ctx)); ok {
		item := v.(T)
		return &item, nil
	}
	return get()
}
