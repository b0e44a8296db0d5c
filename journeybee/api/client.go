// Package api is a small client for the JourneyBee v1 REST API. It knows
// nothing of Steampipe: typed options encode themselves into query strings,
// replies decode into typed structs, failures come back as typed errors, and
// paging, retries and error decoding live here once for every endpoint.
package api

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
	"golang.org/x/time/rate"
)

// DefaultBaseURL is JourneyBee's production API host.
const DefaultBaseURL = "https://app.journeybee.io"

const (
	// maxBodyBytes bounds a successful reply; a page of leads is far smaller.
	maxBodyBytes = 64 << 20
	// maxErrorBytes bounds how much of an error reply is read for its message.
	maxErrorBytes = 64 << 10
)

// RetryPolicy says how 429, 5xx and transport failures are retried.
type RetryPolicy struct {
	// MaxRetries is the number of retries after the first attempt.
	MaxRetries int
	// MinDelay is the first backoff; each retry doubles it up to MaxDelay.
	MinDelay time.Duration
	MaxDelay time.Duration
	// MaxRetryAfter caps how long a Retry-After header may make us wait;
	// a longer demand fails the request with the wait in the error.
	MaxRetryAfter time.Duration
}

// DefaultRetryPolicy retries five times over about 15 seconds.
var DefaultRetryPolicy = RetryPolicy{
	MaxRetries:    5,
	MinDelay:      500 * time.Millisecond,
	MaxDelay:      30 * time.Second,
	MaxRetryAfter: 2 * time.Minute,
}

// backoff is the wait before retry number attempt (0-based).
func (p RetryPolicy) backoff(attempt int) time.Duration {
	d := p.MinDelay
	for i := 0; i < attempt && d < p.MaxDelay; i++ {
		d *= 2
	}
	return min(d, p.MaxDelay)
}

// Client calls the JourneyBee API on behalf of one user. It is safe for
// concurrent use.
type Client struct {
	baseURL    *url.URL
	apiKey     string
	userID     int64
	httpClient *http.Client
	retry      RetryPolicy
	logger     hclog.Logger
	userAgent  string
	// limiter paces every request: this process's own, or the one shared
	// with every process on the machine using the key (sharedlimit.go).
	limiter   pacer
	perMinute int
	cache     *replyCache
	index     *scanIndex
	// stateDir, when set, is where the pace and replies are shared with
	// other processes; disk is that shared reply cache.
	stateDir string
	disk     *diskCache
	// sleep waits between retries; tests replace it to record the waits.
	sleep func(ctx context.Context, d time.Duration) error
}

// Option configures a Client.
type Option func(*Client) error

// WithBaseURL points the client at another host. It must be https://, or
// http:// on a loopback host (the fake server in tests).
func WithBaseURL(raw string) Option {
	return func(c *Client) error {
		u, err := ParseBaseURL(raw)
		if err != nil {
			return err
		}
		c.baseURL = u
		return nil
	}
}

// WithTimeout bounds each attempt, body included.
func WithTimeout(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return fmt.Errorf("timeout must be positive, got %s", d)
		}
		c.httpClient.Timeout = d
		return nil
	}
}

// WithTransport sends requests through rt instead of net/http's default
// transport: a test's in-memory fake (journeybeetest.Server.Transport), so
// that the client can run under testing/synctest's fake clock.
func WithTransport(rt http.RoundTripper) Option {
	return func(c *Client) error { c.httpClient.Transport = rt; return nil }
}

// WithRetryPolicy replaces DefaultRetryPolicy.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *Client) error {
		if p.MaxRetries < 0 || p.MinDelay < 0 || p.MaxDelay < p.MinDelay {
			return fmt.Errorf("invalid retry policy %+v", p)
		}
		c.retry = p
		return nil
	}
}

// WithLogger sends retry and failure logs to l. The API key is never logged.
func WithLogger(l hclog.Logger) Option {
	return func(c *Client) error { c.logger = l; return nil }
}

// DefaultRequestsPerMinute is the default rate limit: under the API's 100
// per minute per key, with headroom for clock skew and for other tools
// sharing the key.
const DefaultRequestsPerMinute = 90

// WithRateLimit lets at most perMinute requests out in any 60 s window,
// retries included: a small burst, then an even pace.
func WithRateLimit(perMinute int) Option {
	return func(c *Client) error {
		if perMinute < 2 {
			return fmt.Errorf("the rate limit must be at least 2 requests per minute, got %d", perMinute)
		}
		c.limiter, c.perMinute = newLimiter(perMinute), perMinute
		return nil
	}
}

// RateLimit is how the client paces requests at PerMinute: Burst requests
// at once, then one every Interval, so that any 60 s window holds at most
// Burst + 60 s / Interval = PerMinute.
type RateLimit struct {
	PerMinute, Burst int
	Interval         time.Duration
}

// RateLimitOf is the pacing of WithRateLimit(perMinute).
func RateLimitOf(perMinute int) RateLimit {
	burst := min(5, max(1, perMinute/18))
	return RateLimit{PerMinute: perMinute, Burst: burst, Interval: time.Minute / time.Duration(perMinute-burst)}
}

// String is the one statement of the limit that every text (docs, demo)
// carries, e.g. "90 requests a minute: a burst of 5, then one request every
// 0.71 s".
func (r RateLimit) String() string {
	return fmt.Sprintf("%d requests a minute: a burst of %d, then one request every %.2f s", r.PerMinute, r.Burst, r.Interval.Seconds())
}

// perSecond is the pace after the burst: the exact rate, not 1/Interval
// rounded to a nanosecond.
func (r RateLimit) perSecond() float64 { return float64(r.PerMinute-r.Burst) / 60 }

// newLimiter paces requests as RateLimitOf(perMinute) says.
func newLimiter(perMinute int) *rate.Limiter {
	l := RateLimitOf(perMinute)
	return rate.NewLimiter(rate.Limit(l.perSecond()), l.Burst)
}

// DefaultCacheBytes bounds the reply cache (see cache.go).
const DefaultCacheBytes = 256 << 20

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(c *Client) error { c.userAgent = ua; return nil }
}

// NewClient returns a client authenticating with apiKey as user userID.
func NewClient(apiKey string, userID int64, opts ...Option) (*Client, error) {
	if strings.TrimSpace(apiKey) == "" {
		return nil, errors.New("an API key is required")
	}
	if userID <= 0 {
		return nil, fmt.Errorf("the user ID must be a positive number, got %d", userID)
	}
	base, _ := url.Parse(DefaultBaseURL)
	c := &Client{
		baseURL:    base,
		apiKey:     apiKey,
		userID:     userID,
		httpClient: newHTTPClient(),
		retry:      DefaultRetryPolicy,
		logger:     hclog.NewNullLogger(),
		userAgent:  "steampipe-plugin-journeybee",
		limiter:    newLimiter(DefaultRequestsPerMinute),
		perMinute:  DefaultRequestsPerMinute,
		cache:      newReplyCache(DefaultCacheBytes),
		index:      newScanIndex(),
		sleep:      sleepContext,
	}
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	if c.stateDir != "" {
		c.shareState()
	}
	return c, nil
}

// WithStateDir shares the rate limit and the reply cache with every process
// on the machine that uses the same key and origin, through files in dir
// (created 0700; see statedir.go). Without it, or when dir cannot be used
// (said once in the log), the client paces and caches for its process alone.
func WithStateDir(dir string) Option {
	return func(c *Client) error { c.stateDir = dir; return nil }
}

// shareState switches the client to the shared pace and reply cache.
func (c *Client) shareState() {
	dir, err := openStateDir(c.stateDir)
	if err != nil {
		warnOnce(c.logger, "dir|"+c.stateDir, "journeybee api: the state directory cannot be used; the rate limit and reply cache hold for this process only", "path", c.stateDir, "error", err.Error())
		return
	}
	origin := c.baseURL.String()
	c.limiter = newSharedPace(dir, c.apiKey, origin, c.perMinute, c.limiter, c.logger)
	disk, err := newDiskCache(dir, c.apiKey, DefaultDiskCacheBytes, c.logger)
	if err != nil {
		warnOnce(c.logger, "disk|"+dir.file(replyDir), "journeybee api: the shared reply cache cannot be used; this process fetches on its own", "path", dir.file(replyDir), "error", err.Error())
		return
	}
	c.disk = disk
}

// UserID is the user the client acts for; endpoints that document a userId
// parameter send it.
func (c *Client) UserID() int64 { return c.userID }

// newHTTPClient is the default transport: a 30 s bound per attempt and no
// redirects followed.
func newHTTPClient() *http.Client {
	return &http.Client{Timeout: 30 * time.Second, CheckRedirect: refuseRedirects}
}

// refuseRedirects keeps the API key at its origin. net/http forwards the
// Authorization header to another port of the same host and to http:// from
// https://, so no redirect is followed at all: the 3xx reply comes back to
// the client, which reports where it pointed (see RedirectError). The API
// has one fixed base URL; a redirect means base_url is wrong or something
// between the plugin and JourneyBee rewrites traffic.
func refuseRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// ParseBaseURL accepts an https:// URL, or http:// on a loopback host, so
// that the key never crosses a network in clear text.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("invalid base URL %q: want an absolute URL such as %s", raw, DefaultBaseURL)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, fmt.Errorf("invalid base URL %q: must be https:// (http:// is allowed only for loopback hosts such as 127.0.0.1 or localhost)", raw)
		}
	default:
		return nil, fmt.Errorf("invalid base URL %q: scheme must be https", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("invalid base URL %q: must not carry credentials, a query or a fragment", raw)
	}
	return u, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// stripURL drops the request URL from net/http's errors: it carries the
// user's search text and filters, which belong in the query log, not in
// every error line.
func stripURL(err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return urlErr.Err
	}
	return err
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
