package api

import "context"

// PartnerStagesPath lists the partnership lifecycle stages (unpaged, no
// filters).
const PartnerStagesPath = "/api/v1/stages/partner-stages"

// PartnerStage is an item of GET /stages/partner-stages: a stage a
// partnership moves through; partnerships refer to it as stage_id.
type PartnerStage struct {
	ID     int64   `json:"id"`
	UUID   *string `json:"uuid"`
	Label  *string `json:"label"`
	Series *int64  `json:"series"`
	// Phase is discovery, evaluation, active or inactive.
	Phase       *string `json:"phase"`
	PartnerType *string `json:"partner_type"`
	CompanyID   *int64  `json:"company_id"`
}

// ListPartnerStages returns every partner stage.
func (c *Client) ListPartnerStages(ctx context.Context) ([]PartnerStage, error) {
	return GetList[PartnerStage](ctx, c, PartnerStagesPath, nil)
}
