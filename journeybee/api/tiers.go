package api

import "context"

// TiersPath lists the partner tiers (unpaged, no filters).
const TiersPath = "/api/v1/tiers"

// Tier is an item of GET /tiers: a partnership level such as Gold;
// partnerships refer to it as tier.id.
type Tier struct {
	ID              int64   `json:"id"`
	UUID            *string `json:"uuid"`
	Label           *string `json:"label"`
	BackgroundColor *string `json:"background_color"`
	TextColor       *string `json:"text_color"`
	PartnerType     *string `json:"partner_type"`
	CompanyID       *int64  `json:"company_id"`
}

// ListTiers returns every tier.
func (c *Client) ListTiers(ctx context.Context) ([]Tier, error) {
	return GetList[Tier](ctx, c, TiersPath, nil)
}
