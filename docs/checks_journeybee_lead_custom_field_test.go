//go:build sqlite_vtable

package docs_test

import (
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"slices"
	"testing"
)

func init() {
	// journeybee_lead_custom_field needs lead_id: Postgres gets the values
	// of every lead.
	postgresLoaders["journeybee_lead_custom_field"] = loadEveryLead("journeybee_lead_custom_field")

	registerCheck("Custom field values of a lead", func(t *testing.T, a *account, rows []row) {
		var want [][]any
		for _, v := range customValues(a, 1200) {
			want = append(want, []any{v.field, v.label, v.typ, v.text, v.number})
		}
		assertRows(t, rows, []string{"custom_field_id", "label", "type", "value_text", "value_number"}, want)
	})
	registerCheck("Revenue potential of the newest leads", func(t *testing.T, a *account, rows []row) {
		var want [][]any
		for _, l := range firstWithTies(newestFirst(a.leads), 5, columnInts(rows, "id")) {
			var revenue any
			for _, v := range customValues(a, l.ID) {
				if v.field == 5 {
					revenue = v.number
				}
			}
			want = append(want, []any{l.ID, revenue})
		}
		assertRows(t, rows, []string{"id", "revenue_potential"}, want)
	})
	registerCheck("How many custom field values some leads hold", func(t *testing.T, a *account, rows []row) {
		var want [][]any
		for id := int64(1200); id <= 1209; id++ {
			if n := len(customValues(a, id)); n > 0 {
				want = append(want, []any{id, n})
			}
		}
		assertRows(t, rows, []string{"lead_id", "field_values"}, want)
	})
}

// customValue is one custom field value of a lead as the table shows it.
type customValue struct {
	field                    int64
	label, typ, text, number any
}

// customValues are a lead's values in field id order, labelled and typed by
// the definitions (a value without one is text or number, as sent).
func customValues(a *account, leadID int64) []customValue {
	values := a.config.CustomFieldValues[leadID]
	var out []customValue
	for field, v := range values {
		cv := customValue{field: field}
		switch x := v.(type) {
		case string:
			cv.text, cv.typ = x, "text"
		case int:
			cv.number, cv.typ = x, "number"
		case float64:
			cv.number, cv.typ = x, "number"
		}
		for _, def := range a.config.CustomFields {
			if def.ID == field {
				cv.label, cv.typ = journeybeetest.Deref(def.Label), journeybeetest.Deref(def.Type)
			}
		}
		out = append(out, cv)
	}
	slices.SortFunc(out, func(x, y customValue) int { return int(x.field - y.field) })
	return out
}
