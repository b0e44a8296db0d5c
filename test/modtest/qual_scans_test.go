package modtest

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/pgtest"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

// dependsOnQuals reports whether a scan's rows depend on what the FDW
// pushes beyond what Postgres re-applies to them: a LIMIT picks rows, and
// total is the API's count for the request's filters. A table loaded from
// one full scan cannot answer such a scan (its total is the unfiltered
// one).
func (s scan) dependsOnQuals() bool { return s.limit > 0 || slices.Contains(s.columns, "total") }

// loadQualScans drives the plugin with the scans that depend on their
// quals, for every call of their query that the dashboards and the
// benchmark make with every input set, and points each query at the rows.
func (e *env) loadQualScans(t *testing.T) {
	t.Helper()
	callsOf := map[string][]call{}
	for _, d := range e.mod.dashboards {
		for _, in := range orOne(e.inputs[d.name]) {
			for _, c := range e.mod.calls(t, d, in) {
				if !slices.ContainsFunc(callsOf[c.query], func(o call) bool { return o.String() == c.String() }) {
					callsOf[c.query] = append(callsOf[c.query], c)
				}
			}
		}
	}
	e.qualSQL = map[string]string{}
	for name, q := range e.mod.queries {
		if sql := e.driveQualScans(t, name, q.sql, callsOf[name]); sql != q.sql {
			e.qualSQL[name] = sql
		}
	}
}

// driveQualScans runs each scan of sql that depends on its quals through
// the plugin exactly as the FDW would for each call (the CTE's columns and
// the columns its WHERE names, its key-column quals, its LIMIT), loads the
// rows of all the calls into a Postgres table of the scan's own (named
// after prefix) and returns sql with that CTE reading the table. Postgres
// re-applies the CTE's WHERE and LIMIT to those rows as it does to the
// FDW's, and each row carries the values of the quals it was listed for,
// so every call reads the rows of its own quals.
func (e *env) driveQualScans(t *testing.T, prefix, sql string, calls []call) string {
	t.Helper()
	schema, err := e.host.Schema(plugintest.Connection)
	if err != nil {
		t.Fatal(err)
	}
	scans, _ := scansOf(sql)
	at := tableScan.FindAllStringSubmatchIndex(sql, -1)
	now := time.Now()
	// From the last scan back, so the earlier ones' offsets hold.
	for i := len(scans) - 1; i >= 0; i-- {
		s := scans[i]
		if !s.dependsOnQuals() || len(calls) == 0 {
			continue
		}
		var rows []pluginhost.Row
		var columns []string
		made := map[string]bool{}
		for _, c := range calls {
			quals, err := s.quals(c.args, now)
			if err != nil {
				t.Fatalf("%s: %v", c, err)
			}
			ps := panelScan{scan: s, quals: quals, key: requestKey(s.table, quals, s.limit)}
			if made[ps.key] {
				continue
			}
			made[ps.key] = true
			q := ps.query(false)
			got, err := e.host.Collect(context.Background(), q)
			if err != nil {
				t.Fatalf("%s: scan %s: %v", c, ps.key, err)
			}
			rows = append(rows, got...)
			columns = q.Columns
		}
		var cols []*proto.ColumnDefinition
		for _, c := range pgtest.TableColumns(schema[s.table]) {
			if slices.Contains(columns, c.Name) {
				cols = append(cols, c)
			}
		}
		if len(cols) != len(columns) {
			t.Fatalf("%s: a scan of %s asks for columns %v, the table has %v", prefix, s.table, columns, pgtest.ColumnNames(cols))
		}
		table := fmt.Sprintf("qual_scan_%s_%d", prefix, i)
		e.pg.LoadTable(t, table, cols, tableRows(rows, pgtest.ColumnNames(cols)))
		sql = sql[:at[i][6]] + table + sql[at[i][7]:]
	}
	return sql
}

// sqlOf is the SQL run executes for q: with its scans that depend on their
// quals reading the rows the plugin gave for them. A query with such a scan
// that was not driven through the plugin fails: the full-scan tables would
// answer it wrongly.
func (e *env) sqlOf(t *testing.T, q *modQuery) string {
	t.Helper()
	if sql, ok := e.qualSQL[q.name]; ok {
		return sql
	}
	scans, _ := scansOf(q.sql)
	for _, s := range scans {
		if s.dependsOnQuals() {
			t.Fatalf("query %s: its scan of %s depends on its quals (a LIMIT or total) and was not driven through the plugin", q.name, s.table)
		}
	}
	return q.sql
}

// pointQualScans rewrites the sql of each query of the mod copy in dir
// whose scans depend on their quals to e.qualSQL's, so that Powerpipe runs
// them on the rows the plugin gave for their quals.
func (e *env) pointQualScans(t *testing.T, dir string) {
	t.Helper()
	escape := strings.NewReplacer("${", "$${", "%{", "%%{")
	err := walkModFiles(dir, func(path string, src []byte, body *hclsyntax.Body) error {
		var edits []hcl.Range
		var texts []string
		for _, b := range body.Blocks {
			if sql, ok := e.qualSQL[labelOf(b)]; ok && b.Type == "query" {
				edits = append(edits, b.Body.Attributes["sql"].Expr.Range())
				texts = append(texts, "<<-EOQ\n"+escape.Replace(strings.TrimRight(sql, "\n"))+"\nEOQ\n")
			}
		}
		if len(edits) == 0 {
			return nil
		}
		order := make([]int, len(edits))
		for i := range order {
			order[i] = i
		}
		sort.Slice(order, func(a, b int) bool { return edits[order[a]].Start.Byte > edits[order[b]].Start.Byte })
		for _, i := range order {
			src = append(src[:edits[i].Start.Byte:edits[i].Start.Byte], append([]byte(texts[i]), src[edits[i].End.Byte:]...)...)
		}
		return os.WriteFile(path, src, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func labelOf(b *hclsyntax.Block) string {
	if len(b.Labels) == 0 {
		return ""
	}
	return b.Labels[0]
}

// testQualScans proves the harness checks the count cards: reading total
// from the full-scan tables (the harness before this) or from a scan
// without the card's filter gives another answer than the oracle's, so a
// card built either way fails testQueries.
func (e *env) testQualScans(t *testing.T) {
	q := e.mod.queries["lead_status_count"]
	if q == nil || e.qualSQL[q.name] == "" {
		t.Fatal("lead_status_count, a card that reads total, was not driven through the plugin")
	}
	c := call{query: q.name, args: []string{"new"}}
	want := expected[q.name](e.oracle(time.Now()), c.args)
	runAs := func(name, sql string) []row {
		e.qualSQL[name] = sql
		defer delete(e.qualSQL, name)
		_, got := e.run(t, &modQuery{name: name, sql: q.sql, params: q.params}, c.args)
		return got
	}
	if diff := compareRows(runAs("card", e.qualSQL[q.name]), want); diff != "" {
		t.Errorf("the card driven through the plugin: %s", diff)
	}
	if compareRows(runAs("full_scan_card", q.sql), want) == "" {
		t.Errorf("the card over the full-scan table gave the oracle's %v: the check cannot tell a filtered total from the unfiltered one", want)
	}
	unfiltered := strings.Replace(q.sql, "where status = $1\n", "", 1)
	if unfiltered == q.sql {
		t.Fatalf("lead_status_count has no line `where status = $1`:\n%s", q.sql)
	}
	if compareRows(runAs("unfiltered_card", e.driveQualScans(t, "unfiltered_card", unfiltered, []call{c})), want) == "" {
		t.Errorf("a card reading total from an unfiltered scan gave the oracle's %v", want)
	}
}
