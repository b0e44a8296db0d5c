// Package plugintest runs the plugin in-process against a fake JourneyBee
// server, for tests.
package plugintest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

// Connection is the name of the connection Host configures.
const Connection = "journeybee"

// Host is the plugin with one connection to srv, its rate limit lifted.
func Host(t testing.TB, srv *journeybeetest.Server) *pluginhost.Host {
	t.Helper()
	return HostAt(t, srv.URL, srv.APIKey(), srv.UserID())
}

// HostAt is Host for a server at baseURL, e.g. a proxy in front of a fake;
// extraHCL lines are added to the connection block.
func HostAt(t testing.TB, baseURL, apiKey string, userID int64, extraHCL ...string) *pluginhost.Host {
	t.Helper()
	return HostWith(t, pluginhost.Options{}, baseURL, apiKey, userID, extraHCL...)
}

// HostWith is HostAt with host options, e.g. a small SDK cache for a test
// that starts hundreds of plugin instances.
func HostWith(t testing.TB, opts pluginhost.Options, baseURL, apiKey string, userID int64, extraHCL ...string) *pluginhost.Host {
	t.Helper()
	host, err := pluginhost.New(journeybee.Plugin, opts, pluginhost.Connection{Name: Connection,
		Config: fmt.Sprintf("api_key = %q\nuser_id = %d\nbase_url = %q\nmax_requests_per_minute = 100000\n%s", apiKey, userID, baseURL, strings.Join(extraHCL, "\n"))})
	if err != nil {
		t.Fatal(err)
	}
	return host
}
