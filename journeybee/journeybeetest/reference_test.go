package journeybeetest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestRepliesHaveTheReferenceShape asks the fake, serving a generated
// account, for every endpoint's reply and compares it with the
// reference's documented example (journeybee/api/testdata/reference):
// every key the example shows exists in every item the fake sends, at
// every depth, with the same JSON type wherever both are non-null, and
// every non-null value of the example is matched at least once.
func TestRepliesHaveTheReferenceShape(t *testing.T) {
	cfg := GenerateAccount(300, 1)
	s := start(t, cfg)
	// The single records compared are ones with every array filled.
	leads, deals := s.Leads(), s.Deals()
	full := leads[slices.IndexFunc(leads, func(l Lead) bool {
		_, valued := cfg.CustomFieldValues[l.ID][5]
		return valued && len(l.LeadDeals) > 0 && len(l.PartnershipLeads) > 0 && len(l.Tags) > 0 && len(l.AssignedUsers) > 0
	})]
	fullDeal := deals[slices.IndexFunc(deals, func(d LeadDeal) bool { return d.PaymentStageID != nil && len(d.Tags) > 0 })]
	noted := slices.IndexFunc(leads, func(l Lead) bool { return len(cfg.Notes[l.ID]) > 0 })
	fixtures := map[string]string{
		"leads":            "/api/v1/leads",
		"lead":             fmt.Sprintf("/api/v1/companies/123/leads/%d", full.ID),
		"lead-deals":       "/api/v1/lead-deals",
		"lead-deal":        fmt.Sprintf("/api/v1/companies/123/lead-deals/%d", fullDeal.ID),
		"partnerships":     "/api/v1/partnerships",
		"partner-users":    fmt.Sprintf("/api/v1/partnerships/%d/users", s.Partnerships()[0].Partnership.ID),
		"users":            "/api/v1/users",
		"lead-deal-stages": "/api/v1/stages/lead-deal-stages",
		"partner-stages":   "/api/v1/stages/partner-stages",
		"tags":             "/api/v1/tags",
		"custom-fields":    "/api/v1/custom-fields",
		"tiers":            "/api/v1/tiers",
		"categories":       "/api/v1/categories",
		"notes":            fmt.Sprintf("/api/v1/leads/%d/notes", leads[noted].ID),
	}
	files, _ := filepath.Glob("../api/testdata/reference/*.json")
	if len(files) != len(fixtures) {
		t.Errorf("%d reference files, %d endpoints: every example needs an endpoint", len(files), len(fixtures))
	}
	for name, path := range fixtures {
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile("../api/testdata/reference/" + name + ".json")
			if err != nil {
				t.Fatal(err)
			}
			var example, reply any
			if err := json.Unmarshal(raw, &example); err != nil {
				t.Fatal(err)
			}
			r := get(t, s, path, leadsQuery(s))
			if err := json.Unmarshal(r.body, &reply); r.status != 200 || err != nil {
				t.Fatalf("status %d, %v: %.100s", r.status, err, r.body)
			}
			covered := map[string]bool{}
			// Compare as lists: every item of the reply against every item
			// of the example.
			examples, items := asList(example), asList(reply)
			if len(items) == 0 || (example == nil) != (reply == nil) || isList(example) != isList(reply) {
				t.Fatalf("reply %.100s does not have the example's form", r.body)
			}
			for _, item := range items {
				for _, want := range examples {
					for _, e := range shapeErrors("", want, item, covered) {
						t.Error(e)
					}
				}
			}
			for _, want := range examples {
				for _, p := range nonNullPaths("", want) {
					if !covered[p] {
						t.Errorf("%s: the fake never sent a non-null value to compare with the example's", p)
					}
				}
			}
		})
	}
}

func isList(v any) bool { _, ok := v.([]any); return ok }

func asList(v any) []any {
	if l, ok := v.([]any); ok {
		return l
	}
	return []any{v}
}

func jsonType(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	}
	return "null"
}

// shapeErrors lists how got falls short of want's shape. An array matches
// when each of want's elements is matched by some element of got (custom
// field values differ by type); covered records the paths compared with
// both sides non-null.
func shapeErrors(path string, want, got any, covered map[string]bool) []string {
	if want == nil || got == nil {
		return nil
	}
	if jsonType(want) != jsonType(got) {
		return []string{fmt.Sprintf("%s: %s in the reference, %s in the fake", path, jsonType(want), jsonType(got))}
	}
	covered[path] = true
	var errs []string
	switch w := want.(type) {
	case map[string]any:
		g := got.(map[string]any)
		for key, v := range w {
			if _, ok := g[key]; !ok {
				errs = append(errs, fmt.Sprintf("%s.%s: missing", path, key))
				continue
			}
			errs = append(errs, shapeErrors(path+"."+key, v, g[key], covered)...)
		}
	case []any:
		g := got.([]any)
		for _, elem := range w {
			if len(g) == 0 {
				break
			}
			var first []string
			matched := false
			for k, candidate := range g {
				try := map[string]bool{}
				e := shapeErrors(path+"[]", elem, candidate, try)
				if len(e) == 0 {
					matched = true
					for p := range try {
						covered[p] = true
					}
					break
				}
				if k == 0 {
					first = e
				}
			}
			if !matched {
				errs = append(errs, first...)
			}
		}
	}
	return errs
}

// nonNullPaths lists the paths of v's non-null values, array elements
// written [].
func nonNullPaths(path string, v any) []string {
	var out []string
	switch x := v.(type) {
	case nil:
		return nil
	case map[string]any:
		for key, child := range x {
			out = append(out, nonNullPaths(path+"."+key, child)...)
		}
	case []any:
		for _, child := range x {
			out = append(out, nonNullPaths(path+"[]", child)...)
		}
	}
	out = append(out, path)
	slices.Sort(out)
	return slices.Compact(out)
}
