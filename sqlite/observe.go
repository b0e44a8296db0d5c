package sqlite

import "context"

// WithContext ends every scan when ctx ends, as Close does: a command line
// cancels it on SIGINT so that no plugin request starts after the signal,
// even while SQLite waits for a scan's next row.
func WithContext(ctx context.Context) Option {
	return func(o *options) { o.ctx = ctx }
}

// WithRowObserver calls fn with the table's name for every row the plugin
// streams (rows answered from the engine's memo are not streamed again). It
// runs on the scans' goroutines, several at once: keep it quick and safe
// for concurrent use.
func WithRowObserver(fn func(table string)) Option {
	return func(o *options) { o.onRow = fn }
}
