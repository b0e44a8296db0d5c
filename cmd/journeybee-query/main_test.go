//go:build sqlite_vtable

package main

import (
	"bytes"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	_ "github.com/mattn/go-sqlite3" // the "sqlite3" driver, to read saved files
)

const testKey = "query-test-secret-key"

// fakeAPI starts a fake JourneyBee with 60 leads and points the plugin's
// environment variables at it; HOME has no Steampipe config.
func fakeAPI(t *testing.T) *journeybeetest.Server {
	t.Helper()
	server := journeybeetest.NewServer(journeybeetest.Config{APIKey: testKey, Leads: journeybeetest.GenerateLeads(60, 3)})
	t.Cleanup(server.Close)
	t.Setenv("HOME", t.TempDir())
	t.Setenv("STEAMPIPE_INSTALL_DIR", "")
	t.Setenv("JOURNEYBEE_API_KEY", testKey)
	t.Setenv("JOURNEYBEE_USER_ID", fmt.Sprint(server.UserID()))
	t.Setenv("JOURNEYBEE_BASE_URL", server.URL)
	return server
}

// runCmd runs the command and returns its exit status and output.
func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	if strings.Contains(out.String()+errOut.String(), testKey) {
		t.Errorf("the API key was printed:\n%s%s", out.String(), errOut.String())
	}
	return code, out.String(), errOut.String()
}

func countStatus(server *journeybeetest.Server, status string) int {
	n := 0
	for _, l := range server.Leads() {
		if l.Status == status {
			n++
		}
	}
	return n
}

func TestOutputTable(t *testing.T) {
	server := fakeAPI(t)
	code, out, errOut := runCmd(t, "select status, count(*) as leads from journeybee_lead where status = 'new' group by status")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	n := fmt.Sprint(countStatus(server, "new"))
	width := max(len("leads"), len(n))
	want := strings.Join([]string{
		"+--------+-" + strings.Repeat("-", width) + "-+",
		"| status | " + fmt.Sprintf("%-*s", width, "leads") + " |",
		"+--------+-" + strings.Repeat("-", width) + "-+",
		"| new    | " + fmt.Sprintf("%*s", width, n) + " |",
		"+--------+-" + strings.Repeat("-", width) + "-+",
	}, "\n") + "\n"
	if out != want {
		t.Errorf("table output\n%s\nwant\n%s", out, want)
	}
}

func TestOutputCSV(t *testing.T) {
	fakeAPI(t)
	code, out, errOut := runCmd(t, "--output", "csv", "select id, title, is_assigned, tags, updated_at from journeybee_lead order by id limit 5")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 6 || strings.Join(records[0], ",") != "id,title,is_assigned,tags,updated_at" {
		t.Fatalf("csv = %q", records)
	}
	for _, r := range records[1:] {
		if r[2] != "true" && r[2] != "false" {
			t.Errorf("is_assigned = %q, want true or false", r[2])
		}
		if !json.Valid([]byte(r[3])) {
			t.Errorf("tags = %q, want JSON", r[3])
		}
	}
}

func TestOutputJSON(t *testing.T) {
	fakeAPI(t)
	// Flags may follow the query.
	code, out, errOut := runCmd(t, "select id, is_assigned, tags, created_at, campaign_id, tags ->> '$[0].label' as first_tag from journeybee_lead order by id limit 3", "--output", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows", len(rows))
	}
	for _, r := range rows {
		if _, ok := r["id"].(float64); !ok {
			t.Errorf("id = %#v, want a number", r["id"])
		}
		if _, ok := r["is_assigned"].(bool); !ok {
			t.Errorf("is_assigned = %#v, want a boolean", r["is_assigned"])
		}
		if _, ok := r["tags"].([]any); !ok {
			t.Errorf("tags = %#v, want a JSON array", r["tags"])
		}
		if s, ok := r["created_at"].(string); !ok || !strings.HasSuffix(s, "Z") {
			t.Errorf("created_at = %#v, want RFC 3339 text", r["created_at"])
		}
		if v, ok := r["campaign_id"]; !ok || (v != nil && fmt.Sprintf("%T", v) != "float64") {
			t.Errorf("campaign_id = %#v, want a number or null", v)
		}
	}
	// Keys keep the column order.
	if i, j := strings.Index(out, `"id"`), strings.Index(out, `"first_tag"`); i < 0 || j < i {
		t.Errorf("keys out of column order:\n%s", out)
	}
	// No rows is an empty array.
	if code, out, _ := runCmd(t, "--output=json", "select id from journeybee_lead where status = 'new' and id < 0"); code != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("empty result: exit %d, %q", code, out)
	}
}

func TestSave(t *testing.T) {
	server := fakeAPI(t)
	file := filepath.Join(t.TempDir(), "leads.db")
	code, out, errOut := runCmd(t, "--save", file, "select id, status, tags, created_at, is_assigned from journeybee_lead;")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if want := fmt.Sprintf("saved %d rows to table query_result in %s\n", len(server.Leads()), file); out != want {
		t.Errorf("stdout %q, want %q", out, want)
	}
	// Saving again replaces the table; another table name adds one.
	if code, out, errOut := runCmd(t, "--save", file, "select id from journeybee_lead where status = 'lost'"); code != 0 || !strings.HasPrefix(out, fmt.Sprintf("saved %d ", countStatus(server, "lost"))) {
		t.Fatalf("second save: exit %d, %q, %s", code, out, errOut)
	}
	if code, _, errOut := runCmd(t, "--save", file, "--save-table", "new leads", "select * from journeybee_lead where status = 'new'"); code != 0 {
		t.Fatalf("third save: exit %d: %s", code, errOut)
	}
	// A failed query leaves the file as it was.
	if code, _, _ := runCmd(t, "--save", file, "select nope from journeybee_lead"); code != 1 {
		t.Errorf("failed save: exit %d, want 1", code)
	}

	db, err := sql.Open("sqlite3", file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n, newLeads int
	var columns string
	if err := db.QueryRow(`select count(*), (select group_concat(name) from pragma_table_info('query_result')) from query_result`).Scan(&n, &columns); err != nil {
		t.Fatal(err)
	}
	if n != countStatus(server, "lost") || columns != "id" {
		t.Errorf("query_result: %d rows, columns %s; want the second save", n, columns)
	}
	if err := db.QueryRow(`select count(*) from "new leads" where status = 'new' and json_type(tags) = 'array'`).Scan(&newLeads); err != nil {
		t.Fatal(err)
	}
	if newLeads != countStatus(server, "new") {
		t.Errorf(`"new leads" has %d rows, want %d`, newLeads, countStatus(server, "new"))
	}
}

func TestConfigFile(t *testing.T) {
	server := fakeAPI(t)
	t.Setenv("JOURNEYBEE_API_KEY", "")
	t.Setenv("JOURNEYBEE_USER_ID", "")
	t.Setenv("JOURNEYBEE_BASE_URL", "")
	spc := fmt.Sprintf(`
connection "jb_wrong" {
  plugin   = "local/journeybee"
  api_key  = "wrong-secret-key"
  user_id  = %[1]d
  base_url = %[2]q
}

connection "jb" {
  plugin   = "local/journeybee"
  api_key  = %[3]q
  user_id  = %[1]d
  base_url = %[2]q
}
`, server.UserID(), server.URL, testKey)
	file := filepath.Join(t.TempDir(), "jb.spc")
	if err := os.WriteFile(file, []byte(spc), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, "--config", file, "--connection", "jb", "--output", "csv", "select count(*) from journeybee_lead")
	if code != 0 || out != fmt.Sprintf("count(*)\n%d\n", len(server.Leads())) {
		t.Errorf("--connection jb: exit %d, %q, %s", code, out, errOut)
	}
	// The default connection is the first journeybee block: its key is
	// refused, and the error does not show it.
	code, _, errOut = runCmd(t, "--config", file, "select count(*) from journeybee_lead")
	if code != 1 || !strings.Contains(errOut, "401") || strings.Contains(errOut, "wrong-secret-key") {
		t.Errorf("first block: exit %d, stderr %q", code, errOut)
	}
	// The default file is ~/.steampipe/config/journeybee.spc.
	home := t.TempDir()
	t.Setenv("HOME", home)
	if err := os.MkdirAll(filepath.Join(home, ".steampipe", "config"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".steampipe", "config", "journeybee.spc"), []byte(spc), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCmd(t, "--connection=jb", "--output=csv", "select count(*) > 0 from journeybee_lead"); code != 0 || out != "count(*) > 0\n1\n" {
		t.Errorf("default file: exit %d, %q, %s", code, out, errOut)
	}
}

func TestUsageErrors(t *testing.T) {
	fakeAPI(t)
	for _, args := range [][]string{
		{},
		{"select 1", "select 2"},
		{"--output", "xml", "select 1"},
		{"--bogus", "select 1"},
		{"--log-level", "loud", "select 1"},
		{"--save", "x.db", "--save-table", "", "select 1"},
		{"--config", filepath.Join(t.TempDir(), "missing.spc"), "select 1"},
		{"   "},
	} {
		code, out, errOut := runCmd(t, args...)
		if code != 2 || out != "" || errOut == "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 and a message", args, code, out, errOut)
		}
	}
	code, _, errOut := runCmd(t, "--help")
	if code != 0 || !strings.Contains(errOut, "--output") && !strings.Contains(errOut, "-output") {
		t.Errorf("--help: exit %d, %q", code, errOut)
	}
}

func TestQueryErrors(t *testing.T) {
	fakeAPI(t)
	for _, tt := range []struct{ query, want string }{
		{"select * from nope", "no such table: nope"},
		{"selec 1", "syntax error"},
		{"select nope from journeybee_lead", "no such column: nope"},
		{"select * from journeybee_lead where status = 'open'", "open"},
	} {
		code, out, errOut := runCmd(t, tt.query)
		if code != 1 || out != "" || !strings.Contains(errOut, tt.want) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want 1 and %q", tt.query, code, out, errOut, tt.want)
		}
	}
	// A refused key: the error says so without showing the key.
	t.Setenv("JOURNEYBEE_API_KEY", "wrong-"+testKey)
	if code, _, errOut := runCmd(t, "select count(*) from journeybee_lead"); code != 1 || !strings.Contains(errOut, "401") {
		t.Errorf("wrong key: exit %d, %q", code, errOut)
	}
}

func TestLogs(t *testing.T) {
	fakeAPI(t)
	if code, _, errOut := runCmd(t, "select count(*) from journeybee_lead"); code != 0 || errOut != "" {
		t.Errorf("quiet by default: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut := runCmd(t, "--log-level", "debug", "select count(*) from journeybee_lead")
	if code != 0 || !strings.Contains(errOut, "[DEBUG]") {
		t.Errorf("--log-level debug: exit %d, stderr %q", code, errOut)
	}
}

func TestJoinScansOnce(t *testing.T) {
	server := fakeAPI(t)
	// b has no key column to push: SQLite scans it once per row of a, and
	// the engine's memo of complete scans answers all but the first.
	code, out, errOut := runCmd(t, "--output", "csv", `
		select count(*) > 0 from journeybee_lead a
		join journeybee_lead b on b.company_name = a.company_name
		where a.status = 'new'`)
	if code != 0 || out != "count(*) > 0\n1\n" {
		t.Fatalf("exit %d, %q, %s", code, out, errOut)
	}
	if n := server.RequestCount(); n > 2 {
		t.Errorf("%d API requests for a join of two scans, want 2", n)
	}
}
