package journeybeetest

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
)

// Transport returns an http.RoundTripper that answers every request from s
// in memory, in the goroutine that sends it: no socket, whatever the
// request's host. With it a test can run the client under testing/synctest,
// whose fake clock stands still while a goroutine waits on a socket: a
// minute of rate limit then passes in no time, measured in the bubble's
// time by the client's pace and the fake's window alike. The server need
// not be started.
//
// A reply the fake aborts (the client left during Latency, Close) fails the
// round trip; FaultConnectionReset ends the body early with
// io.ErrUnexpectedEOF, as a connection closed mid-body does.
func (s *Server) Transport() http.RoundTripper { return memoryTransport{s} }

type memoryTransport struct{ s *Server }

// errAborted is the round trip's error when the fake aborts a reply before
// its headers.
var errAborted = errors.New("journeybeetest: the fake aborted the reply")

func (t memoryTransport) RoundTrip(r *http.Request) (res *http.Response, err error) {
	if r.Body != nil {
		_ = r.Body.Close()
	}
	rec := httptest.NewRecorder()
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		if p != http.ErrAbortHandler {
			panic(p)
		}
		if !rec.Flushed {
			res, err = nil, errAborted
			return
		}
		// Headers and part of the body went out before the abort.
		res = rec.Result()
		res.Body = io.NopCloser(io.MultiReader(rec.Body, errReader{io.ErrUnexpectedEOF}))
		res.Request, err = r, nil
	}()
	t.s.serveHTTP(rec, r)
	res = rec.Result()
	res.Request = r
	return res, nil
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
