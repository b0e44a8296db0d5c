package api

import "context"

// LeadDealStagesPath lists the deal pipeline stages (unpaged, no filters).
const LeadDealStagesPath = "/api/v1/stages/lead-deal-stages"

// Stage is what deal stages and partner stages share.
type Stage struct {
	ID     int64   `json:"id"`
	UUID   *string `json:"uuid"`
	Label  *string `json:"label"`
	Series *int64  `json:"series"`
	// Phase is discovery, negotiation, closed_won or closed_lost for a deal
	// stage; discovery, evaluation, active or inactive for a partner stage.
	Phase       *string `json:"phase"`
	PartnerType *string `json:"partner_type"`
}

// LeadDealStage is an item of GET /stages/lead-deal-stages: a stage of the
// deal pipeline; deals refer to it as stage_id.
type LeadDealStage struct {
	Stage
}

// ListLeadDealStages returns every deal stage.
func (c *Client) ListLeadDealStages(ctx context.Context) ([]LeadDealStage, error) {
	return GetList[LeadDealStage](ctx, c, LeadDealStagesPath, nil)
}
