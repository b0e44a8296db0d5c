package modtest

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// testDashboards runs every dashboard with Powerpipe against the test
// database, with its first set of input values, and checks that every
// panel completed and holds the answer the oracle gives for its query and
// arguments.
func (e *env) testDashboards(t *testing.T) {
	bin := os.Getenv("JOURNEYBEE_POWERPIPE")
	if bin == "" {
		t.Skip("JOURNEYBEE_POWERPIPE is not set: `make test-mod` builds Powerpipe v1.5.2 and sets it")
	}
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, "config"), 0o755); err != nil {
		t.Fatal(err)
	}
	conn := fmt.Sprintf("connection \"steampipe\" \"journeybee_test\" {\n  host     = \"127.0.0.1\"\n  port     = %d\n  db       = \"postgres\"\n  username = \"postgres\"\n}\n", e.pg.Port)
	if err := os.WriteFile(filepath.Join(home, "config", "journeybee_test.ppc"), []byte(conn), 0o644); err != nil {
		t.Fatal(err)
	}
	// Powerpipe runs on a copy: it may write into the mod directory.
	workdir := filepath.Join(t.TempDir(), "mod")
	if err := os.CopyFS(workdir, os.DirFS(modDir)); err != nil {
		t.Fatal(err)
	}
	e.pointQualScans(t, workdir)
	for _, d := range e.mod.dashboards {
		if d.benchmark {
			continue // TestBenchmark runs it
		}
		t.Run(d.name, func(t *testing.T) {
			// As the README schedules it (--export to a file), and with the
			// snapshot, which names each panel's SQL, on stdout.
			export := filepath.Join(t.TempDir(), d.name+".pps")
			args := []string{"dashboard", "run", d.name, "--mod-location", workdir,
				"--var", "database=connection.steampipe.journeybee_test", "--output", "snapshot", "--export", export,
				"--progress=false", "--input=false"}
			inputs := firstOr(e.inputs[d.name])
			for name, v := range inputs {
				args = append(args, "--arg", name+"="+v)
			}
			before := time.Now()
			out, stderr, err := powerpipe(bin, home, args...)
			after := time.Now()
			if err != nil {
				t.Fatalf("powerpipe %s: %v\n%s", strings.Join(args, " "), err, stderr)
			}
			if stderr != "" {
				t.Errorf("powerpipe wrote to stderr (a warning, e.g. an unmet plugin requirement):\n%s", stderr)
			}
			snap := e.checkSnapshot(t, d, inputs, out, before, after)
			checkExport(t, export, snap)
		})
	}

	// The silence above means something: without the plugin in Steampipe's
	// plugin list, Powerpipe warns that the mod's requirement is unmet.
	t.Run("plugin requirement", func(t *testing.T) {
		e.pg.Exec(t, "update steampipe_internal.steampipe_plugin set plugin = 'turbot/github', version = '1.0.0'")
		defer e.pg.Exec(t, "update steampipe_internal.steampipe_plugin set plugin = 'local/journeybee', version = 'local'")
		_, stderr, err := powerpipe(bin, home, "dashboard", "run", "lead_open_age_report", "--mod-location", workdir,
			"--var", "database=connection.steampipe.journeybee_test", "--output", "none", "--progress=false")
		if want := "does not provide a plugin which satisfies requirement 'local/journeybee"; err != nil || !strings.Contains(stderr, want) {
			t.Fatalf("without the plugin: err %v, stderr %q; want a warning containing %q", err, stderr, want)
		}
	})
}

// powerpipe runs Powerpipe with its install directory (config, connections)
// at home, and returns its stdout and trimmed stderr.
func powerpipe(bin, home string, args ...string) ([]byte, string, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "POWERPIPE_INSTALL_DIR="+home, "POWERPIPE_UPDATE_CHECK=false", "POWERPIPE_TELEMETRY=none")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	return out, strings.TrimSpace(stderr.String()), err
}

type snapshotPanel struct {
	PanelType string `json:"panel_type"`
	Status    string `json:"status"`
	SQL       string `json:"sql"`
	Args      []any  `json:"args"`
	Data      *struct {
		Rows []row `json:"rows"`
	} `json:"data"`
}

type snapshot struct {
	Panels map[string]snapshotPanel `json:"panels"`
}

func (e *env) checkSnapshot(t *testing.T, d *modDashboard, inputs map[string]string, out []byte, before, after time.Time) *snapshot {
	t.Helper()
	var snap snapshot
	if err := json.Unmarshal(out, &snap); err != nil {
		t.Fatalf("snapshot: %v\n%.2000s", err, out)
	}
	want := e.mod.calls(t, d, inputs)
	seen := map[string]int{}
	queryPanels := 0
	for name, p := range snap.Panels {
		if p.Status != "complete" {
			t.Errorf("panel %s: status %q", name, p.Status)
		}
		if p.SQL == "" {
			continue
		}
		queryPanels++
		c, ok := e.callFor(p)
		if !ok {
			t.Errorf("panel %s runs SQL that is no query of the mod with args %v", name, p.Args)
			continue
		}
		seen[c.String()]++
		if p.Data == nil {
			t.Errorf("panel %s (%s) has no data", name, c)
			continue
		}
		// Panels ran between before and after: a lead may have crossed a
		// day boundary in between, so either moment's answer is right.
		answer := expected[c.query]
		diffBefore := compareRows(p.Data.Rows, answer(e.oracle(before), c.args))
		diffAfter := compareRows(p.Data.Rows, answer(e.oracle(after), c.args))
		if diffBefore != "" && diffAfter != "" {
			t.Errorf("panel %s (%s):\n%s", name, c, diffBefore)
		}
	}
	if queryPanels != len(d.panels) {
		t.Errorf("snapshot has %d panels with a query, the dashboard %d", queryPanels, len(d.panels))
	}
	for _, c := range want {
		if seen[c.String()] == 0 {
			t.Errorf("no panel of the snapshot ran %s", c)
		}
	}
	return &snap
}

// checkExport checks that the exported file holds the snapshot's data.
func checkExport(t *testing.T, path string, snap *snapshot) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("--export wrote no file: %v", err)
	}
	var exported snapshot
	if err := json.Unmarshal(b, &exported); err != nil {
		t.Fatalf("exported %s: %v", path, err)
	}
	if len(exported.Panels) != len(snap.Panels) {
		t.Errorf("exported %d panels, the snapshot has %d", len(exported.Panels), len(snap.Panels))
	}
	for name, p := range snap.Panels {
		if p.Data != nil && !reflect.DeepEqual(exported.Panels[name].Data, p.Data) {
			t.Errorf("exported panel %s differs from the snapshot's", name)
		}
	}
}

// callFor finds the query and arguments a snapshot panel ran.
func (e *env) callFor(p snapshotPanel) (call, bool) {
	same := func(a, b string) bool {
		return strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
	}
	for name, q := range e.mod.queries {
		if !same(q.sql, p.SQL) && (e.qualSQL[name] == "" || !same(e.qualSQL[name], p.SQL)) {
			continue
		}
		c := call{query: name}
		for _, a := range p.Args {
			switch v := a.(type) {
			case string:
				c.args = append(c.args, v)
			case float64:
				c.args = append(c.args, strconv.FormatFloat(v, 'f', -1, 64))
			default:
				c.args = append(c.args, fmt.Sprint(v))
			}
		}
		return c, true
	}
	return call{}, false
}
