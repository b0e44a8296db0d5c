package journeybee

import (
	"context"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

// getFunc is one table's Get logic: the item for the query's key, or nil
// for no row.
type getFunc func(ctx context.Context, d *plugin.QueryData, client *api.Client) (any, error)

// getHydrate wraps a table's Get logic in listHydrate, for the same
// connection, rate-limit wait, reply cache and error handling. A 404 is no
// row, not an error: a get is a filter on the id, and an id that matches
// nothing gives an empty result.
func getHydrate(where string, get getFunc) plugin.HydrateFunc {
	return func(ctx context.Context, d *plugin.QueryData, h *plugin.HydrateData) (any, error) {
		var item any
		_, err := listHydrate(where, func(ctx context.Context, d *plugin.QueryData, client *api.Client) error {
			found, err := get(ctx, d, client)
			if api.IsNotFound(err) {
				plugin.Logger(ctx).Debug(where, "not_found", err.Error())
				return nil
			}
			item = found
			return err
		})(ctx, d, h)
		return item, err
	}
}
