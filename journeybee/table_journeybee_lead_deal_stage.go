package journeybee

import (
	"context"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

//// TABLE DEFINITION

// The API has no filters for deal stages: every query is one request, and
// Postgres applies the WHERE.
func tableJourneyBeeLeadDealStage(_ context.Context) *plugin.Table {
	return &plugin.Table{
		Name:        "journeybee_lead_deal_stage",
		Description: "Deal pipeline stages in JourneyBee: the stages a lead's deals move through, in order, each in a phase (discovery, negotiation, closed_won, closed_lost). One API call lists them all.",
		List:        unfilteredList("journeybee_lead_deal_stage.listLeadDealStages", (*api.Client).ListLeadDealStages),
		Columns: []*plugin.Column{
			intColumn("id", "Unique identifier of the stage; the stage_id of the deals in journeybee_lead.lead_deals refers to it.", func(s *api.LeadDealStage) any { return s.ID }),
			stringColumn("label", "The stage's name, e.g. Proposal.", func(s *api.LeadDealStage) any { return opt(s.Label) }),
			intColumn("series", "The stage's position in the pipeline: lower comes first.", func(s *api.LeadDealStage) any { return opt(s.Series) }),
			stringColumn("phase", "The phase the stage belongs to: discovery, negotiation, closed_won or closed_lost. Reports and commissions go by phase.", func(s *api.LeadDealStage) any { return opt(s.Phase) }),
			stringColumn("partner_type", "The partner type whose pipeline the stage is in: referral or reseller; NULL when the API gives none.", func(s *api.LeadDealStage) any { return opt(s.PartnerType) }),
			stringColumn("uuid", "Globally unique identifier of the stage.", func(s *api.LeadDealStage) any { return opt(s.UUID) }),
		},
	}
}
