package api

import (
	"encoding/json"
	"os"
	"testing"
)

// FuzzDecodeLeadPage: any reply body either decodes or fails with an error,
// and a decoded page never panics the pager's checks.
func FuzzDecodeLeadPage(f *testing.F) {
	example, _ := os.ReadFile("testdata/reference/leads.json")
	f.Add(example)
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"leads":[]}`))
	f.Add([]byte(`[{"id":1,"tags":null,"created_at":"2024-01-15T10:30:00Z","campaign_partners":[{"id":2,"x":[1]}]}]`))
	f.Add([]byte(`[{"id":"1"}]`))
	f.Add([]byte(`<html>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var leads []Lead
		if err := json.Unmarshal(body, &leads); err != nil {
			if decodeFailure(LeadsPath, body, err) == nil {
				t.Fatal("a decode failure produced no error")
			}
			return
		}
		p := newPager[Lead](nil, LeadsPath, nil, leadCursor)
		_, _ = p.accept(leads)
		for _, l := range leads {
			if _, err := json.Marshal(l); err != nil {
				t.Fatalf("a decoded lead does not re-encode: %v", err)
			}
		}
	})
}
