package pluginhost

import (
	"context"
	"io"
	"runtime"
	"testing"
	"testing/synctest"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

// onePlugin has one table, one_row, whose List streams one row.
func onePlugin(context.Context) *plugin.Plugin {
	return newOnePlugin()
}

// oneCacheOffPlugin is onePlugin with the query cache off for its table.
func oneCacheOffPlugin(context.Context) *plugin.Plugin {
	p := newOnePlugin()
	p.TableMap["one_row"].Cache = &plugin.TableCacheOptions{Enabled: false}
	return p
}

func newOnePlugin() *plugin.Plugin {
	return &plugin.Plugin{
		Name: "one",
		TableMap: map[string]*plugin.Table{
			"one_row": {
				Name:    "one_row",
				Columns: []*plugin.Column{{Name: "id", Type: proto.ColumnType_INT}},
				List: &plugin.ListConfig{Hydrate: func(ctx context.Context, d *plugin.QueryData, _ *plugin.HydrateData) (any, error) {
					d.StreamListItem(ctx, map[string]any{"id": 1})
					return nil, nil
				}},
			},
		},
	}
}

func newOneHost(t *testing.T) *Host {
	t.Helper()
	return newHostOf(t, onePlugin)
}

func newHostOf(t *testing.T, pluginFunc plugin.PluginFunc) *Host {
	t.Helper()
	h, err := New(pluginFunc, Options{Log: io.Discard}, Connection{Name: "one"})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestCloseStopsEveryGoroutine: a synctest bubble ends only when every
// goroutine started in it has returned, so a plugin built and queried in
// one, then closed, must leave none running (the SDK's cache sweepers
// otherwise run forever: the bubble fails with "deadlock").
func TestCloseStopsEveryGoroutine(t *testing.T) {
	for name, pluginFunc := range map[string]plugin.PluginFunc{"cache on": onePlugin, "cache off": oneCacheOffPlugin} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				h := newHostOf(t, pluginFunc)
				rows, err := h.Collect(t.Context(), Query{Connection: "one", Table: "one_row"})
				if err != nil || len(rows) != 1 {
					t.Fatalf("%d rows, %v; want 1 row", len(rows), err)
				}
				if err := h.Close(); err != nil {
					t.Fatal(err)
				}
				if err := h.Close(); err != nil {
					t.Fatalf("a second Close: %v", err)
				}
			})
		})
	}
}

// TestNoQueryCacheWhenEveryTableTurnsItOff: a plugin that never uses the
// SDK's query cache gets none (bigcache costs 100 MB and a tenth of a
// second per instance), and its queries, with the cache asked for or not,
// run as before.
func TestNoQueryCacheWhenEveryTableTurnsItOff(t *testing.T) {
	for name, c := range map[string]struct {
		pluginFunc plugin.PluginFunc
		wantCache  bool
	}{"cache on": {onePlugin, true}, "cache off": {oneCacheOffPlugin, false}} {
		t.Run(name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			h := newHostOf(t, c.pluginFunc)
			runtime.ReadMemStats(&after)
			defer h.Close()
			built := after.TotalAlloc - before.TotalAlloc
			if hasCache := built > 32<<20; hasCache != c.wantCache {
				t.Errorf("New allocated %d MB: query cache built = %v, want %v", built>>20, hasCache, c.wantCache)
			}
			for _, cache := range []bool{false, true} {
				rows, err := h.Collect(t.Context(), Query{Connection: "one", Table: "one_row", Cache: cache})
				if err != nil || len(rows) != 1 {
					t.Fatalf("cache %v: %d rows, %v; want 1 row", cache, len(rows), err)
				}
			}
		})
	}
}

// TestUnreachableHostsAreFreed: hosts a caller drops without Close are
// freed by the garbage collector, each instance's query cache (about 100 MB
// of heap) with them. A test binary builds hundreds.
func TestUnreachableHostsAreFreed(t *testing.T) {
	const hosts = 4
	// What earlier tests dropped is freed first, or it would offset what
	// this one builds.
	before := heapAlloc()
	for range 50 {
		time.Sleep(10 * time.Millisecond)
		now := heapAlloc()
		if now+1<<20 > before {
			break
		}
		before = now
	}
	var live []*Host
	for range hosts {
		h := newOneHost(t)
		if _, err := h.Collect(t.Context(), Query{Connection: "one", Table: "one_row"}); err != nil {
			t.Fatal(err)
		}
		live = append(live, h)
	}
	built := heapAlloc() - before
	runtime.KeepAlive(live)
	live = nil
	perHost := built / hosts
	if perHost < 20<<20 {
		t.Fatalf("a host holds %d MB of heap: too little to tell a freed one from a kept one", perHost>>20)
	}
	// The cleanup runs after the collection that finds a Host unreachable;
	// the cache it stops is freed by a later one.
	var left uint64
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		now := heapAlloc()
		if left = now - min(before, now); left < perHost {
			return
		}
	}
	t.Fatalf("%d MB of heap still held by %d dropped hosts (%d MB each when live)", left>>20, hosts, perHost>>20)
}

// heapAlloc is the live heap after a collection.
func heapAlloc() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
