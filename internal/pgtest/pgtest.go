// Package pgtest starts a throwaway PostgreSQL server for tests and loads
// plugin rows into it as Steampipe's FDW would type them.
//
// PostgreSQL's server binaries (Debian's postgresql package) are required
// when JOURNEYBEE_REQUIRE_POSTGRES is set (CI sets it); elsewhere a test that
// needs them is skipped, saying why.
package pgtest

import (
	"encoding/csv"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

// Server is a PostgreSQL server listening on a unix socket in its own
// directory and on 127.0.0.1:Port, trusting every local connection as the
// superuser "postgres". It runs in UTC with the C locale.
type Server struct {
	Dir  string
	Port int
	bin  string
}

// Start initialises and starts a server that is stopped and removed when the
// test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := findBin()
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
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	pg := &Server{Dir: dir, Port: port, bin: bin}
	data := filepath.Join(dir, "data")
	if os.Geteuid() == 0 {
		// initdb refuses to run as root.
		if out, err := exec.Command("chown", "-R", "postgres", dir).CombinedOutput(); err != nil {
			t.Fatalf("chown: %v %s", err, out)
		}
	}
	// The C locale: text sorts byte-wise, as Go compares strings.
	pg.run(t, "initdb", "-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C")
	pg.run(t, "pg_ctl", "-D", data, "-w", "-t", "60", "-l", filepath.Join(dir, "log"),
		"-o", fmt.Sprintf("-k %s -p %d -c listen_addresses=127.0.0.1 -c fsync=off -c timezone=UTC", dir, port), "start")
	t.Cleanup(func() {
		pg.run(t, "pg_ctl", "-D", data, "-m", "immediate", "stop")
		os.RemoveAll(dir)
	})
	return pg
}

// URL is the server's connection string over TCP.
func (pg *Server) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", pg.Port)
}

// Query runs sql with psql and returns its unaligned, tuples-only output.
func (pg *Server) Query(t testing.TB, sql string) string {
	t.Helper()
	out, err := pg.psql("-c", sql).CombinedOutput()
	if err != nil {
		t.Fatalf("Postgres rejected the query: %v\n%s\n%s", err, out, sql)
	}
	return strings.TrimSpace(string(out))
}

// Counts returns, for each query, the rows it returns, from one psql
// session: a psql per query costs a process and a connection each. It
// returns false, with no counts, when any query fails: run them one by one
// with Query to see which and why.
func (pg *Server) Counts(t testing.TB, queries []string) ([]string, bool) {
	t.Helper()
	var script strings.Builder
	for i, q := range queries {
		fmt.Fprintf(&script, "\\echo @@count %d\nselect count(*) from (%s) as counted;\n", i, strings.TrimSuffix(strings.TrimSpace(q), ";"))
	}
	cmd := pg.psql("-f", "-")
	cmd.Stdin = strings.NewReader(script.String())
	out, err := cmd.Output()
	if err != nil {
		return nil, false
	}
	counts := make([]string, len(queries))
	lines := strings.Split(string(out), "\n")
	for i, line := range lines {
		var n int
		if _, err := fmt.Sscanf(line, "@@count %d", &n); err == nil && n < len(counts) && i+1 < len(lines) {
			counts[n] = strings.TrimSpace(lines[i+1])
		}
	}
	return counts, true
}

// psql is a psql command on the server that stops at the first error and
// prints bare, unaligned values.
func (pg *Server) psql(args ...string) *exec.Cmd {
	return exec.Command("psql", append([]string{"-h", pg.Dir, "-p", strconv.Itoa(pg.Port), "-U", "postgres", "-d", "postgres",
		"-v", "ON_ERROR_STOP=1", "-X", "-A", "-t", "-q"}, args...)...)
}

// Exec runs sql for its effect.
func (pg *Server) Exec(t testing.TB, sql string) { t.Helper(); pg.Query(t, sql) }

// ColumnType is the column type Steampipe's FDW gives a plugin column.
func ColumnType(t proto.ColumnType) string {
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

// TableColumns are a plugin table's columns as Steampipe exposes them to
// SQL: without the _ctx and sp_ columns the FDW adds.
func TableColumns(schema *proto.TableSchema) []*proto.ColumnDefinition {
	var cols []*proto.ColumnDefinition
	for _, c := range schema.Columns {
		if c.Name == "_ctx" || strings.HasPrefix(c.Name, "sp_") {
			continue
		}
		cols = append(cols, c)
	}
	return cols
}

// ColumnNames are the columns' names, in order.
func ColumnNames(cols []*proto.ColumnDefinition) []string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return names
}

// LoadTable creates table name with cols typed as the FDW types them and
// copies rows into it; each row holds one value per column, in order (nil
// is NULL, a time.Time any instant, anything else its fmt.Sprint text).
func (pg *Server) LoadTable(t testing.TB, name string, cols []*proto.ColumnDefinition, rows [][]any) {
	t.Helper()
	defs := make([]string, len(cols))
	for i, c := range cols {
		defs[i] = c.Name + " " + ColumnType(c.Type)
	}
	pg.Exec(t, fmt.Sprintf("create table %s (%s)", name, strings.Join(defs, ", ")))

	csvPath := filepath.Join(pg.Dir, name+".csv")
	file, err := os.Create(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(file)
	for _, r := range rows {
		record := make([]string, len(r))
		for i, v := range r {
			switch v := v.(type) {
			case nil:
				record[i] = `\N`
			case time.Time:
				record[i] = v.Format(time.RFC3339Nano)
			default:
				record[i] = fmt.Sprint(v)
			}
		}
		_ = w.Write(record)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	file.Close()
	_ = os.Chmod(pg.Dir, 0o755)
	_ = os.Chmod(csvPath, 0o644)
	pg.Exec(t, fmt.Sprintf(`\copy %s from '%s' with (format csv, null '\N')`, name, csvPath))
	if got := pg.Query(t, "select count(*) from "+name); got != strconv.Itoa(len(rows)) {
		t.Fatalf("loaded %s rows into Postgres table %s, want %d", got, name, len(rows))
	}
}

func findBin() string {
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

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (pg *Server) command(name string, args ...string) *exec.Cmd {
	path := filepath.Join(pg.bin, name)
	if _, err := os.Stat(path); err != nil {
		path = name
	}
	if os.Geteuid() == 0 {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	}
	return exec.Command(path, args...)
}

func (pg *Server) run(t testing.TB, name string, args ...string) {
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
