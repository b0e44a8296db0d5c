// Package sqlite is an embedded SQL engine over a Steampipe plugin: every
// table of a connection's schema is an eponymous SQLite virtual table of the
// same name, so `select * from journeybee_lead` works with no setup, and
// SQLite's whole dialect (json_extract, json_each, date functions,
// aggregates, joins, CTEs) runs over the plugin's rows.
//
// Scans go through an in-process pluginhost.Host, the path Steampipe's
// Postgres FDW drives. The planner pushes down what the FDW would:
// comparisons on key columns with the operators the table declares (IN
// lists as one scan per value) and LIMIT when the plugin sees the whole
// WHERE. Pushed comparisons are re-checked on every row, so a plugin that
// returns too much never adds rows to a result (though, as under Postgres,
// a LIMIT handed to a plugin that ignores a qual it declares can shorten
// one).
//
// The engine needs cgo and the sqlite_vtable build tag of
// github.com/mattn/go-sqlite3 (`go build -tags sqlite_vtable`); without the
// tag the package builds but Open returns ErrNoVirtualTables.
package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
)

// ErrNoVirtualTables is returned by Open in a build without the
// sqlite_vtable tag.
var ErrNoVirtualTables = errors.New("sqlite: built without the sqlite_vtable tag: rebuild with `-tags sqlite_vtable` (cgo required)")

// DB is a SQLite database whose tables are the plugin's. Query it with the
// embedded *sql.DB; every pooled SQLite connection sees the same tables.
type DB struct {
	*sql.DB
	tables []string
	stop   func()
}

// Close closes the database and ends any scan still running.
func (db *DB) Close() error {
	err := db.DB.Close()
	db.stop()
	return err
}

// Tables lists the virtual tables, in name order.
func (db *DB) Tables() []string { return append([]string(nil), db.tables...) }

// Option tunes Open.
type Option func(*options)

type options struct {
	cache bool
	ctx   context.Context
	onRow func(table string)
}

// WithCache turns caching on for scans (off by default): the SDK query
// cache for the tables that use it, and the engine's own memo of complete
// scans (scanMemo) for all. With it, a repeated identical scan, such as the
// inner side of a join that cannot push its join key down, is answered from
// memory instead of the API.
func WithCache(on bool) Option {
	return func(o *options) { o.cache = on }
}

// Open returns a DB whose tables are those of connection on host.
func Open(host *pluginhost.Host, connection string, opts ...Option) (*DB, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	return open(host, connection, o)
}
