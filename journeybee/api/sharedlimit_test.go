package api

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
)

// fakeClock is a wall clock tests move by hand; several pacers ("processes")
// share one.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newTestPace(t *testing.T, dir *stateDir, key string, perMinute int, clock *fakeClock) *sharedPace {
	t.Helper()
	p := newSharedPace(dir, key, "https://app.journeybee.io", perMinute, newLimiter(perMinute), hclog.NewNullLogger())
	p.now = clock.now
	return p
}

func testStateDir(t *testing.T) *stateDir {
	t.Helper()
	dir, err := openStateDir(filepath.Join(t.TempDir(), "state"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// maxInWindow is the most instants in any window of length w.
func maxInWindow(times []time.Time, w time.Duration) int {
	peak, first := 0, 0
	for i, at := range times {
		for at.Sub(times[first]) >= w {
			first++
		}
		peak = max(peak, i-first+1)
	}
	return peak
}

// Three "processes" (pacers with their own file handles) on one key draw
// from one budget: over five minutes of greedy demand, no 60 s window
// holds more than perMinute, and the budget is used, not wasted.
func TestSharedPaceHoldsOneBudgetAcrossProcesses(t *testing.T) {
	for _, perMinute := range []int{10, 90} {
		dir := testStateDir(t)
		clock := &fakeClock{t: time.Unix(1_800_000_000, 0)}
		var pacers []*sharedPace
		for range 3 {
			pacers = append(pacers, newTestPace(t, dir, "key-1", perMinute, clock))
		}
		start := clock.now()
		var granted []time.Time
		for clock.now().Sub(start) < 5*time.Minute {
			soonest := time.Duration(-1)
			for _, p := range pacers {
				wait, err := p.take(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if wait == 0 {
					granted = append(granted, clock.now())
				} else if soonest < 0 || wait < soonest {
					soonest = wait
				}
			}
			if soonest > 0 {
				clock.advance(soonest)
			}
		}
		if peak := maxInWindow(granted, time.Minute); peak > perMinute {
			t.Errorf("%d/min: %d requests in one 60 s window across 3 processes", perMinute, peak)
		}
		// burst + pace × 300 s, less one for rounding.
		burst := RateLimitOf(perMinute).Burst
		if want := burst + (perMinute-burst)*5 - 1; len(granted) < want {
			t.Errorf("%d/min: %d requests granted in 5 minutes, want at least %d (the budget is wasted)", perMinute, len(granted), want)
		}
	}
}

// Another key (or origin) is another budget.
func TestSharedPaceIsPerKey(t *testing.T) {
	dir := testStateDir(t)
	clock := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	a, b := newTestPace(t, dir, "key-a", 90, clock), newTestPace(t, dir, "key-b", 90, clock)
	for range 5 {
		if w, _ := a.take(context.Background()); w != 0 {
			t.Fatal("key-a: the burst of 5 was not granted")
		}
	}
	if w, _ := a.take(context.Background()); w == 0 {
		t.Fatal("key-a: a sixth request at once was granted")
	}
	if w, _ := b.take(context.Background()); w != 0 {
		t.Fatal("key-b waited on key-a's budget")
	}
	entries, _ := os.ReadDir(dir.path)
	for _, e := range entries {
		if strings.Contains(e.Name(), "key-") {
			t.Errorf("a state file is named after the key: %s", e.Name())
		}
		info, _ := e.Info()
		if perm := info.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s has mode %s, want 0600", e.Name(), perm)
		}
	}
	if info, _ := os.Stat(dir.path); info.Mode().Perm() != 0o700 {
		t.Errorf("the state directory has mode %s, want 0700", info.Mode().Perm())
	}
}

// A state file cut short or written by something else starts again empty
// (never full: recovery must not grant a fresh burst), and the file is
// whole again afterwards. A clock that went back grants nothing extra.
func TestSharedPaceRecoversCorruptStateAndClockSteps(t *testing.T) {
	dir := testStateDir(t)
	clock := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	p := newTestPace(t, dir, "key", 90, clock)
	for _, junk := range []string{"journeybee-pace v1 3.", "\x00\x00\x00", "journeybee-pace v1 NaN 5", "journeybee-pace v1 1e9 5"} {
		if err := os.WriteFile(p.path, []byte(junk), 0o600); err != nil {
			t.Fatal(err)
		}
		wait, err := p.take(context.Background())
		if err != nil || wait <= 0 {
			t.Errorf("state %q: wait %s, err %v; want a wait (an empty bucket)", junk, wait, err)
		}
		raw, _ := os.ReadFile(p.path)
		if !bytes.HasPrefix(raw, []byte("journeybee-pace v1 0 ")) {
			t.Errorf("state %q rewritten as %q", junk, raw)
		}
	}
	// Drain, then step the clock back an hour: still nothing to take.
	clock.advance(time.Hour)
	for range 5 {
		p.take(context.Background())
	}
	clock.advance(-time.Hour)
	if wait, _ := p.take(context.Background()); wait <= 0 {
		t.Fatal("a clock stepped back granted a request from an empty bucket")
	}
	clock.advance(time.Second)
	if wait, _ := p.take(context.Background()); wait != 0 {
		t.Fatalf("one second after the step, still waiting %s (1.42 tokens refilled)", wait)
	}
}

// Waiting for the lock honours the context: a holder that never lets go
// (here this test) does not hang a cancelled query.
func TestSharedPaceLockWaitHonoursContext(t *testing.T) {
	dir := testStateDir(t)
	p := newTestPace(t, dir, "key", 90, &fakeClock{t: time.Unix(1_800_000_000, 0)})
	_, unlock, err := lockFile(context.Background(), p.path)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = p.Wait(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait on a held lock: %v, want the context's error", err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("Wait took %s after its context ended", took)
	}
}

// An unusable state directory falls back to the process's own limiter, and
// says so once, however many clients find it so.
func TestUnusableStateDirFallsBackAndSaysSoOnce(t *testing.T) {
	notADir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notADir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	logger := hclog.New(&hclog.LoggerOptions{Output: &logs, Level: hclog.Warn})
	for range 3 {
		c, err := NewClient("k", 1, WithStateDir(filepath.Join(notADir, "state")), WithLogger(logger), WithRateLimit(90))
		if err != nil {
			t.Fatal(err)
		}
		if _, shared := c.limiter.(*sharedPace); shared || c.disk != nil {
			t.Fatal("an unusable directory was used")
		}
		if err := c.limiter.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if n := strings.Count(logs.String(), "state directory cannot be used"); n != 1 {
		t.Fatalf("%d log lines about the directory, want 1:\n%s", n, logs.String())
	}
	if strings.Contains(logs.String(), `"k"`) {
		t.Fatal("the key is in the log")
	}
}

// The state is overwritten in place, never truncated first: whatever was
// there before (a longer number, content longer than a record), the next
// read finds exactly what was written last.
func TestSharedPaceStateOverwritesInPlace(t *testing.T) {
	dir := testStateDir(t)
	clock := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	p := newTestPace(t, dir, "key", 90, clock)
	f, err := os.OpenFile(p.path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt([]byte(strings.Repeat("junk ", 60)), 0); err != nil {
		t.Fatal(err)
	}
	for i, tokens := range []float64{4.123456789012345, 0, -0.987654321, 1, 2.5e-9} {
		at := clock.now().Add(time.Duration(i) * time.Second)
		if err := p.write(f, tokens, at); err != nil {
			t.Fatal(err)
		}
		got, gotAt, err := p.read(f, at)
		if err != nil || got != tokens || !gotAt.Equal(at) {
			t.Fatalf("wrote %v at %s, read %v at %s (err %v)", tokens, at, got, gotAt, err)
		}
	}
}

// One request's turn at the shared pace: a lock, a read and a write of the
// state file, on the request's critical path.
func BenchmarkSharedPaceTake(b *testing.B) {
	dir, err := openStateDir(filepath.Join(b.TempDir(), "state"))
	if err != nil {
		b.Fatal(err)
	}
	p := newSharedPace(dir, "key", "https://app.journeybee.io", 1<<30, newLimiter(1<<30), hclog.NewNullLogger())
	for b.Loop() {
		if _, err := p.take(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
