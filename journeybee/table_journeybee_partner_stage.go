package journeybee

import (
	"context"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

//// TABLE DEFINITION

// The API has no filters for partner stages: every query is one request,
// and Postgres applies the WHERE.
func tableJourneyBeePartnerStage(_ context.Context) *plugin.Table {
	return &plugin.Table{
		Name:        "journeybee_partner_stage",
		Description: "Partnership lifecycle stages in JourneyBee: the stages a partnership moves through, in order, kept separately for referral and reseller partners. One API call lists them all.",
		List:        unfilteredList("journeybee_partner_stage.listPartnerStages", (*api.Client).ListPartnerStages),
		Columns: []*plugin.Column{
			intColumn("id", "Unique identifier of the stage; a partnership's stage_id refers to it.", func(s *api.PartnerStage) any { return s.ID }),
			stringColumn("label", "The stage's name, e.g. Prospecting.", func(s *api.PartnerStage) any { return opt(s.Label) }),
			intColumn("series", "The stage's position in the lifecycle: lower comes first.", func(s *api.PartnerStage) any { return opt(s.Series) }),
			stringColumn("phase", "The phase the stage belongs to: discovery, evaluation, active or inactive.", func(s *api.PartnerStage) any { return opt(s.Phase) }),
			stringColumn("partner_type", "The partner type whose lifecycle the stage is in: referral or reseller; NULL when the API gives none.", func(s *api.PartnerStage) any { return opt(s.PartnerType) }),
			stringColumn("uuid", "Globally unique identifier of the stage.", func(s *api.PartnerStage) any { return opt(s.UUID) }),
			intColumn("company_id", "Identifier of the JourneyBee company that owns the stage.", func(s *api.PartnerStage) any { return opt(s.CompanyID) }),
		},
	}
}
