//go:build !race

package journeybee

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

func datasetConfig(n int) journeybeetest.Config {
	return journeybeetest.Config{Leads: journeybeetest.GenerateLeads(n, 7), PageSize: 50}
}

func TestSchema(t *testing.T) {
	f := newFixture(t, journeybeetest.Config{})
	schema, err := f.host.Schema(testConnection)
	if err != nil {
		t.Fatal(err)
	}
	table := schema["journeybee_lead"]
	if table == nil {
		t.Fatal("no journeybee_lead table")
	}
	types := map[string]proto.ColumnType{}
	for _, c := range table.Columns {
		if c.Name == "_ctx" || strings.HasPrefix(c.Name, "sp_") {
			continue // the SDK's own columns
		}
		if strings.TrimSpace(c.Description) == "" {
			t.Errorf("column %s has no description", c.Name)
		}
		types[c.Name] = c.Type
	}
	want := map[string]proto.ColumnType{
		"id": proto.ColumnType_INT, "uuid": proto.ColumnType_STRING, "title": proto.ColumnType_STRING,
		"created_at": proto.ColumnType_TIMESTAMP, "updated_at": proto.ColumnType_TIMESTAMP,
		"source": proto.ColumnType_STRING, "company_name": proto.ColumnType_STRING, "email": proto.ColumnType_STRING,
		"phone_number": proto.ColumnType_STRING, "first_name": proto.ColumnType_STRING, "last_name": proto.ColumnType_STRING,
		"status": proto.ColumnType_STRING, "partner_type": proto.ColumnType_STRING, "company_id": proto.ColumnType_INT,
		"created_by_user_id": proto.ColumnType_INT, "campaign_id": proto.ColumnType_INT, "campaign_title": proto.ColumnType_STRING,
		"total": proto.ColumnType_INT, "tags": proto.ColumnType_JSON, "assigned_users": proto.ColumnType_JSON,
		"partnership_leads": proto.ColumnType_JSON, "campaign_partners": proto.ColumnType_JSON, "lead_deals": proto.ColumnType_JSON,
		"view": proto.ColumnType_STRING, "tag_id": proto.ColumnType_INT, "assigned_user_id": proto.ColumnType_INT,
		"is_assigned": proto.ColumnType_BOOL, "search": proto.ColumnType_STRING, "custom_fields_filter": proto.ColumnType_JSON,
	}
	if !reflect.DeepEqual(types, want) {
		t.Fatalf("columns = %v\nwant      %v", types, want)
	}
	keys := map[string][]string{}
	for _, k := range table.ListCallKeyColumnList {
		if strings.HasPrefix(k.Name, "sp_") {
			continue // the SDK's connection-name key column
		}
		if k.Require != "optional" {
			t.Errorf("key column %s is %s; every filter must be optional", k.Name, k.Require)
		}
		keys[k.Name] = k.Operators
	}
	wantKeys := map[string][]string{"status": {"="}, "view": {"="}, "tag_id": {"="}, "assigned_user_id": {"="},
		"is_assigned": {"=", "<>"}, "search": {"="}, "custom_fields_filter": {"="},
		"created_at": {">", ">=", "<", "<=", "="}, "id": {"="}}
	if !reflect.DeepEqual(keys, wantKeys) {
		t.Fatalf("key columns = %v, want %v", keys, wantKeys)
	}
}

func TestFullScanReturnsEveryLeadWithEveryColumn(t *testing.T) {
	f := newFixture(t, datasetConfig(130))
	rows := f.mustQuery(0)
	leads := f.srv.Leads()
	if got, want := plugintest.RowIDs(rows, "id"), plugintest.IDs(leads, idOfLead, nil); !slices.Equal(got, want) {
		t.Fatalf("got %d leads, want all %d", len(got), len(want))
	}
	// Three pages, then the page the overlapping cursor brings back with
	// only the last lead: total is not trusted to end a scan.
	if n := f.srv.RequestCount(); n != 4 {
		t.Fatalf("%d API requests for 130 leads in pages of 50, want 4", n)
	}
	byID := map[int64]journeybeetest.Lead{}
	for _, l := range leads {
		byID[l.ID] = l
	}
	for _, row := range rows {
		lead := byID[pluginhost.Value(row["id"]).(int64)]
		assertRowIsLead(t, row, lead, len(leads))
	}
}

// assertRowIsLead compares every API column of a row with the lead; total
// 0 is a lead read by id, whose total is NULL.
func assertRowIsLead(t *testing.T, row pluginhost.Row, l journeybeetest.Lead, total int) {
	t.Helper()
	clientLead := asClientLead(t, l)
	want := map[string]any{
		"id": l.ID, "uuid": opt(l.UUID), "created_at": l.CreatedAt.UTC(), "source": opt(l.Source),
		"company_name": opt(l.CompanyName), "email": opt(l.Email), "phone_number": opt(l.PhoneNumber),
		"first_name": opt(l.FirstName), "last_name": opt(l.LastName), "status": l.Status,
		"partner_type": opt(l.PartnerType), "company_id": l.CompanyID, "created_by_user_id": opt(l.CreatedByUserID),
		"campaign_id": opt(l.CampaignID), "campaign_title": opt(l.CampaignTitle), "total": optCount(total),
		"is_assigned": len(l.AssignedUsers) > 0, "title": leadTitle(&clientLead),
		"view": nil, "tag_id": nil, "assigned_user_id": nil, "search": nil, "custom_fields_filter": nil,
	}
	if l.UpdatedAt != nil {
		want["updated_at"] = l.UpdatedAt.UTC()
	} else {
		want["updated_at"] = nil
	}
	for col, w := range want {
		got := pluginhost.Value(row[col])
		if tm, ok := got.(time.Time); ok {
			got = tm.UTC()
		}
		if !reflect.DeepEqual(got, w) {
			t.Fatalf("lead %d column %s = %#v, want %#v", l.ID, col, got, w)
		}
	}
	// The fake serves an absent list as [].
	orEmpty := func(v any) string {
		b, _ := json.Marshal(v)
		if string(b) == "null" {
			return "[]"
		}
		return string(b)
	}
	jsonWant := map[string]string{"tags": orEmpty(l.Tags), "assigned_users": orEmpty(l.AssignedUsers),
		"partnership_leads": orEmpty(l.PartnershipLeads), "campaign_partners": orEmpty(l.CampaignPartners), "lead_deals": orEmpty(l.LeadDeals)}
	for col, wantJSON := range jsonWant {
		got, _ := pluginhost.Value(row[col]).(string)
		if !jsonEqual(got, string(wantJSON)) {
			t.Fatalf("lead %d column %s = %s, want %s", l.ID, col, got, wantJSON)
		}
	}
}

// TestFilterPushdown is the contract of each filter column: the SQL qual,
// the API parameters it must produce, and the leads it must return.
func TestFilterPushdown(t *testing.T) {
	f := newFixture(t, journeybeetest.Config{
		Leads:             journeybeetest.GenerateLeads(300, 11),
		PageSize:          1000,
		CustomFieldValues: map[int64]map[int64]any{},
	})
	leads := f.srv.Leads()
	hasTag := func(l *journeybeetest.Lead, id int64) bool {
		return slices.ContainsFunc(l.Tags, func(t journeybeetest.Tag) bool { return t.ID == id })
	}
	hasUser := func(l *journeybeetest.Lead, id int64) bool {
		return slices.ContainsFunc(l.AssignedUsers, func(u journeybeetest.AssignedUser) bool { return u.ID == id })
	}
	hasDirection := func(l *journeybeetest.Lead, dir string) bool {
		return slices.ContainsFunc(l.PartnershipLeads, func(p journeybeetest.PartnershipLead) bool { return p.Direction == dir })
	}
	statusIn := func(ss ...string) func(*journeybeetest.Lead) bool {
		return func(l *journeybeetest.Lead) bool { return slices.Contains(ss, l.Status) }
	}
	// Search the email of a lead that exists, so the expectation is not empty.
	var probe string
	for _, l := range leads {
		if l.Email != nil && strings.Contains(*l.Email, "@") {
			probe = strings.Split(*l.Email, "@")[0]
			break
		}
	}

	tests := []struct {
		name   string
		quals  []*proto.Qual
		params []string // the API query of each request (sorted)
		keep   func(*journeybeetest.Lead) bool
		// rowsPerLead > 1 when a lead gives one row per matching value.
		rows func(*journeybeetest.Lead) int
	}{
		{"status =", []*proto.Qual{eq("status", "new")}, []string{"status=new"}, statusIn("new"), nil},
		{"status IN: one call per value", []*proto.Qual{in("status", "new", "contacted")}, []string{"status=contacted", "status=new"}, statusIn("new", "contacted"), nil},
		{"view = received", []*proto.Qual{eq("view", "received")}, []string{"view=received"}, func(l *journeybeetest.Lead) bool { return hasDirection(l, "received") }, nil},
		{"view = reseller", []*proto.Qual{eq("view", "reseller")}, []string{"view=reseller"}, func(l *journeybeetest.Lead) bool { return l.PartnerType != nil && *l.PartnerType == "reseller" }, nil},
		{"view IN: one call per view, a row per view", []*proto.Qual{in("view", "sent", "campaigns")}, []string{"view=campaigns", "view=sent"},
			func(l *journeybeetest.Lead) bool { return hasDirection(l, "sent") || l.CampaignID != nil },
			func(l *journeybeetest.Lead) int { return btoi(hasDirection(l, "sent")) + btoi(l.CampaignID != nil) }},
		{"tag_id =", []*proto.Qual{eq("tag_id", int64(10))}, []string{"tags=10"}, func(l *journeybeetest.Lead) bool { return hasTag(l, 10) }, nil},
		{"tag_id IN: a row per matching tag", []*proto.Qual{in("tag_id", int64(10), int64(13))}, []string{"tags=10", "tags=13"},
			func(l *journeybeetest.Lead) bool { return hasTag(l, 10) || hasTag(l, 13) },
			func(l *journeybeetest.Lead) int { return btoi(hasTag(l, 10)) + btoi(hasTag(l, 13)) }},
		{"assigned_user_id =", []*proto.Qual{eq("assigned_user_id", int64(457))}, []string{"users=457"}, func(l *journeybeetest.Lead) bool { return hasUser(l, 457) }, nil},
		{"assigned_user_id IN", []*proto.Qual{in("assigned_user_id", int64(456), int64(458))}, []string{"users=456", "users=458"},
			func(l *journeybeetest.Lead) bool { return hasUser(l, 456) || hasUser(l, 458) },
			func(l *journeybeetest.Lead) int { return btoi(hasUser(l, 456)) + btoi(hasUser(l, 458)) }},
		{"is_assigned", []*proto.Qual{eq("is_assigned", true)}, []string{"assigned=1"}, func(l *journeybeetest.Lead) bool { return len(l.AssignedUsers) > 0 }, nil},
		{"NOT is_assigned", []*proto.Qual{op("is_assigned", "<>", true)}, []string{"unassigned=1"}, func(l *journeybeetest.Lead) bool { return len(l.AssignedUsers) == 0 }, nil},
		{"is_assigned = false", []*proto.Qual{eq("is_assigned", false)}, []string{"unassigned=1"}, func(l *journeybeetest.Lead) bool { return len(l.AssignedUsers) == 0 }, nil},
		{"search", []*proto.Qual{eq("search", probe)}, []string{"search=" + url.QueryEscape(probe)}, func(l *journeybeetest.Lead) bool { return journeybeetest.MatchesSearch(l, probe) }, nil},
		{"search by partner company", []*proto.Qual{eq("search", journeybeetest.PartnerCompanies[0].Name)}, []string{"search=" + url.QueryEscape(journeybeetest.PartnerCompanies[0].Name)},
			func(l *journeybeetest.Lead) bool {
				return journeybeetest.MatchesSearch(l, journeybeetest.PartnerCompanies[0].Name)
			}, nil},
		// A lone IN list is split by the SDK into one List call per value.
		{"the issue's query: status IN + view", []*proto.Qual{in("status", "new", "contacted"), eq("view", "received")}, []string{"status=contacted&view=received", "status=new&view=received"},
			func(l *journeybeetest.Lead) bool {
				return statusIn("new", "contacted")(l) && hasDirection(l, "received")
			}, nil},
		{"two IN lists arrive whole", []*proto.Qual{in("status", "new", "lost"), in("tag_id", int64(11), int64(12))}, []string{"status=new%2Clost&tags=11%2C12"},
			func(l *journeybeetest.Lead) bool {
				return statusIn("new", "lost")(l) && (hasTag(l, 11) || hasTag(l, 12))
			},
			func(l *journeybeetest.Lead) int { return btoi(hasTag(l, 11)) + btoi(hasTag(l, 12)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.srv.ResetRequests()
			rows := f.mustQuery(0, tt.quals...)
			if got := f.apiQueries(); !reflect.DeepEqual(got, tt.params) {
				t.Fatalf("API queries = %q, want %q", got, tt.params)
			}
			var want []int64
			for i := range leads {
				if !tt.keep(&leads[i]) {
					continue
				}
				n := 1
				if tt.rows != nil {
					n = tt.rows(&leads[i])
				}
				for range n {
					want = append(want, leads[i].ID)
				}
			}
			slices.Sort(want)
			if len(want) == 0 {
				t.Fatal("the dataset has no lead for this filter: the test proves nothing")
			}
			if got := plugintest.RowIDs(rows, "id"); !slices.Equal(got, want) {
				t.Fatalf("got %d rows %v…, want %d", len(got), head(got), len(want))
			}
		})
	}
}

// TestCustomFieldsFilterIsSentCompact: Postgres hands jsonb over
// pretty-printed; the API gets the filter on one line, the column keeps the
// query's own text.
func TestCustomFieldsFilterIsSentCompact(t *testing.T) {
	leads := journeybeetest.GenerateLeads(40, 3)
	values := map[int64]map[int64]any{leads[3].ID: {123: "Acme Rollout"}, leads[9].ID: {123: "acme pilot"}, leads[12].ID: {123: "Other"}}
	f := newFixture(t, journeybeetest.Config{Leads: leads, CustomFieldValues: values})
	filter := "[\n    {\n        \"id\": 123,\n        \"value\": {\n            \"text\": \"acme\"\n        }\n    }\n]"
	rows := f.mustQuery(0, eq("custom_fields_filter", []byte(filter)))
	if got, want := plugintest.RowIDs(rows, "id"), sortedIDs(leads[3].ID, leads[9].ID); !slices.Equal(got, want) {
		t.Fatalf("rows %v, want %v", got, want)
	}
	if got := f.srv.Requests()[0].Query.Get("customFields"); got != `[{"id":123,"value":{"text":"acme"}}]` {
		t.Fatalf("customFields = %s, want the filter as compact JSON", got)
	}
	for _, r := range rows {
		if pluginhost.Value(r["custom_fields_filter"]) != filter {
			t.Fatal("custom_fields_filter must hold the query's filter verbatim")
		}
	}
}

func TestFilterColumnsCarryTheQueriedValues(t *testing.T) {
	f := newFixture(t, datasetConfig(120))
	rows := f.mustQuery(0, eq("view", "received"), eq("search", "a"), eq("tag_id", int64(10)), eq("assigned_user_id", int64(456)))
	if len(rows) == 0 {
		t.Fatal("no rows: the test proves nothing")
	}
	for _, r := range rows {
		if pluginhost.Value(r["view"]) != "received" || pluginhost.Value(r["search"]) != "a" ||
			pluginhost.Value(r["tag_id"]) != int64(10) || pluginhost.Value(r["assigned_user_id"]) != int64(456) {
			t.Fatalf("row %v does not carry the queried filter values", r)
		}
	}
}

func TestTotalIsTheAPICountOfTheQuery(t *testing.T) {
	f := newFixture(t, datasetConfig(200))
	rows := f.mustQuery(5, eq("status", "qualified"))
	want := len(plugintest.IDs(f.srv.Leads(), idOfLead, func(l *journeybeetest.Lead) bool { return l.Status == "qualified" }))
	for _, r := range rows {
		if got := pluginhost.Value(r["total"]); got != int64(want) {
			t.Fatalf("total = %v, want %d qualified leads", got, want)
		}
	}
}

func TestLimitStopsPaging(t *testing.T) {
	for _, tt := range []struct {
		limit    int64
		quals    []*proto.Qual
		requests int
	}{
		{10, nil, 1},
		{50, nil, 1},
		{51, nil, 2},
		{120, nil, 3},
		{10, []*proto.Qual{eq("status", "new")}, 1},
	} {
		t.Run(fmt.Sprintf("limit %d %d quals", tt.limit, len(tt.quals)), func(t *testing.T) {
			f := newFixture(t, datasetConfig(500))
			rows := f.mustQuery(tt.limit, tt.quals...)
			if int64(len(rows)) != tt.limit {
				t.Fatalf("%d rows, want %d", len(rows), tt.limit)
			}
			if n := f.srv.RequestCount(); n != tt.requests {
				t.Fatalf("%d API requests for LIMIT %d with pages of 50, want %d", n, tt.limit, tt.requests)
			}
		})
	}
}

func TestLimitWithInListMakesAtMostOneCallPerValue(t *testing.T) {
	f := newFixture(t, datasetConfig(500))
	rows := f.mustQuery(10, in("status", "new", "contacted", "lost"))
	if len(rows) != 10 {
		t.Fatalf("%d rows, want 10", len(rows))
	}
	if n := f.srv.RequestCount(); n > 3 {
		t.Fatalf("%d API requests, want at most one per IN value (3)", n)
	}
}

func TestInvalidFilterValuesFailBeforeAnyRequest(t *testing.T) {
	f := newFixture(t, datasetConfig(10))
	for _, tt := range []struct {
		qual *proto.Qual
		want string
	}{
		{eq("status", "won"), `invalid status "won": allowed values are new, contacted, qualified, converted, lost`},
		{in("status", "new", "open"), `invalid status "open"`},
		{eq("view", "inbox"), `invalid view "inbox": allowed values are received, sent, reseller, campaigns`},
		{eq("custom_fields_filter", []byte(`{"id":1}`)), "want a JSON array of objects"},
		{eq("tag_id", "ten"), "tag_id must be a whole number"},
	} {
		_, err := f.query(0, tt.qual)
		t.Logf("%s → %v", describeQual(tt.qual), err)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Fatalf("%s: err = %v, want %q", describeQual(tt.qual), err, tt.want)
		}
	}
	if n := f.srv.RequestCount(); n != 0 {
		t.Fatalf("%d API requests were sent for invalid filters", n)
	}
}

func TestEmptyOrContradictoryFiltersNeedNoRequest(t *testing.T) {
	f := newFixture(t, datasetConfig(10))
	for _, quals := range [][]*proto.Qual{
		{in("status")},
		{eq("status", "new"), eq("status", "lost")},
		{eq("is_assigned", true), eq("is_assigned", false)},
	} {
		rows, err := f.query(0, quals...)
		if err != nil || len(rows) != 0 {
			t.Fatalf("%v: %d rows, err %v; want none", quals, len(rows), err)
		}
	}
	if n := f.srv.RequestCount(); n != 0 {
		t.Fatalf("%d API requests, want none", n)
	}
}

func TestAPIErrorStatuses(t *testing.T) {
	for _, tt := range []struct {
		name string
		cfg  func(*journeybeetest.Config)
		conn func(srv *journeybeetest.Server) plugintest.Config
		want []string
	}{
		{"401 wrong key", nil, func(s *journeybeetest.Server) plugintest.Config {
			c := plugintest.ConfigFor(s)
			c.APIKey = "wrong-key"
			return c
		}, []string{"401", "Invalid API key or insufficient permissions", "check api_key (or JOURNEYBEE_API_KEY)"}},
		{"403 no read access", func(c *journeybeetest.Config) { c.NoReadAccess = true }, nil,
			[]string{"403", "Read access required for this operation", "needs read access"}},
		{"404 wrong user", nil, func(s *journeybeetest.Server) plugintest.Config {
			c := plugintest.ConfigFor(s)
			c.UserID = 999
			return c
		}, []string{"404", "Company not found or user not authorized", "check user_id (or JOURNEYBEE_USER_ID)"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := datasetConfig(10)
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			var f *fixture
			if tt.conn != nil {
				srv := plugintest.Fake(t, cfg)
				f = newFixtureWithConfig(t, srv, tt.conn(srv))
			} else {
				f = newFixture(t, cfg)
			}
			_, err := f.query(0)
			if err == nil {
				t.Fatal("want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Fatalf("err = %q, want it to contain %q", err, w)
				}
			}
			if n := f.srv.RequestCount(); n != 1 {
				t.Fatalf("%d requests, want 1: %s is not retried", n, tt.name)
			}
		})
	}
}

func TestTransientErrorsAreRetriedToACompleteResult(t *testing.T) {
	cfg := datasetConfig(120)
	cfg.Faults = []journeybeetest.Fault{
		{Kind: journeybeetest.FaultStatus, Status: 503, OnRequest: 2, Times: 2},
		{Kind: journeybeetest.FaultStatus, Status: 429, RetryAfter: "0", OnRequest: 5},
	}
	f := newFixture(t, cfg)
	rows := f.mustQuery(0)
	if len(rows) != 120 {
		t.Fatalf("%d rows, want all 120 after retries", len(rows))
	}
	if n := f.srv.RequestCount(); n != 7 {
		t.Fatalf("%d requests, want 3 pages + the closing page + 3 retries", n)
	}
}

func TestPersistentServerErrorFailsTheQuery(t *testing.T) {
	cfg := datasetConfig(120)
	cfg.Faults = []journeybeetest.Fault{{Kind: journeybeetest.FaultStatus, Status: 500, OnRequest: 2, Times: journeybeetest.Always}}
	f := newFixture(t, cfg, "max_error_retry_attempts = 2")
	_, err := f.query(0)
	f.expectQueryError(err, "gave up after 3 attempts")
}

func TestRepeatedBoundaryLeadsAreDropped(t *testing.T) {
	cfg := datasetConfig(230)
	cfg.Paging = journeybeetest.PagingInclusive
	f := newFixture(t, cfg)
	rows := f.mustQuery(0)
	if got, want := plugintest.RowIDs(rows, "id"), plugintest.IDs(f.srv.Leads(), idOfLead, nil); !slices.Equal(got, want) {
		t.Fatalf("got %d rows, want each of the %d leads exactly once", len(got), len(want))
	}
}

func TestStalledCursorFailsInsteadOfLooping(t *testing.T) {
	cfg := datasetConfig(230)
	cfg.Paging = journeybeetest.PagingIgnoreCursor
	f := newFixture(t, cfg)
	_, err := f.query(0)
	f.expectQueryError(err, "is newer than the cursor")
	if n := f.srv.RequestCount(); n > 3 {
		t.Fatalf("%d requests: the plugin kept paging a stalled cursor", n)
	}
}

func TestMissingCredentialsNameTheArgumentAndEnvVar(t *testing.T) {
	t.Setenv(envAPIKey, "")
	t.Setenv(envUserID, "")
	srv := plugintest.Fake(t, journeybeetest.Config{})
	f := newFixtureWithConfig(t, srv, plugintest.Config{UserID: 456, BaseURL: srv.URL})
	_, err := f.query(0)
	if err == nil || !strings.Contains(err.Error(), "api_key") || !strings.Contains(err.Error(), "JOURNEYBEE_API_KEY") {
		t.Fatalf("err = %v, want it to name api_key and JOURNEYBEE_API_KEY", err)
	}
	f = newFixtureWithConfig(t, srv, plugintest.Config{APIKey: "k", BaseURL: srv.URL})
	_, err = f.query(0)
	if err == nil || !strings.Contains(err.Error(), "user_id") || !strings.Contains(err.Error(), "JOURNEYBEE_USER_ID") {
		t.Fatalf("err = %v, want it to name user_id and JOURNEYBEE_USER_ID", err)
	}
	if srv.RequestCount() != 0 {
		t.Fatal("requests were sent without credentials")
	}
}

func TestEnvironmentCredentials(t *testing.T) {
	srv := plugintest.Fake(t, datasetConfig(20))
	t.Setenv(envAPIKey, srv.APIKey())
	t.Setenv(envUserID, fmt.Sprint(srv.UserID()))
	t.Setenv(envBaseURL, srv.URL)
	f := newFixtureWithConfig(t, srv, plugintest.Config{})
	if rows := f.mustQuery(0); len(rows) != 20 {
		t.Fatalf("%d rows with env credentials, want 20", len(rows))
	}
}

func TestUnknownConfigArgumentIsRejected(t *testing.T) {
	_, err := plugintest.New(Plugin, pluginhost.Options{}, plugintest.Config{Name: "jb", Extra: []string{`apikey = "x"`}})
	if err == nil || !strings.Contains(err.Error(), "apikey") {
		t.Fatalf("err = %v, want the unknown argument named", err)
	}
}

// TestDefaultRateLimitKeepsUnderTheAPILimit: the plugin declares no SDK
// limiter (the SDK would wait on it as every List call starts, request or
// not); the client's default admits at most 90 requests a minute.
func TestDefaultRateLimitKeepsUnderTheAPILimit(t *testing.T) {
	if p := Plugin(t.Context()); len(p.RateLimiters) != 0 {
		t.Fatalf("%d SDK limiters declared, want none", len(p.RateLimiters))
	}
	s, err := resolveSettings(journeybeeConfig{}, func(name string) string {
		return map[string]string{envAPIKey: "k", envUserID: "1"}[name]
	})
	if err != nil {
		t.Fatal(err)
	}
	if s.requestsPerMinute > 90 {
		t.Fatalf("default max_requests_per_minute %d, want at most 90", s.requestsPerMinute)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func sortedIDs(ids ...int64) []int64 {
	slices.Sort(ids)
	return ids
}

func head(ids []int64) []int64 {
	return ids[:min(len(ids), 10)]
}

// TestQueryCacheMatchesFiltersExactly: with Steampipe's query cache on, the
// table stays out of it (withoutQueryCache): a repeated query asks the API
// again, and a query with other filters gets its own total.
func TestQueryCacheMatchesFiltersExactly(t *testing.T) {
	f := newFixture(t, datasetConfig(120))
	run := func(quals ...*proto.Qual) []pluginhost.Row {
		rows, err := f.host.Collect(t.Context(), pluginhost.Query{Connection: testConnection, Table: "journeybee_lead", Columns: f.leadColumns(), Quals: quals, Cache: true})
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	all := run()
	afterFirst := f.srv.RequestCount()
	if again := run(); len(again) != len(all) || f.srv.RequestCount() != 2*afterFirst {
		t.Fatalf("a repeated query made %d more requests, want %d (the SDK cache is off for the table)", f.srv.RequestCount()-afterFirst, afterFirst)
	}
	afterFirst = f.srv.RequestCount()
	newLeads := run(eq("status", "new"))
	if f.srv.RequestCount() == afterFirst {
		t.Fatal("status = 'new' was served from the unfiltered cached scan")
	}
	want := len(plugintest.IDs(f.srv.Leads(), idOfLead, func(l *journeybeetest.Lead) bool { return l.Status == "new" }))
	for _, r := range newLeads {
		if pluginhost.Value(r["total"]) != int64(want) {
			t.Fatalf("total = %v, want %d (the filtered count)", pluginhost.Value(r["total"]), want)
		}
	}
}
