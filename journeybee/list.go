package journeybee

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

// What every table's List shares: the connection's client, a rate-limit
// wait before every API request, streaming page by page with the next page
// prefetched, stopping at LIMIT, and errors explained and logged.

// listFunc is one table's List logic: it streams rows through d.
type listFunc func(ctx context.Context, d *plugin.QueryData, client *api.Client) error

// listHydrate wraps a table's List logic. where names the table and
// function in log lines, e.g. "journeybee_lead.listLeads".
func listHydrate(where string, list listFunc) plugin.HydrateFunc {
	return func(ctx context.Context, d *plugin.QueryData, _ *plugin.HydrateData) (any, error) {
		ctx, client, err := apiContext(withRateLimit(ctx, d), d)
		if err != nil {
			return nil, logAndReturn(ctx, where, err)
		}
		if err := list(ctx, d, client); err != nil {
			if errors.Is(ctx.Err(), context.Canceled) {
				// The query was cancelled (LIMIT met, the client gone): the
				// SDK ends its stream with the context's error itself, and
				// echoing it here adds log lines, not information. A passed
				// deadline is still reported as the query's error.
				return nil, nil
			}
			return nil, logAndReturn(ctx, where, explainError(err))
		}
		return nil, nil
	}
}

// apiContext returns the connection's client, and ctx carrying how long the
// query may reuse API replies.
func apiContext(ctx context.Context, d *plugin.QueryData) (context.Context, *api.Client, error) {
	client, s, err := connect(ctx, d)
	if err != nil {
		return ctx, nil, err
	}
	return api.WithCacheTTL(ctx, replyCacheTTL(s)), client, nil
}

// withRateLimit makes every API request of one List call, retries
// included, wait on the user's limiter blocks, if any (the client enforces
// max_requests_per_minute itself, for real requests only: a reply served
// from its cache waits for nothing). The SDK waits on those limiters once as
// the List call starts: that wait pays for the call's first request, so
// each request costs one token, however many API scans (IN lists, views)
// and pages the call makes.
func withRateLimit(ctx context.Context, d *plugin.QueryData) context.Context {
	var prepaid atomic.Bool
	prepaid.Store(true)
	return api.WithRequestWait(ctx, func(ctx context.Context) error {
		if prepaid.CompareAndSwap(true, false) {
			return nil
		}
		d.WaitForListRateLimit(ctx)
		return ctx.Err()
	})
}

// streamPages streams every item of a cursored list, one page at a time,
// prefetching the next page while the current one streams. emit streams
// the rows of one item. It reports whether LIMIT was reached.
func streamPages[T any](ctx context.Context, d *plugin.QueryData, where string, pager *api.Pager[T], emit func(*T)) (limitReached bool, err error) {
	for page, err := range pager.Pages(ctx) {
		if err != nil {
			return false, err
		}
		plugin.Logger(ctx).Debug(where, "page", page.Number, "items", len(page.Items), "total", page.Total, "duplicates_dropped", page.Duplicates)
		// Fetch the next page while this one streams, unless the LIMIT
		// will be met by this page: then no further request is made.
		if d.RowsRemaining(ctx) > int64(len(page.Items)) {
			pager.Prefetch(ctx)
		}
		if streamItems(ctx, d, page.Items, emit) {
			return true, nil
		}
	}
	return false, nil
}

// streamItems streams the rows of items and reports whether LIMIT was
// reached.
func streamItems[T any](ctx context.Context, d *plugin.QueryData, items []T, emit func(*T)) (limitReached bool) {
	for i := range items {
		emit(&items[i])
		if d.RowsRemaining(ctx) <= 0 {
			return true
		}
	}
	return false
}

// unpagedList is the List of an unpaged list endpoint (the small lookups,
// the notes of a lead): requests maps the quals to one request per
// combination of filter values, fetch makes one (a client method
// expression such as (*api.Client).ListTags fits), and the items of each
// stream as rows until LIMIT. requests runs on the whole WHERE first, so a
// bad value fails the query before any request is made.
func unpagedList[O, T any](where string, keyColumns plugin.KeyColumnSlice, requests func(plugin.KeyColumnQualMap) ([]O, error), fetch func(*api.Client, context.Context, O) ([]T, error)) *plugin.ListConfig {
	return unpagedQueryList(where, keyColumns, requests, func(ctx context.Context, _ *plugin.QueryData, c *api.Client, opts O) ([]T, error) {
		return fetch(c, ctx, opts)
	})
}

// unpagedQueryList is unpagedList for a fetch that needs the query too, e.g.
// for the connection's company id.
func unpagedQueryList[O, T any](where string, keyColumns plugin.KeyColumnSlice, requests func(plugin.KeyColumnQualMap) ([]O, error), fetch func(context.Context, *plugin.QueryData, *api.Client, O) ([]T, error)) *plugin.ListConfig {
	list := listHydrate(where, func(ctx context.Context, d *plugin.QueryData, client *api.Client) error {
		if _, err := requests(wholeWhere(d, keyColumns)); err != nil {
			return err
		}
		requested, err := requests(d.Quals)
		if err != nil {
			return err
		}
		for _, opts := range requested {
			items, err := fetch(ctx, d, client, opts)
			if err != nil {
				return err
			}
			if streamItems(ctx, d, items, func(item *T) { d.StreamListItem(ctx, item) }) {
				return nil
			}
		}
		return nil
	})
	return &plugin.ListConfig{Hydrate: list, KeyColumns: keyColumns}
}

// unfilteredList is unpagedList for an endpoint without filters: one
// request, e.g. unfilteredList(where, (*api.Client).ListTiers).
func unfilteredList[T any](where string, fetch func(*api.Client, context.Context) ([]T, error)) *plugin.ListConfig {
	oneRequest := func(plugin.KeyColumnQualMap) ([]struct{}, error) { return []struct{}{{}}, nil }
	return unpagedList(where, nil, oneRequest, func(c *api.Client, ctx context.Context, _ struct{}) ([]T, error) { return fetch(c, ctx) })
}
