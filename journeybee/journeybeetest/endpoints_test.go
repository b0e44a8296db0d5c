package journeybeetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// decodeOK fetches path with s's userId plus kv and decodes a 200 reply.
func decodeOK[T any](t *testing.T, s *Server, path string, kv ...string) T {
	t.Helper()
	r := get(t, s, path, leadsQuery(s, kv...))
	if r.status != http.StatusOK {
		t.Fatalf("GET %s %v: status %d: %s", path, kv, r.status, r.body)
	}
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("GET %s %v: %v: %.200s", path, kv, err, r.body)
	}
	return v
}

func TestSingleLead(t *testing.T) {
	cfg := GenerateAccount(40, 1)
	s := start(t, cfg)
	var withValues Lead
	for _, l := range s.Leads() {
		if len(cfg.CustomFieldValues[l.ID]) >= 2 {
			withValues = l
			break
		}
	}
	r := get(t, s, fmt.Sprintf("/api/v1/companies/123/leads/%d", withValues.ID), nil)
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(r.body, &raw); r.status != 200 || err != nil {
		t.Fatalf("status %d, %v: %s", r.status, err, r.body)
	}
	if _, ok := raw["total"]; ok {
		t.Error("the single lead carries total")
	}
	var got LeadDetail
	_ = json.Unmarshal(r.body, &got)
	row, _ := json.Marshal(withValues)
	lead, _ := json.Marshal(got.Lead)
	if string(row) != string(lead) {
		t.Errorf("the single lead is not the list row:\n got %s\nwant %s", lead, row)
	}
	values := cfg.CustomFieldValues[withValues.ID]
	if len(got.CustomFields) != len(values) {
		t.Fatalf("%d custom fields, want %d", len(got.CustomFields), len(values))
	}
	for i, cf := range got.CustomFields {
		if i > 0 && cf.ID <= got.CustomFields[i-1].ID {
			t.Errorf("custom fields not in id order: %d after %d", cf.ID, got.CustomFields[i-1].ID)
		}
		def := definition(t, cfg, cf.ID)
		key := *def.Type
		if key == "textarea" {
			key = "text"
		}
		want, _ := json.Marshal(values[cf.ID])
		gotValue, _ := json.Marshal(cf.Value[key])
		if *cf.Label != *def.Label || *cf.Type != *def.Type || len(cf.Value) != 1 || string(gotValue) != string(want) || cf.CustomFieldValueID == nil {
			t.Errorf("custom field %d = %+v, want label %s, type %s, value {%s: %s}", cf.ID, cf, *def.Label, *def.Type, key, want)
		}
	}
}

func definition(t *testing.T, cfg Config, id int64) CustomField {
	t.Helper()
	i := slices.IndexFunc(cfg.CustomFields, func(f CustomField) bool { return f.ID == id })
	if i < 0 {
		t.Fatalf("no definition for custom field %d", id)
	}
	return cfg.CustomFields[i]
}

func TestCustomFieldWithoutDefinition(t *testing.T) {
	s := start(t, fixtureConfig())
	got := decodeOK[LeadDetail](t, s, "/api/v1/companies/123/leads/1")
	want := `[{"id":100,"label":null,"type":"text","value":{"text":"Enterprise plan"},"custom_field_value_id":100000001},` +
		`{"id":101,"label":null,"type":"number","value":{"number":5000},"custom_field_value_id":101000001},` +
		`{"id":102,"label":null,"type":"boolean","value":{"boolean":true},"custom_field_value_id":102000001}]`
	if b, _ := json.Marshal(got.CustomFields); string(b) != want {
		t.Errorf("custom_fields\n got %s\nwant %s", b, want)
	}
	// A lead without values has an empty list.
	if got := decodeOK[LeadDetail](t, s, "/api/v1/companies/123/leads/4"); got.CustomFields == nil || len(got.CustomFields) != 0 {
		t.Errorf("lead 4 custom_fields = %v, want []", got.CustomFields)
	}
}

func TestSingleDeal(t *testing.T) {
	cfg := GenerateAccount(40, 1)
	s := start(t, cfg)
	deal := s.Deals()[2]
	got := decodeOK[LeadDealDetail](t, s, fmt.Sprintf("/api/v1/companies/123/lead-deals/%d", deal.ID))
	row, _ := json.Marshal(deal)
	body, _ := json.Marshal(got.LeadDeal)
	if string(row) != string(body) || got.Total != 0 {
		t.Errorf("the single deal is not the list row without total:\n got %s\nwant %s", body, row)
	}
	if len(got.CustomFields) != len(cfg.DealCustomFieldValues[deal.ID]) || len(got.CustomFields) == 0 {
		t.Errorf("custom fields %+v, want the deal's %v", got.CustomFields, cfg.DealCustomFieldValues[deal.ID])
	}
}

// TestPathErrors lists the refusals of the path-parameter endpoints and
// the userId rule of every endpoint.
func TestPathErrors(t *testing.T) {
	s := start(t, GenerateAccount(30, 1))
	lead := s.Leads()[0].ID
	tests := []struct {
		path, query string
		status      int
		message     string
	}{
		{"/api/v1/companies/123/leads/999999", "", 404, "Lead not found or not accessible"},
		{"/api/v1/companies/123/leads/abc", "", 400, `invalid leadId "abc": want a number`},
		{fmt.Sprintf("/api/v1/companies/124/leads/%d", lead), "", 404, "Company not found or user not authorized"},
		{"/api/v1/companies/123/lead-deals/1", "", 404, "Deal not found or not accessible"},
		{"/api/v1/partnerships/701/users", "", 404, "Partnership not found or not accessible"}, // the top-level id
		{"/api/v1/leads/999999/notes", "", 404, "Lead not found or not accessible"},
		{"/api/v1/leads/x/notes", "", 400, `invalid leadId "x": want a number`},
		{"/api/v1/partnerships", "", 400, "userId is required"},
		{"/api/v1/partnerships", "userId=999", 404, "Company not found or user not authorized"},
		{"/api/v1/lead-deals", "userId=999", 404, "Company not found or user not authorized"},
		{"/api/v1/tags", "userId=abc", 400, "userId is required"},
		{"/api/v1/companies/123/leads", "", 404, "Not found"},
	}
	for _, tt := range tests {
		t.Run(tt.path+"?"+tt.query, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, s.URL+tt.path+"?"+tt.query, nil)
			req.Header.Set("Authorization", "Bearer "+s.APIKey())
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var e struct{ Error string }
			_ = json.NewDecoder(resp.Body).Decode(&e)
			if resp.StatusCode != tt.status || e.Error != tt.message {
				t.Errorf("got %d %q, want %d %q", resp.StatusCode, e.Error, tt.status, tt.message)
			}
		})
	}
	// userId is optional where the reference does not require it.
	for _, path := range []string{"/api/v1/lead-deals", "/api/v1/users", "/api/v1/tags", fmt.Sprintf("/api/v1/leads/%d/notes", lead)} {
		if r := get(t, s, path, nil); r.status != 200 {
			t.Errorf("%s without userId: %d %s", path, r.status, r.body)
		}
	}
}

// TestLeadsAloneServesEmptyLists: a Config with only leads works as
// before, and every other list is empty.
func TestLeadsAloneServesEmptyLists(t *testing.T) {
	s := start(t, fixtureConfig())
	for _, path := range []string{"/api/v1/lead-deals", "/api/v1/partnerships", "/api/v1/users", "/api/v1/stages/lead-deal-stages",
		"/api/v1/stages/partner-stages", "/api/v1/tags", "/api/v1/custom-fields", "/api/v1/tiers", "/api/v1/categories", "/api/v1/leads/1/notes"} {
		if r := get(t, s, path, leadsQuery(s)); r.status != 200 || string(r.body) != "[]" {
			t.Errorf("%s: %d %s, want 200 []", path, r.status, r.body)
		}
	}
	wantIDs(t, "leads", ids(getLeads(t, s)), []int64{1, 2, 3, 4, 6, 5})
}

func TestPartnerUsers(t *testing.T) {
	cfg := GenerateAccount(10, 1)
	s := start(t, cfg)
	seen := 0
	for _, p := range s.Partnerships() {
		users := decodeOK[[]PartnerUser](t, s, fmt.Sprintf("/api/v1/partnerships/%d/users", p.Partnership.ID))
		if len(users) == 0 {
			t.Errorf("partnership %d: no contacts", p.Partnership.ID)
		}
		for _, u := range users {
			if *u.CompanyID != p.Partner.ID || u.Total != len(users) {
				t.Errorf("partnership %d: contact %d of company %d with total %d; want company %d, total %d", p.Partnership.ID, u.ID, *u.CompanyID, u.Total, p.Partner.ID, len(users))
			}
		}
		seen += len(users)
	}
	if seen != len(cfg.PartnerUsers) {
		t.Errorf("%d contacts over all partnerships, want all %d", seen, len(cfg.PartnerUsers))
	}
}

func TestUsersIndirect(t *testing.T) {
	s := start(t, GenerateAccount(10, 1))
	userIDs := func(users []User) []int64 { return mapSlice(users, func(u User) int64 { return u.ID }) }
	direct := decodeOK[[]User](t, s, "/api/v1/users")
	wantIDs(t, "active direct users", userIDs(direct), []int64{456, 457, 458, 459, 460, 461})
	// Any value switches it on, even 0 or an empty one.
	for _, v := range []string{"1", "0", "false", ""} {
		r := get(t, s, "/api/v1/users", map[string][]string{"indirect": {v}})
		var all []User
		_ = json.Unmarshal(r.body, &all)
		wantIDs(t, "indirect="+v, userIDs(all), []int64{456, 457, 458, 459, 460, 461, 462, 463})
	}
}

func TestLookupFilters(t *testing.T) {
	s := start(t, GenerateAccount(10, 1))
	tagIDs := func(kv ...string) []int64 {
		return mapSlice(decodeOK[[]TagDefinition](t, s, "/api/v1/tags", kv...), func(t TagDefinition) int64 { return t.ID })
	}
	wantIDs(t, "all tags", tagIDs(), []int64{10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24})
	wantIDs(t, "lead_deal tags", tagIDs("association", "lead_deal"), []int64{18, 19, 20})
	wantIDs(t, "card tags", tagIDs("association", "card"), []int64{24})
	wantIDs(t, "reseller partner tags", tagIDs("association", "partner", "partner_type", "reseller"), []int64{22})

	fieldIDs := func(kv ...string) []int64 {
		return mapSlice(decodeOK[[]CustomField](t, s, "/api/v1/custom-fields", kv...), func(f CustomField) int64 { return f.ID })
	}
	wantIDs(t, "lead fields", fieldIDs("category", "lead"), []int64{5, 6, 7, 8})
	wantIDs(t, "reseller fields", fieldIDs("partner_type", "reseller"), []int64{8, 12})

	for _, bad := range [][2]string{{"/api/v1/tags", "association=contact"}, {"/api/v1/tags", "partner_type=distributor"}, {"/api/v1/custom-fields", "category=contact"}} {
		r := get(t, s, bad[0], map[string][]string{strings.Split(bad[1], "=")[0]: {strings.Split(bad[1], "=")[1]}})
		if r.status != 400 || !strings.Contains(string(r.body), "allowed values are") {
			t.Errorf("%s?%s: %d %s, want 400 naming the allowed values", bad[0], bad[1], r.status, r.body)
		}
	}
}

func TestStagesAndNotesOrder(t *testing.T) {
	cfg := GenerateAccount(30, 1)
	// Listed backwards: the server orders stages by series.
	slices.Reverse(cfg.DealStages)
	s := start(t, cfg)
	stages := decodeOK[[]DealStage](t, s, "/api/v1/stages/lead-deal-stages")
	wantIDs(t, "deal stages", mapSlice(stages, func(st DealStage) int64 { return st.ID }), []int64{1, 2, 3, 4, 5})

	lead := s.Leads()[0].ID
	notes := decodeOK[[]Note](t, s, fmt.Sprintf("/api/v1/leads/%d/notes", lead))
	if len(notes) != len(cfg.Notes[lead]) || len(notes) == 0 {
		t.Fatalf("%d notes, want the lead's %d", len(notes), len(cfg.Notes[lead]))
	}
	for i := 1; i < len(notes); i++ {
		if notes[i].CreatedAt.After(*notes[i-1].CreatedAt) {
			t.Errorf("note %d is newer than note %d before it", notes[i].ID, notes[i-1].ID)
		}
	}
	if got := decodeOK[[]Note](t, s, fmt.Sprintf("/api/v1/leads/%d/notes", s.Leads()[1].ID)); len(got) != 0 {
		t.Errorf("a lead without notes has %d", len(got))
	}
}
