package journeybee

import (
	"reflect"
	"strings"
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

// tableSchema is what a table's schema test asserts: every column's type,
// the List key columns with their operators, and the Get key columns.
type tableSchema struct {
	columns  map[string]proto.ColumnType
	listKeys map[string][]string
	getKeys  []string
}

// assertTableSchema checks a table's schema as Steampipe receives it, and
// that every column has a description of one or two sentences and every
// List key column is optional.
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
		if k.Require != "optional" {
			t.Errorf("key column %s is %s; every filter must be optional", k.Name, k.Require)
		}
		keys[k.Name] = k.Operators
	}
	if !reflect.DeepEqual(keys, want.listKeys) {
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
