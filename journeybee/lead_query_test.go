package journeybee

import (
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin/quals"
)

// qualMap builds the key-column qual map the SDK hands to a List function.
func qualMap(qs ...*proto.Qual) plugin.KeyColumnQualMap {
	m := plugin.KeyColumnQualMap{}
	for _, q := range qs {
		if m[q.FieldName] == nil {
			m[q.FieldName] = &plugin.KeyColumnQuals{Name: q.FieldName}
		}
		m[q.FieldName].Quals = append(m[q.FieldName].Quals, &quals.Qual{Column: q.FieldName, Operator: q.GetStringValue(), Value: q.Value})
	}
	return m
}

// scanQueries renders each scan of a query as its API query string.
func scanQueries(q *leadQuery) []string {
	var out []string
	for _, s := range q.scans() {
		out = append(out, s.options.Values().Encode())
	}
	return out
}

func TestLeadQueryFromQuals(t *testing.T) {
	eq, in, op := pluginhost.Eq, pluginhost.In, pluginhost.Op
	tests := []struct {
		name  string
		quals []*proto.Qual
		want  []string // one encoded API query per scan
	}{
		{"no quals", nil, []string{""}},
		{"status =", []*proto.Qual{eq("status", "new")}, []string{"status=new"}},
		{"status IN", []*proto.Qual{in("status", "new", "contacted")}, []string{"status=new%2Ccontacted"}},
		{"view =", []*proto.Qual{eq("view", "received")}, []string{"view=received"}},
		{"view IN: a scan per view", []*proto.Qual{in("view", "received", "sent")}, []string{"view=received", "view=sent"}},
		{"tag_id =", []*proto.Qual{eq("tag_id", int64(10))}, []string{"tags=10"}},
		{"tag_id IN", []*proto.Qual{in("tag_id", int64(10), int64(11))}, []string{"tags=10%2C11"}},
		{"tag_id as numeric text", []*proto.Qual{eq("tag_id", "12")}, []string{"tags=12"}},
		{"assigned_user_id IN", []*proto.Qual{in("assigned_user_id", int64(456), int64(457))}, []string{"users=456%2C457"}},
		{"is_assigned true", []*proto.Qual{eq("is_assigned", true)}, []string{"assigned=1"}},
		{"is_assigned false", []*proto.Qual{eq("is_assigned", false)}, []string{"unassigned=1"}},
		{"NOT is_assigned arrives as <> true", []*proto.Qual{op("is_assigned", "<>", true)}, []string{"unassigned=1"}},
		{"search", []*proto.Qual{eq("search", "tech")}, []string{"search=tech"}},
		{"custom fields compacted", []*proto.Qual{eq("custom_fields_filter", []byte("[\n  {\"id\": 1, \"value\": {\"text\": \"x y\"}}\n]"))},
			[]string{"customFields=" + url.QueryEscape(`[{"id":1,"value":{"text":"x y"}}]`)}},
		{"quals on one column intersect", []*proto.Qual{in("status", "new", "lost", "contacted"), in("status", "lost", "new")}, []string{"status=new%2Clost"}},
		{"the issue's example", []*proto.Qual{in("status", "new", "contacted"), eq("view", "received")}, []string{"status=new%2Ccontacted&view=received"}},
		{"everything", []*proto.Qual{eq("status", "qualified"), eq("view", "sent"), eq("tag_id", int64(3)), eq("assigned_user_id", int64(4)), eq("is_assigned", true), eq("search", "a b")},
			[]string{"assigned=1&search=a+b&status=qualified&tags=3&users=4&view=sent"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := leadQueryFromQuals(qualMap(tt.quals...))
			if err != nil {
				t.Fatalf("leadQueryFromQuals: %v", err)
			}
			if q.matchesNothing {
				t.Fatal("matchesNothing set")
			}
			if got := scanQueries(q); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("API queries = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLeadQueryMatchesNothing(t *testing.T) {
	eq, in, op := pluginhost.Eq, pluginhost.In, pluginhost.Op
	for name, qs := range map[string][]*proto.Qual{
		"empty IN list":                {in("status")},
		"disjoint status quals":        {eq("status", "new"), eq("status", "lost")},
		"is_assigned true and false":   {eq("is_assigned", true), op("is_assigned", "<>", true)},
		"two different search strings": {eq("search", "a"), eq("search", "b")},
		"empty tag list":               {in("tag_id")},
	} {
		t.Run(name, func(t *testing.T) {
			q, err := leadQueryFromQuals(qualMap(qs...))
			if err != nil {
				t.Fatal(err)
			}
			if !q.matchesNothing {
				t.Fatalf("want matchesNothing (no request needed), got scans %q", scanQueries(q))
			}
		})
	}
}

func TestLeadQueryRejectsBadValues(t *testing.T) {
	eq, in := pluginhost.Eq, pluginhost.In
	for _, tt := range []struct {
		name  string
		quals []*proto.Qual
		want  string
	}{
		{"unknown status", []*proto.Qual{eq("status", "won")}, `invalid status "won": allowed values are new, contacted, qualified, converted, lost`},
		{"unknown status in a list", []*proto.Qual{in("status", "new", "Won")}, `invalid status "Won": allowed values are`},
		{"unknown view", []*proto.Qual{eq("view", "inbox")}, `invalid view "inbox": allowed values are received, sent, reseller, campaigns`},
		{"tag_id text", []*proto.Qual{eq("tag_id", "ten")}, `tag_id must be a whole number (an id), got the text "ten"`},
		{"tag_id fraction", []*proto.Qual{eq("tag_id", 1.5)}, `tag_id must be a whole number`},
		{"user id text", []*proto.Qual{in("assigned_user_id", "x")}, `assigned_user_id must be a whole number`},
		{"custom fields not JSON", []*proto.Qual{eq("custom_fields_filter", []byte(`{nope`))}, `custom_fields_filter must be valid JSON`},
		{"custom fields not an array", []*proto.Qual{eq("custom_fields_filter", []byte(`{"id":1}`))}, `want a JSON array of objects`},
		{"is_assigned text", []*proto.Qual{eq("is_assigned", "yes")}, `is_assigned must be true or false`},
		{"empty search", []*proto.Qual{eq("search", "")}, `search must not be empty: give the text to search for, or leave the search filter out`},
		{"blank search in a list", []*proto.Qual{in("search", "acme", "  ")}, `search must not be empty`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := leadQueryFromQuals(qualMap(tt.quals...))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestLeadQueryRowsCarryMatchingFilterValues(t *testing.T) {
	lead := &api.Lead{ID: 1, Tags: api.RawList[api.Ref]{Items: []api.Ref{{ID: 10}, {ID: 11}, {ID: 12}}}, AssignedUsers: api.RawList[api.Ref]{Items: []api.Ref{{ID: 456}}}}
	q, err := leadQueryFromQuals(qualMap(pluginhost.In("tag_id", int64(12), int64(10), int64(99)), pluginhost.In("assigned_user_id", int64(456), int64(7))))
	if err != nil {
		t.Fatal(err)
	}
	scan := q.scans()[0]
	var got [][2]int64
	q.eachRow(lead, &scan, func(r *leadRow) { got = append(got, [2]int64{*r.tagID, *r.userID}) })
	if want := [][2]int64{{12, 456}, {10, 456}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("rows (tag_id, assigned_user_id) = %v, want %v: one row per requested tag the lead has", got, want)
	}

	plain, _ := leadQueryFromQuals(qualMap())
	scan = plain.scans()[0]
	n := 0
	plain.eachRow(lead, &scan, func(r *leadRow) {
		n++
		if r.tagID != nil || r.userID != nil {
			t.Fatal("filter columns must be NULL when the query sets none")
		}
	})
	if n != 1 {
		t.Fatalf("%d rows for an unfiltered lead, want 1", n)
	}
}
