package api

import (
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"
)

// APIError is a non-2xx reply. Message is the API's {"error": "..."} text,
// or a bounded snippet of the body when it is not that JSON.
type APIError struct {
	StatusCode int
	Message    string
	Path       string
	// RetryAfter is the wait a 429 or 503 asked for, zero when none was given.
	RetryAfter time.Duration
}

func (e *APIError) Error() string {
	msg := fmt.Sprintf("journeybee api: GET %s: %d %s", e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return msg
}

// Temporary reports whether the same request may succeed later.
func (e *APIError) Temporary() bool {
	return e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500
}

// StatusCode returns the HTTP status of err when it is (or wraps) an
// *APIError, else 0.
func StatusCode(err error) int {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	return 0
}

func newAPIError(resp *http.Response, path string) *APIError {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBytes))
	e := &APIError{StatusCode: resp.StatusCode, Path: path, RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())}
	var payload struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &payload) == nil && (payload.Error != "" || payload.Message != "") {
		e.Message = firstNonEmpty(payload.Error, payload.Message)
	} else {
		e.Message = snippet(body)
	}
	return e
}

// parseRetryAfter reads delay-seconds or an HTTP date; anything else is 0.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// IsNotFound reports whether err is the API's 404: for an item endpoint,
// the item does not exist (or is not visible to the key).
func IsNotFound(err error) bool { return StatusCode(err) == http.StatusNotFound }

// RedirectError is a 3xx reply. The client follows no redirect (see
// refuseRedirects), so the API key never travels beyond the base URL's
// origin; the error names where the redirect pointed, without its query.
type RedirectError struct {
	StatusCode int
	Path       string
	// Location is the redirect target, resolved against the request URL,
	// with any credentials, query and fragment removed.
	Location string
	// Origin is the base URL's scheme://host:port, the only place the key
	// is sent.
	Origin string
}

func (e *RedirectError) Error() string {
	target := e.Location
	if target == "" {
		target = "nowhere (no Location header)"
	}
	return fmt.Sprintf("journeybee api: GET %s: %d %s redirecting to %s: not followed, the API key is sent only to %s; if JourneyBee has moved, set base_url to the new address",
		e.Path, e.StatusCode, http.StatusText(e.StatusCode), target, e.Origin)
}

func newRedirectError(resp *http.Response, path string, base *url.URL) *RedirectError {
	e := &RedirectError{StatusCode: resp.StatusCode, Path: path, Origin: base.Scheme + "://" + base.Host}
	if loc, err := resp.Location(); err == nil {
		loc.User, loc.RawQuery, loc.ForceQuery, loc.Fragment, loc.RawFragment = nil, "", false, "", ""
		e.Location = loc.String()
	}
	return e
}

// TransportError is a failure below HTTP: refused connection, reset, timeout,
// a body cut short.
type TransportError struct {
	Path string
	// Host is the API host:port the request went to.
	Host string
	// Timeout is set when the attempt ran past the client's timeout.
	Timeout bool
	// Permanent is set for failures a retry cannot mend soon: a TLS
	// certificate that does not verify, a host name that does not resolve,
	// a host that refuses connections. Hint says what to check.
	Permanent bool
	Hint      string
	Err       error
}

// newTransportError keeps a timeout's text but not its identity: an attempt
// timing out is the API being slow, not the query's deadline, and callers
// (the Steampipe SDK among them) treat context.DeadlineExceeded as the latter.
func newTransportError(path string, err error) *TransportError {
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &certErr) {
		return &TransportError{Path: path, Permanent: true, Err: err}
	}
	// Retrying a name that does not resolve or a port nobody listens on
	// only makes the user wait: both are a wrong base_url or an API that
	// is down, and a person has to act.
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		return &TransportError{Path: path, Permanent: true, Err: err, Hint: "the host name does not resolve (DNS); check base_url and the network"}
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return &TransportError{Path: path, Permanent: true, Err: err, Hint: "nothing accepts connections there; check base_url and that the API is up"}
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return &TransportError{Path: path, Timeout: true, Err: errors.New(err.Error())}
	}
	return &TransportError{Path: path, Err: err}
}

// from records the host the request went to.
func (e *TransportError) from(host string) *TransportError {
	e.Host = host
	return e
}

func (e *TransportError) Error() string {
	where := e.Path
	if e.Host != "" {
		where = e.Host + e.Path
	}
	msg := fmt.Sprintf("journeybee api: GET %s: %v", where, e.Err)
	if e.Timeout {
		msg = fmt.Sprintf("journeybee api: GET %s: timed out: %v", where, e.Err)
	}
	if e.Hint != "" {
		msg += " (not retried: " + e.Hint + ")"
	}
	return msg
}

func (e *TransportError) Unwrap() error { return e.Err }

// RetriesExhaustedError is the last failure of a request that was retried.
type RetriesExhaustedError struct {
	Attempts int
	Err      error
}

func (e *RetriesExhaustedError) Error() string {
	return fmt.Sprintf("%v (gave up after %d attempts)", e.Err, e.Attempts)
}

func (e *RetriesExhaustedError) Unwrap() error { return e.Err }

// DecodeError is a 2xx reply that is not what the endpoint documents.
type DecodeError struct {
	Path        string
	ContentType string
	Reason      string
	Body        string
}

func (e *DecodeError) Error() string {
	msg := fmt.Sprintf("journeybee api: GET %s: unexpected reply: %s", e.Path, e.Reason)
	if e.ContentType != "" {
		msg += " (content type " + e.ContentType + ")"
	}
	if e.Body != "" {
		msg += ": " + e.Body
	}
	return msg
}

// PagingError means the API's paging no longer matches the assumption the
// pager relies on (see cursor.go). It is raised instead of returning a result
// that could silently miss or repeat items.
type PagingError struct {
	Path   string
	Page   int
	Reason string
}

func (e *PagingError) Error() string {
	return fmt.Sprintf("journeybee api: GET %s page %d: the API's paging no longer matches the plugin's assumption (items newest first by created_at; a request with cursor C returns the items created before C; total counts them all): %s", e.Path, e.Page, e.Reason)
}

// snippet renders at most 200 characters of a body for an error message.
func snippet(body []byte) string {
	s := strings.Join(strings.Fields(string(body)), " ")
	const limit = 200
	if len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
