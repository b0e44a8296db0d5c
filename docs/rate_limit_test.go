//go:build sqlite_vtable

package docs_test

import (
	"os"
	"strings"
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
)

// TestRateLimitIsStatedOnceAndTrue: every text that describes the plugin's
// default rate limit says what the client's limiter does, in the one
// wording api.RateLimit gives it.
func TestRateLimitIsStatedOnceAndTrue(t *testing.T) {
	statement := api.RateLimitOf(api.DefaultRequestsPerMinute).String()
	t.Logf("the limit: %s", statement)
	for _, path := range []string{"index.md", "../powerpipe/docs/index.md", "../scripts/demo.sh", "../config/journeybee.spc"} {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		// Markdown wraps lines: compare with runs of white space as one.
		text := strings.Join(strings.Fields(string(raw)), " ")
		if !strings.Contains(text, statement) {
			t.Errorf("%s does not state the rate limit as the code sets it: %q", path, statement)
		}
		for _, stale := range []string{"burst of 10", "10 at once", "1.5 a second", "1.5 per second"} {
			if strings.Contains(text, stale) {
				t.Errorf("%s still says %q", path, stale)
			}
		}
	}
}
