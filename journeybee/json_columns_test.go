package journeybee

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

// jsonColumnsOf are the JSON columns' transforms and what the SDK made of
// the same lists before (json.Marshal of orEmpty).
func jsonColumnsOf(l *api.Lead) map[string][2]any {
	return map[string][2]any{
		"tags":              {jsonList(l.Tags, 16, appendTagJSON), orEmpty(l.Tags)},
		"assigned_users":    {jsonList(l.AssignedUsers, 16, appendAssignedUserJSON), orEmpty(l.AssignedUsers)},
		"partnership_leads": {jsonList(l.PartnershipLeads, 16, appendPartnershipLeadJSON), orEmpty(l.PartnershipLeads)},
		"campaign_partners": {jsonList(l.CampaignPartners, 16, appendCampaignPartnerJSON), orEmpty(l.CampaignPartners)},
		"lead_deals":        {jsonList(l.LeadDeals, 16, appendLeadDealJSON), orEmpty(l.LeadDeals)},
	}
}

// assertSameJSON: the direct writer's text is byte for byte json.Marshal's,
// or it hands the SDK the list to marshal itself.
func assertSameJSON(t *testing.T, l *api.Lead) {
	t.Helper()
	for col, v := range jsonColumnsOf(l) {
		got, want := v[0], v[1]
		wantJSON, wantErr := json.Marshal(want)
		s, isText := got.(string)
		switch {
		case isText && wantErr != nil:
			t.Fatalf("lead %d %s: wrote %s where json.Marshal fails (%v)", l.ID, col, s, wantErr)
		case isText && s != string(wantJSON):
			t.Fatalf("lead %d %s:\n got %s\nwant %s", l.ID, col, s, wantJSON)
		case !isText && !reflect.DeepEqual(got, want):
			t.Fatalf("lead %d %s: fell back to %#v, want the list %#v", l.ID, col, got, want)
		}
	}
}

func TestJSONColumnsMatchEncodingJSON(t *testing.T) {
	leads := journeybeetest.GenerateLeads(3000, 5)
	direct := 0
	for i := range leads {
		l := asClientLead(t, leads[i])
		assertSameJSON(t, &l)
		for _, v := range jsonColumnsOf(&l) {
			if _, ok := v[0].(string); ok {
				direct++
			}
		}
	}
	// The generated data is the API's usual shape: nearly all of it must
	// take the direct path, or the optimisation is gone.
	if total := 5 * len(leads); direct < total*95/100 {
		t.Errorf("only %d of %d JSON values written directly", direct, total)
	}

	str := func(s string) *string { return &s }
	id := func(n int64) *int64 { return &n }
	zone := time.FixedZone("x", -(5*3600 + 30*60))
	odd := []string{"", "plain", "é", "<b>&</b>", `a"b\c`, "tab\there", "\x00\x1f\x7f", "\u2028\u2029", "\xff\xfe", "日本"}
	for i, s := range odd {
		l := api.Lead{ID: int64(i)}
		l.Tags = []api.Tag{{ID: 1, Label: s, BackgroundColor: s, TextColor: "#fff"}}
		l.AssignedUsers = []api.AssignedUser{{ID: 2, Email: s, ProfileImageUUID: str(s)}, {ID: 3, ProfileImageID: id(-7)}}
		l.LeadDeals = []api.LeadDeal{{ID: 4, Label: s, StagePhase: s}}
		l.PartnershipLeads = []api.PartnershipLead{{ID: 5, SentByCompanyName: s, SentByCompanyLogoUUID: str(s)}}
		assertSameJSON(t, &l)
	}
	for _, f := range []float64{0, math.Copysign(0, -1), 1, -1, 50000, 0.5, 1e-7, 1e20, 1e21, 1 << 53, 1<<53 - 1, -123456.75, math.MaxFloat64} {
		l := api.Lead{LeadDeals: []api.LeadDeal{{ID: 1, DealValue: f}, {ID: 2}}}
		assertSameJSON(t, &l)
	}
	for _, tm := range []time.Time{{}, time.Date(2024, 1, 15, 10, 30, 0, 0, time.UTC), time.Date(2024, 1, 15, 10, 30, 0, 120_000_000, zone),
		time.Date(2024, 1, 15, 10, 30, 0, 1, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)} {
		l := api.Lead{PartnershipLeads: []api.PartnershipLead{{ID: 1, CreatedAt: tm}}}
		assertSameJSON(t, &l)
	}
	for _, raw := range []string{"", "null", `{"a": [1, 2]}`, ` "<x>" `, `{"k":"\u2028"}`, "not json"} {
		var fb json.RawMessage
		if raw != "" {
			fb = json.RawMessage(raw)
		}
		l := api.Lead{PartnershipLeads: []api.PartnershipLead{{ID: 1, FallbackData: fb}}}
		assertSameJSON(t, &l)
	}
	var cp []api.CampaignPartner
	if err := json.Unmarshal([]byte(`[{"id": 1, "company_name": "<A & B>", "extra": [1, 2]}, {"id": 2}]`), &cp); err != nil {
		t.Fatal(err)
	}
	assertSameJSON(t, &api.Lead{CampaignPartners: cp})
	assertSameJSON(t, &api.Lead{CampaignPartners: []api.CampaignPartner{{ID: 3, CompanyName: "x"}}})
}
