package journeybee

import (
	"context"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

//// TABLE DEFINITION

func tableJourneyBeeTag(_ context.Context) *plugin.Table {
	return &plugin.Table{
		Name:        "journeybee_tag",
		Description: "Tag definitions in JourneyBee: the labels put on leads, deals and partners, with their colours. One API call lists them all.",
		List:        unpagedList("journeybee_tag.listTags", tagKeyColumns(), tagOptions, (*api.Client).ListTags),
		Columns: []*plugin.Column{
			intColumn("id", "Unique identifier of the tag; journeybee_lead.tag_id and the tags lists of leads refer to it.", func(t *api.Tag) any { return t.ID }),
			stringColumn("uuid", "Globally unique identifier of the tag.", func(t *api.Tag) any { return opt(t.UUID) }),
			stringColumn("label", "The tag's name.", func(t *api.Tag) any { return opt(t.Label) }),
			stringColumn("background_color", "Background colour, as hex #RRGGBB.", func(t *api.Tag) any { return opt(t.BackgroundColor) }),
			stringColumn("text_color", "Text colour, as hex #RRGGBB.", func(t *api.Tag) any { return opt(t.TextColor) }),
			stringColumn("association", "The kind of record the tag applies to: lead, lead_deal, partner or card. Filter with = or IN: pushed to the API's association parameter.", func(t *api.Tag) any { return opt(t.Association) }),
			stringColumn("partner_type", "The partner type the tag belongs to: referral or reseller; NULL when the API gives none. Filter with = or IN: pushed to the API's partner_type parameter.", func(t *api.Tag) any { return opt(t.PartnerType) }),
			intColumn("company_id", "Identifier of the JourneyBee company that owns the tag.", func(t *api.Tag) any { return opt(t.CompanyID) }),
		},
	}
}

// tagKeyColumns keep the SDK's default cache matching (subset): each row
// carries its own association and partner_type, so a cached unfiltered list
// can serve a filtered query, Postgres dropping the other rows.
func tagKeyColumns() plugin.KeyColumnSlice {
	return optionalEquals("association", "partner_type")
}

//// LIST FUNCTION

// tagOptions maps the quals to one validated request per combination of
// requested values.
func tagOptions(quals plugin.KeyColumnQualMap) ([]api.ListTagsOptions, error) {
	return requestPerCombination(quals, func(v map[string]string) api.ListTagsOptions {
		return api.ListTagsOptions{Association: v["association"], PartnerType: v["partner_type"]}
	}, "association", "partner_type")
}
