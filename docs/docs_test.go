//go:build sqlite_vtable

// Package docs_test runs every SQL example of the documentation through the
// embedded SQLite engine, against the fake JourneyBee server, and checks each
// result against the dataset. An example without a check fails the test.
package docs_test

import (
	"database/sql"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"github.com/journeybee/steampipe-plugin-journeybee/sqlite"
)

// example is one documented query.
type example struct {
	file, heading, dialect, sql string
}

var fence = regexp.MustCompile("(?s)```(sql(?:\\+postgres|\\+sqlite)?)\\n(.*?)```")

// examples extracts the SQL blocks of a markdown file, each with the
// heading it sits under.
func examples(t *testing.T, path string) []example {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	var out []example
	for _, m := range fence.FindAllStringSubmatchIndex(text, -1) {
		heading := ""
		before := "\n" + text[:m[0]]
		if i := strings.LastIndex(before, "\n#"); i >= 0 {
			line := before[i+1:]
			heading = strings.TrimSpace(strings.TrimLeft(line[:strings.Index(line, "\n")], "#"))
		}
		out = append(out, example{file: filepath.Base(path), heading: heading, dialect: text[m[2]:m[3]], sql: text[m[4]:m[5]]})
	}
	return out
}

// The dataset every example runs against: leads relative to now, so that
// "this week" finds some, and custom field 123 on every seventh lead.
func dataset() ([]api.Lead, map[int64]map[int64]any) {
	leads := journeybeetest.GenerateLeadsAt(400, 42, time.Now())
	values := map[int64]map[int64]any{}
	for i, l := range leads {
		if i%7 == 0 {
			values[l.ID] = map[int64]any{123: fmt.Sprintf("ACME rollout %d", i)}
		} else {
			values[l.ID] = map[int64]any{123: "Globex migration"}
		}
	}
	return leads, values
}

func openEngine(t *testing.T) (*sqlite.DB, []api.Lead) {
	t.Helper()
	leads, values := dataset()
	srv := journeybeetest.NewServer(journeybeetest.Config{Leads: leads, CustomFieldValues: values, PageSize: 100})
	t.Cleanup(srv.Close)
	db, err := sqlite.Open(plugintest.Host(t, srv), plugintest.Connection)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, leads
}

type row map[string]any

func runQuery(t *testing.T, db *sql.DB, query string) []row {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("query failed: %v\n%s", err, query)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []row
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		r := row{}
		for i, c := range cols {
			if b, ok := vals[i].([]byte); ok {
				vals[i] = string(b)
			}
			r[c] = vals[i]
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("query failed while reading rows: %v\n%s", err, query)
	}
	return out
}

func TestEveryDocsExampleRunsAndIsRight(t *testing.T) {
	db, leads := openEngine(t)
	var all []example
	for _, path := range []string{"index.md", "tables/journeybee_lead.md", "../README.md"} {
		all = append(all, examples(t, path)...)
	}
	documented := map[string]bool{}
	for _, ex := range all {
		documented[ex.heading] = true
	}
	for heading := range checks {
		if !documented[heading] {
			t.Errorf("check %q matches no documented example", heading)
		}
	}
	for _, ex := range all {
		if ex.dialect == "sql+postgres" {
			continue // the sql+sqlite twin is run; TestExamplesComeInPairs keeps them together
		}
		t.Run(ex.file+": "+ex.heading, func(t *testing.T) {
			check, ok := checks[ex.heading]
			if !ok {
				t.Fatalf("example %q has no check: every documented query must be asserted", ex.heading)
			}
			check(t, leads, runQuery(t, db.DB, ex.sql))
		})
	}
}

// TestExamplesComeInPairs: each table example is a one-line purpose, then
// the same query for Postgres and for SQLite.
func TestExamplesComeInPairs(t *testing.T) {
	byHeading := map[string][]string{}
	for _, ex := range examples(t, "tables/journeybee_lead.md") {
		byHeading[ex.heading] = append(byHeading[ex.heading], ex.dialect)
	}
	if len(byHeading) < 10 {
		t.Fatalf("%d examples, want at least 10", len(byHeading))
	}
	for h, dialects := range byHeading {
		if !slices.Equal(dialects, []string{"sql+postgres", "sql+sqlite"}) {
			t.Errorf("example %q has blocks %v, want sql+postgres then sql+sqlite", h, dialects)
		}
	}
}

// --- checks: what each example must return for the dataset ---

type checkFunc func(t *testing.T, leads []api.Lead, rows []row)

var checks = map[string]checkFunc{
	// docs/index.md and README.md
	"JourneyBee + Steampipe": func(t *testing.T, leads []api.Lead, rows []row) {
		want := idsOf(leads, func(l *api.Lead) bool { return inStatus(l, "new", "contacted") && hasDirection(l, "received") })
		assertIDSet(t, rows, want)
	},
	"steampipe-plugin-journeybee": func(t *testing.T, leads []api.Lead, rows []row) {
		want := map[string]int64{}
		for i := range leads {
			if hasDirection(&leads[i], "received") {
				want[leads[i].Status]++
			}
		}
		assertCounts(t, rows, "status", "leads", want)
	},
	// docs/tables/journeybee_lead.md
	"Latest leads": func(t *testing.T, leads []api.Lead, rows []row) {
		sorted := newestFirst(leads)
		assertIDOrder(t, rows, firstWithTies(sorted, 10, columnInts(rows, "id")))
		for i, r := range rows {
			if r["assignees"] != int64(len(sorted[i].AssignedUsers)) {
				t.Fatalf("lead %d assignees = %v, want %d", sorted[i].ID, r["assignees"], len(sorted[i].AssignedUsers))
			}
		}
	},
	"New leads this week": func(t *testing.T, leads []api.Lead, rows []row) {
		cutoff := time.Now().Add(-7 * 24 * time.Hour)
		var want []int64
		for _, l := range newestFirst(leads) {
			if l.CreatedAt.After(cutoff.Add(time.Minute)) {
				want = append(want, l.ID)
			}
		}
		if len(want) == 0 {
			t.Fatal("the dataset has no lead this week: the example proves nothing")
		}
		got := columnInts(rows, "id")
		if len(got) < len(want) || len(got) > len(want)+1 || !slices.Equal(got[:len(want)], want) {
			t.Fatalf("ids %v, want %v (newest first)", got, want)
		}
	},
	"Leads per status": func(t *testing.T, leads []api.Lead, rows []row) {
		want := map[string]int64{}
		for _, l := range leads {
			want[l.Status]++
		}
		if len(want) != 5 {
			t.Fatalf("the dataset has %d statuses, want all 5", len(want))
		}
		assertCounts(t, rows, "status", "leads", want)
		assertSortedDesc(t, rows, "leads")
	},
	"Received referrals that still need work": func(t *testing.T, leads []api.Lead, rows []row) {
		assertIDOrder(t, rows, (filter(newestFirst(leads), func(l *api.Lead) bool {
			return inStatus(l, "new", "contacted") && hasDirection(l, "received")
		})))
	},
	"Unassigned leads by age": func(t *testing.T, leads []api.Lead, rows []row) {
		want := filter(leads, func(l *api.Lead) bool {
			return len(l.AssignedUsers) == 0 && inStatus(l, "new", "contacted", "qualified")
		})
		slices.SortFunc(want, func(a, b api.Lead) int { return a.CreatedAt.Compare(b.CreatedAt) })
		assertIDOrder(t, rows, (want))
		for i, r := range rows {
			days := int64(time.Since(want[i].CreatedAt).Hours() / 24)
			if got := r["age_days"].(int64); got < days-1 || got > days+1 {
				t.Fatalf("lead %d age_days = %d, want about %d", want[i].ID, got, days)
			}
		}
	},
	"Leads from a partner": func(t *testing.T, leads []api.Lead, rows []row) {
		assertIDOrder(t, rows, (filter(newestFirst(leads), func(l *api.Lead) bool {
			return hasDirection(l, "received") && slices.ContainsFunc(l.PartnershipLeads, func(p api.PartnershipLead) bool {
				return p.Direction == "received" && p.SentByCompanyName == "Partner Corp"
			})
		})))
	},
	"Partner-sourced pipeline": func(t *testing.T, leads []api.Lead, rows []row) {
		type key struct{ partner, currency string }
		count := map[key]int64{}
		sum := map[key]float64{}
		for _, l := range leads {
			if !hasDirection(&l, "received") {
				continue
			}
			for _, p := range l.PartnershipLeads {
				if p.Direction != "received" {
					continue
				}
				for _, d := range l.LeadDeals {
					if d.StagePhase == "discovery" || d.StagePhase == "negotiation" {
						k := key{p.SentByCompanyName, d.CurrencyCode}
						count[k]++
						sum[k] += d.DealValue
					}
				}
			}
		}
		if len(rows) != len(count) || len(rows) == 0 {
			t.Fatalf("%d groups, want %d", len(rows), len(count))
		}
		for _, r := range rows {
			k := key{r["partner"].(string), r["currency"].(string)}
			if r["open_deals"] != count[k] || math.Abs(toFloat(r["pipeline"])-sum[k]) > 0.001 {
				t.Fatalf("%v: %v deals worth %v, want %d worth %v", k, r["open_deals"], r["pipeline"], count[k], sum[k])
			}
		}
	},
	"Leads with a given tag": func(t *testing.T, leads []api.Lead, rows []row) {
		assertIDOrder(t, rows, (filter(newestFirst(leads), func(l *api.Lead) bool { return hasTag(l, 10) })))
		for _, r := range rows {
			if r["tag_id"] != int64(10) {
				t.Fatalf("tag_id = %v", r["tag_id"])
			}
		}
	},
	"Search": func(t *testing.T, leads []api.Lead, rows []row) {
		assertIDOrder(t, rows, (filter(newestFirst(leads), func(l *api.Lead) bool { return journeybeetest.MatchesSearch(l, "northwind") })))
	},
	"A user's qualified leads": func(t *testing.T, leads []api.Lead, rows []row) {
		assertIDOrder(t, rows, (filter(newestFirst(leads), func(l *api.Lead) bool {
			return l.Status == "qualified" && slices.ContainsFunc(l.AssignedUsers, func(u api.AssignedUser) bool { return u.ID == 456 })
		})))
	},
	"Workload per user": func(t *testing.T, leads []api.Lead, rows []row) {
		want := map[string]int64{}
		for _, l := range leads {
			if inStatus(&l, "new", "contacted", "qualified") {
				for _, u := range l.AssignedUsers {
					want[u.Email]++
				}
			}
		}
		assertCounts(t, rows, "assignee", "open_leads", want)
		assertSortedDesc(t, rows, "open_leads")
	},
	"Conversion rate per partner": func(t *testing.T, leads []api.Lead, rows []row) {
		referred, converted := map[string]int64{}, map[string]int64{}
		for _, l := range leads {
			if !hasDirection(&l, "received") {
				continue
			}
			for _, p := range l.PartnershipLeads {
				if p.Direction == "received" {
					referred[p.SentByCompanyName]++
					if l.Status == "converted" {
						converted[p.SentByCompanyName]++
					}
				}
			}
		}
		assertCounts(t, rows, "partner", "referred", referred)
		for _, r := range rows {
			p := r["partner"].(string)
			pct := math.Round(1000*float64(converted[p])/float64(referred[p])) / 10
			if r["converted"] != converted[p] || math.Abs(toFloat(r["conversion_pct"])-pct) > 0.051 {
				t.Fatalf("%s: converted %v (%v%%), want %d (%.1f%%)", p, r["converted"], r["conversion_pct"], converted[p], pct)
			}
		}
	},
	"Companies on both sides of the partnership": func(t *testing.T, leads []api.Lead, rows []row) {
		received, sent := map[string]map[int64]bool{}, map[string]map[int64]bool{}
		for _, l := range leads {
			if l.CompanyName == nil {
				continue
			}
			for dir, m := range map[string]map[string]map[int64]bool{"received": received, "sent": sent} {
				if hasDirection(&l, dir) {
					if m[*l.CompanyName] == nil {
						m[*l.CompanyName] = map[int64]bool{}
					}
					m[*l.CompanyName][l.ID] = true
				}
			}
		}
		var want []string
		for c := range received {
			if sent[c] != nil {
				want = append(want, c)
			}
		}
		sort.Strings(want)
		if len(want) == 0 {
			t.Fatal("no company is on both sides in the dataset: the example proves nothing")
		}
		if len(rows) != len(want) {
			t.Fatalf("%d companies, want %d: %v", len(rows), len(want), want)
		}
		for i, r := range rows {
			c := want[i]
			if r["company_name"] != c || r["received_leads"] != int64(len(received[c])) || r["sent_leads"] != int64(len(sent[c])) {
				t.Fatalf("row %v, want %s with %d received and %d sent", r, c, len(received[c]), len(sent[c]))
			}
		}
	},
	"Leads matching a custom field": func(t *testing.T, leads []api.Lead, rows []row) {
		var want []api.Lead
		for i, l := range leads {
			if i%7 == 0 {
				want = append(want, l)
			}
		}
		assertIDOrder(t, rows, (newestFirst(want)))
	},
}

// --- helpers ---

// firstWithTies is the first n of sorted leads, except that when the cut
// falls inside a group sharing a created_at, the group's members the query
// returned stand in for the ones it did not.
func firstWithTies(sorted []api.Lead, n int, gotIDs []int64) []api.Lead {
	out := slices.Clone(sorted[:n])
	last := out[n-1].CreatedAt
	for i := n; i < len(sorted) && sorted[i].CreatedAt.Equal(last); i++ {
		if slices.Contains(gotIDs, sorted[i].ID) {
			for j := range out {
				if out[j].CreatedAt.Equal(last) && !slices.Contains(gotIDs, out[j].ID) {
					out[j] = sorted[i]
					break
				}
			}
		}
	}
	return out
}

func newestFirst(leads []api.Lead) []api.Lead {
	out := slices.Clone(leads)
	slices.SortStableFunc(out, func(a, b api.Lead) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return int(b.ID - a.ID)
	})
	return out
}

func filter(leads []api.Lead, keep func(*api.Lead) bool) []api.Lead {
	var out []api.Lead
	for i := range leads {
		if keep(&leads[i]) {
			out = append(out, leads[i])
		}
	}
	return out
}

func idList(leads []api.Lead) []int64 {
	out := make([]int64, len(leads))
	for i, l := range leads {
		out[i] = l.ID
	}
	return out
}

func idsOf(leads []api.Lead, keep func(*api.Lead) bool) []int64 {
	ids := idList(filter(leads, keep))
	slices.Sort(ids)
	return ids
}

func columnInts(rows []row, col string) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i], _ = r[col].(int64)
	}
	return out
}

// assertIDOrder checks the rows are the wanted leads in the wanted order,
// where leads sharing a created_at may come in either order (the examples
// order by created_at alone, as users write them).
func assertIDOrder(t *testing.T, rows []row, want []api.Lead) {
	t.Helper()
	if len(want) == 0 {
		t.Fatal("the dataset gives this example no rows: it proves nothing")
	}
	got := columnInts(rows, "id")
	wantIDs := idList(want)
	if len(got) == len(want) {
		createdAt := map[int64]time.Time{}
		for _, l := range want {
			createdAt[l.ID] = l.CreatedAt
		}
		sameSet := slices.Equal(sortedCopy(got), sortedCopy(wantIDs))
		ordered := true
		for i, id := range got {
			if !createdAt[id].Equal(want[i].CreatedAt) {
				ordered = false
			}
		}
		if sameSet && ordered {
			return
		}
	}
	t.Fatalf("ids %v (%d), want %v (%d)", head(got), len(got), head(wantIDs), len(wantIDs))
}

func sortedCopy(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

func assertIDSet(t *testing.T, rows []row, want []int64) {
	t.Helper()
	got := columnInts(rows, "id")
	slices.Sort(got)
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Fatalf("ids %v (%d), want %v (%d)", head(got), len(got), head(want), len(want))
	}
}

func assertCounts(t *testing.T, rows []row, keyCol, countCol string, want map[string]int64) {
	t.Helper()
	got := map[string]int64{}
	for _, r := range rows {
		k, _ := r[keyCol].(string)
		got[k], _ = r[countCol].(int64)
	}
	if len(want) == 0 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%s counts %v, want %v", countCol, got, want)
	}
}

func assertSortedDesc(t *testing.T, rows []row, col string) {
	t.Helper()
	for i := 1; i < len(rows); i++ {
		if rows[i][col].(int64) > rows[i-1][col].(int64) {
			t.Fatalf("rows not ordered by %s descending", col)
		}
	}
}

func head(ids []int64) []int64 { return ids[:min(len(ids), 8)] }

func toFloat(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	}
	return math.NaN()
}

func inStatus(l *api.Lead, statuses ...string) bool { return slices.Contains(statuses, l.Status) }

func hasTag(l *api.Lead, id int64) bool {
	return slices.ContainsFunc(l.Tags, func(t api.Tag) bool { return t.ID == id })
}

func hasDirection(l *api.Lead, dir string) bool {
	return slices.ContainsFunc(l.PartnershipLeads, func(p api.PartnershipLead) bool { return p.Direction == dir })
}
