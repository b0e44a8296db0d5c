package journeybeetest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
)

// start runs a fake for the test's duration.
func start(t *testing.T, cfg Config) *Server {
	t.Helper()
	s := NewServer(cfg)
	t.Cleanup(s.Close)
	return s
}

// response is a reply read over real HTTP.
type response struct {
	status int
	header http.Header
	body   []byte
	// readErr is the error reading the body hit, if any.
	readErr error
}

// get sends GET path?query with the server's key.
func get(t *testing.T, s *Server, path string, query url.Values) response {
	t.Helper()
	return getWithKey(t, s, path, query, "Bearer "+s.APIKey())
}

func getWithKey(t *testing.T, s *Server, path string, query url.Values, authorization string) response {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+path+"?"+query.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, readErr := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: body, readErr: readErr}
}

// noRedirects shows a test the fake's raw reply, redirects included.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// leadsQuery is a valid Get Leads query for s plus extra key/value pairs.
func leadsQuery(s *Server, kv ...string) url.Values {
	q := url.Values{"userId": {strconv.FormatInt(s.UserID(), 10)}}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	return q
}

// getLeads fetches one page and fails the test unless it is a 200 array.
func getLeads(t *testing.T, s *Server, kv ...string) []Lead {
	t.Helper()
	r := get(t, s, leadsPath, leadsQuery(s, kv...))
	if r.status != http.StatusOK {
		t.Fatalf("GET leads %v: status %d: %s", kv, r.status, r.body)
	}
	var leads []Lead
	if err := json.Unmarshal(r.body, &leads); err != nil {
		t.Fatalf("GET leads %v: %v: %s", kv, err, r.body)
	}
	return leads
}

func ids(leads []Lead) []int64 { return mapSlice(leads, func(l Lead) int64 { return l.ID }) }

// clientIDs is ids for the client's leads.
func clientIDs(leads []api.Lead) []int64 {
	return mapSlice(leads, func(l api.Lead) int64 { return l.ID })
}

func mapSlice[T, U any](in []T, f func(T) U) []U {
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

// newClient is our API client pointed at s, retrying fast.
func newClient(t *testing.T, s *Server, opts ...api.Option) *api.Client {
	t.Helper()
	opts = append([]api.Option{
		api.WithBaseURL(s.URL),
		api.WithRateLimit(1_000_000),
		api.WithRetryPolicy(api.RetryPolicy{MaxRetries: 3, MinDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, MaxRetryAfter: 2 * time.Second}),
	}, opts...)
	c, err := api.NewClient(s.APIKey(), s.UserID(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// want compares id lists.
func wantIDs(t *testing.T, what string, got, want []int64) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: got ids %v, want %v", what, got, want)
	}
}
