// Package api is a small client for the JourneyBee v1 REST API. It knows
// nothing of Steampipe: typed options encode themselves into query strings,
// replies decode into typed structs, failures come back as typed errors, and
// paging, retries and error decoding live here once for every endpoint.
package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
)

// DefaultBaseURL is JourneyBee's production API host.
const DefaultBaseURL = "https://app.journeybee.io"

const (
	// maxPageBytes bounds a successful reply; a page of leads is far smaller.
	maxPageBytes = 64 << 20
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

// WithHTTPClient replaces the HTTP client (its Timeout bounds each attempt).
func WithHTTPClient(h *http.Client) Option {
	return func(c *Client) error { c.httpClient = h; return nil }
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
		httpClient: &http.Client{Timeout: 30 * time.Second},
		retry:      DefaultRetryPolicy,
		logger:     hclog.NewNullLogger(),
		userAgent:  "steampipe-plugin-journeybee",
		sleep:      sleepContext,
	}
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

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

// get performs GET path?query with retries and returns the 2xx body. The
// body is read into buf, reset first, and is valid until buf's next use; a
// pager passes the same buffer for every page, so that reading a page costs
// no allocation once the buffer has grown to a page's size.
func (c *Client) get(ctx context.Context, path string, query url.Values, buf *bytes.Buffer) ([]byte, error) {
	query.Set("userId", strconv.FormatInt(c.userID, 10))
	u := *c.baseURL
	u.Path = strings.TrimRight(u.Path, "/") + path
	u.RawQuery = query.Encode()
	target := u.String()

	for attempt := 0; ; attempt++ {
		body, err := c.getOnce(ctx, target, path, buf)
		if err == nil {
			return body, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		wait, retryable := c.retryWait(err, attempt)
		if !retryable {
			if attempt > 0 {
				return nil, &RetriesExhaustedError{Attempts: attempt + 1, Err: err}
			}
			return nil, err
		}
		c.logger.Warn("journeybee api: retrying", "path", path, "attempt", attempt+1, "wait", wait.String(), "error", err.Error())
		if err := c.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// retryWait decides whether err is worth another attempt and how long to
// wait first.
func (c *Client) retryWait(err error, attempt int) (time.Duration, bool) {
	if attempt >= c.retry.MaxRetries {
		return 0, false
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		if !apiErr.Temporary() {
			return 0, false
		}
		if apiErr.RetryAfter > 0 {
			return apiErr.RetryAfter, apiErr.RetryAfter <= c.retry.MaxRetryAfter
		}
		return c.retry.backoff(attempt), true
	}
	var transportErr *TransportError
	if errors.As(err, &transportErr) {
		return c.retry.backoff(attempt), !transportErr.Permanent
	}
	return 0, false
}

// getOnce makes one attempt.
func (c *Client) getOnce(ctx context.Context, target, path string, buf *bytes.Buffer) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)

	resp, err := c.httpClient.Do(req)
	if err != nil {
		return nil, newTransportError(path, stripURL(err))
	}
	defer resp.Body.Close()

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, newAPIError(resp, path)
	}
	buf.Reset()
	if _, err := buf.ReadFrom(io.LimitReader(resp.Body, maxPageBytes+1)); err != nil {
		return nil, newTransportError(path, stripURL(err))
	}
	body := buf.Bytes()
	if len(body) > maxPageBytes {
		return nil, &DecodeError{Path: path, ContentType: resp.Header.Get("Content-Type"), Reason: fmt.Sprintf("the reply exceeds %d MiB", maxPageBytes>>20)}
	}
	return body, nil
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
