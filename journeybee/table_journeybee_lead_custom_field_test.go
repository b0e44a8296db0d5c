//go:build !race

package journeybee

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

// customValuesConfig is a generated account whose lead 0 holds a value of
// every kind: a number, a select option, text, textarea, a date, a
// multi-select list, a boolean and a field without a definition.
func customValuesConfig() (journeybeetest.Config, int64) {
	cfg := journeybeetest.GenerateAccount(40, 5)
	lead := cfg.Leads[0].ID
	cfg.CustomFieldValues[lead] = map[int64]any{
		5: 125000.5, 6: "2", 7: "Data platform", 8: "Met at the summit", 10: "2026-03-01",
		11: []any{6.0, 8.0}, 12: false, 77: "orphan",
	}
	return cfg, lead
}

func TestLeadCustomFieldSchema(t *testing.T) {
	assertTableSchema(t, "journeybee_lead_custom_field", tableSchema{
		columns: map[string]proto.ColumnType{
			"lead_id": proto.ColumnType_INT, "custom_field_id": proto.ColumnType_INT, "label": proto.ColumnType_STRING,
			"type": proto.ColumnType_STRING, "value": proto.ColumnType_JSON, "value_text": proto.ColumnType_STRING,
			"value_number": proto.ColumnType_DOUBLE, "value_boolean": proto.ColumnType_BOOL, "custom_field_value_id": proto.ColumnType_INT,
		},
		listKeys: map[string][]string{"lead_id": {"="}},
		required: []string{"lead_id"},
	})
}

// TestLeadCustomFieldRows: one row per value of each lead asked for, typed
// columns filled from the API's value object, one request per lead (plus
// one to learn the company id), and a lead that does not exist is no row.
func TestLeadCustomFieldRows(t *testing.T) {
	cfg, lead := customValuesConfig()
	other := cfg.Leads[7].ID
	f := newFixture(t, cfg)
	const missing = int64(987654)
	rows, err := f.queryTable("journeybee_lead_custom_field", nil, 0, in("lead_id", lead, other, missing))
	if err != nil {
		t.Fatal(err)
	}
	wantPaths := []string{"/api/v1/leads?userId=456"}
	for _, id := range []int64{lead, other, missing} {
		wantPaths = append(wantPaths, fmt.Sprintf("/api/v1/companies/%d/leads/%d", journeybeetest.CompanyID, id))
	}
	slices.Sort(wantPaths)
	if got := f.requestsTo(); !slices.Equal(got, wantPaths) {
		t.Fatalf("requests = %v, want %v", got, wantPaths)
	}
	perLead := map[int64]int{}
	byField := map[int64]pluginhost.Row{}
	for _, r := range rows {
		id := pluginhost.Value(r["lead_id"]).(int64)
		perLead[id]++
		if id == lead {
			byField[pluginhost.Value(r["custom_field_id"]).(int64)] = r
		}
	}
	if perLead[lead] != 8 || perLead[other] != len(cfg.CustomFieldValues[other]) || perLead[missing] != 0 {
		t.Fatalf("rows per lead %v, want 8 for %d, %d for %d, none for the missing lead", perLead, lead, len(cfg.CustomFieldValues[other]), other)
	}
	tests := []struct {
		field                 int64
		label, typ, value     any
		text, number, boolean any
	}{
		{5, "Revenue Potential", "number", `{"number":125000.5}`, nil, 125000.5, nil},
		{6, "Priority Level", "select", `{"select":"2"}`, "2", nil, nil},
		{7, "Use Case", "text", `{"text":"Data platform"}`, "Data platform", nil, nil},
		{8, "Background", "textarea", `{"text":"Met at the summit"}`, "Met at the summit", nil, nil},
		{10, "Expected Close", "date", `{"date":"2026-03-01"}`, "2026-03-01", nil, nil},
		{11, "Partner Regions", "multi_select", `{"multi_select":[6,8]}`, nil, nil, nil},
		{12, "Co-Marketing", "boolean", `{"boolean":false}`, nil, nil, false},
		{77, nil, "text", `{"text":"orphan"}`, "orphan", nil, nil},
	}
	for _, tt := range tests {
		r := byField[tt.field]
		got := []any{pluginhost.Value(r["label"]), pluginhost.Value(r["type"]), pluginhost.Value(r["value"]),
			pluginhost.Value(r["value_text"]), pluginhost.Value(r["value_number"]), pluginhost.Value(r["value_boolean"])}
		want := []any{tt.label, tt.typ, tt.value, tt.text, tt.number, tt.boolean}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("field %d: label, type, value, text, number, boolean = %v, want %v", tt.field, got, want)
		}
		if got, want := pluginhost.Value(r["custom_field_value_id"]), tt.field*1_000_000+lead; got != want {
			t.Errorf("field %d: custom_field_value_id = %v, want %d", tt.field, got, want)
		}
	}
}

func TestLeadCustomFieldsNeedALead(t *testing.T) {
	f := newFixture(t, journeybeetest.GenerateAccount(5, 1))
	_, err := f.queryTable("journeybee_lead_custom_field", nil, 0)
	if err == nil || !strings.Contains(err.Error(), "lead_id") {
		t.Fatalf("error = %v, want one naming lead_id", err)
	}
	if n := f.srv.RequestCount(); n != 0 {
		t.Fatalf("%d requests without lead_id", n)
	}
}

// TestLeadCustomFieldsAfterALeadScan: with the reply cache on, a scan of
// journeybee_lead has just read every lead, without custom fields (the list
// does not carry them); the values of a lead still come from the
// single-lead endpoint, one request for it.
func TestLeadCustomFieldsAfterALeadScan(t *testing.T) {
	cfg, lead := customValuesConfig()
	f := newFixture(t, cfg, "cache_ttl = 300")
	if _, err := f.queryTable("journeybee_lead", []string{"id"}, 0); err != nil {
		t.Fatal(err)
	}
	f.srv.ResetRequests()
	rows, err := f.queryTable("journeybee_lead_custom_field", []string{"lead_id", "custom_field_id"}, 0, eq("lead_id", lead))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(cfg.CustomFieldValues[lead]) {
		t.Fatalf("%d rows after a lead scan, want the lead's %d values", len(rows), len(cfg.CustomFieldValues[lead]))
	}
	want := []string{fmt.Sprintf("/api/v1/companies/%d/leads/%d", journeybeetest.CompanyID, lead)}
	if got := f.requestsTo(); !slices.Equal(got, want) {
		t.Fatalf("requests = %v, want %v", got, want)
	}
}
