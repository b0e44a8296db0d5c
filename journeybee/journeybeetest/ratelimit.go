package journeybeetest

import (
	"sync"
	"time"
)

// rateLimiter applies RateLimitPerMinute over a sliding window (a minute
// unless RateLimitWindow says otherwise), and keeps the peak a test can
// compare with the documented 100 per minute.
type rateLimiter struct {
	limit  int
	window time.Duration
	now    func() time.Time

	mu sync.Mutex
	// granted are the requests let through in the last window.
	granted []time.Time
	// made are all the key's requests in the last window, refused or not.
	made []time.Time
	peak int
}

// take counts one request of the key. A refused request does not use a
// slot; it returns how long until one frees.
func (l *rateLimiter) take() (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	cutoff := now.Add(-l.window)
	l.made = append(dropUntil(l.made, cutoff), now)
	l.peak = max(l.peak, len(l.made))
	if l.limit <= 0 {
		return 0, false
	}
	l.granted = dropUntil(l.granted, cutoff)
	if len(l.granted) >= l.limit {
		return l.granted[0].Sub(cutoff), true
	}
	l.granted = append(l.granted, now)
	return 0, false
}

// dropUntil drops the leading instants at or before cutoff.
func dropUntil(log []time.Time, cutoff time.Time) []time.Time {
	keep := 0
	for keep < len(log) && !log[keep].After(cutoff) {
		keep++
	}
	return log[keep:]
}

// PeakRequestsPerMinute reports the most requests the key made (refused
// ones included) in any 60-second window (RateLimitWindow, when set) so far, on every endpoint: what
// a test asserting "at most 90 a minute" compares. Requests with another
// key or to an unknown path do not count.
func (s *Server) PeakRequestsPerMinute() int {
	s.limiter.mu.Lock()
	defer s.limiter.mu.Unlock()
	return s.limiter.peak
}
