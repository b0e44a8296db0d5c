package journeybee

import (
	"context"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin/transform"
)

// fromItem reads a column straight off the streamed item. A direct field read
// instead of the SDK's reflection-based FromField keeps per-row CPU low.
func fromItem[T any](value func(*T) any) *transform.ColumnTransforms {
	return transform.From(func(_ context.Context, d *transform.TransformData) (any, error) {
		return value(d.HydrateItem.(*T)), nil
	})
}

// The opt* helpers turn absent values into SQL NULL.

func optString(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

func optInt(i *int64) any {
	if i == nil {
		return nil
	}
	return *i
}

func optTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return *t
}

// optEnum is NULL for the empty string.
func optEnum[S ~string](s S) any {
	if s == "" {
		return nil
	}
	return string(s)
}

// optRaw is NULL for empty JSON, else the JSON text itself: the SDK passes a
// string in a JSON column through verbatim.
func optRaw(raw string) any {
	if raw == "" {
		return nil
	}
	return raw
}

// orEmpty turns a missing (or null) list into [], so that jsonb functions
// such as jsonb_array_length work on every row.
func orEmpty[T any](items []T) []T {
	if items == nil {
		return []T{}
	}
	return items
}

func derefString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func joinNonEmpty(sep string, parts ...string) string {
	kept := parts[:0:0]
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}

// Column constructors keep each column definition to one line; T is the
// table's streamed item type.

func stringColumn[T any](name, description string, value func(*T) any) *plugin.Column {
	return itemColumn(name, proto.ColumnType_STRING, description, value)
}

func intColumn[T any](name, description string, value func(*T) any) *plugin.Column {
	return itemColumn(name, proto.ColumnType_INT, description, value)
}

func boolColumn[T any](name, description string, value func(*T) any) *plugin.Column {
	return itemColumn(name, proto.ColumnType_BOOL, description, value)
}

func timestampColumn[T any](name, description string, value func(*T) any) *plugin.Column {
	return itemColumn(name, proto.ColumnType_TIMESTAMP, description, value)
}

func jsonColumn[T any](name, description string, value func(*T) any) *plugin.Column {
	return itemColumn(name, proto.ColumnType_JSON, description, value)
}

func itemColumn[T any](name string, columnType proto.ColumnType, description string, value func(*T) any) *plugin.Column {
	return &plugin.Column{Name: name, Type: columnType, Description: description, Transform: fromItem(value)}
}

// JSON columns: the SDK turns a non-string value into JSON with json.Marshal,
// by reflection, for every row. jsonList writes the same bytes directly and
// hands the SDK a string, which it passes through verbatim. Anything the
// direct writer does not handle byte for byte like encoding/json (escapes,
// unusual numbers and times) makes it give up and return the list itself,
// for the SDK to marshal as before: the column's value never depends on
// which path produced it.

// jsonList is the JSON text of items, [] for none. itemSize is a generous
// guess at one item's length, so that the text is written in one allocation.
func jsonList[T any](items []T, itemSize int, appendItem func([]byte, *T) ([]byte, bool)) any {
	if len(items) == 0 {
		return "[]"
	}
	b := make([]byte, 0, 2+(itemSize+1)*len(items))
	b = append(b, '[')
	for i := range items {
		if i > 0 {
			b = append(b, ',')
		}
		var ok bool
		if b, ok = appendItem(b, &items[i]); !ok {
			return items
		}
	}
	b = append(b, ']')
	// The bytes are never written again: the string shares them rather than
	// copying (the SDK copies the string into the row).
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// jsonObject writes a JSON object field by field: each call adds one
// `"key":value` pair; the value writers report whether they could.
type jsonObject struct {
	b  []byte
	ok bool
	n  int
}

func newJSONObject(b []byte) jsonObject { return jsonObject{b: append(b, '{'), ok: true} }

func (o *jsonObject) key(k string) {
	if o.n > 0 {
		o.b = append(o.b, ',')
	}
	o.n++
	o.b = append(o.b, '"')
	o.b = append(o.b, k...)
	o.b = append(o.b, '"', ':')
}

func (o *jsonObject) int(k string, v int64) {
	o.key(k)
	o.b = strconv.AppendInt(o.b, v, 10)
}

func (o *jsonObject) optInt(k string, v *int64) {
	if v == nil {
		o.key(k)
		o.b = append(o.b, "null"...)
		return
	}
	o.int(k, *v)
}

func (o *jsonObject) string(k, v string) {
	o.key(k)
	for i := 0; i < len(v); i++ {
		// Printable ASCII but for the characters encoding/json escapes
		// (quote, backslash, and <, > and & for HTML safety).
		if c := v[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			o.ok = false
			return
		}
	}
	o.b = append(o.b, '"')
	o.b = append(o.b, v...)
	o.b = append(o.b, '"')
}

func (o *jsonObject) optString(k string, v *string) {
	if v == nil {
		o.key(k)
		o.b = append(o.b, "null"...)
		return
	}
	o.string(k, *v)
}

// float writes whole numbers below 2^53; others give up (encoding/json's
// float format has its own rules for exponents).
func (o *jsonObject) float(k string, v float64) {
	if v != math.Trunc(v) || math.Abs(v) >= 1<<53 || v == 0 && math.Signbit(v) {
		o.ok = false
		return
	}
	o.int(k, int64(v))
}

// time writes t as time.Time's MarshalJSON does (RFC 3339 with nanoseconds).
func (o *jsonObject) time(k string, t time.Time) {
	o.key(k)
	o.b = append(o.b, '"')
	var err error
	if o.b, err = t.AppendText(o.b); err != nil {
		o.ok = false
		return
	}
	o.b = append(o.b, '"')
}

// marshal writes v with encoding/json, for the rare fields (raw JSON) the
// direct writer leaves to it.
func (o *jsonObject) marshal(k string, v any) {
	o.key(k)
	j, err := json.Marshal(v)
	if err != nil {
		o.ok = false
		return
	}
	o.b = append(o.b, j...)
}

func (o *jsonObject) end() ([]byte, bool) { return append(o.b, '}'), o.ok }
