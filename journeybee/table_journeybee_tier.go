package journeybee

import (
	"context"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

//// TABLE DEFINITION

// The API has no filters for tiers: every query is one request, and
// Postgres applies the WHERE.
func tableJourneyBeeTier(_ context.Context) *plugin.Table {
	return &plugin.Table{
		Name:        "journeybee_tier",
		Description: "Partner tiers in JourneyBee: the partnership levels (e.g. Gold, Silver, Bronze) partners are ranked by. One API call lists them all.",
		List:        unfilteredList("journeybee_tier.listTiers", (*api.Client).ListTiers),
		Columns: []*plugin.Column{
			intColumn("id", "Unique identifier of the tier; the tier of a partnership refers to it.", func(t *api.Tier) any { return t.ID }),
			stringColumn("label", "The tier's name, e.g. Gold.", func(t *api.Tier) any { return opt(t.Label) }),
			stringColumn("partner_type", "The partner type the tier is for: referral or reseller; NULL when the API gives none.", func(t *api.Tier) any { return opt(t.PartnerType) }),
			stringColumn("background_color", "Background colour of the tier's badge, as hex #RRGGBB.", func(t *api.Tier) any { return opt(t.BackgroundColor) }),
			stringColumn("text_color", "Text colour of the tier's badge, as hex #RRGGBB.", func(t *api.Tier) any { return opt(t.TextColor) }),
			stringColumn("uuid", "Globally unique identifier of the tier.", func(t *api.Tier) any { return opt(t.UUID) }),
			intColumn("company_id", "Identifier of the JourneyBee company that owns the tier.", func(t *api.Tier) any { return opt(t.CompanyID) }),
		},
	}
}
