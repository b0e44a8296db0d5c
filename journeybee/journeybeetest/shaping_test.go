package journeybeetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"
)

// endpointCase is a request to one endpoint of a GenerateAccount server.
type endpointCase struct {
	path string
	// name is what FaultObjectInsteadOfArray wraps the reply in.
	name string
	// arrays reports whether its items have array-valued fields.
	arrays bool
}

func accountPaths(s *Server) []endpointCase {
	lead, deal := s.Leads()[0].ID, s.Deals()[0].ID
	return []endpointCase{
		{"/api/v1/leads", "leads", true},
		{fmt.Sprintf("/api/v1/companies/123/leads/%d", lead), "lead", true},
		{"/api/v1/lead-deals", "deals", true},
		{fmt.Sprintf("/api/v1/companies/123/lead-deals/%d", deal), "deal", true},
		{"/api/v1/partnerships", "partnerships", true},
		{fmt.Sprintf("/api/v1/partnerships/%d/users", s.Partnerships()[0].Partnership.ID), "users", false},
		{"/api/v1/users", "users", false},
		{"/api/v1/stages/lead-deal-stages", "stages", false},
		{"/api/v1/stages/partner-stages", "stages", false},
		{"/api/v1/tags", "tags", false},
		{"/api/v1/custom-fields", "custom_fields", true},
		{"/api/v1/tiers", "tiers", false},
		{"/api/v1/categories", "categories", false},
		{fmt.Sprintf("/api/v1/leads/%d/notes", lead), "notes", true},
	}
}

// objectsOf decodes a list or single-object body into its objects.
func objectsOf(t *testing.T, body []byte) (objs []map[string]json.RawMessage, single bool) {
	t.Helper()
	if firstNonSpace(body) == '{' {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(body, &obj); err != nil {
			t.Fatalf("%v: %.80s", err, body)
		}
		return []map[string]json.RawMessage{obj}, true
	}
	if err := json.Unmarshal(body, &objs); err != nil {
		t.Fatalf("%v: %.80s", err, body)
	}
	return objs, false
}

// TestShapingFaultsOnEveryEndpoint: the shaping faults distort every
// endpoint's reply the same way, on its JSON.
func TestShapingFaultsOnEveryEndpoint(t *testing.T) {
	cfg := GenerateAccount(60, 1)
	plain := start(t, cfg)
	faulty := start(t, cfg)
	for _, p := range accountPaths(plain) {
		t.Run(p.path, func(t *testing.T) {
			normal := get(t, plain, p.path, leadsQuery(plain))
			want, single := objectsOf(t, normal.body)
			if len(want) == 0 {
				t.Fatal("empty reply: a weak test")
			}
			arrays := 0

			faulty.SetFaults(Fault{Kind: FaultNullArrays})
			got, _ := objectsOf(t, get(t, faulty, p.path, leadsQuery(faulty)).body)
			for i, obj := range want {
				for key, v := range obj {
					switch {
					case firstNonSpace(v) == '[':
						arrays++
						if string(got[i][key]) != "null" {
							t.Fatalf("item %d: %s = %s, want null", i, key, got[i][key])
						}
					case !bytes.Equal(got[i][key], v):
						t.Fatalf("item %d: %s changed from %s to %s", i, key, v, got[i][key])
					}
				}
			}
			if (arrays > 0) != p.arrays {
				t.Errorf("%d array-valued fields nulled; want some: %t", arrays, p.arrays)
			}

			faulty.SetFaults(Fault{Kind: FaultExtraFields})
			got, _ = objectsOf(t, get(t, faulty, p.path, leadsQuery(faulty)).body)
			for i, obj := range got {
				if string(obj["lead_score"]) != "87" || len(obj) != len(want[i])+4 {
					t.Fatalf("item %d: %d keys, lead_score %s; want the %d known keys and 4 extra", i, len(obj), obj["lead_score"], len(want[i]))
				}
			}

			faulty.SetFaults(Fault{Kind: FaultObjectInsteadOfArray})
			var wrapped map[string]json.RawMessage
			if err := json.Unmarshal(get(t, faulty, p.path, leadsQuery(faulty)).body, &wrapped); err != nil || !bytes.Equal(wrapped[p.name], normal.body) {
				t.Errorf("wrapped reply %v, want {%q: <the reply>}", wrapped, p.name)
			}

			faulty.SetFaults(Fault{Kind: FaultReorderPage})
			faulty.ResetRequests()
			got, _ = objectsOf(t, get(t, faulty, p.path, leadsQuery(faulty)).body)
			reversed := slices.Clone(want)
			slices.Reverse(reversed)
			if single {
				reversed = want
			}
			for i := range got {
				if !bytes.Equal(got[i]["id"], reversed[i]["id"]) {
					t.Fatalf("item %d is %s, want %s", i, got[i]["id"], reversed[i]["id"])
				}
			}
			if rec := faulty.Requests()[0].Faults; single != (len(rec) == 0) {
				t.Errorf("recorded %v: a reorder takes effect on lists only", rec)
			}
		})
	}
}

// TestNewerThanCursorOnEveryPagedEndpoint: the fault applies to the
// cursor-paged endpoints, and to nothing else.
func TestNewerThanCursorOnEveryPagedEndpoint(t *testing.T) {
	cfg := GenerateAccount(60, 1)
	cfg.PageSize = 3
	cfg.Faults = []Fault{{Kind: FaultLeadNewerThanCursor, Times: Always}}
	s := start(t, cfg)
	deals, partnerships := s.Deals(), s.Partnerships()
	tests := []struct {
		path      string
		cursor    time.Time
		wantFirst int64
	}{
		{"/api/v1/leads", s.Leads()[7].CreatedAt, s.Leads()[6].ID},
		{"/api/v1/lead-deals", deals[7].CreatedAt, deals[6].ID},
		{"/api/v1/partnerships", partnerships[7].Partnership.CreatedAt, partnerships[6].ID},
	}
	for _, tt := range tests {
		objs, _ := objectsOf(t, get(t, s, tt.path, leadsQuery(s, "cursor", tt.cursor.Format(time.RFC3339Nano))).body)
		if len(objs) != 4 || string(objs[0]["id"]) != fmt.Sprint(tt.wantFirst) {
			t.Errorf("%s: %d items, first %s; want the closest newer item %d, then the page", tt.path, len(objs), objs[0]["id"], tt.wantFirst)
		}
	}
	s.ResetRequests()
	get(t, s, "/api/v1/tags", leadsQuery(s, "cursor", "2024-01-01T00:00:00Z"))
	if f := s.Requests()[0].Faults; len(f) != 0 {
		t.Errorf("a plain list recorded %v", f)
	}
}

// TestEveryFaultKindOnEveryEndpoint fires each kind once on each endpoint:
// it takes effect (and is recorded) everywhere it applies, and the reply
// differs from the normal one.
func TestEveryFaultKindOnEveryEndpoint(t *testing.T) {
	cfg := GenerateAccount(60, 1)
	s := start(t, cfg)
	paged := map[string]bool{"leads": true, "deals": true, "partnerships": true}
	for _, p := range accountPaths(s) {
		for _, kind := range FaultKinds {
			f := Fault{Kind: kind, OnRequest: 1, Delay: time.Millisecond, Location: "https://moved.example/"}
			t.Run(p.path+" "+string(kind), func(t *testing.T) {
				s.SetFaults(f)
				s.ResetRequests()
				q := leadsQuery(s)
				if paged[p.name] {
					q.Set("cursor", "2030-01-01T00:00:00Z")
				}
				faulty, normal := get(t, s, p.path, q), get(t, s, p.path, q)
				_, single := objectsOf(t, normal.body)
				applies := !(kind == FaultReorderPage && single) && !(kind == FaultLeadNewerThanCursor && !paged[p.name])
				if got := s.Requests()[0].Faults; applies != slices.Equal(got, []FaultKind{kind}) || (!applies && len(got) > 0) {
					t.Fatalf("recorded %v; the fault applies: %t", got, applies)
				}
				same := faulty.status == normal.status && bytes.Equal(faulty.body, normal.body) && faulty.readErr == nil
				noOp := kind == FaultDelay || kind == FaultReorderPage || (kind == FaultNullArrays && !p.arrays)
				if applies && same && !noOp {
					t.Errorf("the reply did not change: %d %.60s", faulty.status, faulty.body)
				}
			})
		}
	}
}
