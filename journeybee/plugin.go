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

// The API allows 100 requests per minute per key. The default stays well
// under it, because clocks and windows differ and other tools may share the
// key: a burst of 5 plus a refill of 1.4/s admits at most 5 + 84 = 89
// requests in any 60 s window. Every request waits (see withRateLimit).
const (
	apiRateLimitPerSecond = 1.4
	apiRateLimitBurst     = 5
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
			"journeybee_lead":         tableJourneyBeeLead(ctx),
			"journeybee_lead_deal":    tableJourneyBeeLeadDeal(ctx),
			"journeybee_partner_user": tableJourneyBeePartnerUser(ctx),
			"journeybee_partnership":  tableJourneyBeePartnership(ctx),
			"journeybee_tag":          tableJourneyBeeTag(ctx),
		},
	}
}
