// Package journeybeetest is a fake JourneyBee API for tests and demos, in
// the manner of net/http/httptest. It serves every GET endpoint of the v1
// reference over a configurable dataset with the documented
// authentication, errors, filters and timestamp-cursor paging, records
// every request so tests can assert what was pushed down, and misbehaves
// on demand: paging modes that break the client's cursor assumption,
// injected faults, latency and a rate limit, the same for every endpoint.
//
// The reference leaves much unknown (the cursor bound, the views' meaning,
// several endpoints' errors); where the fake has to choose, the choice is
// written next to the code (see routes.go, viewMatches and PagingMode).
package journeybeetest

import (
	"cmp"
	"crypto/subtle"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults applied to a zero Config.
const (
	DefaultAPIKey   = "test-api-key"
	DefaultUserID   = int64(456)
	DefaultPageSize = 100
)

// Config is the fake's dataset and behaviour. The zero value serves an
// empty dataset to DefaultAPIKey and DefaultUserID. Every endpoint whose
// dataset field is empty serves an empty list (single objects: 404);
// GenerateAccount fills them all consistently.
type Config struct {
	// APIKey is the one valid bearer key; default DefaultAPIKey.
	APIKey string
	// UserID is the only userId the key may act for; default DefaultUserID.
	UserID int64
	// CompanyID is the key's company, the only {companyId} the
	// single-object paths accept; default CompanyID.
	CompanyID int64
	// NoReadAccess makes the key lack read permission: every request with
	// it gets 403.
	NoReadAccess bool
	// PageSize is the number of items per page of the cursor-paged
	// endpoints (leads, deals, partnerships); default DefaultPageSize.
	PageSize int

	// Leads is the dataset of GET /leads. The server sorts a copy (newest
	// first, ties by id descending) and never changes the caller's slice.
	// Total is ignored: the server sets it per request.
	Leads []Lead
	// CustomFieldValues holds lead id → custom field id → value, for the
	// customFields filter and the single lead's custom_fields (the list
	// reply carries no custom fields). Values are compared as JSON: use
	// string, float64/int, bool, []any….
	CustomFieldValues map[int64]map[int64]any
	// Deals is the dataset of GET /lead-deals, served like Leads.
	Deals []LeadDeal
	// DealCustomFieldValues is CustomFieldValues for the single deal.
	DealCustomFieldValues map[int64]map[int64]any
	// Partnerships is the dataset of GET /partnerships, newest first by
	// partnership.created_at.
	Partnerships []Partnership
	// PartnerUsers are the partners' contacts; GET
	// /partnerships/{id}/users serves those whose company_id is that
	// partnership's partner.id.
	PartnerUsers []PartnerUser
	// Users are the company's users (GET /users).
	Users          []User
	DealStages     []DealStage
	PartnerStages  []PartnerStage
	TagDefinitions []TagDefinition
	// CustomFields are the custom field definitions; they also name and
	// type the single lead's and deal's custom_fields.
	CustomFields []CustomField
	Tiers        []Tier
	Categories   []Category
	// Notes holds lead id → the notes on that lead.
	Notes map[int64][]Note

	Paging PagingMode
	// Latency delays every reply.
	Latency time.Duration
	// RateLimitPerMinute, when positive, answers 429 with Retry-After (whole
	// seconds until a slot frees) once the key made that many requests in
	// the last minute, on any endpoint. Only requests with the valid key
	// count: it is the only key, so the limit is per key.
	RateLimitPerMinute int
	// RateLimitWindow, when positive, replaces the minute over which
	// RateLimitPerMinute is counted: a test proves a pace in seconds rather
	// than minutes (the same requests per window, scaled).
	RateLimitWindow time.Duration
	Faults          []Fault
	// BeforeRequest, when set, is called with each request's number, path
	// and query before its reply is computed, outside the server's locks,
	// so a test can change the data (UpdateLeads) between pages. It must
	// be safe for concurrent use.
	BeforeRequest func(number int, path string, query url.Values)
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

	cfg       Config
	data      dataset
	endpoints []endpoint
	ts        *httptest.Server
	closing   chan struct{}
	closeOnce sync.Once

	mu       sync.Mutex
	seq      int
	requests []Request
	faults   []Fault

	limiter rateLimiter
}

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
	cfg.APIKey = cmp.Or(cfg.APIKey, DefaultAPIKey)
	cfg.UserID = cmp.Or(cfg.UserID, DefaultUserID)
	cfg.CompanyID = cmp.Or(cfg.CompanyID, CompanyID)
	if cfg.PageSize <= 0 {
		cfg.PageSize = DefaultPageSize
	}
	for _, f := range cfg.Faults {
		if err := f.validate(); err != nil {
			panic(err)
		}
	}
	s := &Server{
		cfg:     cfg,
		data:    newDataset(cfg),
		closing: make(chan struct{}),
		faults:  slices.Clone(cfg.Faults),
		limiter: rateLimiter{limit: cfg.RateLimitPerMinute, window: cmp.Or(cfg.RateLimitWindow, time.Minute), now: time.Now},
	}
	s.endpoints = s.routes()
	for i := range s.endpoints {
		s.endpoints[i].segments = strings.Split(s.endpoints[i].pattern, "/")
	}
	s.dropDatasetFromConfig()
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

// APIKey returns the valid key, defaults applied.
func (s *Server) APIKey() string { return s.cfg.APIKey }

// UserID returns the valid user id, defaults applied.
func (s *Server) UserID() int64 { return s.cfg.UserID }

// CompanyID returns the key's company id, defaults applied.
func (s *Server) CompanyID() int64 { return s.cfg.CompanyID }

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
	if s.cfg.BeforeRequest != nil {
		s.cfg.BeforeRequest(number, r.URL.Path, cloneValues(query))
	}
	authorized := s.validKey(r.Header.Get("Authorization"))
	rep := s.answer(r, query, authorized)
	kinds := s.finish(&rep, fired)
	if rep.release != nil {
		defer rep.release()
	}

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
	ep, ids, badID := s.route(r.URL.Path)
	if ep == nil {
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
	if wait, limited := s.limiter.take(); limited {
		rep := errorReply(http.StatusTooManyRequests, msgRateLimited)
		rep.retryAfter = strconv.Itoa(int((wait + time.Second - 1) / time.Second))
		return rep
	}
	if q.Has("userId") || ep.userIDRequired {
		userID, err := strconv.ParseInt(q.Get("userId"), 10, 64)
		if err != nil {
			return errorReply(http.StatusBadRequest, msgUserIDRequired)
		}
		if userID != s.cfg.UserID {
			return errorReply(http.StatusNotFound, msgUnauthorised)
		}
	}
	if badID != nil {
		return refusal(badID)
	}
	if id, ok := ids["companyId"]; ok && id != s.cfg.CompanyID {
		return errorReply(http.StatusNotFound, msgUnauthorised)
	}
	return ep.serve(apiRequest{query: q, ids: ids})
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}
