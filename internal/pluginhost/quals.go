package pluginhost

import (
	"fmt"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// Eq is `column = value`.
func Eq(column string, value any) *proto.Qual {
	return Op(column, "=", value)
}

// In is `column IN (values...)`: the FDW sends it as one = qual holding a
// list.
func In(column string, values ...any) *proto.Qual {
	list := &proto.QualValueList{}
	for _, v := range values {
		list.Values = append(list.Values, QualValue(v))
	}
	return &proto.Qual{FieldName: column, Operator: &proto.Qual_StringValue{StringValue: "="}, Value: &proto.QualValue{Value: &proto.QualValue_ListValue{ListValue: list}}}
}

// Op is `column <op> value`.
func Op(column, op string, value any) *proto.Qual {
	return &proto.Qual{FieldName: column, Operator: &proto.Qual_StringValue{StringValue: op}, Value: QualValue(value)}
}

// QualValue converts a Go value to the FDW's qual value shape.
func QualValue(v any) *proto.QualValue {
	switch x := v.(type) {
	case string:
		return &proto.QualValue{Value: &proto.QualValue_StringValue{StringValue: x}}
	case int:
		return &proto.QualValue{Value: &proto.QualValue_Int64Value{Int64Value: int64(x)}}
	case int64:
		return &proto.QualValue{Value: &proto.QualValue_Int64Value{Int64Value: x}}
	case float64:
		return &proto.QualValue{Value: &proto.QualValue_DoubleValue{DoubleValue: x}}
	case bool:
		return &proto.QualValue{Value: &proto.QualValue_BoolValue{BoolValue: x}}
	case time.Time:
		return &proto.QualValue{Value: &proto.QualValue_TimestampValue{TimestampValue: timestamppb.New(x)}}
	case []byte: // jsonb
		return &proto.QualValue{Value: &proto.QualValue_JsonbValue{JsonbValue: string(x)}}
	default:
		panic(fmt.Sprintf("pluginhost: unsupported qual value %T", v))
	}
}

// Value returns a streamed column as a plain Go value: nil, float64, int64,
// string, bool, time.Time, or (jsonb) the JSON text as string.
func Value(c *proto.Column) any {
	if c == nil {
		return nil
	}
	switch v := c.Value.(type) {
	case *proto.Column_NullValue:
		return nil
	case *proto.Column_DoubleValue:
		return v.DoubleValue
	case *proto.Column_IntValue:
		return v.IntValue
	case *proto.Column_StringValue:
		return v.StringValue
	case *proto.Column_BoolValue:
		return v.BoolValue
	case *proto.Column_JsonValue:
		return string(v.JsonValue)
	case *proto.Column_TimestampValue:
		return v.TimestampValue.AsTime()
	case *proto.Column_IpAddrValue:
		return v.IpAddrValue
	case *proto.Column_CidrRangeValue:
		return v.CidrRangeValue
	case *proto.Column_LtreeValue:
		return v.LtreeValue
	default:
		return nil
	}
}
