//go:build sqlite_vtable

package docs_test

import (
	"database/sql"
	"encoding/csv"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

// filterOnlyColumnNames are columns filled from the query's own filter (the
// API cannot return them): empty in a materialised scan, so examples using
// them run in plain Postgres but cannot give the plugin's answer there.
// Table check files add their own.
var filterOnlyColumnNames = []string{"view", "tag_id", "assigned_user_id", "search", "custom_fields_filter"}

// postgresLoaders read a table's rows for Postgres where a plain full scan
// cannot (a table that requires a key column); by table name.
var postgresLoaders = map[string]func(t *testing.T, db *sql.DB, columns []string) []row{}

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
	pg := startPostgres(t)
	db, _ := openEngine(t)

	host, err := pluginhost.New(journeybee.Plugin, pluginhost.Options{}, pluginhost.Connection{Name: "schema", Config: `api_key = "unused"` + "\nuser_id = 1"})
	if err != nil {
		t.Fatal(err)
	}
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
	for _, name := range slices.Sorted(maps.Keys(schema)) {
		if regexp.MustCompile(`\b` + name + `\b`).MatchString(allSQL.String()) {
			loadIntoPostgres(t, pg, db.DB, name, schema[name])
		}
	}

	filterOnly := filterOnlyColumns()
	for key, pair := range pairs {
		t.Run(key, func(t *testing.T) {
			pgSQL := strings.TrimSpace(pair["sql+postgres"])
			out := pg.query(t, "select count(*) from ("+strings.TrimSuffix(pgSQL, ";")+") as example")
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

// loadIntoPostgres creates the table with the plugin's column types and
// loads what the plugin returns for it, read through the SQLite engine.
func loadIntoPostgres(t *testing.T, pg *postgres, db *sql.DB, name string, table *proto.TableSchema) {
	t.Helper()
	var cols, names []string
	for _, c := range table.Columns {
		if c.Name == "_ctx" || strings.HasPrefix(c.Name, "sp_") {
			continue
		}
		cols = append(cols, c.Name+" "+postgresType(c.Type))
		names = append(names, c.Name)
	}
	pg.exec(t, "create table "+name+" ("+strings.Join(cols, ", ")+")")
	var rows []row
	if load, ok := postgresLoaders[name]; ok {
		rows = load(t, db, names)
	} else {
		rows = runQuery(t, db, "select "+strings.Join(names, ", ")+" from "+name)
	}
	csvPath := filepath.Join(pg.dir, name+".csv")
	file, err := os.Create(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(file)
	for _, r := range rows {
		record := make([]string, len(names))
		for i, name := range names {
			if r[name] == nil {
				record[i] = `\N`
			} else {
				record[i] = fmt.Sprint(r[name])
			}
		}
		_ = w.Write(record)
	}
	w.Flush()
	file.Close()
	_ = os.Chmod(pg.dir, 0o755)
	_ = os.Chmod(csvPath, 0o644)
	pg.exec(t, fmt.Sprintf(`\copy %s from '%s' with (format csv, null '\N')`, name, csvPath))
	if got := pg.query(t, "select count(*) from "+name); got != strconv.Itoa(len(rows)) {
		t.Fatalf("loaded %s rows into Postgres table %s, want %d", got, name, len(rows))
	}
}

// postgresType is the column type Steampipe's FDW gives a plugin column.
func postgresType(t proto.ColumnType) string {
	switch t {
	case proto.ColumnType_INT:
		return "bigint"
	case proto.ColumnType_DOUBLE:
		return "double precision"
	case proto.ColumnType_BOOL:
		return "boolean"
	case proto.ColumnType_TIMESTAMP:
		return "timestamptz"
	case proto.ColumnType_JSON:
		return "jsonb"
	default:
		return "text"
	}
}

// postgres is a throwaway PostgreSQL server on a unix socket.
type postgres struct {
	dir, bin, socket string
	port             int
}

func startPostgres(t *testing.T) *postgres {
	t.Helper()
	bin := findPostgresBin()
	if bin == "" {
		if os.Getenv("JOURNEYBEE_REQUIRE_POSTGRES") != "" {
			t.Fatal("JOURNEYBEE_REQUIRE_POSTGRES is set but no PostgreSQL server binaries (initdb, pg_ctl) were found")
		}
		t.Skip("PostgreSQL server binaries not installed (apt-get install postgresql); .ci/run installs them and sets JOURNEYBEE_REQUIRE_POSTGRES")
	}
	dir, err := os.MkdirTemp("", "journeybee-pg-")
	if err != nil {
		t.Fatal(err)
	}
	pg := &postgres{dir: dir, bin: bin, socket: dir, port: 50000 + os.Getpid()%10000}
	data := filepath.Join(dir, "data")
	if os.Geteuid() == 0 {
		// initdb refuses to run as root.
		if out, err := exec.Command("chown", "-R", "postgres", dir).CombinedOutput(); err != nil {
			t.Fatalf("chown: %v %s", err, out)
		}
	}
	pg.run(t, "initdb", "-D", data, "-A", "trust", "-U", "postgres", "--no-sync")
	pg.run(t, "pg_ctl", "-D", data, "-w", "-t", "60", "-l", filepath.Join(dir, "log"),
		"-o", fmt.Sprintf("-k %s -p %d -c listen_addresses='' -c fsync=off", dir, pg.port), "start")
	t.Cleanup(func() {
		pg.run(t, "pg_ctl", "-D", data, "-m", "immediate", "stop")
		os.RemoveAll(dir)
	})
	return pg
}

func findPostgresBin() string {
	if p, err := exec.LookPath("initdb"); err == nil {
		if _, err := exec.LookPath("pg_ctl"); err == nil {
			return filepath.Dir(p)
		}
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(matches) == 0 {
		return ""
	}
	return filepath.Dir(matches[len(matches)-1])
}

func (pg *postgres) command(name string, args ...string) *exec.Cmd {
	path := filepath.Join(pg.bin, name)
	if _, err := os.Stat(path); err != nil {
		path = name
	}
	if os.Geteuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	}
	return exec.Command(path, args...)
}

func (pg *postgres) run(t *testing.T, name string, args ...string) {
	t.Helper()
	cmd := pg.command(name, args...)
	done := make(chan struct{})
	var out []byte
	var err error
	go func() { out, err = cmd.CombinedOutput(); close(done) }()
	select {
	case <-done:
	case <-time.After(90 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("%s timed out", name)
	}
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

// query runs sql with psql and returns its unaligned output.
func (pg *postgres) query(t *testing.T, sql string) string {
	t.Helper()
	out, err := exec.Command("psql", "-h", pg.socket, "-p", strconv.Itoa(pg.port), "-U", "postgres", "-d", "postgres",
		"-v", "ON_ERROR_STOP=1", "-X", "-A", "-t", "-c", sql).CombinedOutput()
	if err != nil {
		t.Fatalf("Postgres rejected the query: %v\n%s\n%s", err, out, sql)
	}
	return strings.TrimSpace(string(out))
}

func (pg *postgres) exec(t *testing.T, sql string) { pg.query(t, sql) }
