package pluginhost

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"unsafe"

	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
	"github.com/turbot/steampipe-plugin-sdk/v5/query_cache"
)

// The SDK gives a plugin instance no way to stop. Each one builds a query
// cache (bigcache: about 100 MB of maps and buffers, and a goroutine that
// sweeps it every second) and, on its first query, a connection cache
// (ristretto: two goroutines), and none of those goroutines ever returns, so
// the instance's memory stays live until the process exits. Steampipe runs
// one instance per process; a test binary builds one per test, and kept
// them all (5 GB for the plugin package's tests). Closing the caches is the
// whole teardown: nothing else of an idle instance runs.
//
// A plugin whose every table turns the query cache off (journeybee's) never
// uses it, so New builds none: in its place goes a QueryCache that is off,
// with no store behind it (what Execute reads of it: Enabled, and AbortSet
// when a scan fails, which finds nothing to abort). That saves each
// instance the 100 MB and the 0.1-0.3 s of CPU that building bigcache's
// maps and buffers costs.
//
// The caches sit in unexported fields of the pinned SDK (v5.14.1), read here
// by name: if an upgrade moves one, Close fails with the missing field and
// the tests in sdkcaches_test.go fail, rather than the leak coming back
// quietly.

// sdkCaches stops the SDK caches of one plugin instance, once.
type sdkCaches struct {
	plugin *plugin.Plugin
	once   sync.Once
	err    error
}

// close stops the query cache's sweeper and, when withConnectionCaches, the
// connection caches' goroutines. Only the first call acts.
func (c *sdkCaches) close(withConnectionCaches bool) error {
	c.once.Do(func() {
		c.err = closeQueryCache(c.plugin)
		if withConnectionCaches {
			c.err = errors.Join(c.err, closeConnectionCaches(c.plugin))
		}
	})
	return c.err
}

// Close stops the plugin instance's background goroutines, so that its
// memory can be freed (and a testing/synctest bubble that built or queried
// it can end). Call it once every query has returned; the Host must not be
// used afterwards. A Host that is not closed has its query cache stopped
// when it becomes unreachable: the connection caches are left alone then,
// as a query's straggling goroutine may still write to them, and they are
// small.
func (h *Host) Close() error {
	if err := h.caches.close(true); err != nil {
		return fmt.Errorf("pluginhost: closing the plugin's caches: %w", err)
	}
	return nil
}

// usesQueryCache reports whether a query on some table of p can use the
// SDK's query cache.
func usesQueryCache(p *plugin.Plugin) bool {
	for _, t := range p.TableMap {
		if t.Cache == nil || t.Cache.Enabled {
			return true
		}
	}
	return false
}

// offQueryCache sets plugin.queryCache to a query cache that is off.
func offQueryCache(p *plugin.Plugin) error {
	qc, err := field(reflect.ValueOf(p), "queryCache")
	if err != nil {
		return fmt.Errorf("pluginhost: %w", err)
	}
	off := reflect.ValueOf(&query_cache.QueryCache{Stats: &query_cache.CacheStats{}, Enabled: false})
	if !off.Type().AssignableTo(qc.Type()) {
		return fmt.Errorf("pluginhost: the plugin's queryCache is a %s, not a %s", qc.Type(), off.Type())
	}
	qc.Set(off)
	return nil
}

// closeQueryCache closes the bigcache under plugin.queryCache.cache.
func closeQueryCache(p *plugin.Plugin) error {
	qc, err := field(reflect.ValueOf(p), "queryCache")
	if err != nil || qc.IsNil() {
		return err
	}
	gocache, err := field(qc, "cache")
	if err != nil || gocache.IsNil() { // an off cache has no store
		return err
	}
	store, err := call(gocache, "GetCodec")
	if err == nil {
		store, err = call(store, "GetStore")
	}
	if err != nil {
		return err
	}
	client, err := field(store, "client")
	if err != nil {
		return err
	}
	closer, ok := client.Interface().(interface{ Close() error })
	if !ok {
		return fmt.Errorf("the query cache's store client %s has no Close", client.Type())
	}
	return closer.Close()
}

// closeConnectionCaches closes the ristretto cache of every connection
// cache in plugin.connectionCacheMap, under the plugin's lock for it.
func closeConnectionCaches(p *plugin.Plugin) error {
	lock, err := field(reflect.ValueOf(p), "connectionCacheMapLock")
	if err != nil {
		return err
	}
	mu, ok := lock.Addr().Interface().(*sync.Mutex)
	if !ok {
		return fmt.Errorf("connectionCacheMapLock is a %s, not a sync.Mutex", lock.Type())
	}
	caches, err := field(reflect.ValueOf(p), "connectionCacheMap")
	if err != nil {
		return err
	}
	mu.Lock()
	defer mu.Unlock()
	for it := caches.MapRange(); it.Next(); {
		r, err := field(it.Value(), "ristrettoCache")
		if err != nil {
			return err
		}
		closer, ok := r.Interface().(interface{ Close() })
		if !ok {
			return fmt.Errorf("the connection cache's %s has no Close", r.Type())
		}
		closer.Close()
	}
	return nil
}

// field is the named field of the struct v points to (or holds, through an
// interface), readable although unexported.
func field(v reflect.Value, name string) (reflect.Value, error) {
	if v.Kind() == reflect.Interface {
		v = v.Elem()
	}
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return reflect.Value{}, fmt.Errorf("looking for field %s: %s is not a pointer to a struct", name, v.Type())
	}
	f := v.Elem().FieldByName(name)
	if !f.IsValid() {
		return reflect.Value{}, fmt.Errorf("%s has no field %s", v.Type(), name)
	}
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem(), nil
}

// call calls v's method name, which takes nothing and returns one value.
func call(v reflect.Value, name string) (reflect.Value, error) {
	m := v.MethodByName(name)
	if !m.IsValid() || m.Type().NumIn() != 0 || m.Type().NumOut() != 1 {
		return reflect.Value{}, fmt.Errorf("%s has no method %s() with one result", v.Type(), name)
	}
	return m.Call(nil)[0], nil
}
