package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The one request path every endpoint uses: wait for a rate-limit slot,
// send, retry what a retry can mend, decode the documented JSON.

// RequestWait is called before every request the client sends, retries
// included; an error stops the request. The Steampipe plugin waits on its
// rate limiter there.
type RequestWait func(ctx context.Context) error

type requestWaitKey struct{}

// WithRequestWait returns a context under which every request waits on w
// first. It rides on the context so that one wait covers every endpoint,
// pager and retry a query makes.
func WithRequestWait(ctx context.Context, w RequestWait) context.Context {
	return context.WithValue(ctx, requestWaitKey{}, w)
}

func waitBeforeRequest(ctx context.Context) error {
	if w, ok := ctx.Value(requestWaitKey{}).(RequestWait); ok && w != nil {
		return w(ctx)
	}
	return nil
}

// get sends GET path?query, with retries, and decodes the 2xx body into v.
func (c *Client) get(ctx context.Context, path string, query url.Values, v any) error {
	body, err := c.getBody(ctx, path, query)
	if err != nil {
		return err
	}
	return decodeBody(path, body, v)
}

// getBody returns the 2xx body of GET path?query: from the reply cache
// when the context allows it, else from the API.
func (c *Client) getBody(ctx context.Context, path string, query url.Values) ([]byte, error) {
	u := *c.baseURL
	u.Path = strings.TrimRight(u.Path, "/") + path
	u.RawQuery = query.Encode()
	target := u.String()
	if ttl := cacheTTL(ctx); ttl > 0 {
		return c.cache.getFetched(ctx, target, ttl, func() ([]byte, time.Time, error) {
			fetch := func() ([]byte, error) { return c.send(ctx, target, path) }
			if c.disk != nil {
				// Another process may have it, or be fetching it.
				return c.disk.get(ctx, target, ttl, fetch)
			}
			body, err := fetch()
			return body, c.cache.now(), err
		})
	}
	return c.send(ctx, target, path)
}

// send makes the request, with retries. Every attempt waits first for the
// client's rate limit and the caller's RequestWait.
func (c *Client) send(ctx context.Context, target, path string) ([]byte, error) {
	for attempt := 0; ; attempt++ {
		c.notifyLimiterWait(ctx, path)
		if err := c.limiter.Wait(ctx); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			// The wait would outlast the caller's deadline.
			return nil, fmt.Errorf("journeybee api: GET %s: no rate-limit slot before the query's deadline (the client sends at most its requests per minute): %w", path, context.DeadlineExceeded)
		}
		if err := waitBeforeRequest(ctx); err != nil {
			return nil, err
		}
		notify(Event{Kind: EventRequest, Path: path, Attempt: attempt + 1})
		body, err := c.getOnce(ctx, target, path)
		notify(Event{Kind: EventReply, Path: path, Attempt: attempt + 1, Status: StatusCode(err), Err: err})
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
		notify(Event{Kind: EventRetry, Path: path, Attempt: attempt + 1, Err: err, Wait: wait, Until: time.Now().Add(wait)})
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
func (c *Client) getOnce(ctx context.Context, target, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)

	resp, err := c.httpClient.Do(req)
	if err != nil {
		return nil, newTransportError(path, stripURL(err)).from(c.baseURL.Host)
	}
	defer resp.Body.Close()

	if resp.StatusCode >= 300 && resp.StatusCode <= 399 {
		return nil, newRedirectError(resp, path, c.baseURL)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, newAPIError(resp, path)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes+1))
	if err != nil {
		return nil, newTransportError(path, stripURL(err)).from(c.baseURL.Host)
	}
	if len(body) > maxBodyBytes {
		return nil, &DecodeError{Path: path, ContentType: resp.Header.Get("Content-Type"), Reason: fmt.Sprintf("the reply exceeds %d MiB", maxBodyBytes>>20)}
	}
	return body, nil
}

// utf8BOM may precede a JSON text (RFC 8259 §8.1 lets a parser ignore it).
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// decodeBody decodes a 2xx body into v with encoding/json, after the two
// repairs every reply gets: a leading byte-order mark is dropped, and NUL
// characters in strings become U+FFFD (see replaceNULEscapes).
func decodeBody(path string, body []byte, v any) error {
	body = bytes.TrimPrefix(body, utf8BOM)
	body = replaceNULEscapes(body)
	if err := json.Unmarshal(body, v); err != nil {
		return decodeFailure(path, body, err)
	}
	return nil
}

// nulEscape is how JSON writes U+0000; a raw NUL byte is not valid JSON.
var nulEscape = []byte(`\u0000`)

// replaceNULEscapes rewrites every \u0000 escape inside a JSON string as
// \ufffd, the replacement character. PostgreSQL cannot store U+0000 in text
// or jsonb, so in Steampipe one such name would fail the whole query;
// rewriting the body once covers decoded fields and jsonb columns kept as
// the API's bytes alike. An escaped backslash followed by "u0000" is text,
// not an escape, and is left alone.
func replaceNULEscapes(body []byte) []byte {
	if !bytes.Contains(body, nulEscape) {
		return body
	}
	out := bytes.Clone(body)
	for i := 0; i < len(out); i++ {
		if out[i] != '\\' || i+1 >= len(out) {
			continue
		}
		if bytes.HasPrefix(out[i:], nulEscape) {
			copy(out[i:], `\ufffd`)
		}
		i++ // skip the escaped character, so `\\` never starts an escape
	}
	return out
}

// decodeFailure explains a 2xx body that is not the documented JSON. Only
// bodies that cannot be JSON (a proxy's HTML page, plain text) are quoted: a
// body that starts like JSON holds customer data, which does not belong in
// errors and logs.
func decodeFailure(path string, body []byte, err error) error {
	e := &DecodeError{Path: path, Reason: "the body is malformed or cut short: " + err.Error()}
	var typeErr *json.UnmarshalTypeError
	switch c := firstByte(body); {
	case c == 0:
		e.Reason = "an empty body instead of JSON"
	case c == '{' && errors.As(err, &typeErr) && typeErr.Field == "":
		var payload struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(body, &payload) == nil && payload.Error != "" {
			e.Reason = fmt.Sprintf("a JSON object carrying the error %q instead of an array", payload.Error)
		} else {
			e.Reason = "a JSON object instead of the documented array"
		}
	case c == '[' && errors.As(err, &typeErr) && typeErr.Field == "":
		e.Reason = "a JSON array instead of the documented object"
	case c == '<':
		e.Reason, e.Body = "an HTML page instead of JSON", snippet(body)
	case !startsLikeJSON(c):
		e.Reason, e.Body = "text that is not JSON", snippet(body)
	}
	return e
}

func startsLikeJSON(c byte) bool {
	return strings.IndexByte(`[{"-0123456789tfn`, c) >= 0
}

func firstByte(b []byte) byte {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c
	}
	return 0
}
