//go:build !race

package journeybee

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

// The small unpaged lists (users, stages, tags, custom fields, tiers,
// categories) and the notes of a lead: schema, every row against the fake's
// own JSON, every filter's pushdown, and bad filters refused before any
// request.

// accountConfig is a generated account plus, per table, an item trimmed as
// the reference's later example items are (only an id, or a few keys):
// the missing fields must read as NULL.
func trimmedAccountConfig() journeybeetest.Config {
	cfg := journeybeetest.GenerateAccount(60, 11)
	cfg.Users = append(cfg.Users, journeybeetest.User{ID: 990, Email: new("trimmed@company.com")})
	cfg.DealStages = append(cfg.DealStages, journeybeetest.DealStage{ID: 991, Label: new("Negotiation")})
	cfg.PartnerStages = append(cfg.PartnerStages, journeybeetest.PartnerStage{ID: 992, Label: new("Active Partnership")})
	cfg.CustomFields = append(cfg.CustomFields, journeybeetest.CustomField{ID: 993, Label: new("Priority Level"), Category: new("lead"),
		Options: []journeybeetest.CustomFieldOption{{ID: 1, Label: nil}}})
	cfg.Tiers = append(cfg.Tiers, journeybeetest.Tier{ID: 994, Label: new("Silver")})
	cfg.Categories = append(cfg.Categories, journeybeetest.Category{ID: 995, Label: new("Healthcare")})
	return cfg
}

const (
	tInt  = proto.ColumnType_INT
	tText = proto.ColumnType_STRING
	tBool = proto.ColumnType_BOOL
	tTime = proto.ColumnType_TIMESTAMP
	tJSON = proto.ColumnType_JSON
)

func TestUnpagedTableSchemas(t *testing.T) {
	assertTableSchema(t, "journeybee_user", tableSchema{columns: map[string]proto.ColumnType{
		"id": tInt, "email": tText, "first_name": tText, "last_name": tText, "role": tText, "position": tText,
		"created_at": tTime, "email_verified_at": tTime, "disabled_at": tTime, "color": tText,
		"profile_image_id": tInt, "profile_image_uuid": tText, "country_id": tInt, "country_label": tText, "country_code": tText,
		"include_indirect": tBool,
	}, listKeys: map[string][]string{"include_indirect": {"=", "<>"}}, exactCache: []string{"include_indirect"}})
	assertTableSchema(t, "journeybee_lead_deal_stage", tableSchema{columns: map[string]proto.ColumnType{
		"id": tInt, "uuid": tText, "label": tText, "series": tInt, "phase": tText, "partner_type": tText,
	}})
	assertTableSchema(t, "journeybee_partner_stage", tableSchema{columns: map[string]proto.ColumnType{
		"id": tInt, "uuid": tText, "label": tText, "series": tInt, "phase": tText, "partner_type": tText, "company_id": tInt,
	}})
	assertTableSchema(t, "journeybee_tag", tableSchema{columns: map[string]proto.ColumnType{
		"id": tInt, "uuid": tText, "label": tText, "background_color": tText, "text_color": tText, "association": tText,
		"partner_type": tText, "company_id": tInt,
	}, listKeys: map[string][]string{"association": {"="}, "partner_type": {"="}}})
	assertTableSchema(t, "journeybee_custom_field", tableSchema{columns: map[string]proto.ColumnType{
		"id": tInt, "uuid": tText, "label": tText, "type": tText, "category": tText, "partner_type": tText,
		"required": tBool, "shared": tBool, "options": tJSON,
	}, listKeys: map[string][]string{"category": {"="}, "partner_type": {"="}}})
	assertTableSchema(t, "journeybee_tier", tableSchema{columns: map[string]proto.ColumnType{
		"id": tInt, "uuid": tText, "label": tText, "background_color": tText, "text_color": tText, "partner_type": tText, "company_id": tInt,
	}})
	assertTableSchema(t, "journeybee_category", tableSchema{columns: map[string]proto.ColumnType{
		"id": tInt, "uuid": tText, "label": tText, "partner_type": tText, "company_id": tInt, "created_at": tTime, "updated_at": tTime,
	}})
	assertTableSchema(t, "journeybee_lead_note", tableSchema{columns: map[string]proto.ColumnType{
		"lead_id": tInt, "id": tInt, "content": tJSON, "content_text": tText, "created_at": tTime, "updated_at": tTime,
		"created_by": tJSON, "created_by_id": tInt, "attachments": tJSON, "mentions": tJSON,
	}, listKeys: map[string][]string{"lead_id": {"="}}, required: []string{"lead_id"}})
}

// TestUnpagedTablesReturnTheAPIsItems: a full scan is one request, and each
// row is its item as the fake encodes it, nulls as NULL.
func TestUnpagedTablesReturnTheAPIsItems(t *testing.T) {
	cfg := trimmedAccountConfig()
	direct := slices.DeleteFunc(slices.Clone(cfg.Users), func(u journeybeetest.User) bool {
		return u.DisabledAt != nil || (u.Role != nil && *u.Role == "indirect")
	})
	cases := []struct {
		table, path string
		items       any
		renamed     map[string]string
	}{
		{"journeybee_user", "/api/v1/users", direct, map[string]string{"email_verified_at": "email_verified", "include_indirect": ""}},
		{"journeybee_lead_deal_stage", "/api/v1/stages/lead-deal-stages", cfg.DealStages, nil},
		{"journeybee_partner_stage", "/api/v1/stages/partner-stages", cfg.PartnerStages, nil},
		{"journeybee_tag", "/api/v1/tags", cfg.TagDefinitions, nil},
		{"journeybee_custom_field", "/api/v1/custom-fields", cfg.CustomFields, nil},
		{"journeybee_tier", "/api/v1/tiers", cfg.Tiers, nil},
		{"journeybee_category", "/api/v1/categories", cfg.Categories, nil},
	}
	for _, c := range cases {
		t.Run(c.table, func(t *testing.T) {
			f := newFixture(t, cfg)
			rows, err := f.queryTable(c.table, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.requestsTo(); !slices.Equal(got, []string{c.path}) {
				t.Fatalf("requests = %v, want one to %s", got, c.path)
			}
			assertRowsAreItems(t, rows, c.items, c.renamed)
		})
	}
}

// requestsTo lists the requests made, as path?query, sorted.
func (f *fixture) requestsTo() []string {
	var out []string
	for _, r := range f.srv.Requests() {
		if q := r.Query.Encode(); q != "" {
			out = append(out, r.Path+"?"+q)
		} else {
			out = append(out, r.Path)
		}
	}
	slices.Sort(out)
	return out
}

// assertRowsAreItems checks that the rows are exactly the items (a slice of
// the fake's types), matched by id, and that each column equals the item's
// JSON key of the same name (renamed gives other keys; "" skips a column).
func assertRowsAreItems(t *testing.T, rows []pluginhost.Row, items any, renamed map[string]string) {
	t.Helper()
	raw, err := json.Marshal(items)
	if err != nil {
		t.Fatal(err)
	}
	var objects []map[string]any
	if err := json.Unmarshal(raw, &objects); err != nil {
		t.Fatal(err)
	}
	byID := map[int64]map[string]any{}
	for _, o := range objects {
		byID[int64(o["id"].(float64))] = o
	}
	if len(rows) != len(objects) {
		t.Fatalf("%d rows, want %d", len(rows), len(objects))
	}
	for _, row := range rows {
		id := pluginhost.Value(row["id"]).(int64)
		item, ok := byID[id]
		if !ok {
			t.Fatalf("row %d is no item of the dataset", id)
		}
		for column, value := range row {
			key, isRenamed := renamed[column]
			if !isRenamed {
				key = column
			}
			if key == "" || column == "_ctx" || strings.HasPrefix(column, "sp_") {
				continue
			}
			if msg := sameValue(pluginhost.Value(value), item[key]); msg != "" {
				t.Errorf("row %d column %s: %s", id, column, msg)
			}
		}
	}
}

// sameValue compares a column value with the JSON value it came from; it
// returns what differs, or "".
func sameValue(got, want any) string {
	switch g := got.(type) {
	case nil:
		if want != nil {
			return fmt.Sprintf("NULL, want %v", want)
		}
		return ""
	case int64:
		if w, ok := want.(float64); ok && float64(g) == w {
			return ""
		}
	case bool:
		if g == want {
			return ""
		}
	case time.Time:
		if w, ok := want.(string); ok {
			if wt, err := time.Parse(time.RFC3339Nano, w); err == nil && wt.Equal(g) {
				return ""
			}
		}
	case string:
		if w, ok := want.(string); ok {
			if g == w {
				return ""
			}
			break
		}
		if w, err := json.Marshal(want); err == nil && want != nil && jsonEqual(g, string(w)) {
			return ""
		}
	}
	return fmt.Sprintf("%#v, want %#v", got, want)
}

// TestUnpagedTableFiltersArePushedDown: each filter (= and IN) becomes the
// API's query parameter, one request per combination of values, and the
// rows are those the dataset holds for it.
func TestUnpagedTableFiltersArePushedDown(t *testing.T) {
	cfg := trimmedAccountConfig()
	tagIDs := func(keep func(*journeybeetest.TagDefinition) bool) []int64 {
		return plugintest.IDs(cfg.TagDefinitions, func(d *journeybeetest.TagDefinition) int64 { return d.ID }, keep)
	}
	fieldIDs := func(keep func(*journeybeetest.CustomField) bool) []int64 {
		return plugintest.IDs(cfg.CustomFields, func(d *journeybeetest.CustomField) int64 { return d.ID }, keep)
	}
	userIDs := func(keep func(*journeybeetest.User) bool) []int64 {
		return plugintest.IDs(cfg.Users, func(u *journeybeetest.User) int64 { return u.ID }, keep)
	}
	active := func(u *journeybeetest.User) bool {
		return u.DisabledAt == nil && journeybeetest.Deref(u.Role) != "indirect"
	}
	everyone := func(*journeybeetest.User) bool { return true }
	cases := []struct {
		name, table string
		quals       []*proto.Qual
		requests    []string
		ids         []int64
	}{
		{"tag association", "journeybee_tag", []*proto.Qual{eq("association", "lead_deal")},
			[]string{"/api/v1/tags?association=lead_deal"},
			tagIDs(func(d *journeybeetest.TagDefinition) bool { return journeybeetest.Deref(d.Association) == "lead_deal" })},
		{"tag association IN and partner_type", "journeybee_tag", []*proto.Qual{in("association", "lead", "card"), eq("partner_type", "referral")},
			[]string{"/api/v1/tags?association=card&partner_type=referral", "/api/v1/tags?association=lead&partner_type=referral"},
			tagIDs(func(d *journeybeetest.TagDefinition) bool {
				return (journeybeetest.Deref(d.Association) == "lead" || journeybeetest.Deref(d.Association) == "card") && journeybeetest.Deref(d.PartnerType) == "referral"
			})},
		{"custom field category", "journeybee_custom_field", []*proto.Qual{eq("category", "partner")},
			[]string{"/api/v1/custom-fields?category=partner"},
			fieldIDs(func(d *journeybeetest.CustomField) bool { return journeybeetest.Deref(d.Category) == "partner" })},
		{"custom field partner_type IN", "journeybee_custom_field", []*proto.Qual{in("partner_type", "referral", "reseller")},
			[]string{"/api/v1/custom-fields?partner_type=referral", "/api/v1/custom-fields?partner_type=reseller"},
			fieldIDs(func(d *journeybeetest.CustomField) bool { return d.PartnerType != nil })},
		{"custom field category and partner_type", "journeybee_custom_field", []*proto.Qual{eq("category", "lead"), eq("partner_type", "reseller")},
			[]string{"/api/v1/custom-fields?category=lead&partner_type=reseller"},
			fieldIDs(func(d *journeybeetest.CustomField) bool {
				return journeybeetest.Deref(d.Category) == "lead" && journeybeetest.Deref(d.PartnerType) == "reseller"
			})},
		{"users by default", "journeybee_user", nil, []string{"/api/v1/users"}, userIDs(active)},
		{"include_indirect = true", "journeybee_user", []*proto.Qual{eq("include_indirect", true)},
			[]string{"/api/v1/users?indirect=1"}, userIDs(everyone)},
		{"include_indirect = false is the default listing", "journeybee_user", []*proto.Qual{eq("include_indirect", false)},
			[]string{"/api/v1/users"}, userIDs(active)},
		{"NOT include_indirect is the default listing", "journeybee_user", []*proto.Qual{op("include_indirect", "<>", true)},
			[]string{"/api/v1/users"}, userIDs(active)},
		{"contradicting include_indirect asks nothing", "journeybee_user", []*proto.Qual{eq("include_indirect", true), eq("include_indirect", false)},
			nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, cfg)
			rows, err := f.queryTable(c.table, nil, 0, c.quals...)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.requestsTo(); !slices.Equal(got, c.requests) {
				t.Errorf("requests = %v, want %v", got, c.requests)
			}
			if got := plugintest.RowIDs(rows, "id"); !slices.Equal(got, c.ids) {
				t.Errorf("ids = %v, want %v", got, c.ids)
			}
		})
	}
}

// TestUnpagedTableBadFiltersFailBeforeAnyRequest: a value the API does not
// document fails the query, saying what is allowed, before any request,
// even as one value of an IN list the SDK runs value by value.
func TestUnpagedTableBadFiltersFailBeforeAnyRequest(t *testing.T) {
	f := newFixture(t, trimmedAccountConfig())
	cases := []struct {
		table string
		qual  *proto.Qual
		want  string
	}{
		{"journeybee_tag", in("association", "lead", "contact"), `invalid association "contact": allowed values are lead, lead_deal, partner, card`},
		{"journeybee_tag", eq("partner_type", "distributor"), `invalid partner_type "distributor": allowed values are referral, reseller`},
		{"journeybee_custom_field", in("category", "lead", "contact"), `invalid category "contact": allowed values are lead, lead_deal, partner`},
		{"journeybee_custom_field", eq("partner_type", "Referral"), `invalid partner_type "Referral": allowed values are referral, reseller`},
		{"journeybee_user", eq("include_indirect", "yes"), `include_indirect must be true or false, got the text "yes"`},
		{"journeybee_lead_note", eq("lead_id", "first"), `lead_id must be a whole number (an id), got the text "first"`},
		{"journeybee_lead_note", in("lead_id", int64(1), "x"), `lead_id must be a whole number (an id), got the text "x"`},
	}
	for _, c := range cases {
		t.Run(c.table+" "+describeQual(c.qual), func(t *testing.T) {
			f.srv.ResetRequests()
			_, err := f.host.Collect(t.Context(), pluginhost.Query{Connection: testConnection, Table: c.table, Quals: []*proto.Qual{c.qual}})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error = %v, want it to contain %q", err, c.want)
			}
			if n := f.srv.RequestCount(); n != 0 {
				t.Fatalf("%d API requests before the error, want none: %v", n, f.requestsTo())
			}
		})
	}
}
