package journeybee

import (
	"context"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

//// TABLE DEFINITION

func tableJourneyBeeLeadCustomField(_ context.Context) *plugin.Table {
	return &plugin.Table{
		Name:        "journeybee_lead_custom_field",
		Description: "Custom field values of JourneyBee leads, one row per lead and field. lead_id is required (= or IN); each lead costs one API call (the single-lead endpoint, the only one that carries them).",
		List:        unpagedQueryList("journeybee_lead_custom_field.listLeadCustomFields", leadIDKeyColumns(), requestedLeadIDs, listLeadCustomFields),
		Columns: []*plugin.Column{
			intColumn("lead_id", "Identifier of the lead (journeybee_lead.id). Required: filter with = or IN; one API call per lead, a lead that does not exist has no rows.", func(r *leadCustomFieldRow) any { return r.LeadID }),
			intColumn("custom_field_id", "Identifier of the custom field (journeybee_custom_field.id), the API's id of the value.", func(r *leadCustomFieldRow) any { return r.Field.ID }),
			stringColumn("label", "The custom field's label.", func(r *leadCustomFieldRow) any { return opt(r.Field.Label) }),
			stringColumn("type", "The custom field's type: text, textarea, number, date, boolean, select or multi_select.", func(r *leadCustomFieldRow) any { return opt(r.Field.Type) }),
			jsonColumn("value", `The value as the API sent it: an object keyed by the type, e.g. {"text": "…"}, {"number": 5} or {"multi_select": [1, 2]}.`, func(r *leadCustomFieldRow) any { return rawJSON(r.Field.Value) }),
			stringColumn("value_text", "The value when the API sent a string (text, textarea and date fields, and options sent as text); NULL otherwise.", scalarColumn[string]),
			itemColumn("value_number", proto.ColumnType_DOUBLE, "The value when the API sent a number (number fields, and select options sent as their id); NULL otherwise.", scalarColumn[float64]),
			boolColumn("value_boolean", "The value when the API sent true or false (boolean fields); NULL otherwise.", scalarColumn[bool]),
			intColumn("custom_field_value_id", "Identifier of this value record.", func(r *leadCustomFieldRow) any { return opt(r.Field.CustomFieldValueID) }),
		},
	}
}

// leadCustomFieldRow is the streamed item: one value and the lead it is on.
type leadCustomFieldRow struct {
	LeadID int64
	Field  *api.CustomFieldValue
}

//// LIST FUNCTION

// listLeadCustomFields reads one lead and returns a row per custom field
// value; a lead that does not exist has none.
func listLeadCustomFields(ctx context.Context, d *plugin.QueryData, client *api.Client, leadID int64) ([]leadCustomFieldRow, error) {
	lead, err := readLead(ctx, d, client, leadID)
	if err != nil || lead == nil {
		return nil, err
	}
	rows := make([]leadCustomFieldRow, len(lead.CustomFields))
	for i := range lead.CustomFields {
		rows[i] = leadCustomFieldRow{LeadID: lead.ID, Field: &lead.CustomFields[i]}
	}
	return rows, nil
}

//// TRANSFORM FUNCTIONS

// scalarColumn is the value when it is a JSON scalar of Go type S.
func scalarColumn[S string | float64 | bool](r *leadCustomFieldRow) any {
	if v, ok := r.Field.Scalar().(S); ok {
		return v
	}
	return nil
}
