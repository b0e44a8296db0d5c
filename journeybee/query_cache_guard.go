package journeybee

import "github.com/turbot/steampipe-plugin-sdk/v5/plugin"

// withoutQueryCache keeps a table's scans out of the SDK's query cache
// (issue 13 item 1).
//
// With the cache on, the SDK does not stream a scan's rows to the client
// directly: every row goes into a "set request" (query_cache/set_request.go),
// and every reader of the scan, the query that started it
// (query_cache.go:238, startSet) and any identical query running at the same
// time (query_cache.go:161-218, pending items), is a subscriber that copies
// rows out of it at its own pace. A subscriber that has caught up with the
// rows not yet written to the cache receives a slice of the request's
// 1,000-row page buffer itself, not a copy (set_request.go:151-155 and
// getBufferedRows, :55-60). The scan goes on without waiting for any
// subscriber: when the buffer is full it writes the page to the cache,
// resets the buffer index (query_cache.go:401-417) and writes the next rows
// into the same slots (set_request.go:274). A subscriber still streaming its
// slice by then — its client stopped reading for a moment, as Postgres stops
// reading one side of a join, or a slow dashboard panel — sends the newer
// rows in the older rows' places, then sends the newer rows again from the
// cache: a block of rows missing and the rows 1,000 positions on repeated,
// with no error. v5.14.1 is the newest SDK; its code is unchanged upstream.
//
// A lone scan is exposed as much as shared ones: its own reader is such a
// subscriber. Nothing in a plugin can keep a scan from running ahead of its
// readers (they never call plugin code), and TableCacheOptions is the SDK's
// only per-table knob, so the cache is off for the table: rows are then
// streamed straight to the client, which holds the scan back by reading
// slowly. TestConcurrentIdenticalScansWithSlowConsumersReturnEveryLeadOnce
// (and sqlite's TestJourneyBeeSelfJoinWithCacheReturnsEveryLeadOnce) lose
// rows with the cache on, pass with it off, and pass with the cache on
// against an SDK whose getRowsSince copies that slice.
//
// Every table is kept out, not only those that can pass 1,000 rows: one rule
// is easier to trust, and the API client's reply cache (api/cache.go) gives
// back what the SDK cache was for: a repeated or concurrent identical scan
// costs no API request.
func withoutQueryCache(tables map[string]*plugin.Table) map[string]*plugin.Table {
	for _, t := range tables {
		t.Cache = &plugin.TableCacheOptions{Enabled: false}
	}
	return tables
}
