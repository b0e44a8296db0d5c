package journeybeetest

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// endpoint is one registered GET endpoint: a registration states the path,
// the userId rule and how to build the reply, and everything else (auth,
// rate limit, faults, latency, recording) is the server's, the same for
// every endpoint.
type endpoint struct {
	// pattern is the path with {name} segments for path parameters.
	pattern string
	// segments is pattern split at "/", set when the server registers it.
	segments []string
	// userIDRequired follows the reference: required on leads and
	// partnerships. Elsewhere userId is optional but, when present, must
	// be the key's user, as where it is required.
	userIDRequired bool
	serve          func(req apiRequest) reply
}

// apiRequest is what a registration sees of a request.
type apiRequest struct {
	query url.Values
	// ids are the path parameters, all numeric ids ({leadId}…).
	ids map[string]int64
}

// match reports whether path fits the pattern and reads its parameters.
// A parameter that is not a number is a 400, as a bad query value is.
func (e *endpoint) match(path string) (map[string]int64, bool, error) {
	parts := strings.Split(path, "/")
	if len(parts) != len(e.segments) {
		return nil, false, nil
	}
	var ids map[string]int64
	var bad error
	for i, seg := range e.segments {
		name, isParam := strings.CutPrefix(seg, "{")
		if !isParam {
			if parts[i] != seg {
				return nil, false, nil
			}
			continue
		}
		name = strings.TrimSuffix(name, "}")
		id, err := strconv.ParseInt(parts[i], 10, 64)
		if err != nil && bad == nil {
			bad = fmt.Errorf("invalid %s %q: want a number", name, parts[i])
		}
		if ids == nil {
			ids = map[string]int64{}
		}
		ids[name] = id
	}
	return ids, true, bad
}

// route finds the endpoint serving path.
func (s *Server) route(path string) (*endpoint, map[string]int64, error) {
	for i := range s.endpoints {
		if ids, ok, err := s.endpoints[i].match(path); ok {
			return &s.endpoints[i], ids, err
		}
	}
	return nil, nil, nil
}

// statusError is a refusal with a status other than 400.
type statusError struct {
	status int
	msg    string
}

func (e statusError) Error() string { return e.msg }

func notFound(msg string) error { return statusError{http.StatusNotFound, msg} }

// refusal is the error reply for err: its statusError status, else 400.
func refusal(err error) reply {
	if se := (statusError{}); errors.As(err, &se) {
		return errorReply(se.status, se.msg)
	}
	return errorReply(http.StatusBadRequest, err.Error())
}

// A query parser turns a request into a selector, or refuses it.
type parser[T any] func(req apiRequest) (selector[T], error)

// everything is the parser of an endpoint without filters.
func everything[T any](apiRequest) (selector[T], error) { return selector[T]{}, nil }

// pagedEndpoint serves c cursor-paged: newest first, total on every item,
// Config.PageSize items a page, read by Config.Paging.
func pagedEndpoint[T any](s *Server, pattern, name string, userIDRequired bool, c *collection[T], parse parser[T]) endpoint {
	return endpoint{pattern: pattern, userIDRequired: userIDRequired, serve: func(req apiRequest) reply {
		q, err := parse(req)
		if err != nil {
			return refusal(err)
		}
		cur, err := parseCursor(req.query)
		if err != nil {
			return refusal(err)
		}
		d := c.data()
		sel := d.selectionFor(q)
		it, err := encodeItems(c.page(d, sel, cur, s.cfg.PageSize, s.cfg.Paging), sel.len(), true)
		if err != nil {
			return errorReply(http.StatusInternalServerError, "journeybeetest: "+err.Error())
		}
		it.name = name
		if cur.set {
			it.newer = func() any { return c.newerThan(sel, cur.at) }
		}
		return itemsReply(it)
	}}
}

// listEndpoint serves every item parse selects in one reply, with total
// on every item when withTotal is set.
func listEndpoint[T any](pattern, name string, c *collection[T], withTotal bool, parse parser[T]) endpoint {
	return endpoint{pattern: pattern, serve: func(req apiRequest) reply {
		q, err := parse(req)
		if err != nil {
			return refusal(err)
		}
		sel := c.data().selectionFor(q)
		list := make([]*T, sel.len())
		for i := range list {
			list[i] = sel.at(i)
		}
		it, err := encodeItems(list, len(list), withTotal)
		if err != nil {
			return errorReply(http.StatusInternalServerError, "journeybeetest: "+err.Error())
		}
		it.name = name
		return itemsReply(it)
	}}
}

// objectEndpoint serves the item whose id is the path parameter param as a
// bare object, as detail makes it; 404 with missing when there is none.
func objectEndpoint[T any](pattern, name, param, missing string, c *collection[T], detail func(*T) any) endpoint {
	return endpoint{pattern: pattern, serve: func(req apiRequest) reply {
		item := c.byID(req.ids[param])
		if item == nil {
			return errorReply(http.StatusNotFound, missing)
		}
		v := detail(item)
		it, err := encodeItems([]*any{&v}, 0, false)
		if err != nil {
			return errorReply(http.StatusInternalServerError, "journeybeetest: "+err.Error())
		}
		it.name, it.single = name, true
		return itemsReply(it)
	}}
}
