package journeybee

import (
	"runtime"
	"testing"
	"time"
	"weak"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

// A plugin instance's API clients (with their reply caches) and company ids
// go with the instance: a test binary builds hundreds of instances.
func TestInstanceStateGoesWithTheInstance(t *testing.T) {
	key := stateOfADroppedInstance(t)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		runtime.GC()
		if !holdsState(key) {
			return
		}
	}
	t.Fatal("the API clients and company ids of an unreachable plugin instance are still held")
}

// stateOfADroppedInstance gives an instance a client and a company id, as
// its first query does, and drops the instance.
func stateOfADroppedInstance(t *testing.T) weak.Pointer[plugin.Plugin] {
	t.Helper()
	p := &plugin.Plugin{Name: "dropped"}
	client, err := api.NewClient("key", 1)
	if err != nil {
		t.Fatal(err)
	}
	state := stateOf(p)
	state.clients["settings"] = client
	state.companies["settings"] = 7
	if stateOf(p) != state {
		t.Fatal("a second call made the instance a second state")
	}
	return weak.Make(p)
}

func holdsState(key weak.Pointer[plugin.Plugin]) bool {
	instances.Lock()
	defer instances.Unlock()
	_, ok := instances.byPlugin[key]
	return ok
}
