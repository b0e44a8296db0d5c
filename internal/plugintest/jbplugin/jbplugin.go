// Package jbplugin starts the JourneyBee plugin through plugintest, for the
// packages outside the plugin's (whose own tests pass it themselves: this
// package imports it).
package jbplugin

import (
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee"
)

// Start starts the plugin with a connection per config, its logs going
// where the SDK sends them.
func Start(t testing.TB, configs ...plugintest.Config) *pluginhost.Host {
	t.Helper()
	return StartWith(t, pluginhost.Options{}, configs...)
}

// StartWith is Start with host options, e.g. a small SDK cache for a test
// that starts hundreds of plugin instances.
func StartWith(t testing.TB, opts pluginhost.Options, configs ...plugintest.Config) *pluginhost.Host {
	t.Helper()
	return plugintest.Start(t, journeybee.Plugin, opts, configs...)
}
