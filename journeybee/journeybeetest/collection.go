package journeybeetest

import (
	"cmp"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// collection is one resource's dataset and how the generic path serves it:
// serving order, filtered selections (cached), paging and encoding are the
// same code for every endpoint; a resource only states the functions below.
type collection[T any] struct {
	id func(*T) int64
	// createdAt is the cursor's field of a cursor-paged collection, which
	// is served newest first (ties: higher id first); nil for plain lists.
	createdAt func(*T) time.Time
	// order is a plain list's serving order; nil keeps the dataset's.
	order func(a, b *T) int
	// prepare normalises the server's copy of an item, e.g. nil arrays
	// made empty, as the API sends [] rather than null.
	prepare func(*T)
	// synthetic makes a stand-in item created at the given instant, for
	// PagingPastTotal and FaultLeadNewerThanCursor; paged collections only.
	synthetic func(at time.Time) T

	updateMu sync.Mutex // serialises update
	current  atomic.Pointer[snapshot[T]]
	// generation counts datasets, so that a selection computed from
	// another collection's data can name the version it used.
	generation atomic.Int64
}

// snapshot is one version of a collection's dataset. It is never changed
// once stored: replacing the data stores a new snapshot, with a new cache,
// so a request in flight keeps a consistent view.
type snapshot[T any] struct {
	items      []T
	generation int64

	cacheMu  sync.Mutex
	cache    map[string][]int32
	cacheLRU []string

	indexOnce sync.Once
	byID      map[int64]int32
}

// selectionCacheSize bounds how many filtered selections are kept; paging
// through one filter hits the same entry on every page.
const selectionCacheSize = 16

// replace makes a sorted, normalised copy of items the dataset; the
// caller's slice is never changed.
func (c *collection[T]) replace(items []T) {
	items = slices.Clone(items)
	if c.prepare != nil {
		for i := range items {
			c.prepare(&items[i])
		}
	}
	switch {
	case c.createdAt != nil:
		slices.SortStableFunc(items, func(a, b T) int {
			if x := c.createdAt(&b).Compare(c.createdAt(&a)); x != 0 {
				return x
			}
			return cmp.Compare(c.id(&b), c.id(&a))
		})
	case c.order != nil:
		slices.SortStableFunc(items, func(a, b T) int { return c.order(&a, &b) })
	}
	c.current.Store(&snapshot[T]{items: items, generation: c.generation.Add(1), cache: map[string][]int32{}})
}

// update replaces the dataset with fn's result. fn gets a copy it may
// change; concurrent updates apply one after the other.
func (c *collection[T]) update(fn func([]T) []T) {
	c.updateMu.Lock()
	defer c.updateMu.Unlock()
	c.replace(fn(slices.Clone(c.data().items)))
}

func (c *collection[T]) data() *snapshot[T] { return c.current.Load() }

// all returns a copy of the dataset in serving order.
func (c *collection[T]) all() []T { return slices.Clone(c.data().items) }

// byID returns the current item with the id, or nil.
func (c *collection[T]) byID(id int64) *T { return c.data().find(c.id, id) }

// find returns the item with the id, or nil.
func (d *snapshot[T]) find(id func(*T) int64, want int64) *T {
	d.indexOnce.Do(func() {
		d.byID = make(map[int64]int32, len(d.items))
		for i := range d.items {
			d.byID[id(&d.items[i])] = int32(i)
		}
	})
	if i, ok := d.byID[want]; ok {
		return &d.items[i]
	}
	return nil
}

// selector is a parsed query: which items, in which order.
type selector[T any] struct {
	// key identifies the selection for the cache; "" selects every item
	// in serving order.
	key  string
	keep func(*T) bool
	// order, when set, sorts the kept items (stably, so that ties stay in
	// serving order).
	order func(a, b *T) int
}

// selection is the items a selector picked, in reply order.
type selection[T any] struct {
	items []T
	// idx lists positions in items; nil means every item.
	idx []int32
	// servingOrder reports that the order is the dataset's own (newest
	// first when paged), so a cursor position can be binary-searched.
	servingOrder bool
}

func (sel selection[T]) len() int {
	if sel.idx == nil {
		return len(sel.items)
	}
	return len(sel.idx)
}

func (sel selection[T]) at(i int) *T {
	if sel.idx == nil {
		return &sel.items[i]
	}
	return &sel.items[sel.idx[i]]
}

// selectionFor returns the items q picks. Filtered selections are cached
// per snapshot so that paging through one query scans the dataset once.
func (d *snapshot[T]) selectionFor(q selector[T]) selection[T] {
	sel := selection[T]{items: d.items, servingOrder: q.order == nil}
	if q.key == "" {
		return sel
	}
	d.cacheMu.Lock()
	idx, ok := d.cache[q.key]
	d.cacheMu.Unlock()
	if ok {
		sel.idx = idx
		return sel
	}

	idx = []int32{}
	for i := range d.items {
		if q.keep == nil || q.keep(&d.items[i]) {
			idx = append(idx, int32(i))
		}
	}
	if q.order != nil {
		slices.SortStableFunc(idx, func(a, b int32) int { return q.order(&d.items[a], &d.items[b]) })
	}

	d.cacheMu.Lock()
	if _, ok := d.cache[q.key]; !ok {
		if len(d.cacheLRU) >= selectionCacheSize {
			delete(d.cache, d.cacheLRU[0])
			d.cacheLRU = d.cacheLRU[1:]
		}
		d.cache[q.key] = idx
		d.cacheLRU = append(d.cacheLRU, q.key)
	}
	d.cacheMu.Unlock()
	sel.idx = idx
	return sel
}

// orEmpty is s, or an empty slice for nil.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
