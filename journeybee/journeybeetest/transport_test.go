package journeybeetest

import (
	"errors"
	"io"
	"net/http"
	"testing"
	"testing/synctest"
	"time"
)

// viaTransport sends GET path?query to s through s.Transport(), at a host
// nothing listens on.
func viaTransport(t *testing.T, s *Server, path, query string) (*http.Response, []byte, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://journeybee.invalid"+path+"?"+query, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.APIKey())
	resp, err := (&http.Client{Transport: s.Transport()}).Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

// TestTransportAnswersLikeTheSocket: the in-memory transport gives the
// reply the server gives over HTTP, recorded the same way.
func TestTransportAnswersLikeTheSocket(t *testing.T) {
	s := start(t, fixtureConfig())
	query := leadsQuery(s, "status", "new")
	overHTTP := get(t, s, leadsPath, query)
	resp, body, err := viaTransport(t, s, leadsPath, query.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != overHTTP.status || string(body) != string(overHTTP.body) || resp.Header.Get("Content-Type") != overHTTP.header.Get("Content-Type") {
		t.Fatalf("in memory: %d %q %s\nover HTTP: %d %q %s", resp.StatusCode, resp.Header.Get("Content-Type"), body, overHTTP.status, overHTTP.header.Get("Content-Type"), overHTTP.body)
	}
	reqs := s.Requests()
	if len(reqs) != 2 || reqs[1].Path != leadsPath || reqs[1].Query.Get("status") != "new" || !reqs[1].Authorized {
		t.Fatalf("recorded %+v, want the two GET leads", reqs)
	}
}

// TestTransportCutsTheBodyShort: a reset connection, in memory, is a body
// that ends early.
func TestTransportCutsTheBodyShort(t *testing.T) {
	s := start(t, Config{Leads: fixtureLeads(), Faults: []Fault{{Kind: FaultConnectionReset}}})
	resp, body, err := viaTransport(t, s, leadsPath, leadsQuery(s).Encode())
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("reading the body: %v, want io.ErrUnexpectedEOF", err)
	}
	if resp.StatusCode != http.StatusOK || len(body) == 0 || int64(len(body)) >= resp.ContentLength {
		t.Fatalf("status %d, %d of %d bytes: want 200 and part of the body", resp.StatusCode, len(body), resp.ContentLength)
	}
}

// TestTransportRunsOnTheBubblesClock: inside a testing/synctest bubble a
// minute of latency and a minute-long rate-limit window pass in fake time.
func TestTransportRunsOnTheBubblesClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := NewUnstartedServer(Config{Leads: fixtureLeads(), Latency: time.Minute, RateLimitPerMinute: 1})
		defer s.Close()
		began := time.Now()
		if resp, _, err := viaTransport(t, s, leadsPath, leadsQuery(s).Encode()); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("first request: %v %v", resp, err)
		}
		if took := time.Since(began); took != time.Minute {
			t.Fatalf("the reply took %s of the bubble's time, want the minute of latency", took)
		}
		if resp, _, err := viaTransport(t, s, leadsPath, leadsQuery(s).Encode()); err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("a request a minute after the first, at 1 a minute: %v %v", resp, err)
		}
	})
}
