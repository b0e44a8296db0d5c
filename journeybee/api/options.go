package api

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"strings"
)

// What the options types share: one encoder, and their validation helpers.

// encodeOptions encodes an options struct by its fields' `url` tags, as
// go-querystring and godo's addOptions do: a field tagged `url:"name"` is
// sent as name unless it is zero; a list as comma-separated values, a true
// bool as name=1 (the API's on/off parameters), JSON verbatim. A new filter
// is a tagged field.
func encodeOptions(opts any) url.Values {
	q := url.Values{}
	v := reflect.Indirect(reflect.ValueOf(opts))
	for i := range v.NumField() {
		name := v.Type().Field(i).Tag.Get("url")
		f := v.Field(i)
		if name == "" || f.IsZero() {
			continue
		}
		switch {
		case f.Kind() == reflect.Bool:
			q.Set(name, "1")
		case f.Type() == reflect.TypeFor[json.RawMessage]():
			if f.Len() > 0 {
				q.Set(name, string(f.Bytes()))
			}
		case f.Kind() == reflect.Slice:
			if f.Len() > 0 {
				parts := make([]string, f.Len())
				for j := range parts {
					parts[j] = scalarText(f.Index(j))
				}
				q.Set(name, strings.Join(parts, ","))
			}
		default:
			q.Set(name, scalarText(f))
		}
	}
	return q
}

// scalarText is a text or integer option value as the API reads it.
func scalarText(v reflect.Value) string {
	if v.Kind() == reflect.String {
		return v.String()
	}
	return strconv.FormatInt(v.Int(), 10)
}

// validateAssignment refuses assigned and unassigned together: no record
// (what: "deal", "partnership") is both.
func validateAssignment(assigned, unassigned bool, what string) error {
	if assigned && unassigned {
		return fmt.Errorf("assigned and unassigned cannot both be requested: no %s is both", what)
	}
	return nil
}

// enumValue is an option value that must be one of allowed, or empty.
type enumValue struct {
	name, value string
	allowed     []string
}

// validateEnums reports the first value outside its allowed set.
func validateEnums(values ...enumValue) error {
	for _, v := range values {
		if v.value == "" {
			continue
		}
		if _, err := parseEnum(v.value, v.allowed, v.name); err != nil {
			return err
		}
	}
	return nil
}
