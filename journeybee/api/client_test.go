package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

const testKey = "jb_api_TEST-KEY-never-shown"

// scripted serves each request with the next handler of a script (the last
// one repeats) and records the requests.
type scripted struct {
	mu       sync.Mutex
	handlers []http.HandlerFunc
	requests []*http.Request
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	n := len(s.requests)
	s.requests = append(s.requests, r.Clone(context.Background()))
	h := s.handlers[min(n, len(s.handlers)-1)]
	s.mu.Unlock()
	h(w, r)
}

func (s *scripted) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// newScriptedClient returns a client on a scripted server whose retry waits
// are recorded instead of slept.
func newScriptedClient(t *testing.T, handlers ...http.HandlerFunc) (*Client, *scripted, *[]time.Duration) {
	t.Helper()
	script := &scripted{handlers: handlers}
	srv := httptest.NewServer(script)
	t.Cleanup(srv.Close)
	c, err := NewClient(testKey, 456, WithBaseURL(srv.URL), WithRateLimit(1_000_000))
	if err != nil {
		t.Fatal(err)
	}
	var waits []time.Duration
	c.sleep = func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		return ctx.Err()
	}
	return c, script, &waits
}

func reply(status int, body string, headers ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

func TestDecodeDocumentedExample(t *testing.T) {
	raw, err := os.ReadFile("testdata/reference/leads.json")
	if err != nil {
		t.Fatal(err)
	}
	var leads []Lead
	if err := decodeBody(LeadsPath, raw, &leads); err != nil {
		t.Fatalf("the reference's example response does not decode: %v", err)
	}
	if len(leads) != 1 {
		t.Fatalf("got %d leads, want 1", len(leads))
	}
	l := leads[0]
	str := func(s string) *string { return &s }
	i64 := func(i int64) *int64 { return &i }
	ts := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	updated := ts("2024-01-15T12:45:00Z")
	// The lists the plugin does not inspect are the example's own bytes.
	var example []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &example); err != nil {
		t.Fatal(err)
	}
	want := Lead{
		Total: 1, ID: 789, UUID: str("lead-uuid-789"),
		CreatedAt: ts("2024-01-15T10:30:00Z"), UpdatedAt: &updated,
		Source: str("partnership"), CompanyName: str("TechCorp Solutions"), Email: str("contact@techcorp.com"),
		PhoneNumber: str("+1-555-123-4567"), FirstName: str("John"), LastName: str("Smith"),
		Status: str("new"), PartnerType: str("referral"), CompanyID: i64(123), CreatedByUserID: i64(456),
		Tags:             RawList[Ref]{Raw: example[0]["tags"], Items: []Ref{{ID: 10}}},
		AssignedUsers:    RawList[Ref]{Raw: example[0]["assigned_users"], Items: []Ref{{ID: 456}}},
		PartnershipLeads: example[0]["partnership_leads"],
		CampaignPartners: example[0]["campaign_partners"],
		LeadDeals:        example[0]["lead_deals"],
	}
	if !reflect.DeepEqual(l, want) {
		t.Fatalf("decoded lead differs from the reference:\n got %+v\nwant %+v", l, want)
	}
	if l.CampaignID != nil || l.CampaignTitle != nil {
		t.Fatal("null campaign fields must decode as nil")
	}
}

// TestRawListsKeepTheAPIsBytes: nested nulls, unknown fields and a null list
// come through exactly as the API sent them.
func TestRawListsKeepTheAPIsBytes(t *testing.T) {
	body := `[{"id":1,"created_at":"2024-01-15T10:30:00Z","source":null,"tags":null,` +
		`"assigned_users":[{"id":7,"color":null,"new_field":{"x":[1]}}],` +
		`"lead_deals":[{"id":3,"deal_value":null,"stage_id":null,"stage_label":null}]}]`
	var leads []Lead
	if err := decodeBody(LeadsPath, []byte(body), &leads); err != nil {
		t.Fatal(err)
	}
	l := leads[0]
	if l.Source != nil || l.Tags.Raw != nil || l.Tags.Items != nil || l.PartnershipLeads != nil {
		t.Fatalf("nulls and absent lists must stay nil: source %v, tags %+v, partnership_leads %s", l.Source, l.Tags, l.PartnershipLeads)
	}
	if got := string(l.AssignedUsers.Raw); got != `[{"id":7,"color":null,"new_field":{"x":[1]}}]` || l.AssignedUsers.Items[0].ID != 7 {
		t.Fatalf("assigned_users = %s %+v, want the API's bytes and id 7", got, l.AssignedUsers.Items)
	}
	if got := string(l.LeadDeals); got != `[{"id":3,"deal_value":null,"stage_id":null,"stage_label":null}]` {
		t.Fatalf("lead_deals = %s, want the nested nulls kept", got)
	}
}

func TestByteOrderMarkIsTolerated(t *testing.T) {
	c, _, _ := newScriptedClient(t, reply(200, "\xEF\xBB\xBF"+`[{"total":1,"id":1,"created_at":"2024-01-15T10:30:00Z","email":"ceo@customer.example"}]`))
	leads, err := c.AllLeads(context.Background(), ListLeadsOptions{})
	if err != nil || len(leads) != 1 {
		t.Fatalf("%d leads, err %v: a leading byte-order mark must be ignored", len(leads), err)
	}
	c, _, _ = newScriptedClient(t, reply(200, "\xEF\xBB\xBF"+`[{"id":1,"email":"ceo@customer.example",`))
	_, err = c.AllLeads(context.Background(), ListLeadsOptions{})
	if err == nil || strings.Contains(err.Error(), "ceo@customer.example") {
		t.Fatalf("err = %v: a malformed body after a BOM starts like JSON and must not be quoted", err)
	}
}

func TestNULCharactersBecomeReplacementCharacters(t *testing.T) {
	body := `[{"id":1,"created_at":"2024-01-15T10:30:00Z","company_name":"Ac\u0000me","first_name":"a\\u0000b",` +
		`"lead_deals":[{"label":"x\u0000"}]}]`
	var leads []Lead
	if err := decodeBody(LeadsPath, []byte(body), &leads); err != nil {
		t.Fatal(err)
	}
	l := leads[0]
	if *l.CompanyName != "Ac\uFFFDme" {
		t.Fatalf("company_name = %q, want the NUL replaced by U+FFFD", *l.CompanyName)
	}
	if *l.FirstName != `a\u0000b` {
		t.Fatalf("first_name = %q: an escaped backslash before u0000 is text and must stay", *l.FirstName)
	}
	if got := string(l.LeadDeals); got != `[{"label":"x\ufffd"}]` {
		t.Fatalf("lead_deals = %s, want the escape rewritten in the raw bytes too", got)
	}
}

// TestRedirectsAreNeverFollowed: a redirect to another port of the same
// host, or anywhere else, is reported, not followed: the key is sent once,
// to the base URL's origin only, and the redirect is not retried.
func TestRedirectsAreNeverFollowed(t *testing.T) {
	elsewhere := &scripted{handlers: []http.HandlerFunc{reply(200, `[]`)}}
	other := httptest.NewServer(elsewhere)
	defer other.Close()
	for _, status := range []int{301, 302, 307, 308} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			c, script, _ := newScriptedClient(t, reply(status, "", "Location", other.URL+"/api/v1/leads?token=abc"))
			_, err := c.AllLeads(context.Background(), ListLeadsOptions{})
			var redirectErr *RedirectError
			if !errors.As(err, &redirectErr) {
				t.Fatalf("err = %v, want a *RedirectError", err)
			}
			if !strings.Contains(err.Error(), "redirecting to "+other.URL+"/api/v1/leads: not followed") || strings.Contains(err.Error(), "token=abc") {
				t.Fatalf("err = %q, want it to name the target without its query", err)
			}
			if strings.Contains(err.Error(), testKey) || strings.Contains(err.Error(), "Invalid API key") {
				t.Fatalf("err = %q", err)
			}
			if script.count() != 1 || elsewhere.count() != 0 {
				t.Fatalf("%d requests to the API and %d elsewhere, want 1 and 0", script.count(), elsewhere.count())
			}
		})
	}
}

func TestListLeadsOptionsValues(t *testing.T) {
	tests := []struct {
		name string
		opts ListLeadsOptions
		want string
	}{
		{"none", ListLeadsOptions{}, ""},
		{"search", ListLeadsOptions{Search: "tech corp"}, "search=tech+corp"},
		{"view", ListLeadsOptions{View: ViewReceived}, "view=received"},
		{"assigned", ListLeadsOptions{Assigned: true}, "assigned=1"},
		{"unassigned", ListLeadsOptions{Unassigned: true}, "unassigned=1"},
		{"statuses", ListLeadsOptions{Statuses: []Status{StatusNew, StatusContacted}}, "status=new%2Ccontacted"},
		{"tags", ListLeadsOptions{TagIDs: []int64{10, 11}}, "tags=10%2C11"},
		{"users", ListLeadsOptions{UserIDs: []int64{456}}, "users=456"},
		{"custom fields verbatim", ListLeadsOptions{CustomFields: json.RawMessage(`[ {"id": 1, "value": {"text": "x"}} ]`)}, "customFields=" + url.QueryEscape(`[ {"id": 1, "value": {"text": "x"}} ]`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.opts.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if got := tt.opts.Values().Encode(); got != tt.want {
				t.Fatalf("Values() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestListLeadsOptionsValidate(t *testing.T) {
	tests := []struct {
		name    string
		opts    ListLeadsOptions
		wantErr string
	}{
		{"unknown status", ListLeadsOptions{Statuses: []Status{"won"}}, `invalid status "won": allowed values are new, contacted, qualified, converted, lost`},
		{"unknown view", ListLeadsOptions{View: "mine"}, `invalid view "mine": allowed values are received, sent, reseller, campaigns`},
		{"both assignments", ListLeadsOptions{Assigned: true, Unassigned: true}, "cannot both"},
		{"custom fields not JSON", ListLeadsOptions{CustomFields: json.RawMessage(`{oops`)}, "want a JSON array of objects"},
		{"custom fields not an array", ListLeadsOptions{CustomFields: json.RawMessage(`{"id":1}`)}, "want a JSON array of objects"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.opts.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Validate() = %v, want an error containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestParseBaseURL(t *testing.T) {
	for _, ok := range []string{"https://app.journeybee.io", "https://eu.example.com/", "http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9"} {
		if _, err := ParseBaseURL(ok); err != nil {
			t.Errorf("ParseBaseURL(%q) = %v, want ok", ok, err)
		}
	}
	for raw, want := range map[string]string{
		"http://app.journeybee.io":           "must be https://",
		"http://10.0.0.1":                    "must be https://",
		"ftp://app.journeybee.io":            "scheme must be https",
		"app.journeybee.io":                  "want an absolute URL",
		"https://user:pw@app.journeybee.io":  "must not carry credentials",
		"https://app.journeybee.io/?key=abc": "must not carry credentials, a query",
	} {
		_, err := ParseBaseURL(raw)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseBaseURL(%q) = %v, want error containing %q", raw, err, want)
		}
	}
}

func TestNewClientRequiresCredentials(t *testing.T) {
	if _, err := NewClient("  ", 1); err == nil || !strings.Contains(err.Error(), "API key is required") {
		t.Fatalf("empty key: %v", err)
	}
	if _, err := NewClient("k", 0); err == nil || !strings.Contains(err.Error(), "positive") {
		t.Fatalf("zero user: %v", err)
	}
}

func TestRequestCarriesKeyOnlyInHeader(t *testing.T) {
	c, script, _ := newScriptedClient(t, reply(200, `[]`))
	if _, err := c.AllLeads(context.Background(), ListLeadsOptions{Search: "x"}); err != nil {
		t.Fatal(err)
	}
	r := script.requests[0]
	if got := r.Header.Get("Authorization"); got != "Bearer "+testKey {
		t.Fatalf("Authorization = %q", got)
	}
	if strings.Contains(r.URL.String(), testKey) {
		t.Fatalf("the key leaked into the URL %s", r.URL)
	}
	if r.URL.Path != LeadsPath || r.URL.Query().Get("userId") != "456" {
		t.Fatalf("request = %s, want %s?userId=456…", r.URL, LeadsPath)
	}
}

func TestErrorStatusesAreNotRetried(t *testing.T) {
	for _, tt := range []struct {
		status int
		body   string
		want   string
	}{
		{401, `{"error":"Invalid API key or insufficient permissions"}`, "401 Unauthorized: Invalid API key or insufficient permissions"},
		{403, `{"error":"Read access required for this operation"}`, "403 Forbidden: Read access required for this operation"},
		{404, `{"error":"Company not found or user not authorized"}`, "404 Not Found: Company not found or user not authorized"},
		{400, `not json at all`, "400 Bad Request: not json at all"},
	} {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			c, script, _ := newScriptedClient(t, reply(tt.status, tt.body))
			_, err := c.AllLeads(context.Background(), ListLeadsOptions{})
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != tt.status {
				t.Fatalf("err = %v, want *APIError %d", err, tt.status)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %q, want it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), testKey) {
				t.Fatal("the key leaked into the error")
			}
			if script.count() != 1 {
				t.Fatalf("%d requests, want 1 (no retry)", script.count())
			}
		})
	}
}

func TestRetriesWithExponentialBackoff(t *testing.T) {
	c, script, waits := newScriptedClient(t,
		reply(503, `{"error":"busy"}`),
		reply(502, `bad gateway`),
		reply(500, `{"error":"oops"}`),
		reply(200, `[]`))
	if _, err := c.AllLeads(context.Background(), ListLeadsOptions{}); err != nil {
		t.Fatalf("AllLeads: %v", err)
	}
	if script.count() != 4 {
		t.Fatalf("%d requests, want 4", script.count())
	}
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}
	if !reflect.DeepEqual(*waits, want) {
		t.Fatalf("waits = %v, want %v", *waits, want)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	c, _, waits := newScriptedClient(t,
		reply(429, `{"error":"Too many requests"}`, "Retry-After", "7"),
		reply(429, `{"error":"Too many requests"}`),
		reply(200, `[]`))
	if _, err := c.AllLeads(context.Background(), ListLeadsOptions{}); err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{7 * time.Second, time.Second}
	if !reflect.DeepEqual(*waits, want) {
		t.Fatalf("waits = %v, want %v (Retry-After, then backoff)", *waits, want)
	}
}

func TestRetryAfterBeyondCapFailsWithTheWait(t *testing.T) {
	c, script, waits := newScriptedClient(t, reply(429, `{"error":"Too many requests"}`, "Retry-After", "3600"))
	_, err := c.AllLeads(context.Background(), ListLeadsOptions{})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.RetryAfter != time.Hour {
		t.Fatalf("err = %v, want a 429 *APIError carrying RetryAfter 1h", err)
	}
	if !strings.Contains(err.Error(), "retry after 1h0m0s") || script.count() != 1 || len(*waits) != 0 {
		t.Fatalf("err = %v after %d requests and waits %v", err, script.count(), *waits)
	}
}

func TestRetriesExhausted(t *testing.T) {
	c, script, _ := newScriptedClient(t, reply(500, `{"error":"Internal error"}`))
	_, err := c.AllLeads(context.Background(), ListLeadsOptions{})
	var exhausted *RetriesExhaustedError
	if !errors.As(err, &exhausted) || exhausted.Attempts != DefaultRetryPolicy.MaxRetries+1 {
		t.Fatalf("err = %v, want *RetriesExhaustedError after %d attempts", err, DefaultRetryPolicy.MaxRetries+1)
	}
	if StatusCode(err) != 500 || !strings.Contains(err.Error(), "gave up after 6 attempts") {
		t.Fatalf("err = %v", err)
	}
	if script.count() != 6 {
		t.Fatalf("%d requests, want 6", script.count())
	}
}

func TestTransportErrorsAreRetried(t *testing.T) {
	reset := func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			panic(err)
		}
		_, _ = conn.Write([]byte("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n[{\"id\":1"))
		conn.Close()
	}
	c, script, waits := newScriptedClient(t, reset, reset, reply(200, `[]`))
	if _, err := c.AllLeads(context.Background(), ListLeadsOptions{}); err != nil {
		t.Fatalf("AllLeads: %v", err)
	}
	if script.count() != 3 || len(*waits) != 2 {
		t.Fatalf("%d requests and waits %v, want 3 requests after 2 waits", script.count(), *waits)
	}
}

func TestErrorBodiesAreBounded(t *testing.T) {
	huge := strings.Repeat("<p>gateway</p>", 100000)
	c, _, _ := newScriptedClient(t, reply(400, huge))
	_, err := c.AllLeads(context.Background(), ListLeadsOptions{})
	if err == nil || len(err.Error()) > 400 {
		t.Fatalf("error of %d bytes, want a bounded message", len(fmt.Sprint(err)))
	}
}

func TestUnexpectedSuccessBodies(t *testing.T) {
	for _, tt := range []struct{ name, body, want string }{
		{"html page", "<!DOCTYPE html><html><body>Maintenance</body></html>", "an HTML page instead of JSON"},
		{"object", `{"leads":[]}`, "a JSON object instead of the documented array"},
		{"object with error", `{"error":"session expired"}`, `a JSON object carrying the error "session expired"`},
		{"truncated", `[{"id":1,"created_at":"2024-01-15T10:30:00Z"`, "the body is malformed or cut short: unexpected end of JSON input"},
		{"malformed", `[{"id":1,,}]`, "the body is malformed or cut short: invalid character"},
		{"plain text", `Service temporarily unavailable`, "text that is not JSON: Service temporarily unavailable"},
		{"empty", ``, "an empty body"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, script, _ := newScriptedClient(t, reply(200, tt.body, "Content-Type", "text/html"))
			_, err := c.AllLeads(context.Background(), ListLeadsOptions{})
			var decodeErr *DecodeError
			if !errors.As(err, &decodeErr) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want a *DecodeError containing %q", err, tt.want)
			}
			if script.count() != 1 {
				t.Fatalf("%d requests, want 1", script.count())
			}
		})
	}
}

func TestDecodeErrorsDoNotQuoteLeadData(t *testing.T) {
	c, _, _ := newScriptedClient(t, reply(200, `[{"id":1,"email":"ceo@customer.example","first_name":`))
	_, err := c.AllLeads(context.Background(), ListLeadsOptions{})
	if err == nil || strings.Contains(err.Error(), "ceo@customer.example") {
		t.Fatalf("err = %v: a malformed page's customer data must not be quoted", err)
	}
}

func TestTimeoutIsRetriedThenReported(t *testing.T) {
	slow := func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	}
	script := &scripted{handlers: []http.HandlerFunc{slow}}
	srv := httptest.NewServer(script)
	defer srv.Close()
	c, err := NewClient(testKey, 456, WithBaseURL(srv.URL), WithTimeout(50*time.Millisecond),
		WithRetryPolicy(RetryPolicy{MaxRetries: 1, MinDelay: time.Millisecond, MaxDelay: time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.AllLeads(context.Background(), ListLeadsOptions{})
	var transportErr *TransportError
	if !errors.As(err, &transportErr) || !strings.Contains(err.Error(), "timed out") || !strings.Contains(err.Error(), "gave up after 2 attempts") {
		t.Fatalf("err = %v, want a timeout reported after 2 attempts", err)
	}
	if strings.Contains(err.Error(), "userId") {
		t.Fatalf("the request URL leaked into the error: %v", err)
	}
}

func TestCancelledContextStopsRetrying(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	c, script, _ := newScriptedClient(t, func(w http.ResponseWriter, r *http.Request) {
		cancel()
		w.WriteHeader(503)
	})
	_, err := c.AllLeads(ctx, ListLeadsOptions{})
	if !errors.Is(err, context.Canceled) || script.count() != 1 {
		t.Fatalf("err = %v after %d requests, want context.Canceled after 1", err, script.count())
	}
}

func TestRequestQueryIsWellFormed(t *testing.T) {
	c, script, _ := newScriptedClient(t, reply(200, `[]`))
	opts := ListLeadsOptions{Search: "a&b=c", View: ViewSent, Statuses: []Status{StatusLost}}
	if _, err := c.AllLeads(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	got := script.requests[0].URL.Query()
	want := url.Values{"search": {"a&b=c"}, "view": {"sent"}, "status": {"lost"}, "userId": {"456"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("query = %v, want %v", got, want)
	}
}

func TestTimeoutIsNotTheCallersDeadline(t *testing.T) {
	err := newTransportError("/x", context.DeadlineExceeded)
	if errors.Is(err, context.DeadlineExceeded) || !err.Timeout || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("err = %v: an attempt's timeout must read as a timeout but not be the caller's deadline", err)
	}
}

// TestTLSIsVerified: a server whose certificate does not verify is refused
// at once: the client never skips TLS verification, and does not retry a
// failure no retry can mend.
func TestTLSIsVerified(t *testing.T) {
	script := &scripted{handlers: []http.HandlerFunc{reply(200, `[]`)}}
	srv := httptest.NewTLSServer(script)
	defer srv.Close()
	c, err := NewClient(testKey, 456, WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.AllLeads(context.Background(), ListLeadsOptions{})
	var transportErr *TransportError
	if !errors.As(err, &transportErr) || !transportErr.Permanent || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("err = %v, want a permanent certificate verification failure", err)
	}
	if strings.Contains(err.Error(), "gave up after") {
		t.Fatalf("a certificate failure was retried: %v", err)
	}
}
