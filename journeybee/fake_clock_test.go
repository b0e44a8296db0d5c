//go:build !race

package journeybee

import (
	"testing"
	"testing/synctest"
)

// onFakeClock runs test in a testing/synctest bubble against f: the
// client's rate limit, timeouts and retries and the fake's rate window and
// latency all read the bubble's clock, which jumps ahead whenever every
// goroutine of the test waits on it, so a minute of pace takes no wall
// time. The fake answers f's plugin in memory (a goroutine waiting on a
// socket would stop that clock). f's plugin is closed when the bubble ends,
// as the goroutines the bubble started must end in it: f cannot be queried
// afterwards. The first query must be made inside test, since the plugin
// builds its API client (and picks its transport) then.
func onFakeClock(t *testing.T, f *fixture, test func(t *testing.T)) {
	t.Helper()
	state := stateOf(f.host.Plugin())
	state.clientsMu.Lock()
	state.transport = f.srv.Transport()
	state.clientsMu.Unlock()
	synctest.Test(t, func(t *testing.T) {
		outer := f.t
		f.t = t
		defer func() {
			f.t = outer
			if err := f.host.Close(); err != nil {
				t.Error(err)
			}
		}()
		test(t)
	})
}
