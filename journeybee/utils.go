package journeybee

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin/transform"
)

// fromItem reads a column straight off the streamed item: one typed
// function per column instead of the SDK's reflection-based FromField.
func fromItem[T any](value func(*T) any) *transform.ColumnTransforms {
	return transform.From(func(_ context.Context, d *transform.TransformData) (any, error) {
		return value(d.HydrateItem.(*T)), nil
	})
}

// opt turns an absent value into SQL NULL.
func opt[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// optZeroTime is NULL for a time the API did not send.
func optZeroTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// optCount is NULL for a count the API did not send (a total is at least 1
// on every item of a list that has one).
func optCount(n int) any {
	if n == 0 {
		return nil
	}
	return int64(n)
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

// rawJSON is a JSON column's value: the API's own bytes, so every nested
// null and any field the API adds later come through; NULL when the API
// sent null or nothing.
func rawJSON(raw json.RawMessage) any {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	return string(raw)
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
