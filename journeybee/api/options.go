package api

import (
	"encoding/json"
	"fmt"
	"net/url"
)

// Encoding helpers shared by the options types' Values methods.

// setAssignment sends assigned=1 or unassigned=1, the API's on/off
// assignment parameters, when asked for.
func setAssignment(q url.Values, assigned, unassigned bool) {
	if assigned {
		q.Set("assigned", "1")
	}
	if unassigned {
		q.Set("unassigned", "1")
	}
}

// setIDs sets name to the ids as CSV, when there are any.
func setIDs(q url.Values, name string, ids []int64) {
	if len(ids) > 0 {
		q.Set(name, joinCSV(ids, formatID))
	}
}

// RawObject is a JSON object kept exactly as the API sent it, with the part
// the plugin reads also decoded. Raw and Value are nil when the API sent
// null or nothing.
type RawObject[T any] struct {
	Raw   json.RawMessage
	Value *T
}

// UnmarshalJSON keeps the bytes beside the decoded value.
func (o *RawObject[T]) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*o = RawObject[T]{}
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	o.Raw, o.Value = append(json.RawMessage(nil), b...), &v
	return nil
}

// MarshalJSON writes the object back as the API sent it.
func (o RawObject[T]) MarshalJSON() ([]byte, error) {
	if o.Raw == nil {
		return []byte("null"), nil
	}
	return o.Raw, nil
}

// validateAssignment refuses assigned and unassigned together: no record
// (what: "deal", "partnership") is both.
func validateAssignment(assigned, unassigned bool, what string) error {
	if assigned && unassigned {
		return fmt.Errorf("assigned and unassigned cannot both be requested: no %s is both", what)
	}
	return nil
}
