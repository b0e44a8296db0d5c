//go:build sqlite_vtable

package main

import (
	"bytes"
	"io"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

// runOnTerminal runs the command with stderr on a pseudo-terminal (stdout
// stays a pipe, as in `journeybee-query … > out.csv`) and returns what the
// terminal showed.
func runOnTerminal(t *testing.T, env []string, args ...string) (code int, stdout, terminal string) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer ptmx.Close()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, tty
	var screen bytes.Buffer
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, _ = io.Copy(&screen, ptmx) // ends when the terminal closes
	}()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	tty.Close()
	// The copy ends with EIO once the command and the tty are gone.
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		ptmx.Close()
		<-done
	}
	return cmd.ProcessState.ExitCode(), out.String(), screen.String()
}

// On a terminal a live line counts requests and rows and ends with done.
func TestProgressOnTerminal(t *testing.T) {
	server, env := fakeAccount(t, 600, func(c *journeybeetest.Config) { c.Latency = 150 * time.Millisecond })
	code, out, screen := runOnTerminal(t, env, "--output", "csv", "select status, count(*) as n from journeybee_lead group by status order by status")
	if code != 0 {
		t.Fatalf("exit %d; terminal:\n%s", code, screen)
	}
	if !strings.HasPrefix(out, "status,n\n") {
		t.Errorf("stdout %q", out)
	}
	requests := server.RequestCount()
	// Redrawn while the scan ran: several frames, counts that grow.
	if frames := strings.Count(screen, "journeybee_lead: "); frames < 3 {
		t.Errorf("%d progress frames, want a live line:\n%q", frames, screen)
	}
	for _, want := range []string{"requests", "600", "rows", "done"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the terminal lacks %q:\n%q", want, screen)
		}
	}
	plain := regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`).ReplaceAllString(screen, "")
	if last := "journeybee_lead: " + strconv.Itoa(requests) + " requests, 600 rows"; !strings.Contains(plain, last) {
		t.Errorf("no frame shows %q (the fake saw %d requests):\n%s", last, requests, plain)
	}
}

// With stdout redirected, rows written as they stream do not end the line:
// it counts to the last row.
func TestProgressRunsWhileRowsStreamToAPipe(t *testing.T) {
	_, env := fakeAccount(t, 600, func(c *journeybeetest.Config) { c.Latency = 150 * time.Millisecond })
	code, out, screen := runOnTerminal(t, env, "--output", "csv", "select id, title, email, created_at, tags from journeybee_lead")
	if code != 0 || strings.Count(out, "\n") != 601 {
		t.Fatalf("exit %d, %d lines of CSV", code, strings.Count(out, "\n"))
	}
	plain := regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`).ReplaceAllString(screen, "")
	if !regexp.MustCompile(`journeybee_lead: \d+ requests, 600 rows +\.\.\. done`).MatchString(plain) {
		t.Errorf("the line did not run to the last row:\n%s", plain)
	}
}

// The rate limit shows as a wait, with the time it ends.
func TestProgressShowsRateLimitWait(t *testing.T) {
	_, env := fakeAccount(t, 1200, nil) // 13 pages: past the limiter's burst of 5
	code, _, screen := runOnTerminal(t, env, "--output", "csv", "select count(*) from journeybee_lead")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, screen)
	}
	if !strings.Contains(screen, "waiting: rate limit until ") {
		t.Errorf("no rate-limit wait shown:\n%q", screen)
	}
}

// Nothing on a pipe, nor with --quiet on a terminal.
func TestNoProgressOnPipeOrQuiet(t *testing.T) {
	_, env := fakeAccount(t, 300, func(c *journeybeetest.Config) { c.Latency = 100 * time.Millisecond })
	o := runBinary(t, env, "select count(*) from journeybee_lead")
	if o.code != 0 || o.stderr != "" {
		t.Errorf("on a pipe: exit %d, stderr %q", o.code, o.stderr)
	}
	code, _, screen := runOnTerminal(t, env, "--quiet", "--output", "csv", "select count(*) from journeybee_lead")
	if code != 0 || screen != "" {
		t.Errorf("--quiet on a terminal: exit %d, terminal %q", code, screen)
	}
}
