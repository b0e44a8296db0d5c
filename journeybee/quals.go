package journeybee

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

// equalValues returns the values column must equal. The FDW sends `col = x`
// as one value and `col IN (...)` as one = qual holding a list (the SDK
// splits a lone IN list into one List call per value, but passes two or more
// lists through whole). Several quals on one column intersect. present is
// false when the query does not constrain the column; an empty result with
// present true means nothing can match.
func equalValues[T comparable](quals plugin.KeyColumnQualMap, column string, convert func(column string, v *proto.QualValue) (T, error)) (values []T, present bool, err error) {
	columnQuals, ok := quals[column]
	if !ok {
		return nil, false, nil
	}
	for _, q := range columnQuals.Quals {
		if q.Operator != "=" {
			continue
		}
		var these []T
		for _, v := range flattenQualValue(q.Value) {
			t, err := convert(column, v)
			if err != nil {
				return nil, true, err
			}
			if !slices.Contains(these, t) {
				these = append(these, t)
			}
		}
		if !present {
			values, present = these, true
			continue
		}
		values = slices.DeleteFunc(values, func(t T) bool { return !slices.Contains(these, t) })
	}
	return values, present, nil
}

func flattenQualValue(v *proto.QualValue) []*proto.QualValue {
	if list := v.GetListValue(); list != nil {
		return list.Values
	}
	return []*proto.QualValue{v}
}

func qualString(column string, v *proto.QualValue) (string, error) {
	switch x := v.GetValue().(type) {
	case *proto.QualValue_StringValue:
		return x.StringValue, nil
	}
	return "", fmt.Errorf("%s must be text, got %s", column, describeQualValue(v))
}

func qualInt64(column string, v *proto.QualValue) (int64, error) {
	switch x := v.GetValue().(type) {
	case *proto.QualValue_Int64Value:
		return x.Int64Value, nil
	case *proto.QualValue_DoubleValue:
		if x.DoubleValue == math.Trunc(x.DoubleValue) && math.Abs(x.DoubleValue) < 1<<53 {
			return int64(x.DoubleValue), nil
		}
	case *proto.QualValue_StringValue:
		if n, err := strconv.ParseInt(strings.TrimSpace(x.StringValue), 10, 64); err == nil {
			return n, nil
		}
	}
	return 0, fmt.Errorf("%s must be a whole number (an id), got %s", column, describeQualValue(v))
}

func qualBool(column string, v *proto.QualValue) (bool, error) {
	if x, ok := v.GetValue().(*proto.QualValue_BoolValue); ok {
		return x.BoolValue, nil
	}
	return false, fmt.Errorf("%s must be true or false, got %s", column, describeQualValue(v))
}

// qualTime reads a timestamp qual (Postgres sends timestamp quals as
// timestamps; SQLite text the engine has parsed).
func qualTime(column string, v *proto.QualValue) (time.Time, error) {
	if ts := v.GetTimestampValue(); ts != nil {
		return ts.AsTime().UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%s must be a timestamp, got %s", column, describeQualValue(v))
}

// timeWindow reads the comparison quals on a timestamp column as one
// inclusive window: the API pages by that column, so a window bounds the
// scan. empty is true when the quals contradict.
func timeWindow(quals plugin.KeyColumnQualMap, column string) (w api.ListOptions, empty bool, err error) {
	columnQuals, ok := quals[column]
	if !ok {
		return w, false, nil
	}
	lower := func(t time.Time) {
		if w.NotBefore.IsZero() || t.After(w.NotBefore) {
			w.NotBefore = t
		}
	}
	upper := func(t time.Time) {
		if w.NotAfter.IsZero() || t.Before(w.NotAfter) {
			w.NotAfter = t
		}
	}
	for _, q := range columnQuals.Quals {
		for _, v := range flattenQualValue(q.Value) {
			t, err := qualTime(column, v)
			if err != nil {
				return w, false, err
			}
			switch q.Operator {
			case "=":
				lower(t)
				upper(t)
			case ">":
				lower(t.Add(time.Nanosecond))
			case ">=":
				lower(t)
			case "<":
				upper(t.Add(-time.Nanosecond))
			case "<=":
				upper(t)
			}
		}
	}
	empty = !w.NotBefore.IsZero() && !w.NotAfter.IsZero() && w.NotBefore.After(w.NotAfter)
	return w, empty, nil
}

// qualJSON accepts jsonb (or text) holding valid JSON, returned verbatim.
func qualJSON(column string, v *proto.QualValue) (string, error) {
	var raw string
	switch x := v.GetValue().(type) {
	case *proto.QualValue_JsonbValue:
		raw = x.JsonbValue
	case *proto.QualValue_StringValue:
		raw = x.StringValue
	default:
		return "", fmt.Errorf("%s must be JSON, got %s", column, describeQualValue(v))
	}
	if !json.Valid([]byte(raw)) {
		return "", fmt.Errorf("%s must be valid JSON, got %q", column, truncate(raw, 100))
	}
	return raw, nil
}

// qualSearchText refuses an empty search: the API ignores it, so the scan
// would list every row while the search column (NULL without a search)
// could never equal ”.
func qualSearchText(column string, v *proto.QualValue) (string, error) {
	s, err := qualString(column, v)
	if err == nil && strings.TrimSpace(s) == "" {
		return "", fmt.Errorf("%s must not be empty: give the text to search for, or leave the %s filter out to list every row", column, column)
	}
	return s, err
}

// compactJSON is the filter as sent to the API: Postgres hands jsonb over
// pretty-printed, the API gets it on one line. The column keeps the
// query's own text, which Postgres and SQLite compare rows against.
func compactJSON(raw string) json.RawMessage {
	var b bytes.Buffer
	if json.Compact(&b, []byte(raw)) != nil {
		return json.RawMessage(raw) // qualJSON let only valid JSON through
	}
	return b.Bytes()
}

func describeQualValue(v *proto.QualValue) string {
	switch x := v.GetValue().(type) {
	case *proto.QualValue_StringValue:
		return fmt.Sprintf("the text %q", truncate(x.StringValue, 100))
	case *proto.QualValue_Int64Value:
		return fmt.Sprintf("the number %d", x.Int64Value)
	case *proto.QualValue_DoubleValue:
		return fmt.Sprintf("the number %g", x.DoubleValue)
	case *proto.QualValue_BoolValue:
		return fmt.Sprintf("the boolean %t", x.BoolValue)
	case *proto.QualValue_JsonbValue:
		return fmt.Sprintf("the JSON %s", truncate(x.JsonbValue, 100))
	case nil:
		return "NULL"
	default:
		return fmt.Sprintf("a %T", x)
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// textCombinations expands the = and IN quals of text columns into every
// combination of requested values, one per API request, for endpoints whose
// parameters take one value each. An unfiltered column is "" in every
// combination; none at all means the quals contradict (nothing matches).
func textCombinations(quals plugin.KeyColumnQualMap, columns ...string) ([]map[string]string, error) {
	combos := []map[string]string{{}}
	for _, column := range columns {
		values, present, err := equalValues(quals, column, qualString)
		if err != nil {
			return nil, err
		}
		if !present {
			continue
		}
		var next []map[string]string
		for _, combo := range combos {
			for _, v := range values {
				c := maps.Clone(combo)
				c[column] = v
				next = append(next, c)
			}
		}
		combos = next
	}
	return combos, nil
}

// leadIDKeyColumns is the key column of a table read one lead at a time
// (notes, custom field values): lead_id, required, = or IN. It keeps the
// default cache matching (subset): every row carries the lead it belongs
// to, so a cached scan of several leads can serve a query for one of them.
func leadIDKeyColumns() plugin.KeyColumnSlice {
	return plugin.KeyColumnSlice{
		{Name: "lead_id", Operators: []string{"="}, Require: plugin.Required},
	}
}

// requestedLeadIDs are the leads such a query asks for, one request each.
func requestedLeadIDs(quals plugin.KeyColumnQualMap) ([]int64, error) {
	ids, _, err := equalValues(quals, "lead_id", qualInt64)
	return ids, err
}

// wholeWhere is every key-column qual of the query, IN lists whole: the SDK
// splits a lone IN list into one List call per value, run concurrently, so
// a call that validated only its own value could let the valid values'
// requests go out before an invalid one fails the query.
func wholeWhere(d *plugin.QueryData, keyColumns plugin.KeyColumnSlice) plugin.KeyColumnQualMap {
	return plugin.NewKeyColumnQualValueMap(d.QueryContext.UnsafeQuals, keyColumns)
}

// wantedBools reads the quals of a boolean key column declared with = and
// <> (so that `NOT col` pushes down, and with it LIMIT): `= b` asks for b,
// `<> b` for !b. Contradicting quals leave nothing wanted; present is false
// when the query does not constrain the column.
func wantedBools(quals plugin.KeyColumnQualMap, column string) (wanted []bool, present bool, err error) {
	columnQuals, ok := quals[column]
	if !ok {
		return nil, false, nil
	}
	wanted = []bool{true, false}
	for _, qual := range columnQuals.Quals {
		v, err := qualBool(column, qual.Value)
		if err != nil {
			return nil, true, err
		}
		if qual.Operator == "<>" {
			v = !v
		}
		wanted = slices.DeleteFunc(wanted, func(w bool) bool { return w != v })
	}
	return wanted, true, nil
}

// validatedRequest is an API options type that checks its own values.
type validatedRequest interface{ Validate() error }

// requestPerCombination maps the = and IN quals of text columns to one
// validated request per combination of requested values (textCombinations),
// for endpoints whose filters take one value each; build makes the request
// of one combination, column name → value ("" when unfiltered).
func requestPerCombination[O validatedRequest](quals plugin.KeyColumnQualMap, build func(values map[string]string) O, columns ...string) ([]O, error) {
	combos, err := textCombinations(quals, columns...)
	if err != nil {
		return nil, err
	}
	out := make([]O, len(combos))
	for i, c := range combos {
		out[i] = build(c)
		if err := out[i].Validate(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// optionalEquals are optional = (and IN) filters on the given columns that
// keep the SDK's default cache matching (subset): right for columns whose
// value is the row's own, so a cached wider scan can serve a filtered query,
// Postgres dropping the other rows.
func optionalEquals(columns ...string) plugin.KeyColumnSlice {
	out := make(plugin.KeyColumnSlice, len(columns))
	for i, c := range columns {
		out[i] = &plugin.KeyColumn{Name: c, Operators: []string{"="}, Require: plugin.Optional}
	}
	return out
}
