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
	"strings"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest/jbplugin"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"github.com/journeybee/steampipe-plugin-journeybee/sqlite"
)

// example is one documented query.
type example struct {
	file, heading, dialect, sql string
	// text is the prose between the heading and the block.
	text string
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
		heading, prose := "", ""
		before := "\n" + text[:m[0]]
		if i := strings.LastIndex(before, "\n#"); i >= 0 {
			line := before[i+1:]
			end := strings.Index(line, "\n")
			heading = strings.TrimSpace(strings.TrimLeft(line[:end], "#"))
			prose = line[end:]
		}
		out = append(out, example{file: filepath.Base(path), heading: heading, dialect: text[m[2]:m[3]], sql: text[m[4]:m[5]], text: prose})
	}
	return out
}

// The account every example runs against: a whole generated account (leads,
// deals, partnerships, users, lookups, notes) relative to now, so that
// "this week" finds some, with custom field 123 on every lead: "ACME
// rollout" on every seventh.
func dataset() journeybeetest.Config {
	cfg := journeybeetest.GenerateAccountAt(400, 42, time.Now())
	if cfg.CustomFieldValues == nil {
		cfg.CustomFieldValues = map[int64]map[int64]any{}
	}
	for i, l := range cfg.Leads {
		values := cfg.CustomFieldValues[l.ID]
		if values == nil {
			values = map[int64]any{}
			cfg.CustomFieldValues[l.ID] = values
		}
		if i%7 == 0 {
			values[123] = fmt.Sprintf("ACME rollout %d", i)
		} else {
			values[123] = "Globex migration"
		}
	}
	cfg.PageSize = 100
	return cfg
}

// account is the data the examples run against, as the fake serves it.
type account struct {
	srv   *journeybeetest.Server
	leads []journeybeetest.Lead
	// config is the whole account as generated: users, lookups, notes,
	// partner contacts (the server has no accessor for some of them).
	config journeybeetest.Config
}

// checkFunc asserts what one documented example returns for the account.
type checkFunc func(t *testing.T, a *account, rows []row)

// checks holds every example's check, by the example's heading; each
// table's checks register themselves from their own file.
var checks = map[string]checkFunc{}

func registerCheck(heading string, check checkFunc) {
	if _, dup := checks[heading]; dup {
		panic("two checks for the example heading " + heading + ": headings must be unique across the docs")
	}
	checks[heading] = check
}

// docFiles are every markdown file whose SQL examples are run.
func docFiles(t *testing.T) []string {
	tables, err := filepath.Glob("tables/*.md")
	if err != nil || len(tables) == 0 {
		t.Fatalf("no table docs found: %v", err)
	}
	return append([]string{"index.md", "../README.md"}, tables...)
}

func openEngine(t *testing.T, opts ...sqlite.Option) (*sqlite.DB, *account) {
	t.Helper()
	cfg := dataset()
	srv := plugintest.Fake(t, cfg)
	// The reply cache stays on, as journeybee-query has it: the docs state
	// what a user's query costs.
	conn := plugintest.ConfigFor(srv)
	conn.CacheTTL = nil
	host := jbplugin.Start(t, conn)
	db, err := sqlite.Open(host, "journeybee", opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, &account{srv: srv, leads: cfg.Leads, config: cfg}
}

type row map[string]any

func runQuery(t *testing.T, db *sql.DB, query string) []row {
	t.Helper()
	cols, values, err := plugintest.QueryAll(db, query)
	if err != nil {
		t.Fatalf("query failed: %v\n%s", err, query)
	}
	var out []row
	for _, vals := range values {
		r := row{}
		for i, c := range cols {
			if b, ok := vals[i].([]byte); ok {
				vals[i] = string(b)
			}
			r[c] = vals[i]
		}
		out = append(out, r)
	}
	return out
}

func TestEveryDocsExampleRunsAndIsRight(t *testing.T) {
	db, a := openEngine(t)
	var all []example
	for _, path := range docFiles(t) {
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
			check(t, a, runQuery(t, db.DB, ex.sql))
		})
	}
}

// TestExamplesComeInPairs: each table example is a one-line purpose, then
// the same query for Postgres and for SQLite.
func TestExamplesComeInPairs(t *testing.T) {
	for _, path := range docFiles(t)[2:] {
		byHeading := map[string][]string{}
		for _, ex := range examples(t, path) {
			byHeading[ex.heading] = append(byHeading[ex.heading], ex.dialect)
		}
		if min := minExamples(path); len(byHeading) < min {
			t.Errorf("%s: %d examples, want at least %d", path, len(byHeading), min)
		}
		for h, dialects := range byHeading {
			if !slices.Equal(dialects, []string{"sql+postgres", "sql+sqlite"}) {
				t.Errorf("%s: example %q has blocks %v, want sql+postgres then sql+sqlite", path, h, dialects)
			}
		}
	}
}

// minExamples is how many examples a table doc must show: the lead table is
// the one most questions start from.
func minExamples(path string) int {
	if filepath.Base(path) == "journeybee_lead.md" {
		return 10
	}
	return 2
}

// --- helpers ---

// firstWithTies is the first n of sorted leads, except that when the cut
// falls inside a group sharing a created_at, the group's members the query
// returned stand in for the ones it did not.
func firstWithTies(sorted []journeybeetest.Lead, n int, gotIDs []int64) []journeybeetest.Lead {
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

func newestFirst(leads []journeybeetest.Lead) []journeybeetest.Lead {
	out := slices.Clone(leads)
	slices.SortStableFunc(out, func(a, b journeybeetest.Lead) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return int(b.ID - a.ID)
	})
	return out
}

func filter(leads []journeybeetest.Lead, keep func(*journeybeetest.Lead) bool) []journeybeetest.Lead {
	var out []journeybeetest.Lead
	for i := range leads {
		if keep(&leads[i]) {
			out = append(out, leads[i])
		}
	}
	return out
}

func idList(leads []journeybeetest.Lead) []int64 {
	out := make([]int64, len(leads))
	for i, l := range leads {
		out[i] = l.ID
	}
	return out
}

func idsOf(leads []journeybeetest.Lead, keep func(*journeybeetest.Lead) bool) []int64 {
	return plugintest.IDs(leads, func(l *journeybeetest.Lead) int64 { return l.ID }, keep)
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
func assertIDOrder(t *testing.T, rows []row, want []journeybeetest.Lead) {
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

func inStatus(l *journeybeetest.Lead, statuses ...string) bool {
	return slices.Contains(statuses, l.Status)
}

func hasTag(l *journeybeetest.Lead, id int64) bool {
	return slices.ContainsFunc(l.Tags, func(t journeybeetest.Tag) bool { return t.ID == id })
}

func hasDirection(l *journeybeetest.Lead, dir string) bool {
	return slices.ContainsFunc(l.PartnershipLeads, func(p journeybeetest.PartnershipLead) bool { return p.Direction == dir })
}
