//go:build sqlite_vtable

package sqlite

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin/quals"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin/transform"
)

// The test plugin: test_item (every column type, optional key columns, a
// Get on id), test_tag (a required key column, for joins), test_fail (a
// failing List) and test_endless (streams until cancelled).

type item struct {
	ID        int64
	Name      string
	Kind      string
	N         int64
	Active    bool
	Score     float64
	CreatedAt time.Time
	Data      map[string]any
	Note      *string
}

func testItems() []*item {
	var items []*item
	for i := int64(1); i <= 10; i++ {
		it := &item{
			ID:        i,
			Name:      fmt.Sprintf("item-%d", i),
			Kind:      []string{"a", "b", "c"}[i%3],
			N:         i * 10,
			Active:    i%2 == 0,
			Score:     float64(i) * 1.5,
			CreatedAt: time.Date(2024, 1, int(i), 10, 30, 0, 0, time.UTC),
			Data:      map[string]any{"id": i, "tags": []string{"x", fmt.Sprintf("t%d", i)}, "nested": map[string]any{"k": fmt.Sprintf("v%d", i)}},
		}
		if i%4 != 0 {
			note := fmt.Sprintf("note %d", i)
			it.Note = &note
		}
		items = append(items, it)
	}
	return items
}

// call is one List or Get the plugin received.
type call struct {
	Table string
	Quals []string // "column op value", sorted
	Limit int64    // -1 for none
}

// recorder keeps what the plugin was asked, and controls its failures.
type recorder struct {
	mu       sync.Mutex
	calls    []call
	endless  atomic.Int64 // rows streamed by test_endless
	canceled chan struct{}
	once     sync.Once
}

func (r *recorder) record(ctx context.Context, table string, d *plugin.QueryData) {
	c := call{Table: table, Limit: -1}
	if d.QueryContext.Limit != nil {
		c.Limit = *d.QueryContext.Limit
	}
	for name, kq := range d.Quals {
		for _, q := range kq.Quals {
			c.Quals = append(c.Quals, fmt.Sprintf("%s %s %s", name, q.Operator, qualText(q)))
		}
	}
	slices.Sort(c.Quals)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, c)
}

// take returns and clears the recorded calls of a table.
func (r *recorder) take(table string) []call {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out, rest []call
	for _, c := range r.calls {
		if c.Table == table {
			out = append(out, c)
		} else {
			rest = append(rest, c)
		}
	}
	r.calls = rest
	return out
}

func qualText(q *quals.Qual) string {
	switch v := q.Value.GetValue().(type) {
	case *proto.QualValue_StringValue:
		return fmt.Sprintf("%q", v.StringValue)
	case *proto.QualValue_Int64Value:
		return fmt.Sprint(v.Int64Value)
	case *proto.QualValue_DoubleValue:
		return fmt.Sprint(v.DoubleValue)
	case *proto.QualValue_BoolValue:
		return fmt.Sprint(v.BoolValue)
	case *proto.QualValue_TimestampValue:
		return v.TimestampValue.AsTime().UTC().Format(time.RFC3339Nano)
	case *proto.QualValue_JsonbValue:
		return "jsonb " + v.JsonbValue
	case *proto.QualValue_ListValue:
		return fmt.Sprintf("list of %d", len(v.ListValue.Values))
	}
	return fmt.Sprintf("%T", q.Value.GetValue())
}

func testPlugin(rec *recorder) plugin.PluginFunc {
	return func(ctx context.Context) *plugin.Plugin {
		optional := func(name string, ops ...string) *plugin.KeyColumn {
			return &plugin.KeyColumn{Name: name, Operators: ops, Require: plugin.Optional}
		}
		return &plugin.Plugin{
			Name:             "steampipe-plugin-sqlitetest",
			DefaultTransform: transform.FromGo(),
			TableMap: map[string]*plugin.Table{
				"test_item": {
					Name: "test_item",
					List: &plugin.ListConfig{
						Hydrate: listItems(rec),
						KeyColumns: plugin.KeyColumnSlice{
							optional("kind", "="),
							optional("n", "=", "<>", "<", "<=", ">", ">="),
							optional("active", "=", "<>"),
							optional("created_at", ">", ">=", "<", "<="),
							optional("score", "="),
							optional("data", "="),
						},
					},
					Get: &plugin.GetConfig{KeyColumns: plugin.SingleColumn("id"), Hydrate: getItem(rec)},
					Columns: []*plugin.Column{
						{Name: "id", Type: proto.ColumnType_INT, Transform: transform.FromField("ID")},
						{Name: "name", Type: proto.ColumnType_STRING},
						{Name: "kind", Type: proto.ColumnType_STRING},
						{Name: "n", Type: proto.ColumnType_INT, Transform: transform.FromField("N")},
						{Name: "active", Type: proto.ColumnType_BOOL},
						{Name: "score", Type: proto.ColumnType_DOUBLE},
						{Name: "created_at", Type: proto.ColumnType_TIMESTAMP},
						{Name: "data", Type: proto.ColumnType_JSON},
						{Name: "note", Type: proto.ColumnType_STRING},
						{Name: "ip", Type: proto.ColumnType_IPADDR, Transform: transform.FromConstant("10.0.0.1")},
					},
				},
				"test_tag": {
					Name: "test_tag",
					List: &plugin.ListConfig{Hydrate: listTags(rec), KeyColumns: plugin.SingleColumn("item_id")},
					Columns: []*plugin.Column{
						{Name: "item_id", Type: proto.ColumnType_INT, Transform: transform.FromField("ItemID")},
						{Name: "tag", Type: proto.ColumnType_STRING},
					},
				},
				"test_fail": {
					Name: "test_fail",
					// With x > 0, it fails after three rows; else at once.
					List: &plugin.ListConfig{Hydrate: func(ctx context.Context, d *plugin.QueryData, _ *plugin.HydrateData) (any, error) {
						rec.record(ctx, "test_fail", d)
						if d.Quals["x"] == nil {
							return nil, errors.New("upstream exploded")
						}
						for i := int64(1); i <= 3; i++ {
							d.StreamListItem(ctx, &item{ID: i})
						}
						return nil, errors.New("upstream exploded after 3 rows")
					}, KeyColumns: plugin.KeyColumnSlice{optional("x", ">")}},
					Columns: []*plugin.Column{{Name: "x", Type: proto.ColumnType_INT, Transform: transform.FromField("ID")}},
				},
				"test_endless": {
					Name:    "test_endless",
					List:    &plugin.ListConfig{Hydrate: listEndless(rec)},
					Columns: []*plugin.Column{{Name: "id", Type: proto.ColumnType_INT, Transform: transform.FromField("ID")}},
				},
			},
		}
	}
}

// listItems filters on kind and active as an API would, and ignores the
// other quals: the engine's re-check must drop what they exclude.
func listItems(rec *recorder) plugin.HydrateFunc {
	return func(ctx context.Context, d *plugin.QueryData, _ *plugin.HydrateData) (any, error) {
		rec.record(ctx, "test_item", d)
		for _, it := range testItems() {
			if kq := d.Quals["kind"]; kq != nil && kq.Quals[0].Value.GetStringValue() != it.Kind {
				continue
			}
			if kq := d.Quals["active"]; kq != nil {
				q := kq.Quals[0]
				if (q.Operator == "=") != (q.Value.GetBoolValue() == it.Active) {
					continue
				}
			}
			d.StreamListItem(ctx, it)
			if d.RowsRemaining(ctx) == 0 {
				break
			}
		}
		return nil, nil
	}
}

func getItem(rec *recorder) plugin.HydrateFunc {
	return func(ctx context.Context, d *plugin.QueryData, _ *plugin.HydrateData) (any, error) {
		rec.record(ctx, "test_item", d)
		id := d.EqualsQuals["id"].GetInt64Value()
		for _, it := range testItems() {
			if it.ID == id {
				return it, nil
			}
		}
		return nil, nil
	}
}

type tag struct {
	ItemID int64
	Tag    string
}

func listTags(rec *recorder) plugin.HydrateFunc {
	return func(ctx context.Context, d *plugin.QueryData, _ *plugin.HydrateData) (any, error) {
		rec.record(ctx, "test_tag", d)
		id := d.EqualsQuals["item_id"].GetInt64Value()
		for i := 1; i <= 2; i++ {
			d.StreamListItem(ctx, &tag{ItemID: id, Tag: fmt.Sprintf("tag-%d-%d", id, i)})
		}
		return nil, nil
	}
}

// listEndless streams rows until the scan is cancelled or its limit met.
func listEndless(rec *recorder) plugin.HydrateFunc {
	return func(ctx context.Context, d *plugin.QueryData, _ *plugin.HydrateData) (any, error) {
		rec.record(ctx, "test_endless", d)
		canceled := func() (any, error) {
			rec.once.Do(func() { close(rec.canceled) })
			return nil, ctx.Err()
		}
		for i := int64(1); ; i++ {
			select {
			case <-ctx.Done():
				return canceled()
			case <-time.After(time.Millisecond):
			}
			d.StreamListItem(ctx, &item{ID: i})
			rec.endless.Add(1)
			if d.RowsRemaining(ctx) == 0 { // the limit, or a cancellation
				if ctx.Err() != nil {
					return canceled()
				}
				return nil, nil
			}
		}
	}
}

// startTestPlugin starts the test plugin with one connection, "test",
// recording its scans in rec.
func startTestPlugin(t *testing.T, rec *recorder) *pluginhost.Host {
	t.Helper()
	return plugintest.Start(t, testPlugin(rec), pluginhost.Options{Log: io.Discard}, plugintest.Config{Name: "test"})
}

// openTest opens the engine on the test plugin.
func openTest(t *testing.T, opts ...Option) (*DB, *recorder) {
	t.Helper()
	rec := &recorder{canceled: make(chan struct{})}
	host := startTestPlugin(t, rec)
	db, err := Open(host, "test", opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Error(err)
		}
		if n := activeScans.Load(); n != 0 {
			t.Errorf("%d scans still running after Close", n)
		}
	})
	return db, rec
}

// queryRows runs a query and returns its rows as strings, "|"-joined.
func queryRows(t *testing.T, db *DB, query string, args ...any) []string {
	t.Helper()
	_, values, err := plugintest.QueryAll(db.DB, query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	var out []string
	for _, vals := range values {
		parts := make([]string, len(vals))
		for i, v := range vals {
			if v == nil {
				parts[i] = "NULL"
			} else {
				parts[i] = fmt.Sprint(v)
			}
		}
		out = append(out, strings.Join(parts, "|"))
	}
	return out
}
