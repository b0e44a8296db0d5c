package api

import (
	"context"
	"sync"
	"time"
)

// A reply cache, because the query cache Steampipe's SDK offers cannot be
// used (it can stream wrong rows; see the plugin's query_cache_guard.go),
// and API calls are the scarce resource: a dashboard runs identical scans
// from several panels at once, and a join rescans its inner side. Replies
// are kept by request URL. Identical requests in flight share one HTTP
// call; a request finds a finished reply younger than its own TTL without
// any call, and so without waiting on a rate limiter. A scan whose pages
// all come from here decodes to the same items and walks the same cursors,
// so a repeated scan costs no request at all.

type cacheTTLKey struct{}

// WithCacheTTL returns a context under which replies up to ttl old are
// reused. Without it (or with ttl <= 0) every request goes to the API, and
// its reply is not kept.
func WithCacheTTL(ctx context.Context, ttl time.Duration) context.Context {
	return context.WithValue(ctx, cacheTTLKey{}, ttl)
}

func cacheTTL(ctx context.Context) time.Duration {
	ttl, _ := ctx.Value(cacheTTLKey{}).(time.Duration)
	return ttl
}

// replyCache holds replies by URL, at most maxBytes of bodies; the oldest
// go first.
type replyCache struct {
	mu       sync.Mutex
	entries  map[string]*cachedReply
	order    []string // insertion order, for eviction
	bytes    int
	maxBytes int
	now      func() time.Time
}

// cachedReply is a reply being fetched (ready open) or fetched.
type cachedReply struct {
	ready  chan struct{}
	body   []byte
	err    error
	stored time.Time
}

func newReplyCache(maxBytes int) *replyCache {
	return &replyCache{entries: map[string]*cachedReply{}, maxBytes: maxBytes, now: time.Now}
}

// get returns the body for url from the cache, or from fetch, which runs at
// most once for identical requests in flight. Failures are not kept.
func (c *replyCache) get(ctx context.Context, url string, ttl time.Duration, fetch func() ([]byte, error)) ([]byte, error) {
	return c.getFetched(ctx, url, ttl, func() ([]byte, time.Time, error) {
		body, err := fetch()
		return body, c.now(), err
	})
}

// getFetched is get for a fetch that may return an older reply (from the
// shared cache on disk) and says when it was fetched: its age counts
// against the TTL here too.
func (c *replyCache) getFetched(ctx context.Context, url string, ttl time.Duration, fetch func() ([]byte, time.Time, error)) ([]byte, error) {
	for {
		c.mu.Lock()
		e, ok := c.entries[url]
		if ok {
			select {
			case <-e.ready:
				if e.err == nil && c.now().Sub(e.stored) < ttl {
					c.mu.Unlock()
					return e.body, nil
				}
				c.removeLocked(url) // stale or failed: fetch anew
				ok = false
			default:
			}
		}
		if !ok {
			e = &cachedReply{ready: make(chan struct{})}
			c.entries[url] = e
			c.order = append(c.order, url)
			c.mu.Unlock()
			return c.fill(url, e, fetch)
		}
		c.mu.Unlock()
		// Someone else is fetching this very URL: wait for it.
		select {
		case <-e.ready:
			if e.err == nil {
				return e.body, nil
			}
			// Its fetch failed (or its caller gave up): try ourselves.
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func (c *replyCache) fill(url string, e *cachedReply, fetch func() ([]byte, time.Time, error)) ([]byte, error) {
	body, fetched, err := fetch()
	c.mu.Lock()
	defer c.mu.Unlock()
	e.body, e.err, e.stored = body, err, fetched
	close(e.ready)
	if c.entries[url] != e {
		return body, err // evicted while in flight: nothing to account for
	}
	if err != nil {
		c.removeLocked(url)
		return nil, err
	}
	c.bytes += len(body)
	for c.bytes > c.maxBytes && len(c.order) > 1 {
		c.removeLocked(c.order[0])
	}
	return body, nil
}

// removeLocked drops url's entry.
func (c *replyCache) removeLocked(url string) {
	e, ok := c.entries[url]
	if !ok {
		return
	}
	delete(c.entries, url)
	for i, u := range c.order {
		if u == url {
			c.order = append(c.order[:i], c.order[i+1:]...)
			break
		}
	}
	select {
	case <-e.ready:
		if e.err == nil {
			c.bytes -= len(e.body)
		}
	default:
	}
}
