package journeybeetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// reply is a response being prepared.
type reply struct {
	status      int
	contentType string
	retryAfter  string
	allow       string
	location    string
	body        []byte
	// items are a successful reply's items until finish joins them.
	items *items
	// release, when set, returns body's buffer once the reply is written.
	release func()
	delay   time.Duration
	reset   bool
}

const contentTypeJSON = "application/json"

func errorReply(status int, msg string) reply {
	return reply{status: status, contentType: contentTypeJSON, body: errorBody(msg)}
}

func errorBody(msg string) []byte {
	b, _ := json.Marshal(map[string]string{"error": msg}) // a string map always encodes
	return b
}

// itemsReply is a 200 carrying it.
func itemsReply(it *items) reply {
	return reply{status: http.StatusOK, contentType: contentTypeJSON, items: it}
}

// finish applies the fired faults and joins the items into the body. It
// returns the kinds that took effect.
func (s *Server) finish(rep *reply, fired firing) []FaultKind {
	var kinds []FaultKind
	take := func(kind FaultKind) (Fault, bool) {
		f, ok := fired.first(kind)
		if ok {
			kinds = append(kinds, kind)
		}
		return f, ok
	}
	if it := rep.items; it != nil {
		rep.items = nil
		rep.release = it.enc.release
		body, err := it.shape(take)
		if err != nil {
			rep.release()
			*rep = errorReply(http.StatusInternalServerError, "journeybeetest: "+err.Error())
		} else {
			rep.body = body
		}
	}
	if f, ok := fired.firstReplacing(); ok {
		rep.replaceWith(f)
		kinds = append(kinds, f.Kind)
	}
	if d := fired.totalDelay(); d > 0 {
		rep.delay = d
		kinds = append(kinds, FaultDelay)
	}
	if _, ok := take(FaultConnectionReset); ok {
		rep.reset = true
	}
	return kinds
}

// shape applies the shaping faults that fired, on JSON, the same way for
// every endpoint, and returns the body.
func (it *items) shape(take func(FaultKind) (Fault, bool)) ([]byte, error) {
	if it.newer != nil {
		if _, ok := take(FaultLeadNewerThanCursor); ok {
			if err := it.prependNewer(); err != nil {
				return nil, err
			}
		}
	}
	if !it.single {
		if _, ok := take(FaultReorderPage); ok {
			slices.Reverse(it.objs)
		}
	}
	if _, ok := take(FaultNullArrays); ok {
		for i, obj := range it.objs {
			it.objs[i] = nullArrays(obj)
		}
	}
	_, extra := take(FaultExtraFields)
	body := it.join(extra)
	if f, ok := take(FaultObjectInsteadOfArray); ok {
		body = append(append([]byte(`{"`+it.name+`":`), body...), '}')
		if f.Body != "" {
			body = []byte(f.Body)
		}
	}
	if _, ok := take(FaultTruncatedJSON); ok {
		body = truncated(body)
	}
	if f, ok := take(FaultMalformedJSON); ok {
		body = malformed(body)
		if f.Body != "" {
			body = []byte(f.Body)
		}
	}
	if _, ok := take(FaultBOM); ok {
		body = append([]byte(utf8BOM), body...)
	}
	return body, nil
}

func (rep *reply) header(h http.Header) {
	if rep.contentType != "" {
		h.Set("Content-Type", rep.contentType)
	}
	h.Set("Content-Length", strconv.Itoa(len(rep.body)))
	if rep.location != "" {
		h.Set("Location", rep.location)
	}
	if rep.retryAfter != "" {
		h.Set("Retry-After", rep.retryAfter)
	}
	if rep.allow != "" {
		h.Set("Allow", rep.allow)
	}
}

func (rep *reply) write(w http.ResponseWriter) {
	rep.header(w.Header())
	w.WriteHeader(rep.status)
	_, _ = w.Write(rep.body) // the client may be gone; nothing to do then
}

// writeCutShort sends the headers, which promise the whole body, and half
// of the body, then closes the connection: the client fails while reading
// the body.
func (rep *reply) writeCutShort(w http.ResponseWriter) {
	part := rep.body[:len(rep.body)/2]
	hj, ok := w.(http.Hijacker)
	if !ok { // HTTP/2: send the part, then abort the stream
		rep.header(w.Header())
		w.WriteHeader(rep.status)
		_, _ = w.Write(part)
		_ = http.NewResponseController(w).Flush()
		panic(http.ErrAbortHandler)
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	h := http.Header{}
	rep.header(h)
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", rep.status, http.StatusText(rep.status))
	_ = h.Write(buf)
	buf.WriteString("\r\n")
	buf.Write(part)
	_ = buf.Flush()
}
