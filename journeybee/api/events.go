package api

import (
	"context"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Events let a program watch the client at work (journeybee-query draws its
// progress line from them). The observer is process-wide rather than a
// client option because the Steampipe plugin builds its own clients: a host
// running the plugin in-process cannot hand them options.

// EventKind says what happened.
type EventKind int

const (
	// EventRequest: an attempt is about to be sent.
	EventRequest EventKind = iota + 1
	// EventReply: an attempt ended: Err is nil on success, else the
	// failure (Status holds an error reply's HTTP status).
	EventReply
	// EventRetry: a failed attempt will be retried after Wait; Err says why.
	EventRetry
	// EventRateLimitWait: the client's rate limit holds the next request
	// until Until.
	EventRateLimitWait
)

// Event is one step of a request. The request's query string is never
// included: it carries the user's filters and search text.
type Event struct {
	Kind EventKind
	// Path is the endpoint, e.g. /api/v1/leads.
	Path string
	// Attempt counts from 1.
	Attempt int
	// Status is the HTTP status of an error reply; 0 otherwise.
	Status int
	Err    error
	// Wait and Until are the delay before a retry or a rate-limit slot.
	Wait  time.Duration
	Until time.Time
}

// Observer receives events synchronously on the requesting goroutine, from
// any number of goroutines at once: it must be quick and safe for
// concurrent use.
type Observer func(Event)

var observer atomic.Pointer[Observer]

// SetObserver makes o receive every client's events (nil stops them) and
// returns a function that restores the previous observer.
func SetObserver(o Observer) (restore func()) {
	var p *Observer
	if o != nil {
		p = &o
	}
	old := observer.Swap(p)
	return func() { observer.Store(old) }
}

func notify(e Event) {
	if p := observer.Load(); p != nil {
		(*p)(e)
	}
}

func observed() bool { return observer.Load() != nil }

// notifyLimiterWait reports how long the client's rate limit will hold the
// next request, when it will: an estimate read from the pace's tokens, so
// that a progress line can say what a scan is waiting for.
func (c *Client) notifyLimiterWait(ctx context.Context, path string) {
	if !observed() || c.limiter == nil {
		return
	}
	var wait time.Duration
	switch l := c.limiter.(type) {
	case *rate.Limiter:
		if tokens := l.TokensAt(time.Now()); tokens < 1 && l.Limit() > 0 {
			wait = time.Duration((1 - tokens) / float64(l.Limit()) * float64(time.Second))
		}
	case *sharedPace:
		wait = l.nextWait(ctx)
	}
	if wait > 0 {
		notify(Event{Kind: EventRateLimitWait, Path: path, Wait: wait, Until: time.Now().Add(wait)})
	}
}
