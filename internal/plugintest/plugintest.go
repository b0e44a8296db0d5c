// Package plugintest runs a plugin in-process, as Steampipe drives it,
// against a fake JourneyBee server, for the tests and benchmarks of every
// package: the plugin's own, the SQLite engine's, the docs', the mod's.
// It takes the plugin as a plugin.PluginFunc, so that the plugin package's
// own tests can use it; package jbplugin passes the JourneyBee plugin for
// everyone else.
package plugintest

import (
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

// New starts pluginFunc in-process with a connection per config. A config
// the plugin rejects (an unknown argument, failed validation) is the error.
func New(pluginFunc plugin.PluginFunc, opts pluginhost.Options, configs ...Config) (*pluginhost.Host, error) {
	connections := make([]pluginhost.Connection, len(configs))
	for i, c := range configs {
		connections[i] = pluginhost.Connection{Name: c.name(), Config: c.HCL()}
	}
	return pluginhost.New(pluginFunc, opts, connections...)
}

// Start is New failing t, the host closed when t ends (its SDK caches'
// goroutines stopped; a test may close it sooner).
func Start(t testing.TB, pluginFunc plugin.PluginFunc, opts pluginhost.Options, configs ...Config) *pluginhost.Host {
	t.Helper()
	host, err := New(pluginFunc, opts, configs...)
	if err != nil {
		t.Fatalf("starting the plugin: %v", err)
	}
	t.Cleanup(func() {
		if err := host.Close(); err != nil {
			t.Error(err)
		}
	})
	return host
}

// Fake starts a fake JourneyBee server serving cfg, closed when t ends.
func Fake(t testing.TB, cfg journeybeetest.Config) *journeybeetest.Server {
	t.Helper()
	srv := journeybeetest.NewServer(cfg)
	t.Cleanup(srv.Close)
	return srv
}
