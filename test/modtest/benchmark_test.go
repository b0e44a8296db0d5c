package modtest

import (
	"encoding/csv"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// benchmarkName is the mod's service-level benchmark.
const benchmarkName = "lead_service_levels"

// TestBenchmark proves the lead_service_levels benchmark on an account
// holding every control's alarm case and its ok twin, and on the same
// account without the alarm cases: every control's query on PostgreSQL
// against the oracle, then (with JOURNEYBEE_POWERPIPE) the benchmark run by
// Powerpipe with its HTML, Markdown and CSV exports checked and its exit
// status: 1 with an alarm, 0 with none.
func TestBenchmark(t *testing.T) {
	m := loadMod(t)
	i := slices.IndexFunc(m.dashboards, func(d *modDashboard) bool { return d.benchmark && d.name == benchmarkName })
	if i < 0 {
		t.Fatalf("the mod has no benchmark %s", benchmarkName)
	}
	bench := m.dashboards[i]
	now := time.Now()
	accounts := map[string]*env{"alarms": loadAccount(t, serviceLevelAccount(now, true)), "all ok": loadAccount(t, serviceLevelAccount(now, false))}
	for name, e := range accounts {
		e.mod = m
		t.Run(name+"/controls on Postgres", func(t *testing.T) {
			for _, c := range m.calls(t, bench, nil) {
				ranAt, got := e.run(t, m.queries[c.query], c.args)
				want := expected[c.query](e.oracle(ranAt), c.args)
				if diff := compareRows(got, want); diff != "" {
					t.Errorf("%s:\n%s", c, diff)
				}
				statuses := map[string]int{}
				for _, r := range want {
					statuses[r["status"].(string)]++
				}
				// The dataset's promise: an alarm case and its ok twin for
				// every control; no alarm at all without the alarm cases.
				if name == "alarms" && (statuses["alarm"] == 0 || statuses["ok"] == 0) {
					t.Errorf("%s: %v; the account should hold an alarm and an ok row", c.query, statuses)
				}
				if name == "all ok" && (statuses["alarm"] > 0 || len(want) == 0) {
					t.Errorf("%s: %v; the all-ok account should hold rows and no alarm", c.query, statuses)
				}
			}
		})
	}

	bin := os.Getenv("JOURNEYBEE_POWERPIPE")
	if bin == "" {
		t.Skip("JOURNEYBEE_POWERPIPE is not set: `make test-mod` builds Powerpipe v1.5.2 and sets it")
	}
	for name, wantExit := range map[string]int{"alarms": 1, "all ok": 0} {
		e := accounts[name]
		t.Run(name+"/Powerpipe", func(t *testing.T) {
			home, workdir := powerpipeHome(t, e.pg.Port)
			out := t.TempDir()
			args := []string{"benchmark", "run", benchmarkName, "--mod-location", workdir,
				"--var", "database=connection.steampipe.journeybee_test",
				"--export", "html", "--export", "md", "--export", "csv", "--output", "none", "--progress=false", "--input=false"}
			before := time.Now()
			cmd := exec.Command(bin, args...)
			cmd.Dir = out
			cmd.Env = append(os.Environ(), "POWERPIPE_INSTALL_DIR="+home, "POWERPIPE_UPDATE_CHECK=false", "POWERPIPE_TELEMETRY=none")
			stderr, err := cmd.CombinedOutput()
			after := time.Now()
			var exit *exec.ExitError
			code := 0
			if errors.As(err, &exit) {
				code = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != wantExit {
				t.Fatalf("powerpipe %s: exit status %d, want %d\n%s", strings.Join(args, " "), code, wantExit, stderr)
			}
			// The rows as the oracle gives them, at either end of the run.
			var want []row
			for _, c := range m.calls(t, bench, nil) {
				rows := expected[c.query](e.oracle(before), c.args)
				if compareRows(rows, expected[c.query](e.oracle(after), c.args)) != "" {
					t.Skipf("%s changed during the run (a threshold crossed): rerun", c.query)
				}
				for _, r := range rows {
					r = maps.Clone(r)
					r["control"] = controlOf(bench, c.query)
					want = append(want, r)
				}
			}
			// JOURNEYBEE_BENCHMARK_EXPORTS keeps the reports to read.
			if keep := os.Getenv("JOURNEYBEE_BENCHMARK_EXPORTS"); keep != "" {
				if err := os.CopyFS(filepath.Join(keep, strings.ReplaceAll(name, " ", "_")), os.DirFS(out)); err != nil {
					t.Error(err)
				}
			}
			checkCSV(t, exported(t, out, ".csv"), want)
			checkQueryRun(t, bin, home, workdir, e, "lead_partner_unassigned", nil)
			checkQueryRun(t, bin, home, workdir, e, "partner_scorecard_table", []string{"partnership=all"})
			checkMarkdown(t, exported(t, out, ".md"), want)
			checkHTML(t, exported(t, out, ".html"), want)
		})
	}
}

// powerpipeHome is an install directory whose connection
// steampipe.journeybee_test is the database on port, and a copy of the mod
// (Powerpipe may write into the mod directory).
func powerpipeHome(t *testing.T, port int) (home, workdir string) {
	t.Helper()
	home = t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, "config"), 0o755); err != nil {
		t.Fatal(err)
	}
	conn := fmt.Sprintf("connection \"steampipe\" \"journeybee_test\" {\n  host     = \"127.0.0.1\"\n  port     = %d\n  db       = \"postgres\"\n  username = \"postgres\"\n}\n", port)
	if err := os.WriteFile(filepath.Join(home, "config", "journeybee_test.ppc"), []byte(conn), 0o644); err != nil {
		t.Fatal(err)
	}
	workdir = filepath.Join(t.TempDir(), "mod")
	if err := os.CopyFS(workdir, os.DirFS(modDir)); err != nil {
		t.Fatal(err)
	}
	return home, workdir
}

func controlOf(bench *modDashboard, query string) string {
	for _, p := range bench.panels {
		if p.query == query {
			return p.name
		}
	}
	return ""
}

// exported reads the one file with the extension the run exported.
func exported(t *testing.T, dir, ext string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*"+ext))
	if len(files) != 1 {
		t.Fatalf("want one %s export in %s, found %v", ext, dir, files)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// rowText is a row's column as an export writes it: "" for NULL.
func rowText(r row, column string) string {
	if v := r[column]; v != nil {
		return fmt.Sprint(v)
	}
	return ""
}

// checkCSV checks the CSV export holds exactly the oracle's rows: control,
// resource, status, reason and dimensions.
func checkCSV(t *testing.T, text string, want []row) {
	t.Helper()
	records, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil || len(records) == 0 {
		t.Fatalf("CSV export: %v\n%.2000s", err, text)
	}
	header := records[0]
	col := func(name string) int { return slices.Index(header, name) }
	for _, name := range []string{"control_id", "resource", "status", "reason", "partner", "assignee", "tag", "currency"} {
		if col(name) < 0 {
			t.Fatalf("CSV export has no %s column: %v", name, header)
		}
	}
	key := func(control, resource, status, reason string, dims ...string) string {
		return strings.Join(append([]string{control, resource, status, reason}, dims...), " | ")
	}
	var got, exp []string
	for _, rec := range records[1:] {
		control := rec[col("control_id")]
		control = control[strings.LastIndex(control, ".")+1:]
		got = append(got, key(control, rec[col("resource")], rec[col("status")], rec[col("reason")], rec[col("partner")], rec[col("assignee")], rec[col("tag")], rec[col("currency")]))
	}
	for _, r := range want {
		exp = append(exp, key(r["control"].(string), rowText(r, "resource"), rowText(r, "status"), rowText(r, "reason"), rowText(r, "partner"), rowText(r, "assignee"), rowText(r, "tag"), rowText(r, "currency")))
	}
	slices.Sort(got)
	slices.Sort(exp)
	if !slices.Equal(got, exp) {
		t.Errorf("CSV export rows differ from the oracle's:\n got %q\nwant %q", got, exp)
	}
}

// checkMarkdown checks the Markdown report: a result line per oracle row
// (status icon, reason) and the summary's counts per status.
func checkMarkdown(t *testing.T, text string, want []row) {
	t.Helper()
	icon := map[string]string{"ok": "✅", "alarm": "❌", "info": "ℹ"}
	summary := map[string]string{"ok": "OK", "alarm": "Alarm", "info": "Info"}
	lines := strings.Split(text, "\n")
	count := map[string]int{}
	for _, r := range want {
		status := r["status"].(string)
		count[status]++
		prefix := "| " + icon[status] + " | " + r["reason"].(string) + "|"
		if !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, prefix) }) {
			t.Errorf("Markdown report has no line %q", prefix)
		}
	}
	results := 0
	for _, l := range lines {
		for _, i := range icon {
			// A result line ends with its dimensions in code spans.
			if strings.HasPrefix(l, "| "+i+" | ") && strings.Contains(l, "| `") {
				results++
			}
		}
	}
	if results != len(want) {
		t.Errorf("Markdown report has %d result lines, the oracle %d rows", results, len(want))
	}
	for status, label := range summary {
		line := fmt.Sprintf("| %s | %s | %d |", icon[status], label, count[status])
		if !slices.Contains(lines, line) {
			t.Errorf("Markdown report's summary lacks %q", line)
		}
	}
}

// checkHTML checks the HTML report parses and its text holds every alarm
// row's reason.
func checkHTML(t *testing.T, text string, want []row) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(text))
	if err != nil {
		t.Fatalf("HTML export does not parse: %v", err)
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	body := b.String()
	for _, r := range want {
		if r["status"] == "alarm" && !strings.Contains(body, r["reason"].(string)) {
			t.Errorf("HTML report lacks the alarm %q", r["reason"])
		}
	}
}

// checkQueryRun runs a named query as the docs show (powerpipe query run
// <name> --arg name=value --output csv) and checks it returns the oracle's
// number of rows, in the oracle's first column.
func checkQueryRun(t *testing.T, bin, home, workdir string, e *env, query string, args []string) {
	t.Helper()
	cmdArgs := []string{"query", "run", query, "--mod-location", workdir, "--var", "database=connection.steampipe.journeybee_test", "--output", "csv", "--progress=false"}
	var values []string
	for _, a := range args {
		cmdArgs = append(cmdArgs, "--arg", a)
		values = append(values, a[strings.Index(a, "=")+1:])
	}
	before := time.Now()
	out, stderr, err := powerpipe(bin, home, cmdArgs...)
	if err != nil {
		t.Fatalf("powerpipe %s: %v\n%s", strings.Join(cmdArgs, " "), err, stderr)
	}
	records, err := csv.NewReader(strings.NewReader(string(out))).ReadAll()
	if err != nil || len(records) == 0 {
		t.Fatalf("powerpipe query run %s: CSV %v\n%s", query, err, out)
	}
	q := e.mod.queries[query]
	for _, p := range q.params[len(values):] {
		values = append(values, *p.def)
	}
	if want := expected[query](e.oracle(before), values); len(records)-1 != len(want) {
		t.Errorf("powerpipe query run %s: %d rows, the oracle %d", query, len(records)-1, len(want))
	}
}
