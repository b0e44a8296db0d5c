//go:build sqlite_vtable

package sqlite

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// kind is how a column's values are stored, compared and sent as quals.
type kind int

const (
	kindText kind = iota // STRING, LTREE: TEXT, string quals
	kindInet             // IPADDR, INET, CIDR: TEXT, never pushed
	kindInt              // INT: INTEGER
	kindReal             // DOUBLE: REAL
	kindBool             // BOOL: INTEGER 0/1, bool quals
	kindTime             // TIMESTAMP: RFC 3339 TEXT, timestamp quals
	kindJSON             // JSON: TEXT, jsonb quals
)

func kindOf(t proto.ColumnType) (kind, string) {
	switch t {
	case proto.ColumnType_INT:
		return kindInt, TypeInteger
	case proto.ColumnType_DOUBLE:
		return kindReal, TypeReal
	case proto.ColumnType_BOOL:
		return kindBool, TypeBool
	//lint:ignore SA1019 a plugin built on an older SDK may still declare DATETIME columns.
	case proto.ColumnType_TIMESTAMP, proto.ColumnType_DATETIME:
		return kindTime, TypeTimestamp
	case proto.ColumnType_JSON:
		return kindJSON, TypeJSON
	case proto.ColumnType_IPADDR, proto.ColumnType_INET:
		return kindInet, TypeInet
	case proto.ColumnType_CIDR:
		return kindInet, TypeCIDR
	case proto.ColumnType_LTREE:
		return kindText, TypeLtree
	default:
		return kindText, TypeText
	}
}

// numeric reports whether SQLite gives the column a numeric affinity.
func (k kind) numeric() bool { return k == kindInt || k == kindReal || k == kindBool }

// sqlValue is a streamed column as SQLite receives it: nil, int64, float64
// or string. Booleans become 0/1 and timestamps RFC 3339 text.
func sqlValue(c *proto.Column) any {
	switch v := pluginhost.Value(c).(type) {
	case bool:
		if v {
			return int64(1)
		}
		return int64(0)
	case time.Time:
		return TimeText(v)
	default:
		return v
	}
}

// checkValue is a streamed column as the re-check compares it: like
// sqlValue, but timestamps keep their full precision and JSON is in
// canonical form, so comparisons are by value as Postgres makes them.
func checkValue(k kind, c *proto.Column) any {
	if ts, ok := c.GetValue().(*proto.Column_TimestampValue); ok {
		return ts.TimestampValue.AsTime()
	}
	v := sqlValue(c)
	if s, ok := v.(string); ok && k == kindJSON {
		return canonicalJSON(s)
	}
	return v
}

// operand is a constraint's right-hand value, ready for the plugin and for
// the re-check.
type operand struct {
	// qual is the value in the column's own type, nil when it has none (a
	// blob, 'abc' against an INTEGER column, 1.5 against one): such a
	// constraint is not sent to the plugin, only checked.
	qual *proto.QualValue
	// cmp is what rows are compared with: a value of the column's kind, or
	// a SQLite value of another storage class.
	cmp any
}

// operandFor converts a non-NULL SQLite value (int64, float64, string,
// []byte) for a constraint on a column of kind k, applying the column's
// affinity as SQLite does before comparing.
func operandFor(k kind, v any) operand {
	if b, ok := v.([]byte); ok {
		return operand{cmp: b}
	}
	switch k {
	case kindText, kindInet:
		s := textOf(v)
		if k == kindInet {
			return operand{cmp: s}
		}
		return operand{qual: stringQual(s), cmp: s}
	case kindJSON:
		s := textOf(v)
		if !json.Valid([]byte(s)) {
			return operand{cmp: s}
		}
		return operand{qual: &proto.QualValue{Value: &proto.QualValue_JsonbValue{JsonbValue: s}}, cmp: canonicalJSON(s)}
	case kindTime:
		if t, ok := timeOf(v); ok {
			return operand{qual: &proto.QualValue{Value: &proto.QualValue_TimestampValue{TimestampValue: timestamppb.New(t)}}, cmp: t}
		}
		return operand{cmp: textOf(v)}
	}
	// Numeric affinity: text that reads as a number becomes one.
	n := v
	if s, ok := v.(string); ok {
		if n = parseNumber(s); n == nil {
			return operand{cmp: s}
		}
	}
	switch k {
	case kindInt:
		if i, ok := exactInt(n); ok {
			return operand{qual: &proto.QualValue{Value: &proto.QualValue_Int64Value{Int64Value: i}}, cmp: n}
		}
	case kindReal:
		if f, ok := exactFloat(n); ok {
			return operand{qual: &proto.QualValue{Value: &proto.QualValue_DoubleValue{DoubleValue: f}}, cmp: n}
		}
	case kindBool:
		if i, ok := exactInt(n); ok && (i == 0 || i == 1) {
			return operand{qual: &proto.QualValue{Value: &proto.QualValue_BoolValue{BoolValue: i == 1}}, cmp: n}
		}
	}
	return operand{cmp: n}
}

func stringQual(s string) *proto.QualValue {
	return &proto.QualValue{Value: &proto.QualValue_StringValue{StringValue: s}}
}

// textOf is SQLite's text form of a value, as TEXT affinity applies it.
func textOf(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return floatText(x)
	case []byte:
		return string(x)
	}
	return ""
}

// floatText renders a REAL as SQLite does: 15 significant digits, or 17
// when 15 do not read back as the same value, always with a decimal point
// (1.0, 1.0e+20). SQLite's digit generation may differ in a 17th digit.
func floatText(f float64) string {
	s := strconv.FormatFloat(f, 'g', 15, 64)
	if back, err := strconv.ParseFloat(s, 64); err != nil || back != f {
		s = strconv.FormatFloat(f, 'g', 17, 64)
	}
	mant, exp, hasExp := strings.Cut(s, "e")
	if !strings.ContainsAny(mant, ".") && !math.IsInf(f, 0) {
		mant += ".0"
	}
	if hasExp {
		return mant + "e" + exp
	}
	return mant
}

// parseNumber reads text as SQLite's numeric affinity does: an integer, a
// real, or nil when the text is not a well-formed number.
func parseNumber(s string) any {
	t := strings.TrimSpace(s)
	if t == "" || strings.ContainsAny(t, "_xXpPiInN") {
		return nil
	}
	if i, err := strconv.ParseInt(t, 10, 64); err == nil {
		return i
	}
	if f, err := strconv.ParseFloat(t, 64); err == nil {
		return f
	}
	return nil
}

// exactInt is n as an int64 when it holds a whole number in range.
func exactInt(n any) (int64, bool) {
	switch x := n.(type) {
	case int64:
		return x, true
	case float64:
		if x == math.Trunc(x) && x >= -(1<<63) && x < 1<<63 {
			return int64(x), true
		}
	}
	return 0, false
}

// exactFloat is n as a float64 when it converts without loss.
func exactFloat(n any) (float64, bool) {
	switch x := n.(type) {
	case float64:
		return x, true
	case int64:
		if f := float64(x); f >= -(1<<63) && f < 1<<63 && int64(f) == x {
			return f, true
		}
	}
	return 0, false
}

// timeLayouts are the text forms a timestamp constraint accepts: RFC 3339
// and the forms SQLite's date functions produce. Without a zone, UTC.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006-01-02",
}

// timeOf reads a timestamp from text or from unix seconds.
func timeOf(v any) (time.Time, bool) {
	switch x := v.(type) {
	case string:
		s := strings.TrimSpace(x)
		for _, layout := range timeLayouts {
			if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
				return t, true
			}
		}
	case int64:
		return time.Unix(x, 0).UTC(), true
	case float64:
		if !math.IsInf(x, 0) && !math.IsNaN(x) {
			sec, frac := math.Modf(x)
			return time.Unix(int64(sec), int64(frac*1e9)).UTC(), true
		}
	}
	return time.Time{}, false
}

// canonicalJSON is a JSON text with its insignificant whitespace and object
// key order removed, so equal documents compare equal; invalid JSON is
// returned as it is.
func canonicalJSON(s string) string {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return s
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return s
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// class orders SQLite's storage classes: numbers before text before blobs.
func class(v any) int {
	switch v.(type) {
	case int64, float64:
		return 1
	case string, time.Time:
		return 2
	default: // []byte
		return 3
	}
}

// compare orders two non-NULL values as SQLite does (BINARY collation),
// with timestamps compared as instants when both sides are times.
func compare(a, b any) int {
	ta, aTime := a.(time.Time)
	tb, bTime := b.(time.Time)
	switch {
	case aTime && bTime:
		return ta.Compare(tb)
	case aTime:
		a = TimeText(ta)
	case bTime:
		b = TimeText(tb)
	}
	if ca, cb := class(a), class(b); ca != cb {
		return sign(ca - cb)
	}
	switch x := a.(type) {
	case int64:
		switch y := b.(type) {
		case int64:
			return cmpOrdered(x, y)
		case float64:
			return compareIntFloat(x, y)
		}
	case float64:
		switch y := b.(type) {
		case int64:
			return -compareIntFloat(y, x)
		case float64:
			return cmpOrdered(x, y)
		}
	case string:
		return strings.Compare(x, b.(string))
	case []byte:
		return bytes.Compare(x, b.([]byte))
	}
	return 0
}

// compareIntFloat compares an integer with a real exactly, as SQLite does
// (converting the integer to a float would round above 2^53).
func compareIntFloat(i int64, f float64) int {
	switch {
	case f < -(1 << 63):
		return 1
	case f >= 1<<63:
		return -1
	}
	whole := int64(f) // f truncated toward zero: in range here
	if c := cmpOrdered(i, whole); c != 0 {
		return c
	}
	return cmpOrdered(float64(whole), f)
}

func cmpOrdered[T int64 | float64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// holds reports whether `row <op> value` is true for an ordering c of row
// against value.
func holds(op string, c int) bool {
	switch op {
	case "=":
		return c == 0
	case "<>":
		return c != 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	}
	return false
}
