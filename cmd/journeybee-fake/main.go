// Command journeybee-fake serves the fake JourneyBee API of package
// journeybeetest (every GET endpoint, over a generated account) on a
// loopback address, for demos and manual testing:
//
//	journeybee-fake -addr 127.0.0.1:8787 -leads 500 -seed 1 -api-key demo-key
//
// When it is ready it prints one line, JOURNEYBEE_BASE_URL=http://127.0.0.1:PORT,
// on stdout (so `eval` or a script can pick it up; -addr 127.0.0.1:0 picks a
// free port). With -v it logs each request to stderr. SIGINT or SIGTERM stop
// it cleanly.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case err != nil:
		fmt.Fprintln(os.Stderr, "journeybee-fake:", err)
		os.Exit(1)
	}
}

type options struct {
	addr        string
	leads       int
	seed        int64
	pageSize    int
	latency     time.Duration
	apiKey      string
	userID      int64
	nowRelative bool
	paging      string
	rateLimit   int
	verbose     bool
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("journeybee-fake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8787", "loopback `host:port` to listen on (port 0 picks a free one)")
	fs.IntVar(&o.leads, "leads", 500, "number of generated leads (deals, partnerships, users, notes… follow from them)")
	fs.Int64Var(&o.seed, "seed", 1, "seed of the generated dataset")
	fs.IntVar(&o.pageSize, "page-size", journeybeetest.DefaultPageSize, "items per page of leads, deals and partnerships")
	fs.DurationVar(&o.latency, "latency", 0, "delay added to every reply")
	fs.StringVar(&o.apiKey, "api-key", "demo-key", "the one valid API key")
	fs.Int64Var(&o.userID, "user-id", journeybeetest.DefaultUserID, "the userId the key acts for")
	fs.BoolVar(&o.nowRelative, "now-relative", false, "date leads back from now instead of the fixed reference time, so \"this week\" queries find leads")
	fs.StringVar(&o.paging, "paging", journeybeetest.PagingExclusive.String(), "cursor behaviour: exclusive, inclusive, ignore-cursor or past-total")
	fs.IntVar(&o.rateLimit, "rate-limit", 0, "requests per minute before 429 (0: no limit)")
	fs.BoolVar(&o.verbose, "v", false, "log each request to stderr")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if o.leads < 0 || o.pageSize <= 0 || o.latency < 0 || o.rateLimit < 0 || o.userID <= 0 || o.apiKey == "" {
		return o, errors.New("-leads, -latency and -rate-limit must not be negative; -page-size and -user-id must be positive; -api-key must not be empty")
	}
	return o, nil
}

// run serves until ctx ends. It returns nil after a clean shutdown.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if err := checkLoopback(o.addr); err != nil {
		return err
	}
	paging, err := journeybeetest.ParsePagingMode(o.paging)
	if err != nil {
		return err
	}

	now := journeybeetest.ReferenceTime
	if o.nowRelative {
		now = time.Now()
	}
	// A whole account, so that every endpoint serves consistent data.
	cfg := journeybeetest.GenerateAccountAt(o.leads, o.seed, now)
	cfg.APIKey, cfg.UserID, cfg.PageSize = o.apiKey, o.userID, o.pageSize
	cfg.Paging, cfg.Latency, cfg.RateLimitPerMinute = paging, o.latency, o.rateLimit
	if o.verbose {
		cfg.OnRequest = func(r journeybeetest.Request) { logRequest(stderr, r) }
	}
	fake := journeybeetest.NewUnstartedServer(cfg)

	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: fake.Handler(), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	fmt.Fprintf(stdout, "JOURNEYBEE_BASE_URL=%s\n", baseURL(ln.Addr()))

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	fake.Close() // cut delayed replies short so shutdown does not wait for them
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	return nil
}

// checkLoopback refuses any address but a loopback one: the fake accepts a
// well-known key and must never be reachable from the network.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("invalid -addr %q: %v", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("refusing to listen on %q: the fake serves loopback addresses only, such as 127.0.0.1:8787", addr)
}

func baseURL(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return "http://" + addr.String()
	}
	return "http://" + net.JoinHostPort(tcp.IP.String(), strconv.Itoa(tcp.Port))
}

// logRequest writes one line per request. The API key is never part of a
// Request, so it cannot leak here.
func logRequest(w io.Writer, r journeybeetest.Request) {
	line := fmt.Sprintf("%s #%d %s %s", time.Now().Format("15:04:05.000"), r.Number, r.Method, r.Path)
	if len(r.Query) > 0 {
		line += "?" + r.Query.Encode()
	}
	line += " -> " + strconv.Itoa(r.Status)
	if !r.Authorized {
		line += " (bad key)"
	}
	if len(r.Faults) > 0 {
		kinds := make([]string, len(r.Faults))
		for i, k := range r.Faults {
			kinds[i] = string(k)
		}
		line += " faults=" + strings.Join(kinds, ",")
	}
	fmt.Fprintln(w, line)
}
