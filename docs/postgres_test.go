//go:build sqlite_vtable

package docs_test

import (
	"database/sql"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pgtest"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest/jbplugin"
)

// filterOnlyColumnNames are columns filled from the query's own filter (the
// API cannot return them): empty in a materialised scan, so examples using
// them run in plain Postgres but cannot give the plugin's answer there.
// Table check files add their own.
var filterOnlyColumnNames = []string{"view", "tag_id", "assigned_user_id", "search", "custom_fields_filter"}

// postgresLoaders read a table's rows for Postgres where a plain full scan
// cannot (a table that requires a key column); by table name.
var postgresLoaders = map[string]func(t *testing.T, db *sql.DB, columns []string) []row{}

// loadEveryLead is the loader of a table that requires lead_id: Postgres
// gets its rows for every lead.
func loadEveryLead(table string) func(t *testing.T, db *sql.DB, columns []string) []row {
	return func(t *testing.T, db *sql.DB, columns []string) []row {
		return runQuery(t, db, "select "+strings.Join(columns, ", ")+" from "+table+" where lead_id in (select id from journeybee_lead)")
	}
}

func filterOnlyColumns() *regexp.Regexp {
	return regexp.MustCompile(`\b(` + strings.Join(filterOnlyColumnNames, "|") + `)\s*(=|in\b)`)
}

// TestPostgresTwinsRunInPostgres runs every sql+postgres example in a real
// PostgreSQL over tables with the plugin's schema (types as Steampipe maps
// them), each loaded with a full scan of the plugin. Every example must run;
// those using no filter-only column must return as many rows as their
// sql+sqlite twin does through the plugin.
//
// PostgreSQL's server binaries are required when JOURNEYBEE_REQUIRE_POSTGRES
// is set (CI installs them); elsewhere the test is skipped, saying why.
func TestPostgresTwinsRunInPostgres(t *testing.T) {
	pg := pgtest.Start(t)
	db, _ := openEngine(t)

	host := jbplugin.Start(t, plugintest.Config{Name: "schema", APIKey: "unused", UserID: 1})
	schema, err := host.Schema("schema")
	if err != nil {
		t.Fatal(err)
	}
	pairs := map[string]map[string]string{}
	var allSQL strings.Builder
	for _, path := range docFiles(t)[2:] {
		for _, ex := range examples(t, path) {
			key := ex.file + ": " + ex.heading
			if pairs[key] == nil {
				pairs[key] = map[string]string{}
			}
			pairs[key][ex.dialect] = ex.sql
			allSQL.WriteString(ex.sql)
		}
	}
	// Load every table an example reads, as the plugin returns it (read
	// through the SQLite engine).
	for _, name := range slices.Sorted(maps.Keys(schema)) {
		if !regexp.MustCompile(`\b` + name + `\b`).MatchString(allSQL.String()) {
			continue
		}
		cols := pgtest.TableColumns(schema[name])
		names := pgtest.ColumnNames(cols)
		var scanned []row
		if load, ok := postgresLoaders[name]; ok {
			scanned = load(t, db.DB, names)
		} else {
			scanned = runQuery(t, db.DB, "select "+strings.Join(names, ", ")+" from "+name)
		}
		rows := make([][]any, len(scanned))
		for i, r := range scanned {
			rows[i] = make([]any, len(names))
			for j, name := range names {
				rows[i][j] = r[name]
			}
		}
		pg.LoadTable(t, name, cols, rows)
	}

	// Every example in one psql session; on a failure, each in its own,
	// so that the failing one says why.
	keys := slices.Sorted(maps.Keys(pairs))
	var queries []string
	for _, key := range keys {
		queries = append(queries, pairs[key]["sql+postgres"])
	}
	counts, batched := pg.Counts(t, queries)
	filterOnly := filterOnlyColumns()
	for i, key := range keys {
		pair := pairs[key]
		t.Run(key, func(t *testing.T) {
			pgSQL := strings.TrimSpace(pair["sql+postgres"])
			var out string
			if batched {
				out = counts[i]
			} else {
				out = pg.Query(t, "select count(*) from ("+strings.TrimSuffix(pgSQL, ";")+") as example")
			}
			if filterOnly.MatchString(pgSQL) {
				return // ran in Postgres; its answer needs the plugin's pushdown
			}
			want := len(runQuery(t, db.DB, pair["sql+sqlite"]))
			if out != strconv.Itoa(want) {
				t.Fatalf("Postgres returns %s rows, the SQLite twin %d", out, want)
			}
		})
	}
}
