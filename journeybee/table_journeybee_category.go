package journeybee

import (
	"context"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

//// TABLE DEFINITION

// The API has no filters for categories: every query is one request, and
// Postgres applies the WHERE.
func tableJourneyBeeCategory(_ context.Context) *plugin.Table {
	return &plugin.Table{
		Name:        "journeybee_category",
		Description: "Partner categories in JourneyBee: the groupings of partners by industry or business type. One API call lists them all.",
		List:        unfilteredList("journeybee_category.listCategories", (*api.Client).ListCategories),
		Columns: []*plugin.Column{
			intColumn("id", "Unique identifier of the category; the category of a partnership refers to it.", func(c *api.Category) any { return c.ID }),
			stringColumn("label", "The category's name, e.g. Technology.", func(c *api.Category) any { return opt(c.Label) }),
			stringColumn("partner_type", "The partner type the category is for: referral or reseller; NULL when the API gives none.", func(c *api.Category) any { return opt(c.PartnerType) }),
			timestampColumn("created_at", "When the category was created.", func(c *api.Category) any { return opt(c.CreatedAt) }),
			timestampColumn("updated_at", "When the category was last changed.", func(c *api.Category) any { return opt(c.UpdatedAt) }),
			stringColumn("uuid", "Globally unique identifier of the category.", func(c *api.Category) any { return opt(c.UUID) }),
			intColumn("company_id", "Identifier of the JourneyBee company that owns the category.", func(c *api.Category) any { return opt(c.CompanyID) }),
		},
	}
}
