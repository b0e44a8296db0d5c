package journeybeetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// reply is a response being prepared.
type reply struct {
	status      int
	contentType string
	retryAfter  string
	allow       string
	body        []byte
	// page is a page of leads until finish encodes it.
	page *pageReply
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

// finish applies the fired faults and encodes the page. It returns the
// kinds that took effect.
func (s *Server) finish(rep *reply, fired firing) []FaultKind {
	var kinds []FaultKind
	take := func(kind FaultKind) (Fault, bool) {
		f, ok := fired.first(kind)
		if ok {
			kinds = append(kinds, kind)
		}
		return f, ok
	}

	if p := rep.page; p != nil {
		rep.page = nil
		if p.hasCursor {
			if _, ok := take(FaultLeadNewerThanCursor); ok {
				newer := s.newerThan(p.sel, p.cursor)
				newer.Total = p.total
				p.items = append([]Lead{newer}, p.items...)
			}
		}
		if _, ok := take(FaultReorderPage); ok {
			slices.Reverse(p.items)
		}
		if _, ok := take(FaultNullArrays); ok {
			for i := range p.items {
				l := &p.items[i]
				l.Tags, l.AssignedUsers, l.PartnershipLeads, l.CampaignPartners, l.LeadDeals = nil, nil, nil, nil, nil
			}
		}
		_, extra := take(FaultExtraFields)
		body, release, err := encodePage(p.items, extra)
		if err != nil {
			*rep = errorReply(http.StatusInternalServerError, "journeybeetest: a lead of the dataset does not encode: "+err.Error())
		} else {
			rep.body, rep.release = body, release
			if f, ok := take(FaultObjectInsteadOfArray); ok {
				rep.body = append(append([]byte(`{"leads":`), body...), '}')
				if f.Body != "" {
					rep.body = []byte(f.Body)
				}
			}
			if _, ok := take(FaultTruncatedJSON); ok {
				rep.body = truncated(rep.body)
			}
			if f, ok := take(FaultMalformedJSON); ok {
				rep.body = malformed(rep.body)
				if f.Body != "" {
					rep.body = []byte(f.Body)
				}
			}
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

// pageEncoder holds the buffers of one page encoding; they are pooled so
// that serving a thousand pages does not allocate a thousand bodies.
type pageEncoder struct {
	out, one bytes.Buffer
	enc      *json.Encoder
}

var pageEncoders = sync.Pool{New: func() any {
	e := &pageEncoder{}
	e.enc = json.NewEncoder(&e.one)
	// Like the API (a JavaScript server), leave <, > and & unescaped.
	e.enc.SetEscapeHTML(false)
	return e
}}

// maxPooledBuffer keeps an unusually large page from pinning memory.
const maxPooledBuffer = 4 << 20

// encodePage writes the leads as a JSON array. The body is valid until
// release is called.
func encodePage(items []Lead, extraFields bool) (body []byte, release func(), err error) {
	e := pageEncoders.Get().(*pageEncoder)
	release = func() {
		if e.out.Cap() <= maxPooledBuffer && e.one.Cap() <= maxPooledBuffer {
			pageEncoders.Put(e)
		}
	}
	e.out.Reset()
	e.out.WriteByte('[')
	for i := range items {
		e.one.Reset()
		if err := e.enc.Encode(&items[i]); err != nil {
			release()
			return nil, nil, fmt.Errorf("lead %d: %w", items[i].ID, err)
		}
		obj := bytes.TrimRight(e.one.Bytes(), "\n")
		if i > 0 {
			e.out.WriteByte(',')
		}
		if extraFields {
			e.out.WriteByte('{')
			e.out.WriteString(extraLeadFields)
			obj = obj[1:]
		}
		e.out.Write(obj)
	}
	e.out.WriteByte(']')
	return e.out.Bytes(), release, nil
}

func (rep *reply) header(h http.Header) {
	h.Set("Content-Type", rep.contentType)
	h.Set("Content-Length", strconv.Itoa(len(rep.body)))
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
