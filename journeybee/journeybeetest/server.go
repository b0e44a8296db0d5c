// Package journeybeetest is a fake JourneyBee API for tests and demos, in
// the manner of net/http/httptest. It serves GET /api/v1/leads over a
// configurable dataset with the documented authentication, errors, filters
// and timestamp-cursor paging, records every request so tests can assert
// what was pushed down, and misbehaves on demand: paging modes that break
// the client's cursor assumption, injected faults, latency and a rate limit.
//
// The real API documents neither the cursor bound nor the views' meaning;
// where the fake has to choose, the choice is written next to the code
// (see viewMatches, searchMatches and PagingMode).
package journeybeetest

import (
	"bytes"
	"cmp"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
)

// PagingMode says how the fake reads the cursor.
type PagingMode int

const (
	// PagingExclusive serves the leads created strictly before the cursor
	// (the default, and the natural reading of the reference).
	PagingExclusive PagingMode = iota
	// PagingInclusive serves the leads created at or before the cursor, so
	// the boundary lead comes again at the top of the next page.
	PagingInclusive
	// PagingIgnoreCursor always serves the first page: a cursor that never
	// advances.
	PagingIgnoreCursor
	// PagingPastTotal pages exclusively, but once the real leads are
	// exhausted it keeps serving full pages of ever older synthetic leads,
	// while total still counts the real ones. Synthetic leads ignore the
	// filters.
	PagingPastTotal
)

func (m PagingMode) String() string {
	switch m {
	case PagingExclusive:
		return "exclusive"
	case PagingInclusive:
		return "inclusive"
	case PagingIgnoreCursor:
		return "ignore-cursor"
	case PagingPastTotal:
		return "past-total"
	}
	return "PagingMode(" + strconv.Itoa(int(m)) + ")"
}

// ParsePagingMode reads the names String returns.
func ParsePagingMode(s string) (PagingMode, error) {
	for _, m := range []PagingMode{PagingExclusive, PagingInclusive, PagingIgnoreCursor, PagingPastTotal} {
		if m.String() == s {
			return m, nil
		}
	}
	return 0, fmt.Errorf("unknown paging mode %q: want exclusive, inclusive, ignore-cursor or past-total", s)
}

// Defaults applied to a zero Config.
const (
	DefaultAPIKey   = "test-api-key"
	DefaultUserID   = int64(456)
	DefaultPageSize = 100
)

// Config is the fake's dataset and behaviour. The zero value serves an
// empty dataset to DefaultAPIKey and DefaultUserID.
type Config struct {
	// APIKey is the one valid bearer key; default DefaultAPIKey.
	APIKey string
	// UserID is the only userId the key may act for; default DefaultUserID.
	UserID int64
	// NoReadAccess makes the key lack read permission: every request with
	// it gets 403.
	NoReadAccess bool
	// PageSize is the number of leads per page; default DefaultPageSize.
	PageSize int
	// Leads is the dataset. The server sorts a copy (newest first, ties by
	// id descending) and never changes the caller's slice. Total is
	// ignored: the server sets it per request.
	Leads []api.Lead
	// CustomFieldValues holds lead id → custom field id → value, for the
	// customFields filter (the list reply carries no custom fields). Values
	// are compared as JSON: use string, float64/int, bool, []any….
	CustomFieldValues map[int64]map[int64]any
	Paging            PagingMode
	// Latency delays every reply.
	Latency time.Duration
	// RateLimitPerMinute, when positive, answers 429 with Retry-After once
	// the key made that many requests in the last minute.
	RateLimitPerMinute int
	Faults             []Fault
	// OnRequest, when set, is called with each request's record as soon as
	// the reply is decided (before any delay). cmd/journeybee-fake logs
	// with it. It must be safe for concurrent use.
	OnRequest func(Request)
}

// Request is the record of one request the fake answered.
type Request struct {
	// Number counts requests from 1 since the server started or
	// ResetRequests; faults fire by it.
	Number int
	Method string
	Path   string
	Query  url.Values
	// Authorized reports whether the bearer key was the configured one.
	Authorized bool
	// Status is the status the fake chose; after FaultConnectionReset the
	// body was cut short, after a delay the client may have left.
	Status int
	// Faults are the faults that took effect, in the order applied.
	Faults []FaultKind
}

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL, http://127.0.0.1:port with no path; empty for an
	// unstarted server.
	URL string

	cfg          Config
	leads        []api.Lead              // newest first, nil arrays made empty
	customValues map[int64]map[int64]any // normalised through JSON
	ts           *httptest.Server
	closing      chan struct{}
	closeOnce    sync.Once

	mu       sync.Mutex
	seq      int
	requests []Request
	faults   []Fault

	rateMu   sync.Mutex
	rateLog  []time.Time
	now      func() time.Time
	cacheMu  sync.Mutex
	cache    map[string][]int32
	cacheLRU []string
}

// selectionCacheSize bounds how many filtered selections are kept; paging
// through one filter hits the same entry on every page.
const selectionCacheSize = 16

// NewServer starts a fake on a loopback port. Close it when done. It panics
// on an invalid Config, as httptest does on a listen failure.
func NewServer(cfg Config) *Server {
	s := NewUnstartedServer(cfg)
	s.Start()
	return s
}

// NewUnstartedServer returns a fake that is not listening: serve
// s.Handler() yourself (cmd/journeybee-fake does), or call Start.
func NewUnstartedServer(cfg Config) *Server {
	if cfg.APIKey == "" {
		cfg.APIKey = DefaultAPIKey
	}
	if cfg.UserID == 0 {
		cfg.UserID = DefaultUserID
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = DefaultPageSize
	}
	for _, f := range cfg.Faults {
		if err := f.validate(); err != nil {
			panic(err)
		}
	}
	s := &Server{
		cfg:          cfg,
		leads:        sortedLeads(cfg.Leads),
		customValues: normaliseCustomValues(cfg.CustomFieldValues),
		closing:      make(chan struct{}),
		faults:       slices.Clone(cfg.Faults),
		now:          time.Now,
		cache:        map[string][]int32{},
	}
	s.cfg.Leads = nil // the sorted copy is the dataset
	return s
}

// Start listens on a loopback port and sets URL.
func (s *Server) Start() {
	if s.ts != nil {
		panic("journeybeetest: server already started")
	}
	s.ts = httptest.NewServer(s.Handler())
	s.URL = s.ts.URL
}

// Close aborts delayed replies and, for a started server, shuts it down.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closing) })
	if s.ts != nil {
		s.ts.Close()
	}
}

// Handler serves the fake API.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

// Leads returns the dataset in serving order (newest first). Do not modify
// the leads.
func (s *Server) Leads() []api.Lead { return slices.Clone(s.leads) }

// APIKey returns the valid key, defaults applied.
func (s *Server) APIKey() string { return s.cfg.APIKey }

// UserID returns the valid user id, defaults applied.
func (s *Server) UserID() int64 { return s.cfg.UserID }

// PageSize returns the page size, defaults applied.
func (s *Server) PageSize() int { return s.cfg.PageSize }

// SetFaults replaces the faults. Pair it with ResetRequests so that
// OnRequest counts from the next request.
func (s *Server) SetFaults(faults ...Fault) {
	for _, f := range faults {
		if err := f.validate(); err != nil {
			panic(err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = slices.Clone(faults)
}

// Requests returns the records of the requests answered, in request-number
// order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		r.Query = cloneValues(r.Query)
		r.Faults = slices.Clone(r.Faults)
		out[i] = r
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b Request) int { return cmp.Compare(a.Number, b.Number) })
	return out
}

// RequestCount is len(Requests()) without the copy.
func (s *Server) RequestCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// ResetRequests clears the records and restarts request numbering, so
// faults count from the next request again.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
	s.seq = 0
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.seq++
	number := s.seq
	var fired firing
	for _, f := range s.faults {
		if f.firesOn(number) {
			fired = append(fired, f)
		}
	}
	s.mu.Unlock()

	query := r.URL.Query()
	authorized := s.validKey(r.Header.Get("Authorization"))
	rep := s.answer(r, query, authorized)
	kinds := s.finish(&rep, fired)

	// Recorded before any delay, so a client that gave up still finds it.
	rec := Request{Number: number, Method: r.Method, Path: r.URL.Path, Query: query, Authorized: authorized, Status: rep.status, Faults: kinds}
	s.mu.Lock()
	s.requests = append(s.requests, rec)
	s.mu.Unlock()
	if s.cfg.OnRequest != nil {
		s.cfg.OnRequest(rec)
	}

	if !s.wait(r, s.cfg.Latency+rep.delay) {
		// Abort the connection rather than let net/http send an empty 200.
		panic(http.ErrAbortHandler)
	}
	if rep.reset {
		rep.writeCutShort(w)
		return
	}
	rep.write(w)
}

// wait sleeps d unless the client leaves or the server closes first.
func (s *Server) wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	case <-s.closing:
		return false
	}
}

func (s *Server) validKey(header string) bool {
	scheme, key, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(strings.TrimSpace(key)), []byte(s.cfg.APIKey)) == 1
}

// The API's error messages, from the reference.
const (
	msgInvalidKey     = "Invalid API key or insufficient permissions"
	msgNoReadAccess   = "Read access required for this operation"
	msgUserIDRequired = "userId is required"
	msgUnauthorised   = "Company not found or user not authorized"
	msgRateLimited    = "Rate limit exceeded"
	msgNotFound       = "Not found"
	msgMethod         = "Method not allowed"
)

// answer decides the API's reply, checks in the order a request meets them.
func (s *Server) answer(r *http.Request, q url.Values, authorized bool) reply {
	if r.URL.Path != api.LeadsPath {
		return errorReply(http.StatusNotFound, msgNotFound)
	}
	if r.Method != http.MethodGet {
		rep := errorReply(http.StatusMethodNotAllowed, msgMethod)
		rep.allow = http.MethodGet
		return rep
	}
	if !authorized {
		return errorReply(http.StatusUnauthorized, msgInvalidKey)
	}
	if s.cfg.NoReadAccess {
		return errorReply(http.StatusForbidden, msgNoReadAccess)
	}
	if wait, limited := s.rateLimited(); limited {
		rep := errorReply(http.StatusTooManyRequests, msgRateLimited)
		rep.retryAfter = strconv.Itoa(int((wait + time.Second - 1) / time.Second))
		return rep
	}
	userID, err := strconv.ParseInt(q.Get("userId"), 10, 64)
	if err != nil {
		return errorReply(http.StatusBadRequest, msgUserIDRequired)
	}
	if userID != s.cfg.UserID {
		return errorReply(http.StatusNotFound, msgUnauthorised)
	}
	filter, err := parseLeadFilter(q)
	if err != nil {
		return errorReply(http.StatusBadRequest, err.Error())
	}
	var cursor time.Time
	hasCursor := q.Get("cursor") != ""
	if hasCursor {
		if cursor, err = time.Parse(time.RFC3339Nano, q.Get("cursor")); err != nil {
			return errorReply(http.StatusBadRequest, fmt.Sprintf("invalid cursor %q: want an ISO 8601 timestamp such as 2024-01-15T10:30:00Z", q.Get("cursor")))
		}
	}
	return reply{status: http.StatusOK, contentType: contentTypeJSON, page: s.page(&filter, cursor, hasCursor)}
}

// rateLimited applies RateLimitPerMinute over a sliding minute; a refused
// request does not count. It returns how long until a slot frees.
func (s *Server) rateLimited() (time.Duration, bool) {
	limit := s.cfg.RateLimitPerMinute
	if limit <= 0 {
		return 0, false
	}
	s.rateMu.Lock()
	defer s.rateMu.Unlock()
	now := s.now()
	cutoff := now.Add(-time.Minute)
	keep := 0
	for keep < len(s.rateLog) && !s.rateLog[keep].After(cutoff) {
		keep++
	}
	s.rateLog = s.rateLog[keep:]
	if len(s.rateLog) >= limit {
		return s.rateLog[0].Sub(cutoff), true
	}
	s.rateLog = append(s.rateLog, now)
	return 0, false
}

// selection is the leads a filter matches, in serving order.
type selection struct {
	leads []api.Lead
	// idx lists positions in leads; nil means every lead.
	idx []int32
	// byCreatedAt reports that the order is leads' own (newest first), so a
	// cursor position can be binary-searched.
	byCreatedAt bool
}

func (sel selection) len() int {
	if sel.idx == nil {
		return len(sel.leads)
	}
	return len(sel.idx)
}

func (sel selection) at(i int) *api.Lead {
	if sel.idx == nil {
		return &sel.leads[i]
	}
	return &sel.leads[sel.idx[i]]
}

// selectionFor returns the leads f matches. Filtered selections are cached
// so that paging through one query scans the dataset once.
func (s *Server) selectionFor(f *leadFilter) selection {
	if f.isZero() {
		return selection{leads: s.leads, byCreatedAt: true}
	}
	key := f.key()
	sel := selection{leads: s.leads, byCreatedAt: !f.sortByStatus}
	s.cacheMu.Lock()
	idx, ok := s.cache[key]
	s.cacheMu.Unlock()
	if ok {
		sel.idx = idx
		return sel
	}

	idx = []int32{}
	for i := range s.leads {
		if f.matches(&s.leads[i], s.customValues[s.leads[i].ID]) {
			idx = append(idx, int32(i))
		}
	}
	if f.sortByStatus {
		// Stable, so leads of one status stay newest first.
		slices.SortStableFunc(idx, func(a, b int32) int {
			c := cmp.Compare(statusRank(s.leads[a].Status), statusRank(s.leads[b].Status))
			if !f.statusAsc {
				c = -c
			}
			return c
		})
	}

	s.cacheMu.Lock()
	if _, ok := s.cache[key]; !ok {
		if len(s.cacheLRU) >= selectionCacheSize {
			delete(s.cache, s.cacheLRU[0])
			s.cacheLRU = s.cacheLRU[1:]
		}
		s.cache[key] = idx
		s.cacheLRU = append(s.cacheLRU, key)
	}
	s.cacheMu.Unlock()
	sel.idx = idx
	return sel
}

// pageReply is a page of leads not yet encoded, so shaping faults can
// still change it.
type pageReply struct {
	items     []api.Lead
	total     int
	sel       selection
	cursor    time.Time
	hasCursor bool
}

// page picks the leads of one page. The cursor rule lives here: the page
// holds the first PageSize leads of the selection created before the cursor
// (at or before it with PagingInclusive).
func (s *Server) page(f *leadFilter, cursor time.Time, hasCursor bool) *pageReply {
	sel := s.selectionFor(f)
	n := sel.len()
	p := &pageReply{total: n, sel: sel, cursor: cursor, hasCursor: hasCursor}

	mode := s.cfg.Paging
	useCursor := hasCursor && mode != PagingIgnoreCursor
	inPage := func(l *api.Lead) bool {
		if !useCursor {
			return true
		}
		if mode == PagingInclusive {
			return !l.CreatedAt.After(cursor)
		}
		return l.CreatedAt.Before(cursor)
	}

	var picked []*api.Lead
	if sel.byCreatedAt {
		start := sort.Search(n, func(i int) bool { return inPage(sel.at(i)) })
		for i := start; i < n && len(picked) < s.cfg.PageSize; i++ {
			picked = append(picked, sel.at(i))
		}
	} else {
		for i := 0; i < n && len(picked) < s.cfg.PageSize; i++ {
			if l := sel.at(i); inPage(l) {
				picked = append(picked, l)
			}
		}
	}

	p.items = make([]api.Lead, len(picked))
	for i, l := range picked {
		p.items[i] = *l
		p.items[i].Total = n
	}
	if len(p.items) == 0 && mode == PagingPastTotal {
		before := cursor
		if !useCursor {
			before = s.oldestCreatedAt()
		}
		p.items = syntheticLeads(before, s.cfg.PageSize, n)
	}
	return p
}

func (s *Server) oldestCreatedAt() time.Time {
	if len(s.leads) == 0 {
		return ReferenceTime
	}
	return s.leads[len(s.leads)-1].CreatedAt
}

// newerThan returns the oldest lead of sel created after cursor, or a
// synthetic one a second after the cursor when there is none.
func (s *Server) newerThan(sel selection, cursor time.Time) api.Lead {
	var found *api.Lead
	if sel.byCreatedAt {
		if j := sort.Search(sel.len(), func(i int) bool { return !sel.at(i).CreatedAt.After(cursor) }); j > 0 {
			found = sel.at(j - 1)
		}
	} else {
		for i := range sel.len() {
			if l := sel.at(i); l.CreatedAt.After(cursor) && (found == nil || l.CreatedAt.Before(found.CreatedAt)) {
				found = l
			}
		}
	}
	if found != nil {
		return *found
	}
	return syntheticLead(cursor.Add(time.Second), 0)
}

// syntheticIDBase keeps synthetic lead ids clear of any realistic dataset;
// a synthetic lead's id is this plus its created_at in Unix seconds.
const syntheticIDBase = 1_000_000_000_000

// syntheticLeads returns n leads a minute apart, the first a minute before
// before, each claiming total.
func syntheticLeads(before time.Time, n, total int) []api.Lead {
	leads := make([]api.Lead, n)
	for k := range leads {
		leads[k] = syntheticLead(before.Add(-time.Duration(k+1)*time.Minute), total)
	}
	return leads
}

func syntheticLead(at time.Time, total int) api.Lead {
	id := syntheticIDBase + at.Unix()
	return api.Lead{
		Total:            total,
		ID:               id,
		UUID:             fmt.Sprintf("synthetic-%d", id),
		CreatedAt:        at.UTC(),
		Source:           "synthetic",
		CompanyName:      ptr(fmt.Sprintf("Synthetic Lead %d", id)),
		Status:           string(api.StatusNew),
		CompanyID:        CompanyID,
		Tags:             []api.Tag{},
		AssignedUsers:    []api.AssignedUser{},
		PartnershipLeads: []api.PartnershipLead{},
		CampaignPartners: []api.CampaignPartner{},
		LeadDeals:        []api.LeadDeal{},
	}
}

// reply is a response being prepared.
type reply struct {
	status      int
	contentType string
	retryAfter  string
	allow       string
	body        []byte
	// page is a page of leads until finish encodes it.
	page  *pageReply
	delay time.Duration
	reset bool
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
				p.items = append([]api.Lead{newer}, p.items...)
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
		body, err := encodePage(p.items, extra)
		if err != nil {
			*rep = errorReply(http.StatusInternalServerError, "journeybeetest: a lead of the dataset does not encode: "+err.Error())
		} else {
			rep.body = body
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

// encodePage writes the leads as a JSON array. Like the API (a JavaScript
// server), it leaves <, > and & unescaped.
func encodePage(items []api.Lead, extraFields bool) ([]byte, error) {
	var out, one bytes.Buffer
	enc := json.NewEncoder(&one)
	enc.SetEscapeHTML(false)
	out.Grow(len(items) * 1024)
	out.WriteByte('[')
	for i := range items {
		one.Reset()
		if err := enc.Encode(&items[i]); err != nil {
			return nil, fmt.Errorf("lead %d: %w", items[i].ID, err)
		}
		obj := bytes.TrimRight(one.Bytes(), "\n")
		if i > 0 {
			out.WriteByte(',')
		}
		if extraFields {
			out.WriteByte('{')
			out.WriteString(extraLeadFields)
			obj = obj[1:]
		}
		out.Write(obj)
	}
	out.WriteByte(']')
	return out.Bytes(), nil
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

// sortedLeads copies leads newest first (ties: higher id first) with nil
// arrays made empty, as the API sends [] rather than null.
func sortedLeads(in []api.Lead) []api.Lead {
	leads := slices.Clone(in)
	for i := range leads {
		l := &leads[i]
		l.Total = 0
		l.Tags = orEmpty(l.Tags)
		l.AssignedUsers = orEmpty(l.AssignedUsers)
		l.PartnershipLeads = orEmpty(l.PartnershipLeads)
		l.CampaignPartners = orEmpty(l.CampaignPartners)
		l.LeadDeals = orEmpty(l.LeadDeals)
	}
	slices.SortFunc(leads, func(a, b api.Lead) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	return leads
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// normaliseCustomValues round-trips every value through JSON so that an
// int in the config equals the float64 a filter decodes to.
func normaliseCustomValues(in map[int64]map[int64]any) map[int64]map[int64]any {
	out := make(map[int64]map[int64]any, len(in))
	for leadID, fields := range in {
		norm := make(map[int64]any, len(fields))
		for fieldID, v := range fields {
			b, err := json.Marshal(v)
			if err != nil {
				panic(fmt.Sprintf("journeybeetest: custom field %d of lead %d does not encode as JSON: %v", fieldID, leadID, err))
			}
			var n any
			_ = json.Unmarshal(b, &n) // what Marshal wrote always decodes
			norm[fieldID] = n
		}
		out[leadID] = norm
	}
	return out
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}
