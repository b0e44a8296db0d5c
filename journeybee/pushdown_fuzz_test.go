package journeybee

import (
	"net/url"
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

// documentedParams are the Get Leads query parameters the plugin may send
// (userId and cursor are added by the client).
var documentedParams = map[string]bool{"search": true, "view": true, "assigned": true, "unassigned": true,
	"status": true, "tags": true, "users": true, "customFields": true}

// FuzzLeadQueryFromQuals: whatever the quals hold, mapping them never panics,
// and every query it produces is well formed and carries only documented
// parameters with valid values.
func FuzzLeadQueryFromQuals(f *testing.F) {
	f.Add("new", "received", int64(10), int64(456), byte(1), "tech", `[{"id":1,"value":{"text":"x"}}]`, "contacted")
	f.Add("won", "inbox", int64(-1), int64(0), byte(2), "a&b=c%", `{`, "")
	f.Add("", "", int64(0), int64(0), byte(0), "", "", "")
	f.Fuzz(func(t *testing.T, status, view string, tag, user int64, assigned byte, search, customFields, status2 string) {
		var qs []*proto.Qual
		if status != "" {
			qs = append(qs, pluginhost.In("status", status, status2))
		}
		if view != "" {
			qs = append(qs, pluginhost.Eq("view", view))
		}
		if tag != 0 {
			qs = append(qs, pluginhost.Eq("tag_id", tag))
		}
		if user != 0 {
			qs = append(qs, pluginhost.In("assigned_user_id", user, user+1))
		}
		switch assigned % 3 {
		case 1:
			qs = append(qs, pluginhost.Eq("is_assigned", true))
		case 2:
			qs = append(qs, pluginhost.Op("is_assigned", "<>", true))
		}
		if search != "" {
			qs = append(qs, pluginhost.Eq("search", search))
		}
		if customFields != "" {
			qs = append(qs, pluginhost.Eq("custom_fields_filter", []byte(customFields)))
		}
		q, err := pushdownOf(leads, qs...)
		if err != nil || q.matchesNothing {
			return
		}
		for _, encoded := range scanQueries(q) {
			parsed, err := url.ParseQuery(encoded)
			if err != nil {
				t.Fatalf("query %q is not well formed: %v", encoded, err)
			}
			for k := range parsed {
				if !documentedParams[k] {
					t.Fatalf("query %q carries the undocumented parameter %q", encoded, k)
				}
			}
			if parsed.Has("assigned") && parsed.Has("unassigned") {
				t.Fatalf("query %q asks for assigned and unassigned leads", encoded)
			}
			if search != "" && parsed.Get("search") != search {
				t.Fatalf("search %q arrived as %q", search, parsed.Get("search"))
			}
		}
	})
}
