package journeybee

import (
	"context"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

// getFunc is one table's Get logic: the item for the query's key, or nil
// for no row.
type getFunc func(ctx context.Context, d *plugin.QueryData, client *api.Client) (any, error)

// getHydrate wraps a table's Get logic as listHydrate wraps List logic:
// the connection's client, the rate-limit wait before every request, the
// client's reply cache, and errors explained and logged. A 404 is no row, not an error: a get is a
// filter on the id, and an id that matches nothing gives an empty result.
func getHydrate(where string, get getFunc) plugin.HydrateFunc {
	return func(ctx context.Context, d *plugin.QueryData, _ *plugin.HydrateData) (any, error) {
		client, err := connect(ctx, d)
		if err != nil {
			return nil, logAndReturn(ctx, where, err)
		}
		s, _ := connectionSettings(d) // connect resolved them already
		ctx = api.WithCacheTTL(withRateLimit(ctx, d), replyCacheTTL(s, d))
		item, err := get(ctx, d, client)
		if api.IsNotFound(err) {
			plugin.Logger(ctx).Debug(where, "not_found", err.Error())
			return nil, nil
		}
		if err != nil {
			return nil, logAndReturn(ctx, where, explainError(err))
		}
		return item, nil
	}
}
