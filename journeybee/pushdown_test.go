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

// Quals as the FDW sends them.
var (
	eq = pluginhost.Eq
	in = pluginhost.In
	op = pluginhost.Op
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

// pushdownOf reads quals as the engine reads a List call's: the whole
// WHERE clause being the call's own.
func pushdownOf[T, O any](t *pagedTable[T, O], qs ...*proto.Qual) (*pushdown[T, O], error) {
	m := qualMap(qs...)
	return t.query(m, m)
}

// scanQueries renders each scan of a query as its API query string.
func scanQueries[T, O any, P interface {
	*O
	Values() url.Values
}](q *pushdown[T, O]) []string {
	out := make([]string, len(q.scans))
	for i := range q.scans {
		out[i] = P(&q.scans[i].options).Values().Encode()
	}
	return out
}

// filterValue is the value a filter-only column holds in row.
func filterValue[T, O any](t *pagedTable[T, O], column string, row *filteredRow[T]) any {
	for _, f := range t.filters {
		if f.column == column {
			return f.value(row)
		}
	}
	panic("no filter column " + column)
}

func TestLeadQueryFromQuals(t *testing.T) {
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
			q, err := pushdownOf(leads, tt.quals...)
			if err != nil {
				t.Fatalf("reading the quals: %v", err)
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
	for name, qs := range map[string][]*proto.Qual{
		"empty IN list":                {in("status")},
		"disjoint status quals":        {eq("status", "new"), eq("status", "lost")},
		"is_assigned true and false":   {eq("is_assigned", true), op("is_assigned", "<>", true)},
		"two different search strings": {eq("search", "a"), eq("search", "b")},
		"empty tag list":               {in("tag_id")},
	} {
		t.Run(name, func(t *testing.T) {
			q, err := pushdownOf(leads, qs...)
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
			_, err := pushdownOf(leads, tt.quals...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestLeadQueryRowsCarryMatchingFilterValues(t *testing.T) {
	lead := &api.Lead{ID: 1, Tags: api.RawList[api.Ref]{Items: []api.Ref{{ID: 10}, {ID: 11}, {ID: 12}}}, AssignedUsers: api.RawList[api.Ref]{Items: []api.Ref{{ID: 456}}}}
	q, err := pushdownOf(leads, pluginhost.In("tag_id", int64(12), int64(10), int64(99)), pluginhost.In("assigned_user_id", int64(456), int64(7)))
	if err != nil {
		t.Fatal(err)
	}
	var got [][2]int64
	q.eachRow(lead, &q.scans[0], func(r *leadRow) {
		got = append(got, [2]int64{filterValue(leads, "tag_id", r).(int64), filterValue(leads, "assigned_user_id", r).(int64)})
	})
	if want := [][2]int64{{12, 456}, {10, 456}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("rows (tag_id, assigned_user_id) = %v, want %v: one row per requested tag the lead has", got, want)
	}

	plain, _ := pushdownOf(leads)
	n := 0
	plain.eachRow(lead, &plain.scans[0], func(r *leadRow) {
		n++
		if filterValue(leads, "tag_id", r) != nil || filterValue(leads, "assigned_user_id", r) != nil {
			t.Fatal("filter columns must be NULL when the query sets none")
		}
	})
	if n != 1 {
		t.Fatalf("%d rows for an unfiltered lead, want 1", n)
	}
}

// TestFilterQueryScans: the quals of both cursored tables become one API
// scan per combination of the one-value parameters, every other filter
// shared by all of them; contradictions need no scan.
func TestFilterQueryScans(t *testing.T) {
	for _, tt := range []struct {
		name    string
		quals   []*proto.Qual
		deals   []string
		partner []string
		nothing bool
	}{
		{"no filter: one scan", nil, []string{""}, []string{""}, false},
		{"views × searches", []*proto.Qual{in("view", "reseller", "sent"), in("search", "a", "b"), in("tag_id", int64(1), int64(2))},
			[]string{"search=a&tags=1%2C2&view=reseller", "search=b&tags=1%2C2&view=reseller", "search=a&tags=1%2C2&view=sent", "search=b&tags=1%2C2&view=sent"}, nil, false},
		{"shared filters", []*proto.Qual{in("stage_id", int64(3), int64(4)), op("is_assigned", "<>", true)},
			[]string{"stages=3%2C4&unassigned=1"}, []string{"stages=3%2C4&unassigned=1"}, false},
		{"contradiction", []*proto.Qual{eq("is_assigned", true), eq("is_assigned", false)}, []string{""}, []string{""}, true},
		{"empty IN", []*proto.Qual{in("stage_id")}, []string{""}, []string{""}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			deals, err := pushdownOf(deals, tt.quals...)
			if err != nil {
				t.Fatal(err)
			}
			if got := scanQueries(deals); deals.matchesNothing != tt.nothing || !reflect.DeepEqual(got, tt.deals) {
				t.Fatalf("deal scans %q (matches nothing %t), want %q (%t)", got, deals.matchesNothing, tt.deals, tt.nothing)
			}
			if tt.partner == nil {
				return // sent is not a partnership view
			}
			partnerships, err := pushdownOf(partnerships, tt.quals...)
			if err != nil {
				t.Fatal(err)
			}
			if got := scanQueries(partnerships); partnerships.matchesNothing != tt.nothing || !reflect.DeepEqual(got, tt.partner) {
				t.Fatalf("partnership scans %q (matches nothing %t), want %q (%t)", got, partnerships.matchesNothing, tt.partner, tt.nothing)
			}
		})
	}
}

// TestEachFilteredRow: an item gives one row per requested tag and user it
// carries, and the lone requested id when the API matched an item whose
// list lacks it (so the row still satisfies the qual).
func TestEachFilteredRow(t *testing.T) {
	refs := func(ids ...int64) api.RawList[api.Ref] {
		out := make([]api.Ref, len(ids))
		for i, id := range ids {
			out[i] = api.Ref{ID: id}
		}
		return api.RawList[api.Ref]{Items: out}
	}
	ids := func(column string, ids ...int64) *proto.Qual {
		values := make([]any, len(ids))
		for i, id := range ids {
			values[i] = id
		}
		return in(column, values...)
	}
	for _, tt := range []struct {
		quals       []*proto.Qual
		tags, users api.RawList[api.Ref]
		want        [][2]any
	}{
		{nil, refs(), refs(), [][2]any{{nil, nil}}},
		{[]*proto.Qual{ids("tag_id", 5, 6, 7)}, refs(6, 7, 8), refs(), [][2]any{{int64(6), nil}, {int64(7), nil}}},
		{[]*proto.Qual{ids("tag_id", 5), ids("assigned_user_id", 3, 4)}, refs(9), refs(3, 4), [][2]any{{int64(5), int64(3)}, {int64(5), int64(4)}}},
	} {
		q, err := pushdownOf(partnerships, tt.quals...)
		if err != nil {
			t.Fatal(err)
		}
		item := &api.Partnership{ID: 1, Tags: tt.tags, AssignedUsers: tt.users}
		var got [][2]any
		q.eachRow(item, &q.scans[0], func(r *partnershipRow) {
			got = append(got, [2]any{filterValue(partnerships, "tag_id", r), filterValue(partnerships, "assigned_user_id", r)})
		})
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("tags %v users %v: rows %v, want %v", tt.tags.Items, tt.users.Items, got, tt.want)
		}
	}
}
