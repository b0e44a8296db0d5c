package journeybeetest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"
)

// FaultKind names a way the fake misbehaves.
type FaultKind string

// Fault kinds. Replacing faults answer instead of the API, whatever the
// request; shaping faults distort a successful reply of any endpoint, on
// its JSON, and leave error replies alone; delivery faults change how the
// reply travels.
const (
	// FaultStatus replies with Status (default 500) and a JSON error body
	// ({"error": "<status text>"}, or Body verbatim), with the Retry-After
	// header when RetryAfter is set. Replacing.
	FaultStatus FaultKind = "status"
	// FaultHTMLPage replies with an HTML error page (or Body) as text/html,
	// with Status, default 200, as a misconfigured proxy does. Replacing.
	FaultHTMLPage FaultKind = "html_page"
	// FaultRedirect replies with Status (301, 302, 303, 307 or 308; default
	// 302), an empty body and Location verbatim, as a proxy or a moved API
	// would. Replacing.
	FaultRedirect FaultKind = "redirect"

	// FaultMalformedJSON corrupts the page body (or replies Body). Shaping.
	FaultMalformedJSON FaultKind = "malformed_json"
	// FaultTruncatedJSON sends the first half of the page body: a valid
	// prefix with status 200 and a matching Content-Length. Shaping.
	FaultTruncatedJSON FaultKind = "truncated_json"
	// FaultObjectInsteadOfArray wraps the reply in an object under the
	// reference's name for it, e.g. {"leads": [...]} (or replies Body).
	// Shaping.
	FaultObjectInsteadOfArray FaultKind = "object_instead_of_array"
	// FaultExtraFields adds unknown fields to every item. Shaping.
	FaultExtraFields FaultKind = "extra_fields"
	// FaultNullArrays sends null for every array-valued field of every
	// item (for leads: tags, assigned_users, partnership_leads,
	// campaign_partners and lead_deals). Shaping.
	FaultNullArrays FaultKind = "null_arrays"
	// FaultReorderPage sends a list in reverse (a page oldest first).
	// Shaping; lists only.
	FaultReorderPage FaultKind = "reorder_page"
	// FaultLeadNewerThanCursor puts at the top of the page an item created
	// after the request's cursor: the closest real one, or a synthetic one
	// when none is newer. It fires only on cursor-paged endpoints, on
	// requests carrying a cursor. Shaping.
	FaultLeadNewerThanCursor FaultKind = "lead_newer_than_cursor"
	// FaultBOM prefixes the body with a UTF-8 byte-order mark (EF BB BF).
	// Shaping.
	FaultBOM FaultKind = "bom"

	// FaultDelay waits Delay before answering (aborted when the client
	// goes away or the server closes). Delivery.
	FaultDelay FaultKind = "delay"
	// FaultConnectionReset hijacks the connection, writes the status line,
	// headers (promising the full Content-Length) and half the body, then
	// closes it: the client fails while reading the body (unexpected EOF).
	// Delivery.
	FaultConnectionReset FaultKind = "connection_reset"
)

// FaultKinds lists every kind, for tests that walk them all.
var FaultKinds = []FaultKind{
	FaultStatus, FaultHTMLPage, FaultRedirect,
	FaultMalformedJSON, FaultTruncatedJSON, FaultObjectInsteadOfArray, FaultExtraFields, FaultNullArrays, FaultReorderPage, FaultLeadNewerThanCursor, FaultBOM,
	FaultDelay, FaultConnectionReset,
}

// Always, as Fault.Times, makes a fault fire on every request from
// OnRequest on.
const Always = -1

// Fault makes the fake misbehave on chosen requests. Requests are numbered
// from 1 in arrival order since the server started or ResetRequests.
//
//	{Kind: FaultStatus, Status: 503}                     every request
//	{Kind: FaultStatus, Status: 503, Times: 2}           requests 1 and 2
//	{Kind: FaultStatus, Status: 429, OnRequest: 3, RetryAfter: "1"}  request 3 only
//	{Kind: FaultReorderPage, OnRequest: 2, Times: Always}  request 2 and every later one
//
// Several faults may fire on one request and compose: shaping faults apply
// together, delays add up, and among replacing faults the first listed wins.
type Fault struct {
	// OnRequest is the first request number the fault fires on; 0 means
	// from the first request.
	OnRequest int
	// Times is how many consecutive requests it fires on. 0 means once when
	// OnRequest is set and on every request when it is not; Always means
	// every request from OnRequest on.
	Times int
	Kind  FaultKind
	// Status is the HTTP status of FaultStatus (default 500),
	// FaultHTMLPage (default 200) and FaultRedirect (default 302).
	Status int
	// Location is FaultRedirect's absolute URL, sent verbatim.
	Location string
	// RetryAfter is sent as the Retry-After header by FaultStatus.
	RetryAfter string
	// Delay is FaultDelay's wait.
	Delay time.Duration
	// Body, when set, replaces the body of FaultStatus, FaultHTMLPage,
	// FaultMalformedJSON and FaultObjectInsteadOfArray.
	Body string
}

// firesOn reports whether the fault applies to request number n.
func (f Fault) firesOn(n int) bool {
	start := max(f.OnRequest, 1)
	switch {
	case n < start:
		return false
	case f.Times == Always, f.Times == 0 && f.OnRequest == 0:
		return true
	case f.Times == 0:
		return n == start
	default:
		return n < start+f.Times
	}
}

func (f Fault) validate() error {
	switch f.Kind {
	case FaultStatus:
		if f.Status != 0 && (f.Status < 400 || f.Status > 599) {
			return fmt.Errorf("journeybeetest: FaultStatus needs an error status (400-599), got %d", f.Status)
		}
	case FaultHTMLPage:
		if f.Status != 0 && (f.Status < 200 || f.Status > 599) {
			return fmt.Errorf("journeybeetest: FaultHTMLPage status %d is not a valid HTTP status", f.Status)
		}
	case FaultRedirect:
		if f.Status != 0 && !slices.Contains(redirectStatuses, f.Status) {
			return fmt.Errorf("journeybeetest: FaultRedirect status %d is not a redirect (301, 302, 303, 307, 308)", f.Status)
		}
		if u, err := url.Parse(f.Location); err != nil || !u.IsAbs() || u.Host == "" {
			return fmt.Errorf("journeybeetest: FaultRedirect needs an absolute Location, got %q", f.Location)
		}
	case FaultDelay:
		if f.Delay <= 0 {
			return fmt.Errorf("journeybeetest: FaultDelay needs a positive Delay")
		}
	case FaultMalformedJSON, FaultTruncatedJSON, FaultObjectInsteadOfArray, FaultExtraFields,
		FaultNullArrays, FaultReorderPage, FaultLeadNewerThanCursor, FaultBOM, FaultConnectionReset:
	default:
		return fmt.Errorf("journeybeetest: unknown fault kind %q", f.Kind)
	}
	if f.Times < Always || f.OnRequest < 0 {
		return fmt.Errorf("journeybeetest: fault %s: OnRequest and Times must not be negative (Times may be Always)", f.Kind)
	}
	return nil
}

// firing is the faults that apply to one request, looked up by kind.
type firing []Fault

func (fs firing) first(kind FaultKind) (Fault, bool) {
	for _, f := range fs {
		if f.Kind == kind {
			return f, true
		}
	}
	return Fault{}, false
}

var redirectStatuses = []int{301, 302, 303, 307, 308}

// firstReplacing returns the first listed replacing fault.
func (fs firing) firstReplacing() (Fault, bool) {
	for _, f := range fs {
		if f.Kind == FaultStatus || f.Kind == FaultHTMLPage || f.Kind == FaultRedirect {
			return f, true
		}
	}
	return Fault{}, false
}

func (fs firing) totalDelay() time.Duration {
	var d time.Duration
	for _, f := range fs {
		if f.Kind == FaultDelay {
			d += f.Delay
		}
	}
	return d
}

// replaceWith turns rep into the reply of a replacing fault.
func (rep *reply) replaceWith(f Fault) {
	rep.retryAfter = ""
	switch f.Kind {
	case FaultStatus:
		rep.status = f.Status
		if rep.status == 0 {
			rep.status = http.StatusInternalServerError
		}
		rep.contentType = contentTypeJSON
		rep.body = errorBody(http.StatusText(rep.status))
		if f.Body != "" {
			rep.body = []byte(f.Body)
			if c := firstNonSpace(rep.body); c != '{' && c != '[' {
				rep.contentType = "text/plain; charset=utf-8"
			}
		}
		rep.retryAfter = f.RetryAfter
	case FaultHTMLPage:
		rep.status = f.Status
		if rep.status == 0 {
			rep.status = http.StatusOK
		}
		rep.contentType = "text/html; charset=utf-8"
		rep.body = []byte(htmlErrorPage)
		if f.Body != "" {
			rep.body = []byte(f.Body)
		}
	case FaultRedirect:
		rep.status = cmp.Or(f.Status, http.StatusFound)
		rep.contentType, rep.body, rep.location = "", nil, f.Location
	}
}

const htmlErrorPage = `<!DOCTYPE html>
<html>
<head><title>502 Bad Gateway</title></head>
<body>
<h1>Bad Gateway</h1>
<p>The server is temporarily unable to service your request. Please try again later.</p>
</body>
</html>
`

// malformed breaks a JSON body: `"total":5` becomes `"total":,5`.
func malformed(body []byte) []byte {
	if i := bytes.Index(body, []byte(`":`)); i >= 0 {
		out := make([]byte, 0, len(body)+1)
		out = append(out, body[:i+2]...)
		out = append(out, ',')
		return append(out, body[i+2:]...)
	}
	return []byte("[,]")
}

// truncated keeps the first half of body, at least one byte, so that it is
// a valid prefix of a JSON document but never a whole one.
func truncated(body []byte) []byte {
	return body[:max(len(body)/2, min(len(body), 1))]
}

// extraItemFields are unknown fields FaultExtraFields adds to each item: a
// number, a null, a nested object and an array.
const extraItemFields = `"lead_score":87,"archived_at":null,"x_internal":{"origin":"journeybee-fake","flags":["beta"]},"watchers":[1,2],`

func firstNonSpace(b []byte) byte {
	t := bytes.TrimLeft(b, " \t\r\n")
	if len(t) == 0 {
		return 0
	}
	return t[0]
}

const utf8BOM = "\xEF\xBB\xBF"

// nullArrays replaces every array-valued field of a JSON object with null,
// keeping the fields' order. Anything but an object is returned as is.
func nullArrays(obj []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(obj))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return obj
	}
	out := []byte{'{'}
	for dec.More() {
		key, err := dec.Token()
		var value json.RawMessage
		if err == nil {
			err = dec.Decode(&value)
		}
		if err != nil {
			return obj
		}
		if len(out) > 1 {
			out = append(out, ',')
		}
		k, _ := json.Marshal(key) // a string always encodes
		out = append(append(out, k...), ':')
		if firstNonSpace(value) == '[' {
			value = json.RawMessage("null")
		}
		out = append(out, value...)
	}
	return append(out, '}')
}
