package api

import "context"

// PartnerStagesPath lists the partnership lifecycle stages (unpaged, no
// filters).
const PartnerStagesPath = "/api/v1/stages/partner-stages"

// PartnerStage is an item of GET /stages/partner-stages: a stage a
// partnership moves through; partnerships refer to it as stage_id.
type PartnerStage struct {
	Stage
	CompanyID *int64 `json:"company_id"`
}

// ListPartnerStages returns every partner stage.
func (c *Client) ListPartnerStages(ctx context.Context) ([]PartnerStage, error) {
	return GetList[PartnerStage](ctx, c, PartnerStagesPath, nil)
}
