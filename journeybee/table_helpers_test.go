//go:build !race

package journeybee

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

// tableSchema is what a table's schema test asserts: every column's type,
// the List key columns with their operators, which of them match the query
// cache exactly (the others must keep the default, subset), and the Get key
// columns.
type tableSchema struct {
	columns    map[string]proto.ColumnType
	listKeys   map[string][]string
	exactCache []string
	getKeys    []string
	// required are the List key columns a query must set (a table read
	// one parent at a time); every other filter is optional.
	required []string
}

// assertTableSchema checks a table's schema as Steampipe receives it, and
// that every column has a description of one or two sentences and every
// List key column but the required ones is optional.
func assertTableSchema(t *testing.T, table string, want tableSchema) {
	t.Helper()
	f := newFixture(t, journeybeetest.Config{})
	schema, err := f.host.Schema(testConnection)
	if err != nil {
		t.Fatal(err)
	}
	s := schema[table]
	if s == nil {
		t.Fatalf("no %s table", table)
	}
	types := map[string]proto.ColumnType{}
	for _, c := range s.Columns {
		if c.Name == "_ctx" || strings.HasPrefix(c.Name, "sp_") {
			continue // the SDK's own columns
		}
		if sentences := countSentences(c.Description); sentences < 1 || sentences > 2 {
			t.Errorf("column %s: description %q should be one or two sentences", c.Name, c.Description)
		}
		types[c.Name] = c.Type
	}
	if !reflect.DeepEqual(types, want.columns) {
		t.Errorf("columns = %v\nwant      %v", types, want.columns)
	}
	keys := map[string][]string{}
	for _, k := range s.ListCallKeyColumnList {
		if strings.HasPrefix(k.Name, "sp_") {
			continue // the SDK's connection-name key column
		}
		if want := map[bool]string{true: "required", false: "optional"}[slices.Contains(want.required, k.Name)]; k.Require != want {
			t.Errorf("key column %s is %s, want %s", k.Name, k.Require, want)
		}
		keys[k.Name] = k.Operators
		if wantMatch := map[bool]string{true: "exact", false: "subset"}[slices.Contains(want.exactCache, k.Name)]; k.CacheMatch != wantMatch {
			t.Errorf("key column %s: cache match %q, want %q", k.Name, k.CacheMatch, wantMatch)
		}
	}
	if (len(keys) > 0 || len(want.listKeys) > 0) && !reflect.DeepEqual(keys, want.listKeys) {
		t.Errorf("list key columns = %v, want %v", keys, want.listKeys)
	}
	var getKeys []string
	for _, k := range s.GetCallKeyColumnList {
		if !strings.HasPrefix(k.Name, "sp_") {
			getKeys = append(getKeys, k.Name)
		}
	}
	if !reflect.DeepEqual(getKeys, want.getKeys) {
		t.Errorf("get key columns = %v, want %v", getKeys, want.getKeys)
	}
}

// countSentences counts the full stops that end a sentence.
func countSentences(text string) int {
	text = strings.NewReplacer("e.g.", "eg", "i.e.", "ie").Replace(strings.TrimSpace(text))
	return strings.Count(text+" ", ". ")
}

// pushdownCase is one filter's contract: the SQL quals, the API query of
// each request (sorted, without userId and cursor), and the dataset items
// the rows must be; rows, when set, is how many rows an item gives (one
// per matching tag or user).
type pushdownCase[T any] struct {
	name   string
	quals  []*proto.Qual
	params []string
	keep   func(*T) bool
	rows   func(*T) int
}

// assertPushdown runs each case against table: the API must receive the
// case's parameters and the rows must be exactly the items keep selects,
// computed from the dataset independently of the API. id is an item's id
// as the idColumn of its row holds it.
func assertPushdown[T any](t *testing.T, f *fixture, table, idColumn string, items []T, id func(*T) int64, cases []pushdownCase[T]) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			f.srv.ResetRequests()
			rows, err := f.queryTable(table, nil, 0, tt.quals...)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.apiQueries(); !reflect.DeepEqual(got, tt.params) {
				t.Fatalf("API queries = %q, want %q", got, tt.params)
			}
			var want []int64
			for i := range items {
				if !tt.keep(&items[i]) {
					continue
				}
				n := 1
				if tt.rows != nil {
					n = tt.rows(&items[i])
				}
				for range n {
					want = append(want, id(&items[i]))
				}
			}
			slices.Sort(want)
			if len(want) == 0 {
				t.Fatal("the dataset has no item for this filter: the test proves nothing")
			}
			got := plugintest.RowIDs(rows, idColumn)
			if !slices.Equal(got, want) {
				t.Fatalf("got %d rows %v…, want %d %v…", len(got), head(got), len(want), head(want))
			}
		})
	}
}
