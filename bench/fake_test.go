package bench

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

// fakeEnv, when set to "LEADS LATENCY", makes the test binary serve the fake
// instead of running tests: the benchmarks start the fake that way, in a
// process of its own.
const fakeEnv = "JOURNEYBEE_BENCH_FAKE"

func TestMain(m *testing.M) {
	if spec := os.Getenv(fakeEnv); spec != "" {
		if err := serveFake(spec); err != nil {
			fmt.Fprintln(os.Stderr, "fake:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// serveFake serves the fake API on a loopback port, and beside it
// /bench/requests (the count of API requests) and /bench/reset. It prints
// the base URL, then serves until stdin closes.
func serveFake(spec string) error {
	fields := strings.Fields(spec)
	if len(fields) != 2 {
		return fmt.Errorf("%s=%q: want \"LEADS LATENCY\"", fakeEnv, spec)
	}
	leads, err := strconv.Atoi(fields[0])
	if err != nil {
		return fmt.Errorf("%s=%q: %w", fakeEnv, spec, err)
	}
	latency, err := time.ParseDuration(fields[1])
	if err != nil {
		return fmt.Errorf("%s=%q: %w", fakeEnv, spec, err)
	}
	fake := journeybeetest.NewUnstartedServer(journeybeetest.Config{
		Leads: journeybeetest.GenerateLeads(leads, 1), PageSize: 100, Latency: latency,
	})
	mux := http.NewServeMux()
	mux.Handle("/api/", fake.Handler())
	mux.HandleFunc("/bench/requests", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, fake.RequestCount())
	})
	mux.HandleFunc("/bench/reset", func(http.ResponseWriter, *http.Request) { fake.ResetRequests() })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go func() { _ = http.Serve(ln, mux) }()
	fmt.Printf("http://%s %s %d\n", ln.Addr(), fake.APIKey(), fake.UserID())
	_, _ = io.Copy(io.Discard, os.Stdin) // the parent holds stdin open
	return nil
}

// fakeProcess is a fake API served by a child process.
type fakeProcess struct {
	url, apiKey string
	userID      int64
}

// startFake runs the fake with leads generated leads (seed 1, pages of 100)
// and latency added to every reply, until the benchmark ends.
func startFake(b *testing.B, leads int, latency time.Duration) *fakeProcess {
	b.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d %s", fakeEnv, leads, latency))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		stdin.Close()
		_ = cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatalf("the fake did not start: %v", err)
	}
	f := &fakeProcess{}
	if _, err := fmt.Sscan(line, &f.url, &f.apiKey, &f.userID); err != nil {
		b.Fatalf("the fake printed %q: %v", line, err)
	}
	return f
}

func (f *fakeProcess) control(b *testing.B, path string) string {
	b.Helper()
	resp, err := http.Get(f.url + path)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.Fatal(err)
	}
	return strings.TrimSpace(string(body))
}

func (f *fakeProcess) resetRequests(b *testing.B) { f.control(b, "/bench/reset") }

func (f *fakeProcess) requestCount(b *testing.B) int {
	n, err := strconv.Atoi(f.control(b, "/bench/requests"))
	if err != nil {
		b.Fatal(err)
	}
	return n
}
