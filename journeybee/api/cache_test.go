package api

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"
)

func TestRepeatedRequestsAreAnsweredFromTheReplyCache(t *testing.T) {
	c, script, _ := newScriptedClient(t, reply(200, `[{"total":1,"id":1,"created_at":"2024-01-15T10:30:00Z"}]`))
	waits := 0
	ctx := WithRequestWait(WithCacheTTL(context.Background(), time.Minute), func(context.Context) error { waits++; return nil })
	for i := 0; i < 3; i++ {
		if leads, err := c.AllLeads(ctx, ListLeadsOptions{}); err != nil || len(leads) != 1 {
			t.Fatalf("run %d: %d leads, %v", i, len(leads), err)
		}
	}
	if script.count() != 1 || waits != 1 {
		t.Fatalf("%d requests and %d rate-limit waits for three identical scans, want 1 and 1: a cached reply costs no request and no wait", script.count(), waits)
	}
	// Other filters are another URL.
	if _, err := c.AllLeads(ctx, ListLeadsOptions{Search: "x"}); err != nil || script.count() != 2 {
		t.Fatalf("a different query was served from the cache (%d requests, %v)", script.count(), err)
	}
}

func TestReplyCacheRespectsTheTTL(t *testing.T) {
	c, script, _ := newScriptedClient(t, reply(200, `[]`))
	now := time.Now()
	c.cache.now = func() time.Time { return now }
	ctx := WithCacheTTL(context.Background(), time.Minute)
	_, _ = c.AllLeads(ctx, ListLeadsOptions{})
	now = now.Add(59 * time.Second)
	_, _ = c.AllLeads(ctx, ListLeadsOptions{})
	if script.count() != 1 {
		t.Fatalf("%d requests, want 1 within the TTL", script.count())
	}
	now = now.Add(2 * time.Second)
	_, _ = c.AllLeads(ctx, ListLeadsOptions{})
	if script.count() != 2 {
		t.Fatalf("%d requests, want a fresh one once the reply is older than the TTL", script.count())
	}
	// A query with a shorter TTL of its own does not take the older reply.
	now = now.Add(10 * time.Second)
	_, _ = c.AllLeads(WithCacheTTL(context.Background(), 5*time.Second), ListLeadsOptions{})
	if script.count() != 3 {
		t.Fatalf("%d requests, want the 10 s old reply refused under a 5 s TTL", script.count())
	}
}

func TestWithoutATTLNothingIsCached(t *testing.T) {
	c, script, _ := newScriptedClient(t, reply(200, `[]`))
	for i := 0; i < 2; i++ {
		_, _ = c.AllLeads(context.Background(), ListLeadsOptions{})
	}
	if script.count() != 2 {
		t.Fatalf("%d requests, want 2: no TTL, no cache", script.count())
	}
}

func TestFailuresAreNotCached(t *testing.T) {
	c, script, _ := newScriptedClient(t, reply(401, `{"error":"Invalid API key"}`), reply(200, `[]`))
	ctx := WithCacheTTL(context.Background(), time.Minute)
	if _, err := c.AllLeads(ctx, ListLeadsOptions{}); StatusCode(err) != 401 {
		t.Fatalf("err = %v, want the 401", err)
	}
	if _, err := c.AllLeads(ctx, ListLeadsOptions{}); err != nil || script.count() != 2 {
		t.Fatalf("err = %v after %d requests: a failed reply must not be replayed", err, script.count())
	}
}

func TestIdenticalRequestsInFlightShareOneCall(t *testing.T) {
	release := make(chan struct{})
	c, script, _ := newScriptedClient(t, func(w http.ResponseWriter, r *http.Request) {
		<-release
		_, _ = w.Write([]byte(`[]`))
	})
	ctx := WithCacheTTL(context.Background(), time.Minute)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.AllLeads(ctx, ListLeadsOptions{})
			errs <- err
		}()
	}
	// Let the eight scans reach the fetch before it answers.
	for c.cache.inFlight(c.baseURL.String()+LeadsPath+"?userId=456") == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if script.count() != 1 {
		t.Fatalf("%d requests for eight identical concurrent scans, want 1", script.count())
	}
}

func TestAFollowerRetriesWhenTheSharedFetchIsCanceled(t *testing.T) {
	c, script, _ := newScriptedClient(t, reply(200, `[]`))
	cache := c.cache
	url := "https://example.test/x"
	first, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	go func() {
		_, _ = cache.get(first, url, time.Minute, func() ([]byte, error) {
			close(started)
			<-first.Done()
			return nil, first.Err()
		})
	}()
	<-started
	done := make(chan error)
	go func() {
		body, err := cache.get(context.Background(), url, time.Minute, func() ([]byte, error) { return []byte("mine"), nil })
		if err == nil && string(body) != "mine" {
			err = fmt.Errorf("body %q", body)
		}
		done <- err
	}()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("the follower failed with its leader's cancellation: %v", err)
	}
	_ = script
}

func TestReplyCacheIsBounded(t *testing.T) {
	cache := newReplyCache(10)
	for i := 0; i < 5; i++ {
		body := []byte("abcd")
		if _, err := cache.get(context.Background(), fmt.Sprint(i), time.Minute, func() ([]byte, error) { return body, nil }); err != nil {
			t.Fatal(err)
		}
	}
	if cache.bytes > 10 || len(cache.entries) != 2 {
		t.Fatalf("%d bytes in %d entries, want at most 10 bytes (the two newest)", cache.bytes, len(cache.entries))
	}
	if _, ok := cache.entries["4"]; !ok {
		t.Fatal("the newest reply was evicted")
	}
}

func TestEveryAttemptWaitsOnTheRateLimit(t *testing.T) {
	c, script, _ := newScriptedClient(t, reply(503, `{"error":"busy"}`), reply(200, `[]`))
	c.limiter = newLimiter(2) // one request now, the next in a minute
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := c.AllLeads(ctx, ListLeadsOptions{})
	if err == nil || script.count() != 1 {
		t.Fatalf("err %v after %d requests: the retry must wait for the limiter like any request", err, script.count())
	}
}

func TestLimiterNeverAdmitsMoreThanItsRateInAnyMinute(t *testing.T) {
	for _, perMinute := range []int{2, 10, 60, 90, 100, 500} {
		l := newLimiter(perMinute)
		if got := float64(l.Burst()) + float64(l.Limit())*60; got > float64(perMinute)+1e-9 || got < float64(perMinute)-1 {
			t.Errorf("limit %d/min: burst %d + %.3f/s × 60 s admits %.1f in a minute", perMinute, l.Burst(), float64(l.Limit()), got)
		}
	}
	if l := newLimiter(DefaultRequestsPerMinute); l.Burst() != 5 {
		t.Errorf("default burst %d, want 5", l.Burst())
	}
}

// inFlight counts the callers that can see url's entry being fetched (0 or
// 1); tests use it to line callers up.
func (c *replyCache) inFlight(url string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[url]; ok {
		select {
		case <-e.ready:
		default:
			return 1
		}
	}
	return 0
}
