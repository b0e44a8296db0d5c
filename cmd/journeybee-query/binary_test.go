//go:build sqlite_vtable

package main

import (
	"bytes"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"math"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

// These tests run the built command, as a user does. JOURNEYBEE_QUERY_BIN
// runs them against another build (the one from main, to show what a fix
// changed); else they run the one in JOURNEYBEE_BIN (make test sets it after
// make build); otherwise the command is built once for the package.

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func binary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("JOURNEYBEE_QUERY_BIN"); p != "" {
		return p
	}
	if dir := os.Getenv("JOURNEYBEE_BIN"); dir != "" {
		return filepath.Join(dir, "journeybee-query")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "journeybee-query-test")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "journeybee-query")
		out, err := exec.Command("go", "build", "-tags", "sqlite_vtable", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// fakeAccount starts a fake JourneyBee account of n leads (with deals,
// notes…) and returns the environment that points the command at it.
func fakeAccount(t *testing.T, n int, tune func(*journeybeetest.Config)) (*journeybeetest.Server, []string) {
	t.Helper()
	cfg := journeybeetest.GenerateAccount(n, 7)
	cfg.APIKey = testKey
	if tune != nil {
		tune(&cfg)
	}
	server := journeybeetest.NewServer(cfg)
	t.Cleanup(server.Close)
	return server, []string{
		"HOME=" + t.TempDir(),
		"PATH=" + os.Getenv("PATH"),
		"JOURNEYBEE_API_KEY=" + testKey,
		"JOURNEYBEE_USER_ID=" + strconv.FormatInt(server.UserID(), 10),
		"JOURNEYBEE_BASE_URL=" + server.URL,
	}
}

type outcome struct {
	code           int
	stdout, stderr string
	took           time.Duration
}

// runBinary runs the command with env and args; stdout and stderr are pipes.
func runBinary(t *testing.T, env []string, args ...string) outcome {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	err := cmd.Run()
	o := outcome{code: cmd.ProcessState.ExitCode(), stdout: out.String(), stderr: errOut.String(), took: time.Since(start)}
	if err != nil && cmd.ProcessState == nil {
		t.Fatal(err)
	}
	if strings.Contains(o.stdout+o.stderr, testKey) {
		t.Errorf("the API key was printed:\n%s%s", o.stdout, o.stderr)
	}
	return o
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s--- want\n%s", path, got, want)
	}
}

// goldenQuery is two statements: rows with NULLs, JSON, timestamps with
// milliseconds and money, then an aggregate over every deal.
const goldenQuery = `select id, label, deal_value, campaign_id, created_at, tags from journeybee_lead_deal order by id limit 3;
select sum(deal_value) as total_value, count(*) as deals from journeybee_lead_deal`

func TestFormatsGolden(t *testing.T) {
	_, env := fakeAccount(t, 200, nil)
	for _, format := range formatNames {
		t.Run(format, func(t *testing.T) {
			o := runBinary(t, env, "--output", format, goldenQuery)
			if o.code != 0 || o.stderr != "" {
				t.Fatalf("exit %d, stderr %q", o.code, o.stderr)
			}
			golden(t, "format."+format, o.stdout)
		})
	}
}

// Sums print every digit (8250500, not 8.2505e+06) and timestamps keep
// the API's milliseconds, in every format.
func TestNumbersAndTimestampsExact(t *testing.T) {
	server, env := fakeAccount(t, 200, nil)
	var sum float64
	for _, d := range server.Deals() {
		if d.DealValue != nil {
			sum += *d.DealValue
		}
	}
	if sum < 1e6 {
		t.Fatalf("the account's deals sum to %v: too small to show an exponent", sum)
	}
	newest := server.Leads()[0]
	want := newest.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z")
	if !strings.Contains(want, ".") || strings.HasSuffix(want, ".000Z") {
		t.Fatalf("the newest lead's created_at %s has no milliseconds to keep", want)
	}
	for _, format := range []string{"table", "csv", "line", "markdown"} {
		o := runBinary(t, env, "--output", format, fmt.Sprintf(
			"select sum(deal_value) as total from journeybee_lead_deal; select created_at from journeybee_lead where id = %d", newest.ID))
		if o.code != 0 {
			t.Fatalf("%s: exit %d: %s", format, o.code, o.stderr)
		}
		if !strings.Contains(o.stdout, strconv.FormatFloat(sum, 'f', -1, 64)) || regexp.MustCompile(`\de[+-]\d`).MatchString(o.stdout) {
			t.Errorf("%s: the sum %s is not printed exactly:\n%s", format, strconv.FormatFloat(sum, 'f', -1, 64), o.stdout)
		}
		if !strings.Contains(o.stdout, want) {
			t.Errorf("%s: created_at %s not printed with its milliseconds:\n%s", format, want, o.stdout)
		}
	}
	if sum != math.Trunc(sum) {
		t.Logf("sum %v has cents", sum)
	}
}

func TestExitStatus(t *testing.T) {
	_, env := fakeAccount(t, 50, nil)
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout []string // substrings
		stderr []string
	}{
		{"success", []string{"select 1 as one"}, 0, []string{"one"}, nil},
		{"unknown flag", []string{"--bogus", "select 1"}, 2, nil, []string{"flag provided but not defined: -bogus"}},
		{"bad format", []string{"--output", "xml", "select 1"}, 2, nil, []string{`--output "xml": want one of table, line, csv, json, markdown`}},
		{"no query", nil, 2, nil, []string{"no query given"}},
		{"append without save", []string{"--append", "select 1"}, 2, nil, []string{"--append needs --save FILE"}},
		{"syntax error", []string{"selec 1"}, 1, nil, []string{"syntax error"}},
		{"several statements, one fails", []string{"select 1 as a; select * from nope; select 3 as c"}, 1, []string{"| a |", "| c |"}, []string{"no such table: nope"}},
		{"several statements all print", []string{"select 1 as a; select 2 as b"}, 0, []string{"| a |", "| 1 |", "| b |", "| 2 |"}, nil},
		{"delete matching nothing", []string{"delete from journeybee_lead where id = -1"}, 0, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := runBinary(t, env, tc.args...)
			if o.code != tc.code {
				t.Errorf("exit %d, want %d; stderr %q", o.code, tc.code, o.stderr)
			}
			for _, s := range tc.stdout {
				if !strings.Contains(o.stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, o.stdout)
				}
			}
			for _, s := range tc.stderr {
				if !strings.Contains(o.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, o.stderr)
				}
			}
			if len(tc.stdout) == 0 && tc.code == 0 && tc.name == "delete matching nothing" && (o.stdout != "" || o.stderr != "") {
				t.Errorf("delete printed stdout %q, stderr %q; want nothing", o.stdout, o.stderr)
			}
			if tc.code != 0 && strings.Count(o.stderr, prefix) != strings.Count(o.stderr, "\n"+prefix)+boolInt(strings.HasPrefix(o.stderr, prefix)) {
				t.Errorf("a prefix inside a line:\n%s", o.stderr)
			}
		})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Errors read as one line with one prefix and say what to do.
func TestErrorMessages(t *testing.T) {
	_, env := fakeAccount(t, 50, nil)
	for _, tc := range []struct {
		name    string
		env     []string
		args    []string
		want    []string
		notWant []string
	}{
		{"missing required filter", nil, []string{"select * from journeybee_lead_note"},
			[]string{"journeybee_lead_note needs `where lead_id = 123`", "select * from journeybee_lead_note where lead_id = 123"},
			[]string{"rpc error", "'List' call", "journeybee: ", "journeybee api: "}},
		{"table typo", nil, []string{"select * from journeybee_leads"}, []string{`no such table: journeybee_leads (did you mean "journeybee_lead"?)`}, nil},
		{"column typo", nil, []string{"select titel from journeybee_lead"}, []string{`no such column: titel (did you mean "title"?)`}, nil},
		{"no credentials", []string{"JOURNEYBEE_API_KEY="}, []string{"select id from journeybee_lead"},
			[]string{"api_key is not set", "JOURNEYBEE_API_KEY", "--config", "journeybee.spc"}, []string{"rpc error", "journeybee: "}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := runBinary(t, append(slices.Clone(env), tc.env...), tc.args...)
			if o.code != 1 {
				t.Errorf("exit %d, want 1", o.code)
			}
			if !strings.HasPrefix(o.stderr, prefix) || strings.Count(o.stderr, prefix) != 1 {
				t.Errorf("want one %q prefix:\n%s", prefix, o.stderr)
			}
			for _, s := range tc.want {
				if !strings.Contains(o.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, o.stderr)
				}
			}
			for _, s := range tc.notWant {
				if strings.Contains(o.stderr, s) {
					t.Errorf("stderr has %q:\n%s", s, o.stderr)
				}
			}
		})
	}
}

// An address nobody listens on fails within seconds, naming it.
func TestConnectionRefusedFailsFast(t *testing.T) {
	server, env := fakeAccount(t, 10, nil)
	addr := strings.TrimPrefix(server.URL, "http://")
	server.Close() // nothing listens there now
	o := runBinary(t, env, "select id from journeybee_lead")
	if o.code != 1 {
		t.Errorf("exit %d, want 1", o.code)
	}
	if o.took > 8*time.Second {
		t.Errorf("took %s to report an unreachable host", o.took)
	}
	for _, s := range []string{addr, "connection refused", "not retried", "base_url"} {
		if !strings.Contains(o.stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, o.stderr)
		}
	}
}

func TestVersionHelpAndTables(t *testing.T) {
	_, env := fakeAccount(t, 10, nil)
	o := runBinary(t, env, "--version")
	if o.code != 0 || !regexp.MustCompile(`^journeybee-query \S+.*steampipe-plugin-sdk v5\.\d+\.\d+, go1\.`).MatchString(o.stdout) {
		t.Errorf("--version: exit %d, %q, %q", o.code, o.stdout, o.stderr)
	}
	var tables []string
	for name := range journeybee.Plugin(context.Background()).TableMap {
		tables = append(tables, name)
	}
	if len(tables) < 12 {
		t.Fatalf("the plugin has %d tables", len(tables))
	}
	help := runBinary(t, env, "--help")
	list := runBinary(t, env, "--list-tables")
	dot := runBinary(t, env, ".tables")
	if help.code != 0 || list.code != 0 || dot.code != 0 {
		t.Fatalf("exit %d, %d, %d", help.code, list.code, dot.code)
	}
	for _, name := range tables {
		if !strings.Contains(help.stderr, "  "+name+" ") {
			t.Errorf("--help does not list %s", name)
		}
		if !strings.Contains(list.stdout, "| "+name+" ") {
			t.Errorf("--list-tables does not list %s", name)
		}
	}
	if dot.stdout != list.stdout {
		t.Errorf(".tables differs from --list-tables")
	}

	lead := runBinary(t, env, "--describe", "journeybee_lead")
	for _, re := range []string{
		`\| status +\| string +\|`,                             // a column and its type
		`\| status +\| = +\| list +\| optional +\| status +\|`, // key column → API parameter
		`\| tag_id +\| = +\| list +\| optional +\| tags +\|`,
		`\| is_assigned +\| = <> +\| list +\| optional +\| assigned=1 +\|`,
		`\| id +\| = +\| list +\| optional +\|`,
		`filter id: id = N \(or IN\) fetches those leads, one API request each`,
	} {
		if !regexp.MustCompile(re).MatchString(lead.stdout) {
			t.Errorf("--describe journeybee_lead lacks %s:\n%s", re, lead.stdout)
		}
	}
	note := runBinary(t, env, ".schema journeybee_lead_note")
	for _, re := range []string{
		`\| lead_id +\| = +\| list +\| required +\|`,
		"every query needs `where lead_id = 123`; a join costs one scan \\(at least one request\\) per lead row",
	} {
		if !regexp.MustCompile(re).MatchString(note.stdout) {
			t.Errorf(".schema journeybee_lead_note lacks %s:\n%s", re, note.stdout)
		}
	}
	typo := runBinary(t, env, "--describe", "journeybee_leed")
	if typo.code != 2 || !strings.Contains(typo.stderr, `did you mean "journeybee_lead"?`) {
		t.Errorf("--describe typo: exit %d, %q", typo.code, typo.stderr)
	}
}

// --save writes any table name, a plugin table's too; --append adds the
// rows with the run's time, so scheduled runs build a history.
func TestSaveAnyNameAndAppend(t *testing.T) {
	server, env := fakeAccount(t, 40, nil)
	file := filepath.Join(t.TempDir(), "history.db")
	n := len(server.Leads())
	o := runBinary(t, env, "--save", file, "--save-table", "journeybee_lead", "select id, status, created_at from journeybee_lead")
	if o.code != 0 || o.stdout != fmt.Sprintf("saved %d rows to table journeybee_lead in %s\n", n, file) {
		t.Fatalf("save: exit %d, %q, %q", o.code, o.stdout, o.stderr)
	}
	for range 2 {
		o := runBinary(t, env, "--save", file, "--save-table", "lead_status", "--append", "select status, count(*) as leads from journeybee_lead group by status")
		if o.code != 0 || !strings.HasPrefix(o.stdout, "appended ") {
			t.Fatalf("append: exit %d, %q, %q", o.code, o.stdout, o.stderr)
		}
		time.Sleep(5 * time.Millisecond) // distinct run_at
	}
	db, err := sql.Open("sqlite3", file)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var saved, runs, statuses int
	if err := db.QueryRow(`select count(*) from journeybee_lead`).Scan(&saved); err != nil || saved != n {
		t.Errorf("journeybee_lead in the file: %d rows, %v; want %d", saved, err, n)
	}
	if err := db.QueryRow(`select count(distinct run_at), count(distinct status) from lead_status`).Scan(&runs, &statuses); err != nil || runs != 2 || statuses == 0 {
		t.Errorf("lead_status: %d runs, %d statuses, %v; want 2 runs", runs, statuses, err)
	}
	var rows int
	if err := db.QueryRow(`select count(*) from lead_status`).Scan(&rows); err != nil || rows != 2*statuses {
		t.Errorf("lead_status has %d rows, want %d", rows, 2*statuses)
	}
	// Appending a different shape is refused, and the file is unchanged.
	o = runBinary(t, env, "--save", file, "--save-table", "lead_status", "--append", "select id from journeybee_lead")
	if o.code != 1 || !strings.Contains(o.stderr, "has no column id") {
		t.Errorf("mismatched append: exit %d, %q", o.code, o.stderr)
	}
}

// SIGINT stops the scan: exit 130, and the fake sees no request after it.
func TestSIGINTStopsTheScan(t *testing.T) {
	var mu sync.Mutex
	var cmd *exec.Cmd
	signalled := make(chan int, 1)
	const signalAt = 3
	server, env := fakeAccount(t, 2000, func(c *journeybeetest.Config) {
		c.Latency = 300 * time.Millisecond
		c.BeforeRequest = func(number int, path string, _ url.Values) {
			if number == signalAt {
				mu.Lock()
				_ = cmd.Process.Signal(os.Interrupt)
				mu.Unlock()
				signalled <- number
			}
		}
	})
	mu.Lock()
	cmd = exec.Command(binary(t), "select count(*) from journeybee_lead")
	cmd.Env = env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	mu.Unlock()
	_ = cmd.Wait()
	select {
	case <-signalled:
	default:
		t.Fatalf("the scan ended before request %d: %s", signalAt, errOut.String())
	}
	if code := cmd.ProcessState.ExitCode(); code != 130 {
		t.Errorf("exit %d, want 130; stderr %q", code, errOut.String())
	}
	if !strings.Contains(errOut.String(), "interrupted") || out.Len() != 0 {
		t.Errorf("stdout %q, stderr %q", out.String(), errOut.String())
	}
	time.Sleep(500 * time.Millisecond) // anything still on its way arrives
	if n := server.RequestCount(); n != signalAt {
		t.Errorf("the fake saw %d requests, the signal came with request %d: requests were sent after it", n, signalAt)
	}
}
