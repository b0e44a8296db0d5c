//go:build !race

package journeybee

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
	jbt "github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

// Several OS processes, each running the plugin in-process as a Steampipe
// service, a Postgres backend of the standalone FDW or journeybee-query
// would, on one API key: they share one pace and one reply cache through
// the state directory. The test binary is re-run as the child process
// (TestMain), so the processes are as separate as real ones.

// Environment of a child process.
const (
	envChild       = "JOURNEYBEE_TEST_CHILD"        // set: run as a child
	envChildHCL    = "JOURNEYBEE_TEST_CHILD_HCL"    // the connection block
	envChildTables = "JOURNEYBEE_TEST_CHILD_TABLES" // the scans to run at once, comma-separated
)

func TestMain(m *testing.M) {
	if os.Getenv(envChild) != "" {
		os.Exit(runChild())
	}
	os.Exit(m.Run())
}

// scanResult is what a child reports of one scan.
type scanResult struct {
	Table  string `json:"table"`
	Rows   int    `json:"rows"`
	Digest string `json:"digest"`
	Err    string `json:"err,omitempty"`
}

// runChild runs the scans of envChildTables at once, as a dashboard's
// panels do, and prints one JSON line of results.
func runChild() int {
	// The parent wrote the whole block (startChild): it goes in as it is.
	host, err := plugintest.New(Plugin, pluginhost.Options{}, plugintest.Config{Extra: []string{os.Getenv(envChildHCL)}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	tables := strings.Split(os.Getenv(envChildTables), ",")
	results := make([]scanResult, len(tables))
	var wg sync.WaitGroup
	for i, table := range tables {
		wg.Go(func() { results[i] = digestScan(host, table) })
	}
	wg.Wait()
	if err := json.NewEncoder(os.Stdout).Encode(results); err != nil {
		return 2
	}
	return 0
}

// digestScan reads every column of table and digests the rows in id order, so
// that processes can be compared.
func digestScan(host *pluginhost.Host, table string) scanResult {
	res := scanResult{Table: table}
	schema, err := host.Schema(testConnection)
	if err != nil {
		res.Err = err.Error()
		return res
	}
	var columns []string
	for _, c := range schema[table].GetColumns() {
		columns = append(columns, c.Name)
	}
	slices.Sort(columns)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rows, err := host.Collect(ctx, pluginhost.Query{Connection: testConnection, Table: table, Columns: columns})
	if err != nil {
		res.Err = err.Error()
		return res
	}
	lines := make([]string, 0, len(rows))
	for _, row := range rows {
		var b strings.Builder
		for _, c := range columns {
			fmt.Fprintf(&b, "%s=%v;", c, pluginhost.Value(row[c]))
		}
		lines = append(lines, b.String())
	}
	slices.Sort(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	res.Rows, res.Digest = len(rows), hex.EncodeToString(sum[:8])
	return res
}

// child is a child process started on srv.
type child struct {
	cmd *exec.Cmd
	out strings.Builder
}

// startChild starts a child running tables against srv with the state
// directory dir and the extra connection arguments; the pace and the reply
// cache are the plugin's unless they set them.
func startChild(t *testing.T, srv *jbt.Server, dir string, tables []string, extraHCL ...string) *child {
	t.Helper()
	hcl := plugintest.Config{APIKey: srv.APIKey(), UserID: srv.UserID(), BaseURL: srv.URL, StateDir: dir, MinErrorRetryDelay: 1, Extra: extraHCL}.HCL()
	c := &child{cmd: exec.Command(os.Args[0], "-test.run=^$")}
	c.cmd.Env = append(os.Environ(), envChild+"=1", envChildHCL+"="+hcl, envChildTables+"="+strings.Join(tables, ","))
	c.cmd.Stdout = &c.out
	c.cmd.Stderr = os.Stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.cmd.Process.Kill(); _ = c.cmd.Wait() })
	return c
}

// wait returns the child's results.
func (c *child) wait(t *testing.T) []scanResult {
	t.Helper()
	if err := c.cmd.Wait(); err != nil {
		t.Fatalf("child process: %v\n%s", err, c.out.String())
	}
	var res []scanResult
	if err := json.NewDecoder(bufio.NewReader(strings.NewReader(c.out.String()))).Decode(&res); err != nil {
		t.Fatalf("child output %q: %v", c.out.String(), err)
	}
	for _, r := range res {
		if r.Err != "" {
			t.Fatalf("child scan of %s failed: %s", r.Table, r.Err)
		}
	}
	return res
}

// requestTimes records when the fake answered each request.
type requestTimes struct {
	mu    sync.Mutex
	times []time.Time
}

func (r *requestTimes) record(jbt.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.times = append(r.times, time.Now())
}

func (r *requestTimes) peak(window time.Duration) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	times := slices.Clone(r.times)
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
	peak, first := 0, 0
	for i, at := range times {
		for at.Sub(times[first]) >= window {
			first++
		}
		peak = max(peak, i-first+1)
	}
	return peak
}

func statuses(srv *jbt.Server) map[int]int {
	out := map[int]int{}
	for _, r := range srv.Requests() {
		out[r.Status]++
	}
	return out
}

// TestProcessesShareOnePace: four processes on one key, each scanning
// leads twice at once, against a fake that refuses (429) what exceeds the
// key's budget. The budget is scaled to seconds so that the test takes
// seconds: 600 a minute is a burst of 5 and then 9.92 a second, so any
// 2-second window holds at most 24.8 requests, and the fake allows 25 per
// 2 s. Processes that each paced themselves would send four times that.
// TestProcessesShareOnePaceRealMinute is the same at 90 a minute against
// the API's 100, in make bench.
func TestProcessesShareOnePace(t *testing.T) {
	if testing.Short() {
		t.Skip("starts four processes")
	}
	testSharedPace(t, 600, 25, 2*time.Second, 2, 25)
}

// TestProcessesShareOnePaceRealMinute: four processes scanning leads four
// times each (128 requests, about 90 s at 90 a minute) against a fake
// enforcing the API's 100 a minute: no 429, at most 90 in any 60 s. It
// takes a minute and a half of wall time, so make bench runs it
// (JOURNEYBEE_BENCH_REALTIME=1), not make test.
func TestProcessesShareOnePaceRealMinute(t *testing.T) {
	if os.Getenv("JOURNEYBEE_BENCH_REALTIME") == "" {
		t.Skip("a minute-long check: make bench runs it with JOURNEYBEE_BENCH_REALTIME=1")
	}
	testSharedPace(t, 90, 100, time.Minute, 4, 90)
}

// testSharedPace runs four processes on one key at perMinute, each making
// scans lead scans at once, against a fake allowing fakeLimit per window,
// and checks that none was refused, that no window held more than budget
// (what the plugin's bucket admits in one, rounded up), and that every
// process read every row.
func testSharedPace(t *testing.T, perMinute, fakeLimit int, window time.Duration, scans, budget int) {
	var times requestTimes
	cfg := jbt.GenerateAccount(300, 17)
	cfg.PageSize = 50
	cfg.RateLimitPerMinute, cfg.RateLimitWindow = fakeLimit, window
	cfg.OnRequest = times.record
	srv := jbt.NewServer(cfg)
	t.Cleanup(srv.Close)
	dir := filepath.Join(t.TempDir(), "state")

	// The rows every process must see: one process alone, in-process, with
	// no rate limit and nothing shared.
	want := digestScan(soloHost(t, srv), "journeybee_lead")
	// The fake still counts the solo scan's requests against the key until
	// they are a window old: children started sooner would find part of
	// the budget spent by a process that did not pace itself.
	time.Sleep(window)
	srv.ResetRequests()
	times = requestTimes{}

	start := time.Now()
	var children []*child
	for range 4 {
		// cache_ttl = 0: every scan goes to the API, so that only the pace
		// keeps the processes under the fake's limit.
		children = append(children, startChild(t, srv, dir, slices.Repeat([]string{"journeybee_lead"}, scans),
			fmt.Sprintf("max_requests_per_minute = %d", perMinute), "cache_ttl = 0"))
	}
	for _, c := range children {
		for _, got := range c.wait(t) {
			if got != want {
				t.Errorf("a process read %+v, want %+v", got, want)
			}
		}
	}
	if st := statuses(srv); st[429] > 0 || st[200] != srv.RequestCount() {
		t.Errorf("replies by status %v: the processes together outran the key's budget", st)
	}
	if peak := times.peak(window); peak > budget {
		t.Errorf("%d requests in one %s window, budget %d", peak, window, budget)
	}
	t.Logf("%d requests in %s, peak %d in %s (budget %d), replies %v", srv.RequestCount(), time.Since(start).Round(time.Second), times.peak(window), window, budget, statuses(srv))
}

// soloHost is the plugin against srv with its pace lifted and nothing
// shared or cached.
func soloHost(t *testing.T, srv *jbt.Server) *pluginhost.Host {
	t.Helper()
	conn := plugintest.ConfigFor(srv)
	conn.StateDir = stateDirNone
	return plugintest.Start(t, Plugin, pluginhost.Options{}, conn)
}

// dashboardScans are a dashboard's panels as one process runs them: three
// panels on leads through one column list, deals, partnerships.
var dashboardScans = []string{"journeybee_lead", "journeybee_lead", "journeybee_lead", "journeybee_lead_deal", "journeybee_partnership"}

// TestProcessesShareReplies: six processes running a dashboard's scans at
// once (the standalone FDW's plugin per Postgres connection) cost what one
// process costs, every row right; a refresh within the TTL costs nothing.
func TestProcessesShareReplies(t *testing.T) {
	if testing.Short() {
		t.Skip("starts thirteen processes")
	}
	cfg := jbt.GenerateAccount(300, 17)
	cfg.PageSize = 50
	fast := []string{"max_requests_per_minute = 100000"}

	one := jbt.NewServer(cfg)
	t.Cleanup(one.Close)
	want := startChild(t, one, filepath.Join(t.TempDir(), "state"), dashboardScans, fast...).wait(t)
	oneProcess := one.RequestCount()

	srv := jbt.NewServer(cfg)
	t.Cleanup(srv.Close)
	dir := filepath.Join(t.TempDir(), "state")
	load := func() {
		var children []*child
		for range 6 {
			children = append(children, startChild(t, srv, dir, dashboardScans, fast...))
		}
		for _, c := range children {
			if got := c.wait(t); !slices.Equal(got, want) {
				t.Errorf("a process read %+v, want %+v", got, want)
			}
		}
	}
	load()
	if n := srv.RequestCount(); n != oneProcess {
		t.Errorf("6 processes made %d requests, one alone %d", n, oneProcess)
	}
	srv.ResetRequests()
	load()
	if n := srv.RequestCount(); n != 0 {
		t.Errorf("a refresh within the TTL made %d requests, want 0", n)
	}
	t.Logf("one process: %d requests; six: the same; a refresh: 0", oneProcess)
}

// TestKilledProcessDoesNotStallOthers: a process killed while its request
// hangs holds that request's lock; the kernel drops it, and the process
// waiting for the same reply fetches it itself at once, not after the
// hung request's 30 s.
func TestKilledProcessDoesNotStallOthers(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two processes")
	}
	cfg := jbt.GenerateAccount(300, 17)
	cfg.PageSize = 50
	cfg.Faults = []jbt.Fault{{Kind: jbt.FaultDelay, Delay: 30 * time.Second, OnRequest: 1}}
	srv := jbt.NewServer(cfg)
	t.Cleanup(srv.Close)
	dir := filepath.Join(t.TempDir(), "state")
	fast := []string{"max_requests_per_minute = 100000"}

	victim := startChild(t, srv, dir, []string{"journeybee_lead"}, fast...)
	for srv.RequestCount() == 0 {
		time.Sleep(10 * time.Millisecond)
	}
	other := startChild(t, srv, dir, []string{"journeybee_lead"}, fast...)
	// Time for the other process to start and wait on the victim's lock.
	time.Sleep(2 * time.Second)
	if n := srv.RequestCount(); n != 1 {
		t.Fatalf("%d requests before the kill: the second process did not wait for the first one's reply", n)
	}
	if err := victim.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	got := other.wait(t)
	if took := time.Since(killed); took > 10*time.Second {
		t.Errorf("the other process finished %s after the kill", took)
	}
	made := srv.RequestCount()
	want := digestScan(soloHost(t, srv), "journeybee_lead")
	if pages := srv.RequestCount() - made; made != 1+pages {
		t.Errorf("%d requests, want the victim's hung one and one scan of %d pages", made, pages)
	}
	if len(got) != 1 || got[0] != want {
		t.Errorf("the other process read %+v, want %+v", got, want)
	}
}
