package plugintest

import (
	"fmt"
	"strings"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

// Connection is the name a Config without one gets.
const Connection = "journeybee"

// Unpaced is the highest max_requests_per_minute the plugin accepts: the
// tests' default, so that only tests of the pace wait on it.
const Unpaced = 100000

// Config is one connection block of the plugin, as a test writes it. A zero
// field is left out of the block, so the plugin applies its default or reads
// the environment; ConfigFor and ConfigAt give the tests' defaults.
type Config struct {
	// Name is the connection's name; "" is Connection.
	Name    string
	APIKey  string
	UserID  int64
	BaseURL string
	// MaxRequestsPerMinute is max_requests_per_minute.
	MaxRequestsPerMinute int
	// CacheTTL is cache_ttl in seconds (0 keeps no reply); nil leaves the
	// plugin's default on.
	CacheTTL *int
	// MinErrorRetryDelay is min_error_retry_delay in milliseconds.
	MinErrorRetryDelay int
	CompanyID          int64
	// StateDir is state_dir; under go test the plugin's default is "none".
	StateDir string
	// Extra lines are written as given, after the fields. An argument an
	// extra line sets replaces the field's: a test asks for the plugin's
	// pace with "max_requests_per_minute = 90" whatever the defaults.
	Extra []string
}

// ConfigFor is the tests' connection to srv: its key and user, the pace
// lifted and the reply cache off, so that a test sees every request at full
// speed unless it asks for the pace or the cache.
func ConfigFor(srv *journeybeetest.Server) Config {
	return ConfigAt(srv.URL, srv.APIKey(), srv.UserID())
}

// ConfigAt is ConfigFor for a server at baseURL, e.g. a proxy in front of a
// fake, or a fake in another process.
func ConfigAt(baseURL, apiKey string, userID int64) Config {
	return Config{APIKey: apiKey, UserID: userID, BaseURL: baseURL, MaxRequestsPerMinute: Unpaced, CacheTTL: new(0)}
}

// HCL is the body of the connection block.
func (c Config) HCL() string {
	set := map[string]bool{}
	for _, line := range c.Extra {
		if name, _, ok := strings.Cut(line, "="); ok {
			set[strings.TrimSpace(name)] = true
		}
	}
	var b strings.Builder
	arg := func(name string, isSet bool, value any) {
		if isSet && !set[name] {
			fmt.Fprintf(&b, "%s = %v\n", name, value)
		}
	}
	arg("api_key", c.APIKey != "", fmt.Sprintf("%q", c.APIKey))
	arg("user_id", c.UserID != 0, c.UserID)
	arg("base_url", c.BaseURL != "", fmt.Sprintf("%q", c.BaseURL))
	arg("max_requests_per_minute", c.MaxRequestsPerMinute != 0, c.MaxRequestsPerMinute)
	if c.CacheTTL != nil {
		arg("cache_ttl", true, *c.CacheTTL)
	}
	arg("min_error_retry_delay", c.MinErrorRetryDelay != 0, c.MinErrorRetryDelay)
	arg("company_id", c.CompanyID != 0, c.CompanyID)
	arg("state_dir", c.StateDir != "", fmt.Sprintf("%q", c.StateDir))
	for _, line := range c.Extra {
		b.WriteString(line + "\n")
	}
	return b.String()
}

// name is the connection's name.
func (c Config) name() string {
	if c.Name == "" {
		return Connection
	}
	return c.Name
}
