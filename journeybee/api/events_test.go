package api

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// A host that does not resolve or refuses connections fails on the first
// attempt: retrying only made users wait 16 s for the same error.
func TestUnreachableHostsAreNotRetried(t *testing.T) {
	// A port that was just free: nothing listens on it.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := l.Addr().String()
	l.Close()

	noSuchHost := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, _ := net.SplitHostPort(addr)
		return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
	}}}
	for _, tc := range []struct {
		name, base string
		opts       []Option
		want       []string
	}{
		{"connection refused", "http://" + refused, nil, []string{refused + "/api/v1/leads", "connection refused", "not retried", "check base_url"}},
		{"no such host", "https://api.journeybee.invalid", []Option{func(c *Client) error { c.httpClient.Transport = noSuchHost.Transport; return nil }}, []string{"api.journeybee.invalid/api/v1/leads", "no such host", "not retried", "DNS"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewClient(testKey, 456, append([]Option{WithBaseURL(tc.base), WithRateLimit(1_000_000)}, tc.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			var waits []time.Duration
			c.sleep = func(ctx context.Context, d time.Duration) error {
				waits = append(waits, d)
				return nil
			}
			_, err = c.AllLeads(context.Background(), ListLeadsOptions{})
			var te *TransportError
			if !errors.As(err, &te) || !te.Permanent {
				t.Fatalf("err = %v, want a permanent *TransportError", err)
			}
			if len(waits) != 0 {
				t.Errorf("retried after waits %v, want no retry", waits)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if strings.Contains(err.Error(), testKey) {
				t.Errorf("error %q shows the key", err)
			}
		})
	}
}

// The observer sees each attempt, its reply and the retry between them,
// with the reason.
func TestObserverSeesRequestsAndRetries(t *testing.T) {
	var mu sync.Mutex
	var events []Event
	restore := SetObserver(func(e Event) {
		mu.Lock()
		events = append(events, e)
		mu.Unlock()
	})
	defer restore()
	c, _, _ := newScriptedClient(t, reply(503, `{"error":"busy"}`), reply(200, `[]`))
	if _, err := c.AllLeads(context.Background(), ListLeadsOptions{}); err != nil {
		t.Fatal(err)
	}
	var kinds []EventKind
	for _, e := range events {
		if e.Kind != EventRateLimitWait {
			kinds = append(kinds, e.Kind)
		}
	}
	want := []EventKind{EventRequest, EventReply, EventRetry, EventRequest, EventReply}
	if len(kinds) != len(want) {
		t.Fatalf("events %v, want kinds %v", events, want)
	}
	for i := range want {
		if kinds[i] != want[i] {
			t.Fatalf("events %v, want kinds %v", events, want)
		}
	}
	retry := events[2]
	for _, e := range events {
		if e.Kind == EventRetry {
			retry = e
		}
	}
	if retry.Attempt != 1 || retry.Wait <= 0 || retry.Until.IsZero() || StatusCode(retry.Err) != 503 {
		t.Errorf("retry event %+v, want attempt 1 with a wait and the 503", retry)
	}
}

// A drained limiter announces how long the next request waits.
func TestObserverSeesRateLimitWaits(t *testing.T) {
	var mu sync.Mutex
	var waits []Event
	restore := SetObserver(func(e Event) {
		if e.Kind == EventRateLimitWait {
			mu.Lock()
			waits = append(waits, e)
			mu.Unlock()
		}
	})
	defer restore()
	c, _, _ := newScriptedClient(t, reply(200, `[]`))
	limiter := newLimiter(600) // a burst of 5, then 10 a second
	c.limiter = limiter
	if !limiter.AllowN(time.Now(), limiter.Burst()) {
		t.Fatal("could not drain the limiter")
	}
	if _, err := c.AllLeads(context.Background(), ListLeadsOptions{}); err != nil {
		t.Fatal(err)
	}
	if len(waits) == 0 {
		t.Fatal("no rate-limit wait reported after the burst")
	}
	slot := time.Duration(float64(time.Second) / float64(limiter.Limit()))
	if w := waits[0]; w.Wait <= 0 || w.Wait > slot || w.Until.IsZero() {
		t.Errorf("wait event %+v, want a wait of at most one slot, %s", w, slot)
	}
}
