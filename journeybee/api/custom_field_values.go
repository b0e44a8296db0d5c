package api

import (
	"bytes"
	"encoding/json"
)

// CustomFieldValue is one custom field value of a record, as the single-lead
// (and single-deal) endpoint sends it in custom_fields:
// {id, label, type, value: {<type>: …}, custom_field_value_id}.
type CustomFieldValue struct {
	// ID is the custom field definition's id (GET /custom-fields).
	ID    int64   `json:"id"`
	Label *string `json:"label"`
	Type  *string `json:"type"`
	// Value is the API's typed value object, e.g. {"number": 100000}, kept
	// as sent.
	Value              json.RawMessage `json:"value"`
	CustomFieldValueID *int64          `json:"custom_field_value_id"`
}

// Scalar is the value inside Value when it is a JSON string, number or
// boolean (string, float64, bool); nil for null, a list (multi_select) or
// an object. The object's key is normally the field's type; a value object
// with one key is read whatever the key, so a type the reference does not
// name still comes through.
func (v *CustomFieldValue) Scalar() any {
	var byKey map[string]json.RawMessage
	if json.Unmarshal(v.Value, &byKey) != nil {
		return nil
	}
	raw, ok := json.RawMessage(nil), false
	if v.Type != nil {
		raw, ok = byKey[*v.Type]
		if !ok && *v.Type == "textarea" {
			raw, ok = byKey["text"]
		}
	}
	if !ok && len(byKey) == 1 {
		for _, only := range byKey {
			raw = only
		}
	}
	var scalar any
	if json.Unmarshal(bytes.TrimSpace(raw), &scalar) != nil {
		return nil
	}
	switch scalar.(type) {
	case string, float64, bool:
		return scalar
	}
	return nil
}
