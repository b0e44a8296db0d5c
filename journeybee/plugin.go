// Package journeybee is the Steampipe plugin for JourneyBee: SQL over the
// JourneyBee v1 API. Tables only translate SQL to the api package's typed
// options and its items to rows; HTTP, paging, retries and errors live there.
package journeybee

import (
	"context"

	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin/transform"
	"github.com/turbot/steampipe-plugin-sdk/v5/rate_limiter"
)

// apiRateLimiterName names the default limiter; a user's `limiter` block of
// the same name replaces it.
const apiRateLimiterName = "journeybee_api"

// The API allows 100 requests per minute per key. A burst of 10 plus a
// refill of 1.5/s admits at most 10 + 90 = 100 requests in any minute.
const (
	apiRateLimitPerSecond = 1.5
	apiRateLimitBurst     = 10
)

// Plugin returns the JourneyBee plugin definition.
func Plugin(ctx context.Context) *plugin.Plugin {
	return &plugin.Plugin{
		Name:             "steampipe-plugin-journeybee",
		DefaultTransform: transform.FromGo().NullIfZero(),
		ConnectionConfigSchema: &plugin.ConnectionConfigSchema{
			NewInstance: configInstance,
		},
		RateLimiters: []*rate_limiter.Definition{{
			Name:       apiRateLimiterName,
			FillRate:   apiRateLimitPerSecond,
			BucketSize: apiRateLimitBurst,
			Scope:      []string{"connection"},
		}},
		TableMap: map[string]*plugin.Table{
			// The SDK's query cache can return wrong rows: see withoutQueryCache.
			"journeybee_lead": withoutQueryCache(tableJourneyBeeLead(ctx)),
		},
	}
}
