//go:build sqlite_vtable

package docs_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pgtest"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee"
)

// filterOnlyColumns are empty in a materialised scan: examples using them
// can run in plain Postgres but not give the plugin's answer there.
var filterOnlyColumns = regexp.MustCompile(`\b(view|tag_id|assigned_user_id|search|custom_fields_filter)\s*(=|in\b)`)

// TestPostgresTwinsRunInPostgres runs every sql+postgres example in a real
// PostgreSQL over a table with journeybee_lead's schema (types as Steampipe
// maps them) loaded with a full scan of the plugin. Every example must run;
// those using no filter-only column must return as many rows as their
// sql+sqlite twin does through the plugin.
//
// PostgreSQL's server binaries are required when JOURNEYBEE_REQUIRE_POSTGRES
// is set (CI installs them); elsewhere the test is skipped, saying why.
func TestPostgresTwinsRunInPostgres(t *testing.T) {
	pg := pgtest.Start(t)
	db, _ := openEngine(t)

	host, err := pluginhost.New(journeybee.Plugin, pluginhost.Options{}, pluginhost.Connection{Name: "schema", Config: `api_key = "unused"` + "\nuser_id = 1"})
	if err != nil {
		t.Fatal(err)
	}
	schema, err := host.Schema("schema")
	if err != nil {
		t.Fatal(err)
	}
	cols := pgtest.TableColumns(schema["journeybee_lead"])
	names := pgtest.ColumnNames(cols)
	// Load a full scan, read through the SQLite engine.
	var rows [][]any
	for _, r := range runQuery(t, db.DB, "select "+strings.Join(names, ", ")+" from journeybee_lead") {
		values := make([]any, len(names))
		for i, name := range names {
			values[i] = r[name]
		}
		rows = append(rows, values)
	}
	pg.LoadTable(t, "journeybee_lead", cols, rows)

	pairs := map[string]map[string]string{}
	for _, ex := range examples(t, "tables/journeybee_lead.md") {
		if pairs[ex.heading] == nil {
			pairs[ex.heading] = map[string]string{}
		}
		pairs[ex.heading][ex.dialect] = ex.sql
	}
	for heading, pair := range pairs {
		t.Run(heading, func(t *testing.T) {
			pgSQL := strings.TrimSpace(pair["sql+postgres"])
			out := pg.Query(t, "select count(*) from ("+strings.TrimSuffix(pgSQL, ";")+") as example")
			if filterOnlyColumns.MatchString(pgSQL) {
				return // ran in Postgres; its answer needs the plugin's pushdown
			}
			want := len(runQuery(t, db.DB, pair["sql+sqlite"]))
			if out != strconv.Itoa(want) {
				t.Fatalf("Postgres returns %s rows, the SQLite twin %d", out, want)
			}
		})
	}
}
