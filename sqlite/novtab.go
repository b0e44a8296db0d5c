//go:build !sqlite_vtable

package sqlite

import "github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"

func open(*pluginhost.Host, string, options) (*DB, error) {
	return nil, ErrNoVirtualTables
}
