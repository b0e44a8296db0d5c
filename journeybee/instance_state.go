package journeybee

import (
	"net/http"
	"runtime"
	"sync"
	"weak"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

// instanceState is what one plugin instance keeps across queries, by
// connection settings (settings.cacheKeyID). Steampipe runs one instance per
// process and tests run hundreds, one per fake server (whose port a later
// one may reuse): keyed by instance, each keeps its own, and it goes with
// the instance.
type instanceState struct {
	// clients are the API clients: their rate limiter and reply cache
	// must outlive any one query (the SDK's connection cache may evict), and
	// concurrent first queries, a dashboard's panels, must share one rather
	// than each build their own.
	clientsMu sync.Mutex
	clients   map[string]*api.Client
	// transport, when a test sets it, is the one its clients use: the fake
	// API answering in memory, so that the test runs under testing/synctest's
	// fake clock (a minute of rate limit in no time). Otherwise, Steampipe's
	// instance included, net/http's default.
	transport http.RoundTripper

	// companies are the company ids discovered from the newest lead. The
	// lock is held while discovering, so that the rows of one query,
	// hydrated concurrently, ask the API once; it is not the clients' lock,
	// so that other queries are not held behind that request.
	companiesMu sync.Mutex
	companies   map[string]int64
}

// instances is every live plugin instance's state, the instance held weakly.
var instances = struct {
	sync.Mutex
	byPlugin map[weak.Pointer[plugin.Plugin]]*instanceState
}{byPlugin: map[weak.Pointer[plugin.Plugin]]*instanceState{}}

// stateOf returns p's state, made on first use and dropped once p is
// unreachable.
func stateOf(p *plugin.Plugin) *instanceState {
	key := weak.Make(p)
	instances.Lock()
	defer instances.Unlock()
	if state, ok := instances.byPlugin[key]; ok {
		return state
	}
	state := &instanceState{clients: map[string]*api.Client{}, companies: map[string]int64{}}
	instances.byPlugin[key] = state
	runtime.AddCleanup(p, forgetInstance, key)
	return state
}

func forgetInstance(key weak.Pointer[plugin.Plugin]) {
	instances.Lock()
	defer instances.Unlock()
	delete(instances.byPlugin, key)
}
