//go:build !race

package journeybee

import (
	"encoding/json"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

const dealTable = "journeybee_lead_deal"

// accountConfig is a whole generated account (leads, deals, partnerships,
// partner users…) served in pages of pageSize.
func accountConfig(pageSize int) journeybeetest.Config {
	cfg := journeybeetest.GenerateAccount(200, 7)
	cfg.PageSize = pageSize
	return cfg
}

func TestLeadDealSchema(t *testing.T) {
	i, s, f, ts, b, j := proto.ColumnType_INT, proto.ColumnType_STRING, proto.ColumnType_DOUBLE, proto.ColumnType_TIMESTAMP, proto.ColumnType_BOOL, proto.ColumnType_JSON
	assertTableSchema(t, dealTable, tableSchema{
		columns: map[string]proto.ColumnType{
			"id": i, "uuid": s, "label": s, "created_at": ts, "updated_at": ts, "deal_value": f, "currency_code": s, "currency_id": i,
			"lead_id": i, "partnership_id": i, "company_id": i, "partner_type": s, "stage_id": i, "stage_label": s, "stage_series": i,
			"stage_phase": s, "payment_stage_id": i, "payment_stage_label": s, "payment_stage_series": i, "payment_stage_phase": s,
			"commission_amount": f, "commission_percentage": f, "vendor_stage_id": i, "campaign_id": i, "campaign_title": s,
			"company_campaign_id": i, "total": i, "tags": j, "assigned_users": j, "associated_partner": j, "campaign_partners": j,
			"custom_fields": j, "is_assigned": b, "view": s, "search": s, "tag_id": i,
		},
		exactCache: []string{"view", "search", "tag_id"},
		// id = N is looked up in List, as on journeybee_lead: one way for both.
		listKeys: map[string][]string{"stage_id": {"="}, "stage_phase": {"="}, "is_assigned": {"=", "<>"}, "view": {"="}, "search": {"="}, "tag_id": {"="}, "id": {"="},
			"created_at": {">", ">=", "<", "<=", "="}},
	})
}

func TestLeadDealFullScanPagesThroughEveryDeal(t *testing.T) {
	f := newFixture(t, accountConfig(20))
	rows, err := f.queryTable(dealTable, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	deals := f.srv.Deals()
	if got, want := plugintest.RowIDs(rows, "id"), plugintest.IDs(deals, idOfDeal, nil); !slices.Equal(got, want) {
		t.Fatalf("got %d deals, want all %d", len(got), len(want))
	}
	// Six pages of 20 for 104 deals, then the overlapping cursor's page
	// with only the last deal.
	if got, want := len(f.srv.Requests()), (len(deals)+19)/20+1; got != want {
		t.Fatalf("%d API requests for %d deals in pages of 20, want %d", got, len(deals), want)
	}
	for _, r := range f.srv.Requests() {
		if r.Path != "/api/v1/lead-deals" || r.Query.Has("userId") {
			t.Fatalf("request %s?%s: want GET /api/v1/lead-deals without userId (not documented for deals)", r.Path, r.Query.Encode())
		}
	}
	byID := map[int64]journeybeetest.LeadDeal{}
	for _, d := range deals {
		byID[d.ID] = d
	}
	for _, row := range rows {
		assertRowIsDeal(t, row, byID[pluginhost.Value(row["id"]).(int64)], len(deals))
	}
}

// assertRowIsDeal compares the API columns of a row with the fake's deal;
// total is 0 for a deal read by id (no total, custom fields instead).
func assertRowIsDeal(t *testing.T, row pluginhost.Row, d journeybeetest.LeadDeal, total int) {
	t.Helper()
	want := map[string]any{
		"id": d.ID, "uuid": opt(d.UUID), "label": opt(d.Label), "created_at": d.CreatedAt.UTC(),
		"deal_value": opt(d.DealValue), "currency_code": opt(d.CurrencyCode), "lead_id": d.LeadID,
		"partnership_id": opt(d.PartnershipID), "company_id": d.CompanyID, "partner_type": opt(d.PartnerType),
		"stage_id": opt(d.StageID), "stage_label": opt(d.StageLabel), "stage_phase": opt(d.StagePhase),
		"commission_amount": opt(d.CommissionAmount), "commission_percentage": opt(d.CommissionPercentage),
		"campaign_id": opt(d.CampaignID), "payment_stage_phase": opt(d.PaymentStagePhase),
		"is_assigned": len(d.AssignedUsers) > 0, "tags": mustJSON(t, d.Tags), "assigned_users": mustJSON(t, d.AssignedUsers),
		"associated_partner": mustJSON(t, d.AssociatedPartner), "view": nil, "search": nil, "tag_id": nil,
	}
	if total > 0 {
		want["total"], want["custom_fields"] = int64(total), nil
	} else {
		want["total"] = nil
	}
	assertRowColumns(t, row, want)
}

// assertRowColumns compares the named columns of a row; JSON columns are
// compared as JSON.
func assertRowColumns(t *testing.T, row pluginhost.Row, want map[string]any) {
	t.Helper()
	for col, w := range want {
		got := pluginhost.Value(row[col])
		if tm, ok := got.(time.Time); ok {
			got = tm.UTC()
		}
		if js, ok := w.(jsonText); ok {
			if s, isText := got.(string); !isText || !jsonEqual(s, string(js)) {
				t.Fatalf("row %v column %s = %v, want %s", pluginhost.Value(row["id"]), col, got, js)
			}
			continue
		}
		if !reflect.DeepEqual(got, w) {
			t.Fatalf("row %v column %s = %#v, want %#v", pluginhost.Value(row["id"]), col, got, w)
		}
	}
}

// jsonText is an expected JSON column value.
type jsonText string

func mustJSON(t *testing.T, v any) jsonText {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return jsonText(b)
}

func TestLeadDealFilterPushdown(t *testing.T) {
	f := newFixture(t, accountConfig(1000))
	deals := f.srv.Deals()
	leads := map[int64]*journeybeetest.Lead{}
	for _, l := range f.srv.Leads() {
		leads[l.ID] = &l
	}
	hasTag := func(d *journeybeetest.LeadDeal, id int64) bool {
		return slices.ContainsFunc(d.Tags, func(t journeybeetest.Tag) bool { return t.ID == id })
	}
	stageIn := func(ids ...int64) func(*journeybeetest.LeadDeal) bool {
		return func(d *journeybeetest.LeadDeal) bool { return d.StageID != nil && slices.Contains(ids, *d.StageID) }
	}
	phaseIn := func(phases ...string) func(*journeybeetest.LeadDeal) bool {
		return func(d *journeybeetest.LeadDeal) bool {
			return d.StagePhase != nil && slices.Contains(phases, *d.StagePhase)
		}
	}
	leadReceived := func(d *journeybeetest.LeadDeal) bool {
		l := leads[d.LeadID]
		return l != nil && slices.ContainsFunc(l.PartnershipLeads, func(p journeybeetest.PartnershipLead) bool { return p.Direction == "received" })
	}
	probe := strings.Fields(*deals[5].Label)[0]
	assertPushdown(t, f, dealTable, "id", deals, idOfDeal, []pushdownCase[journeybeetest.LeadDeal]{
		{"stage_id =", []*proto.Qual{eq("stage_id", int64(3))}, []string{"stages=3"}, stageIn(3), nil},
		{"stage_id IN: one call per value", []*proto.Qual{in("stage_id", int64(1), int64(4))}, []string{"stages=1", "stages=4"}, stageIn(1, 4), nil},
		{"stage_phase =", []*proto.Qual{eq("stage_phase", "closed_won")}, []string{"phases=closed_won"}, phaseIn("closed_won"), nil},
		{"stage_phase IN", []*proto.Qual{in("stage_phase", "discovery", "closed_lost")}, []string{"phases=closed_lost", "phases=discovery"}, phaseIn("discovery", "closed_lost"), nil},
		{"tag_id =", []*proto.Qual{eq("tag_id", int64(19))}, []string{"tags=19"}, func(d *journeybeetest.LeadDeal) bool { return hasTag(d, 19) }, nil},
		{"is_assigned", []*proto.Qual{eq("is_assigned", true)}, []string{"assigned=1"}, func(d *journeybeetest.LeadDeal) bool { return len(d.AssignedUsers) > 0 }, nil},
		{"NOT is_assigned", []*proto.Qual{op("is_assigned", "<>", true)}, []string{"unassigned=1"}, func(d *journeybeetest.LeadDeal) bool { return len(d.AssignedUsers) == 0 }, nil},
		{"view = reseller", []*proto.Qual{eq("view", "reseller")}, []string{"view=reseller"}, func(d *journeybeetest.LeadDeal) bool { return d.PartnerType != nil && *d.PartnerType == "reseller" }, nil},
		{"view = campaigns", []*proto.Qual{eq("view", "campaigns")}, []string{"view=campaigns"}, func(d *journeybeetest.LeadDeal) bool { return d.CampaignID != nil }, nil},
		{"view = received", []*proto.Qual{eq("view", "received")}, []string{"view=received"}, leadReceived, nil},
		{"search", []*proto.Qual{eq("search", probe)}, []string{"search=" + url.QueryEscape(probe)}, func(d *journeybeetest.LeadDeal) bool {
			return strings.Contains(strings.ToLower(*d.Label), strings.ToLower(probe)) || dealSearchOtherMatch(d, leads[d.LeadID], probe)
		}, nil},
		{"two IN lists arrive whole, a row per matching tag", []*proto.Qual{in("stage_phase", "discovery", "negotiation"), in("tag_id", int64(18), int64(20))}, []string{"phases=discovery%2Cnegotiation&tags=18%2C20"},
			func(d *journeybeetest.LeadDeal) bool {
				return phaseIn("discovery", "negotiation")(d) && (hasTag(d, 18) || hasTag(d, 20))
			},
			func(d *journeybeetest.LeadDeal) int { return btoi(hasTag(d, 18)) + btoi(hasTag(d, 20)) }},
	})
}

// dealSearchOtherMatch is the rest of the reference's deal search: the
// lead's company name, email and phone, assigned users, partner companies.
func dealSearchOtherMatch(d *journeybeetest.LeadDeal, l *journeybeetest.Lead, needle string) bool {
	needle = strings.ToLower(needle)
	has := func(s *string) bool { return s != nil && strings.Contains(strings.ToLower(*s), needle) }
	if l != nil && (has(l.CompanyName) || has(l.Email) || has(l.PhoneNumber)) {
		return true
	}
	for _, u := range d.AssignedUsers {
		if has(u.Email) || has(u.FirstName) || has(u.LastName) {
			return true
		}
	}
	return slices.ContainsFunc(d.AssociatedPartner, func(p journeybeetest.AssociatedPartner) bool { return has(p.CompanyName) })
}

func TestLeadDealFilterColumnsCarryTheQueriedValues(t *testing.T) {
	f := newFixture(t, accountConfig(1000))
	rows, err := f.queryTable(dealTable, nil, 0, eq("view", "received"), eq("search", "a"), eq("tag_id", int64(19)))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatal("no rows: the test proves nothing")
	}
	for _, r := range rows {
		if pluginhost.Value(r["view"]) != "received" || pluginhost.Value(r["search"]) != "a" || pluginhost.Value(r["tag_id"]) != int64(19) {
			t.Fatalf("row %v does not carry the queried filter values", r)
		}
	}
}

func TestLeadDealGetByID(t *testing.T) {
	cfg := accountConfig(50)
	f := newFixture(t, cfg, "company_id = 123")
	deals := f.srv.Deals()
	known := deals[7]

	rows, err := f.queryTable(dealTable, nil, 0, eq("id", known.ID))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 {
		t.Fatalf("%d rows for id = %d, want 1", len(rows), known.ID)
	}
	assertRowIsDeal(t, rows[0], known, 0)
	if cf, _ := pluginhost.Value(rows[0]["custom_fields"]).(string); !strings.HasPrefix(cf, "[") {
		t.Fatalf("custom_fields = %v, want the single deal's array", pluginhost.Value(rows[0]["custom_fields"]))
	}
	reqs := f.srv.Requests()
	if len(reqs) != 1 || reqs[0].Path != "/api/v1/companies/123/lead-deals/"+strconv.FormatInt(known.ID, 10) {
		t.Fatalf("requests %v, want one GET /api/v1/companies/123/lead-deals/%d", reqs, known.ID)
	}

	f.srv.ResetRequests()
	rows, err = f.queryTable(dealTable, []string{"id", "label"}, 0, eq("id", int64(999999)))
	if err != nil || len(rows) != 0 {
		t.Fatalf("unknown id: %d rows, err %v; want no row and no error", len(rows), err)
	}
	if n := f.srv.RequestCount(); n != 1 {
		t.Fatalf("%d requests for an unknown id, want 1", n)
	}

	f.srv.ResetRequests()
	rows, err = f.queryTable(dealTable, []string{"id", "label"}, 0, in("id", deals[0].ID, int64(999999), deals[3].ID))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := plugintest.RowIDs(rows, "id"), sortedIDs(deals[0].ID, deals[3].ID); !slices.Equal(got, want) {
		t.Fatalf("id IN: rows %v, want %v", got, want)
	}
	if n := f.srv.RequestCount(); n != 3 {
		t.Fatalf("%d requests for id IN (3 values), want one per id", n)
	}
}

func TestLeadDealGetByIDLearnsTheCompanyOnce(t *testing.T) {
	f := newFixture(t, accountConfig(50))
	deals := f.srv.Deals()
	for _, id := range []int64{deals[0].ID, deals[1].ID} {
		rows, err := f.queryTable(dealTable, []string{"id"}, 0, eq("id", id))
		if err != nil || len(rows) != 1 {
			t.Fatalf("id = %d: %d rows, err %v", id, len(rows), err)
		}
	}
	var paths []string
	for _, r := range f.srv.Requests() {
		paths = append(paths, r.Path)
	}
	want := []string{"/api/v1/leads", "/api/v1/companies/123/lead-deals/" + strconv.FormatInt(deals[0].ID, 10), "/api/v1/companies/123/lead-deals/" + strconv.FormatInt(deals[1].ID, 10)}
	if !slices.Equal(paths, want) {
		t.Fatalf("requests %v, want %v: the company id is read off the newest lead once", paths, want)
	}
}

func TestLeadDealLimitStopsPaging(t *testing.T) {
	for _, tt := range []struct {
		limit    int64
		quals    []*proto.Qual
		requests int
	}{
		{5, nil, 1},
		{20, nil, 1},
		{25, nil, 2},
		{3, []*proto.Qual{op("is_assigned", "<>", true)}, 1},
	} {
		f := newFixture(t, accountConfig(20))
		rows, err := f.queryTable(dealTable, []string{"id", "is_assigned"}, tt.limit, tt.quals...)
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(rows)) != tt.limit {
			t.Fatalf("LIMIT %d: %d rows", tt.limit, len(rows))
		}
		if n := f.srv.RequestCount(); n != tt.requests {
			t.Fatalf("LIMIT %d with %d quals: %d requests in pages of 20, want %d", tt.limit, len(tt.quals), n, tt.requests)
		}
	}
}

func TestLeadDealInvalidFiltersFailBeforeAnyRequest(t *testing.T) {
	f := newFixture(t, accountConfig(20))
	for _, tt := range []struct {
		qual *proto.Qual
		want string
	}{
		{eq("stage_phase", "won"), `invalid stage phase "won": allowed values are discovery, negotiation, closed_won, closed_lost`},
		{in("stage_phase", "discovery", "open"), `invalid stage phase "open"`},
		{eq("view", "all"), `invalid view "all": allowed values are received, sent, reseller, campaigns`},
		{eq("stage_id", "three"), "stage_id must be a whole number"},
		{eq("search", " "), "search must not be empty"},
	} {
		_, err := f.queryTable(dealTable, nil, 0, tt.qual)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Fatalf("%s: err = %v, want %q", describeQual(tt.qual), err, tt.want)
		}
	}
	if n := f.srv.RequestCount(); n != 0 {
		t.Fatalf("%d API requests were sent for invalid filters", n)
	}
}

func TestLeadDealContradictoryFiltersNeedNoRequest(t *testing.T) {
	f := newFixture(t, accountConfig(20))
	for _, quals := range [][]*proto.Qual{
		{in("stage_id")},
		{eq("is_assigned", true), eq("is_assigned", false)},
		{eq("view", "sent"), eq("view", "received")},
	} {
		rows, err := f.queryTable(dealTable, nil, 0, quals...)
		if err != nil || len(rows) != 0 {
			t.Fatalf("%v: %d rows, err %v; want none", quals, len(rows), err)
		}
	}
	if n := f.srv.RequestCount(); n != 0 {
		t.Fatalf("%d requests for filters that match nothing", n)
	}
}

// TestLeadDealNullsStayNull: a null from the API is NULL, and the JSON
// columns keep nested nulls.
func TestLeadDealNullsStayNull(t *testing.T) {
	created := time.Date(2024, 1, 15, 10, 30, 0, 0, time.UTC)
	f := newFixture(t, journeybeetest.Config{Deals: []journeybeetest.LeadDeal{{
		ID: 1, CreatedAt: created, LeadID: 2, CompanyID: 123,
		AssociatedPartner: []journeybeetest.AssociatedPartner{{CompanyID: 9}},
		Tags:              []journeybeetest.Tag{{ID: 4}},
	}}})
	rows, err := f.queryTable(dealTable, nil, 0)
	if err != nil || len(rows) != 1 {
		t.Fatalf("%d rows, err %v", len(rows), err)
	}
	for _, col := range []string{"uuid", "label", "updated_at", "deal_value", "currency_code", "stage_id", "stage_phase", "partnership_id", "commission_amount", "commission_percentage", "campaign_id", "payment_stage_label", "vendor_stage_id"} {
		if v := pluginhost.Value(rows[0][col]); v != nil {
			t.Errorf("%s = %#v, want NULL", col, v)
		}
	}
	if got := pluginhost.Value(rows[0]["associated_partner"]); got != `[{"company_id":9,"company_name":null,"company_logo_id":null,"company_logo_uuid":null}]` {
		t.Errorf("associated_partner = %v, want the API's bytes with their nulls", got)
	}
	if got := pluginhost.Value(rows[0]["tags"]); got != `[{"id":4,"label":null,"background_color":null,"text_color":null}]` {
		t.Errorf("tags = %v, want the API's bytes with their nulls", got)
	}
}

// TestLeadDealGetErrorsAreNotHidden: only a 404 is no row; a server that
// keeps failing fails the query, and a bad key is explained.
func TestLeadDealGetErrorsAreNotHidden(t *testing.T) {
	cfg := accountConfig(50)
	cfg.Faults = []journeybeetest.Fault{{Kind: journeybeetest.FaultStatus, Status: 500, Times: journeybeetest.Always}}
	f := newFixture(t, cfg, "company_id = 123", "max_error_retry_attempts = 1")
	_, err := f.queryTable(dealTable, []string{"id"}, 0, eq("id", int64(3001)))
	f.expectQueryError(err, "gave up after 2 attempts")

	cfg.Faults = []journeybeetest.Fault{{Kind: journeybeetest.FaultStatus, Status: 401, Body: `{"error":"Invalid API key"}`, Times: journeybeetest.Always}}
	f = newFixture(t, cfg, "company_id = 123")
	_, err = f.queryTable(dealTable, []string{"id"}, 0, eq("id", int64(3001)))
	f.expectQueryError(err, "check api_key")
}
