package api

import (
	"context"
	"encoding/json"
	"net/url"
)

// Ref is the part of a nested object the plugin inspects: its id. Tags and
// assigned users are matched against filters by id; the rest of the object
// stays in the list's raw bytes.
type Ref struct {
	ID int64 `json:"id"`
}

// RawList is a JSON array kept exactly as the API sent it, with its items
// also decoded for the plugin to inspect. Raw is nil when the API sent null
// or nothing.
type RawList[T any] struct {
	Raw   json.RawMessage
	Items []T
}

// UnmarshalJSON keeps the bytes beside the decoded items.
func (l *RawList[T]) UnmarshalJSON(b []byte) error {
	var items []T
	raw, err := decodeKeepingRaw(b, &items)
	if err != nil {
		return err
	}
	l.Raw, l.Items = raw, items
	return nil
}

// MarshalJSON writes the list back as the API sent it.
func (l RawList[T]) MarshalJSON() ([]byte, error) { return rawOrNull(l.Raw), nil }

// Get fetches one object from path.
func Get[T any](ctx context.Context, c *Client, path string, query url.Values) (*T, error) {
	var v T
	if err := c.get(ctx, path, orEmptyQuery(query), &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// GetList fetches an unpaged list from path.
func GetList[T any](ctx context.Context, c *Client, path string, query url.Values) ([]T, error) {
	var items []T
	if err := c.get(ctx, path, orEmptyQuery(query), &items); err != nil {
		return nil, err
	}
	return items, nil
}

func orEmptyQuery(q url.Values) url.Values {
	if q == nil {
		return url.Values{}
	}
	return q
}

// RawObject is a nested JSON object kept exactly as the API sent it, with
// the part the plugin inspects also decoded. Raw and Value are nil when the
// API sent null or nothing.
type RawObject[T any] struct {
	Raw   json.RawMessage
	Value *T
}

// UnmarshalJSON keeps the bytes beside the decoded value.
func (o *RawObject[T]) UnmarshalJSON(b []byte) error {
	var v T
	raw, err := decodeKeepingRaw(b, &v)
	if err != nil {
		return err
	}
	o.Raw, o.Value = raw, nil
	if raw != nil {
		o.Value = &v
	}
	return nil
}

// MarshalJSON writes the object back as the API sent it.
func (o RawObject[T]) MarshalJSON() ([]byte, error) { return rawOrNull(o.Raw), nil }

// decodeKeepingRaw decodes b into v and returns a copy of b; JSON null
// leaves v alone and returns nil.
func decodeKeepingRaw(b []byte, v any) (json.RawMessage, error) {
	if string(b) == "null" {
		return nil, nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return nil, err
	}
	return append(json.RawMessage(nil), b...), nil
}

func rawOrNull(raw json.RawMessage) []byte {
	if raw == nil {
		return []byte("null")
	}
	return raw
}
