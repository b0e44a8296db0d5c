// Package journeybee is the Steampipe plugin for JourneyBee: SQL over the
// JourneyBee v1 API. Tables only translate SQL to the api package's typed
// options and its items to rows; HTTP, paging, retries and errors live there.
package journeybee

import (
	"context"

	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin/transform"
)

// Rate limiting lives in the API client (max_requests_per_minute, 90 by
// default: under the API's 100 per minute per key, with headroom for clock
// skew and other tools sharing the key), so that only real requests spend
// it. The plugin declares no SDK limiter: the SDK would wait on it as every
// List call starts, even one the reply cache answers without a request.
// A user's limiter blocks still apply to every request (withRateLimit).

// Plugin returns the JourneyBee plugin definition.
func Plugin(ctx context.Context) *plugin.Plugin {
	return &plugin.Plugin{
		Name:             "steampipe-plugin-journeybee",
		DefaultTransform: transform.FromGo().NullIfZero(),
		ConnectionConfigSchema: &plugin.ConnectionConfigSchema{
			NewInstance: configInstance,
		},
		TableMap: withoutQueryCache(map[string]*plugin.Table{
			"journeybee_lead":              tableJourneyBeeLead(ctx),
			"journeybee_lead_deal":         tableJourneyBeeLeadDeal(ctx),
			"journeybee_lead_note":         tableJourneyBeeLeadNote(ctx),
			"journeybee_lead_custom_field": tableJourneyBeeLeadCustomField(ctx),
			"journeybee_lead_deal_stage":   tableJourneyBeeLeadDealStage(ctx),
			"journeybee_partnership":       tableJourneyBeePartnership(ctx),
			"journeybee_partner_user":      tableJourneyBeePartnerUser(ctx),
			"journeybee_partner_stage":     tableJourneyBeePartnerStage(ctx),
			"journeybee_user":              tableJourneyBeeUser(ctx),
			"journeybee_tag":               tableJourneyBeeTag(ctx),
			"journeybee_custom_field":      tableJourneyBeeCustomField(ctx),
			"journeybee_tier":              tableJourneyBeeTier(ctx),
			"journeybee_category":          tableJourneyBeeCategory(ctx),
		}),
	}
}
