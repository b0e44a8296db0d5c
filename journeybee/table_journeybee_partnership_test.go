//go:build !race

package journeybee

import (
	"slices"
	"strings"
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

const partnershipTable = "journeybee_partnership"

func TestPartnershipSchema(t *testing.T) {
	i, s, ts, b, j := proto.ColumnType_INT, proto.ColumnType_STRING, proto.ColumnType_TIMESTAMP, proto.ColumnType_BOOL, proto.ColumnType_JSON
	assertTableSchema(t, partnershipTable, tableSchema{
		columns: map[string]proto.ColumnType{
			"partnership_id": i, "id": i, "created_at": ts, "partnership_stage": s, "partner_type": s,
			"stage_id": i, "stage_label": s, "stage_series": i, "partner_id": i, "partner_name": s, "partner_website_url": s,
			"partner_country": s, "tier_id": i, "tier_label": s, "category_id": i, "category_label": s, "is_assigned": b, "total": i,
			"partnership": j, "partner": j, "tier": j, "category": j, "assigned_users": j, "tags": j, "custom_fields": j,
			"view": s, "search": s, "tag_id": i, "assigned_user_id": i, "custom_fields_filter": j,
		},
		exactCache: []string{"view", "search", "custom_fields_filter", "tag_id", "assigned_user_id"},
		listKeys: map[string][]string{"stage_id": {"="}, "category_id": {"="}, "tier_id": {"="}, "is_assigned": {"=", "<>"},
			"view": {"="}, "search": {"="}, "custom_fields_filter": {"="}, "tag_id": {"="}, "assigned_user_id": {"="},
			"created_at": {">", ">=", "<", "<=", "="}},
	})
}

func TestPartnershipFullScanPagesAndFlattens(t *testing.T) {
	f := newFixture(t, accountConfig(5))
	rows, err := f.queryTable(partnershipTable, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	ps := f.srv.Partnerships()
	if got, want := plugintest.RowIDs(rows, "partnership_id"), plugintest.IDs(ps, idOfPartnership, nil); !slices.Equal(got, want) {
		t.Fatalf("partnerships %v, want %v", got, want)
	}
	// Three pages of at most 5 for 12 partnerships, then the overlapping
	// cursor's page with only the last one; userId on each.
	if got, want := len(f.srv.Requests()), (len(ps)+4)/5+1; got != want {
		t.Fatalf("%d API requests for %d partnerships in pages of 5, want %d", got, len(ps), want)
	}
	for _, r := range f.srv.Requests() {
		if r.Path != "/api/v1/partnerships" || r.Query.Get("userId") != "456" {
			t.Fatalf("request %s?%s: want GET /api/v1/partnerships with userId=456", r.Path, r.Query.Encode())
		}
	}
	byID := map[int64]journeybeetest.Partnership{}
	for _, p := range ps {
		byID[p.Partnership.ID] = p
	}
	for _, row := range rows {
		p := byID[pluginhost.Value(row["partnership_id"]).(int64)]
		want := map[string]any{
			"id": p.ID, "created_at": p.Partnership.CreatedAt.UTC(), "partnership_stage": opt(p.Partnership.Stage),
			"partner_type": opt(p.Partnership.PartnerType), "stage_id": opt(p.StageID), "stage_label": opt(p.StageLabel),
			"partner_id": p.Partner.ID, "partner_name": opt(p.Partner.Name), "partner_website_url": opt(p.Partner.WebsiteURL),
			"partner_country": opt(p.Partner.Address.CountryLabel), "is_assigned": len(p.AssignedUsers) > 0, "total": int64(len(ps)),
			"partnership": mustJSON(t, p.Partnership), "partner": mustJSON(t, p.Partner), "tier": mustJSON(t, p.Tier), "category": mustJSON(t, p.Category),
			"assigned_users": mustJSON(t, p.AssignedUsers), "tags": mustJSON(t, p.Tags), "custom_fields": mustJSON(t, p.CustomFields),
			"view": nil, "search": nil, "tag_id": nil, "assigned_user_id": nil, "custom_fields_filter": nil,
		}
		if p.Tier != nil {
			want["tier_id"], want["tier_label"] = p.Tier.ID, opt(p.Tier.Label)
		} else {
			want["tier_id"], want["tier_label"], want["tier"] = nil, nil, nil
		}
		if p.Category != nil {
			want["category_id"], want["category_label"] = p.Category.ID, opt(p.Category.Label)
		} else {
			want["category_id"], want["category_label"], want["category"] = nil, nil, nil
		}
		assertRowColumns(t, row, want)
	}
	if !slices.ContainsFunc(ps, func(p journeybeetest.Partnership) bool { return p.Tier == nil }) {
		t.Fatal("the dataset has no partnership without a tier: NULL tier columns are not tested")
	}
}

func TestPartnershipFilterPushdown(t *testing.T) {
	f := newFixture(t, accountConfig(1000))
	ps := f.srv.Partnerships()
	hasTag := func(p *journeybeetest.Partnership, id int64) bool {
		return slices.ContainsFunc(p.Tags, func(t journeybeetest.Tag) bool { return t.ID == id })
	}
	hasUser := func(p *journeybeetest.Partnership, id int64) bool {
		return slices.ContainsFunc(p.AssignedUsers, func(u journeybeetest.AssignedUser) bool { return u.ID == id })
	}
	ofType := func(typ string) func(*journeybeetest.Partnership) bool {
		return func(p *journeybeetest.Partnership) bool { return opt(p.Partnership.PartnerType) == typ }
	}
	coMarketing := func(p *journeybeetest.Partnership) bool {
		return slices.ContainsFunc(p.CustomFields, func(cf journeybeetest.CustomFieldValue) bool { return cf.ID == 12 && cf.Value["boolean"] == true })
	}
	probe := *ps[4].Partner.Name
	assertPushdown(t, f, partnershipTable, "partnership_id", ps, idOfPartnership, []pushdownCase[journeybeetest.Partnership]{
		{"stage_id =", []*proto.Qual{eq("stage_id", int64(4))}, []string{"stages=4"}, func(p *journeybeetest.Partnership) bool { return opt(p.StageID) == int64(4) }, nil},
		{"category_id IN: one call per value", []*proto.Qual{in("category_id", int64(1), int64(4))}, []string{"categories=1", "categories=4"},
			func(p *journeybeetest.Partnership) bool {
				return p.Category != nil && (p.Category.ID == 1 || p.Category.ID == 4)
			}, nil},
		{"tier_id =", []*proto.Qual{eq("tier_id", int64(1))}, []string{"tiers=1"}, func(p *journeybeetest.Partnership) bool { return p.Tier != nil && p.Tier.ID == 1 }, nil},
		{"tag_id =", []*proto.Qual{eq("tag_id", int64(21))}, []string{"tags=21"}, func(p *journeybeetest.Partnership) bool { return hasTag(p, 21) }, nil},
		{"assigned_user_id =", []*proto.Qual{eq("assigned_user_id", int64(458))}, []string{"users=458"}, func(p *journeybeetest.Partnership) bool { return hasUser(p, 458) }, nil},
		{"is_assigned", []*proto.Qual{eq("is_assigned", true)}, []string{"assigned=1"}, func(p *journeybeetest.Partnership) bool { return len(p.AssignedUsers) > 0 }, nil},
		{"NOT is_assigned", []*proto.Qual{op("is_assigned", "<>", true)}, []string{"unassigned=1"}, func(p *journeybeetest.Partnership) bool { return len(p.AssignedUsers) == 0 }, nil},
		{"view = reseller", []*proto.Qual{eq("view", "reseller")}, []string{"view=reseller"}, ofType("reseller"), nil},
		{"view = assigned: to the connection's user", []*proto.Qual{eq("view", "assigned")}, []string{"view=assigned"}, func(p *journeybeetest.Partnership) bool { return hasUser(p, 456) }, nil},
		{"view IN: a row per view", []*proto.Qual{in("view", "referral", "all")}, []string{"view=all", "view=referral"},
			func(*journeybeetest.Partnership) bool { return true },
			func(p *journeybeetest.Partnership) int { return 1 + btoi(ofType("referral")(p)) }},
		{"search by partner name", []*proto.Qual{eq("search", probe)}, []string{"search=" + strings.ReplaceAll(probe, " ", "+")},
			func(p *journeybeetest.Partnership) bool {
				return strings.Contains(strings.ToLower(*p.Partner.Name), strings.ToLower(probe))
			}, nil},
		{"custom_fields_filter, sent compact", []*proto.Qual{eq("custom_fields_filter", []byte(`[ {"id": 12, "value": {"boolean": true}} ]`))},
			[]string{"customFields=%5B%7B%22id%22%3A12%2C%22value%22%3A%7B%22boolean%22%3Atrue%7D%7D%5D"}, coMarketing, nil},
		{"two IN lists arrive whole, a row per matching user", []*proto.Qual{in("tier_id", int64(1), int64(3)), in("assigned_user_id", int64(456), int64(458))},
			[]string{"tiers=1%2C3&users=456%2C458"},
			func(p *journeybeetest.Partnership) bool {
				return p.Tier != nil && (p.Tier.ID == 1 || p.Tier.ID == 3) && (hasUser(p, 456) || hasUser(p, 458))
			},
			func(p *journeybeetest.Partnership) int { return btoi(hasUser(p, 456)) + btoi(hasUser(p, 458)) }},
	})
}

func TestPartnershipLimitStopsPaging(t *testing.T) {
	f := newFixture(t, accountConfig(5))
	rows, err := f.queryTable(partnershipTable, []string{"partnership_id"}, 4)
	if err != nil || len(rows) != 4 {
		t.Fatalf("%d rows, err %v; want 4", len(rows), err)
	}
	if n := f.srv.RequestCount(); n != 1 {
		t.Fatalf("%d requests for LIMIT 4 in pages of 5, want 1", n)
	}
}

func TestPartnershipInvalidFiltersFailBeforeAnyRequest(t *testing.T) {
	f := newFixture(t, accountConfig(5))
	for _, tt := range []struct {
		qual *proto.Qual
		want string
	}{
		{eq("view", "received"), `invalid view "received": allowed values are all, assigned, referral, reseller`},
		{in("view", "all", "mine"), `invalid view "mine"`},
		{eq("tier_id", "gold"), "tier_id must be a whole number"},
		{eq("custom_fields_filter", []byte(`{"id": 1}`)), "want a JSON array of objects"},
		{eq("search", ""), "search must not be empty"},
	} {
		_, err := f.queryTable(partnershipTable, nil, 0, tt.qual)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Fatalf("%s: err = %v, want %q", describeQual(tt.qual), err, tt.want)
		}
	}
	if n := f.srv.RequestCount(); n != 0 {
		t.Fatalf("%d API requests were sent for invalid filters", n)
	}
}
