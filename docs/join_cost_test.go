//go:build sqlite_vtable

package docs_test

import (
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"github.com/journeybee/steampipe-plugin-journeybee/sqlite"
)

// What the docs' joins may cost, in API requests, by example heading: the
// bound its "Cost:" sentence states, for the docs' account. Each example is
// run alone, in a fresh engine and plugin (nothing cached), as
// journeybee-query runs it.
var joinCosts = map[string]func(a *account) int{}

func registerJoinCost(heading string, cost func(a *account) int) {
	if _, dup := joinCosts[heading]; dup {
		panic("two join costs for the example heading " + heading)
	}
	joinCosts[heading] = cost
}

// scan is what one API scan of n items costs at most: a page per 99 new
// items (each page after the first repeats its boundary item) and the page
// that ends the list.
func scan(a *account, n int) int {
	return n/(a.config.PageSize-1) + 2
}

// TestDocsJoinsCostWhatTheySay runs every example that reads more than one
// plugin table and counts its API requests against the fake's request log.
func TestDocsJoinsCostWhatTheySay(t *testing.T) {
	var joins []example
	for _, path := range docFiles(t) {
		for _, ex := range examples(t, path) {
			if refs, _, _ := parseReads(ex.sql); len(refs) > 1 && ex.dialect == "sql+sqlite" {
				joins = append(joins, ex)
			}
		}
	}
	if len(joins) == 0 {
		t.Fatal("no join examples found")
	}
	for heading := range joinCosts {
		if !slicesContainsHeading(joins, heading) {
			t.Errorf("join cost %q matches no example that reads several plugin tables", heading)
		}
	}
	for _, ex := range joins {
		t.Run(ex.file+": "+ex.heading, func(t *testing.T) {
			cost, ok := joinCosts[ex.heading]
			if !ok {
				t.Errorf("example %q reads several plugin tables and has no registered cost", ex.heading)
			}
			db, a := openEngine(t, sqlite.WithCache(true))
			start := time.Now()
			rows := runQuery(t, db.DB, ex.sql)
			elapsed := time.Since(start)
			got, bound := a.srv.RequestCount(), -1
			if ok {
				bound = cost(a)
			}
			t.Logf("%d rows, %d requests (bound %d) in %s", len(rows), got, bound, elapsed.Round(time.Millisecond))
			if ok && got > bound {
				t.Errorf("%d API requests, but the example's text states at most %d for this account", got, bound)
			}
		})
	}
}

func slicesContainsHeading(examples []example, heading string) bool {
	for _, ex := range examples {
		if ex.heading == heading {
			return true
		}
	}
	return false
}

// statusCount is how many of the account's leads have one of statuses.
func statusCount(a *account, statuses ...string) int {
	return len(filter(a.leads, func(l *journeybeetest.Lead) bool { return inStatus(l, statuses...) }))
}

// The costs the docs' join examples state, for the docs' account.
func init() {
	leads := func(a *account) int { return scan(a, len(a.leads)) }
	byStatus := func(a *account, statuses ...string) int {
		n := 0
		for _, s := range statuses {
			n += scan(a, statusCount(a, s))
		}
		return n
	}
	registerJoinCost("Companies on both sides of the partnership", func(a *account) int { return 2 * leads(a) })
	registerJoinCost("From lead to deal to partner", func(a *account) int {
		return scan(a, len(a.config.Deals)) + leads(a) + scan(a, len(a.config.Partnerships))
	})
	registerJoinCost("Lead deals per pipeline phase, from the leads", func(a *account) int { return leads(a) + 1 })
	registerJoinCost("First contact time per lead", func(a *account) int {
		return byStatus(a, "new", "contacted") + statusCount(a, "new", "contacted")
	})
	registerJoinCost("Notes on the newest leads", func(a *account) int { return leads(a) + 5 + 1 })
	registerJoinCost("Revenue potential of the newest leads", func(a *account) int { return leads(a) + 5 })
	registerJoinCost("Partner contacts with their partner", func(a *account) int {
		return scan(a, len(a.config.Partnerships)) + len(a.config.Partnerships)
	})
	registerJoinCost("Partner leaderboard by won deal value", func(a *account) int {
		return scan(a, len(a.config.Partnerships)) + scan(a, len(a.config.Deals))
	})
	registerJoinCost("Lead tags with their lead counts", func(a *account) int { return leads(a) + 1 })
	registerJoinCost("Open leads per assigned user", func(a *account) int {
		return byStatus(a, "new", "contacted", "qualified") + 1
	})
}
