//go:build !race

package journeybee

import (
	"testing"

	jbt "github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

// TestAListCutShortFailsTheQuery: the API answers `[]` or `null` in the
// middle of a list whose pages reported a larger total. The scan must not
// succeed with the pages before the cut: it confirms the end with the
// list's first page and fails, naming the endpoint and the counts.
func TestAListCutShortFailsTheQuery(t *testing.T) {
	cut := func(body string, onRequest int) []jbt.Fault {
		// Replies body verbatim, once: the list "ends" there.
		return []jbt.Fault{{Kind: jbt.FaultMalformedJSON, Body: body, OnRequest: onRequest}}
	}
	tests := []struct {
		name, table, path string
		faults            []jbt.Fault
	}{
		{"leads: an empty page mid-list", "journeybee_lead", "/api/v1/leads", cut("[]", 4)},
		{"leads: null mid-list", "journeybee_lead", "/api/v1/leads", cut("null", 4)},
		{"deals: an empty second page", "journeybee_lead_deal", "/api/v1/lead-deals", cut("[]", 2)},
		{"partnerships: null on the second page", "journeybee_partnership", "/api/v1/partnerships", cut("null", 2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := jbt.GenerateAccount(1237, 11)
			cfg.PageSize = 100
			if tt.table == "journeybee_partnership" {
				cfg.PageSize = 5
			}
			cfg.Faults = tt.faults
			f := newFixture(t, cfg)
			rows, err := f.queryTable(tt.table, []string{"id"}, 0)
			t.Logf("%d rows in %d requests: %v", len(rows), f.srv.RequestCount(), err)
			f.expectQueryError(err, "GET "+tt.path)
			f.expectQueryError(err, "the list was cut short")
		})
	}
}
