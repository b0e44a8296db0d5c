package journeybee

import (
	"context"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

//// TABLE DEFINITION

func tableJourneyBeeCustomField(_ context.Context) *plugin.Table {
	return &plugin.Table{
		Name:        "journeybee_custom_field",
		Description: "Custom-field definitions in JourneyBee: the extra fields defined for leads, deals and partners, with their type and, for selects, their options. One API call lists them all.",
		List:        unpagedList("journeybee_custom_field.listCustomFields", customFieldKeyColumns(), customFieldOptions, (*api.Client).ListCustomFields),
		Columns: []*plugin.Column{
			intColumn("id", "Unique identifier of the field; the custom-field values of leads, deals and partnerships refer to it, as does journeybee_lead.custom_fields_filter.", func(f *api.CustomField) any { return f.ID }),
			stringColumn("label", "The field's label.", func(f *api.CustomField) any { return opt(f.Label) }),
			stringColumn("type", "The field's value type: text, textarea, number, date, boolean, select or multi_select.", func(f *api.CustomField) any { return opt(f.Type) }),
			stringColumn("category", "The kind of record the field is defined for: lead, lead_deal or partner. Filter with = or IN: pushed to the API's category parameter.", func(f *api.CustomField) any { return opt(f.Category) }),
			stringColumn("partner_type", "The partner type the field belongs to: referral or reseller; NULL when the API gives none. Filter with = or IN: pushed to the API's partner_type parameter.", func(f *api.CustomField) any { return opt(f.PartnerType) }),
			boolColumn("required", "Whether a value is required; NULL when the API gives none.", func(f *api.CustomField) any { return opt(f.Required) }),
			boolColumn("shared", "Whether the field is shared with (and kept in sync with) partner companies; NULL when the API gives none.", func(f *api.CustomField) any { return opt(f.Shared) }),
			jsonColumn("options", "The choices of a select or multi_select field, [{id, label}], as the API sent them; NULL for other types. Values of such fields hold option ids.", func(f *api.CustomField) any { return rawJSON(f.Options) }),
			stringColumn("uuid", "Globally unique identifier of the field.", func(f *api.CustomField) any { return opt(f.UUID) }),
		},
	}
}

// customFieldKeyColumns keep the SDK's default cache matching (subset):
// each row carries its own category and partner_type, so a cached
// unfiltered list can serve a filtered query, Postgres dropping the other
// rows.
func customFieldKeyColumns() plugin.KeyColumnSlice {
	return optionalEquals("category", "partner_type")
}

//// LIST FUNCTION

// customFieldOptions maps the quals to one validated request per
// combination of requested values.
func customFieldOptions(quals plugin.KeyColumnQualMap) ([]api.ListCustomFieldsOptions, error) {
	return requestPerCombination(quals, func(v map[string]string) api.ListCustomFieldsOptions {
		return api.ListCustomFieldsOptions{Category: v["category"], PartnerType: v["partner_type"]}
	}, "category", "partner_type")
}
