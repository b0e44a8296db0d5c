package plugintest_test

import (
	"strings"
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee"
)

func TestConfigHCL(t *testing.T) {
	for _, tt := range []struct {
		name string
		conn plugintest.Config
		want string
	}{
		{"zero fields are left out", plugintest.Config{}, ""},
		{"the tests' defaults", plugintest.ConfigAt("http://127.0.0.1:1", "k", 7),
			"api_key = \"k\"\nuser_id = 7\nbase_url = \"http://127.0.0.1:1\"\nmax_requests_per_minute = 100000\ncache_ttl = 0\n"},
		{"an extra line replaces the field's argument",
			plugintest.Config{APIKey: "k", CacheTTL: new(0), MaxRequestsPerMinute: 100000, Extra: []string{"cache_ttl = 300", "company_id = 3"}},
			"api_key = \"k\"\nmax_requests_per_minute = 100000\ncache_ttl = 300\ncompany_id = 3\n"},
		{"a partial block, as a credentials test writes it", plugintest.Config{UserID: 456, BaseURL: "http://h"},
			"user_id = 456\nbase_url = \"http://h\"\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.conn.HCL(); got != tt.want {
				t.Errorf("HCL() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestEveryFieldIsAPluginArgument: the plugin accepts a block with every
// field set, and one whose extra lines set arguments the fields set too, so
// the builder writes the plugin's argument names, each once.
func TestEveryFieldIsAPluginArgument(t *testing.T) {
	every := plugintest.Config{APIKey: "k", UserID: 1, BaseURL: "http://127.0.0.1:1", MaxRequestsPerMinute: 60, CacheTTL: new(30),
		MinErrorRetryDelay: 5, CompanyID: 9, StateDir: "none", Extra: []string{"request_timeout = 5"}}
	overridden := every
	overridden.Name = "overridden"
	overridden.Extra = []string{"max_requests_per_minute = 90", "cache_ttl = 0", "state_dir = \"none\""}
	if _, err := plugintest.New(journeybee.Plugin, pluginhost.Options{}, every, overridden); err != nil {
		t.Fatalf("the plugin rejects the builder's blocks: %v\n%s\n%s", err, every.HCL(), overridden.HCL())
	}
	misspelt := plugintest.Config{Name: "misspelt", Extra: []string{`apikey = "k"`}}
	if _, err := plugintest.New(journeybee.Plugin, pluginhost.Options{}, misspelt); err == nil || !strings.Contains(err.Error(), "apikey") {
		t.Fatalf("err = %v, want the unknown argument named", err)
	}
}
