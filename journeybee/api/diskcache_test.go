package api

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
)

// newTestDisk is one "process"'s view of the shared reply cache in dir.
func newTestDisk(t *testing.T, dir *stateDir, clock *fakeClock, maxBytes int64) *diskCache {
	t.Helper()
	c, err := newDiskCache(dir, "secret-key", maxBytes, hclog.NewNullLogger())
	if err != nil {
		t.Fatal(err)
	}
	c.now = clock.now
	return c
}

const testURL = "https://app.journeybee.io/api/v1/leads?userId=456"

// One process fetches, another is answered from disk with the reply's own
// fetch time; past the TTL the reply is fetched again and the old file is
// gone at the next sweep.
func TestDiskCacheSharesRepliesUntilTheTTL(t *testing.T) {
	dir := testStateDir(t)
	clock := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	a, b := newTestDisk(t, dir, clock, DefaultDiskCacheBytes), newTestDisk(t, dir, clock, DefaultDiskCacheBytes)
	var fetches atomic.Int32
	fetch := func() ([]byte, error) { fetches.Add(1); return []byte(`[{"id":1,"email":"ann@example.com"}]`), nil }

	fetchedAt := clock.now()
	if _, _, err := a.get(context.Background(), testURL, time.Minute, fetch); err != nil {
		t.Fatal(err)
	}
	clock.advance(30 * time.Second)
	body, at, err := b.get(context.Background(), testURL, time.Minute, fetch)
	if err != nil || string(body) != `[{"id":1,"email":"ann@example.com"}]` || fetches.Load() != 1 {
		t.Fatalf("second process: %q, %v after %d fetches; want the first one's reply", body, err, fetches.Load())
	}
	if !at.Equal(fetchedAt) {
		t.Fatalf("served as fetched at %s, want %s: its age must count against the TTL", at, fetchedAt)
	}
	// A reader with a shorter TTL does not take it.
	if _, _, err := b.get(context.Background(), testURL, 10*time.Second, fetch); err != nil || fetches.Load() != 2 {
		t.Fatalf("a 10 s TTL took a 30 s old reply (%d fetches)", fetches.Load())
	}

	clock.advance(2 * time.Minute)
	if _, _, err := b.get(context.Background(), "https://app.journeybee.io/api/v1/tiers", time.Minute, fetch); err != nil {
		t.Fatal(err)
	}
	b.sweep(true)
	entries, _ := os.ReadDir(b.dir)
	var replies []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), lockSuffix) {
			replies = append(replies, e.Name())
		}
		if info, _ := e.Info(); info.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %s, want 0600", e.Name(), info.Mode().Perm())
		}
		raw, _ := os.ReadFile(filepath.Join(b.dir, e.Name()))
		if strings.Contains(e.Name()+string(raw), "secret-key") {
			t.Errorf("%s holds the API key", e.Name())
		}
	}
	if len(replies) != 1 {
		t.Fatalf("after the TTL and a sweep, %d reply files remain, want 1 (the fresh one)", len(replies))
	}
}

// Failures are never kept: the next process fetches again.
func TestDiskCacheKeepsNoFailure(t *testing.T) {
	dir := testStateDir(t)
	clock := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	c := newTestDisk(t, dir, clock, DefaultDiskCacheBytes)
	boom := errors.New("503")
	if _, _, err := c.get(context.Background(), testURL, time.Minute, func() ([]byte, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Fatalf("err %v", err)
	}
	body, _, err := c.get(context.Background(), testURL, time.Minute, func() ([]byte, error) { return []byte("ok"), nil })
	if err != nil || string(body) != "ok" {
		t.Fatalf("after a failure: %q %v", body, err)
	}
}

// Six processes asking for one URL at once make one fetch: the others wait
// on its lock and read its reply.
func TestDiskCacheOneFetchForConcurrentProcesses(t *testing.T) {
	dir := testStateDir(t)
	clock := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	var fetches atomic.Int32
	var wg sync.WaitGroup
	for range 6 {
		c := newTestDisk(t, dir, clock, DefaultDiskCacheBytes)
		wg.Go(func() {
			body, _, err := c.get(context.Background(), testURL, time.Minute, func() ([]byte, error) {
				fetches.Add(1)
				time.Sleep(50 * time.Millisecond)
				return []byte("page"), nil
			})
			if err != nil || string(body) != "page" {
				t.Errorf("%q %v", body, err)
			}
		})
	}
	wg.Wait()
	if n := fetches.Load(); n != 1 {
		t.Fatalf("%d fetches for one URL from 6 processes, want 1", n)
	}
}

// The directory stays under its bound: the replies closest to expiry go.
func TestDiskCacheIsBounded(t *testing.T) {
	dir := testStateDir(t)
	clock := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	c := newTestDisk(t, dir, clock, 300)
	body := []byte(strings.Repeat("x", 100))
	for i := range 5 {
		c.lastSweep = time.Time{} // sweep after every write
		url := testURL + "&page=" + string(rune('a'+i))
		if _, _, err := c.get(context.Background(), url, time.Minute, func() ([]byte, error) { return body, nil }); err != nil {
			t.Fatal(err)
		}
		clock.advance(time.Second)
	}
	var total int64
	entries, _ := os.ReadDir(c.dir)
	for _, e := range entries {
		if info, _ := e.Info(); !strings.HasSuffix(e.Name(), lockSuffix) {
			total += info.Size()
		}
	}
	if total > 300 {
		t.Fatalf("%d bytes of replies on disk, bound 300", total)
	}
	if _, _, ok := c.read(filepath.Join(c.dir, stateName("reply", "secret-key", testURL+"&page=e")), time.Minute); !ok {
		t.Fatal("the newest reply was evicted")
	}
}

// A reply file cut short is never served.
func TestDiskCacheIgnoresATruncatedReply(t *testing.T) {
	dir := testStateDir(t)
	clock := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	c := newTestDisk(t, dir, clock, DefaultDiskCacheBytes)
	if _, _, err := c.get(context.Background(), testURL, time.Minute, func() ([]byte, error) { return []byte("[1,2,3]"), nil }); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(c.dir, stateName("reply", "secret-key", testURL))
	raw, _ := os.ReadFile(path)
	if err := os.WriteFile(path, raw[:len(raw)-2], 0o600); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(path, clock.now().Add(time.Minute), clock.now().Add(time.Minute))
	body, _, err := c.get(context.Background(), testURL, time.Minute, func() ([]byte, error) { return []byte("[1,2,3]"), nil })
	if err != nil || string(body) != "[1,2,3]" {
		t.Fatalf("%q %v", body, err)
	}
}
