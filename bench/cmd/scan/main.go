// Command scan is the benchmark driver run by bench/run.sh: one scan of
// journeybee_lead in this process, either through the plugin (end to end
// through the SDK's execution path) or with the raw net/http loop, against
// a JourneyBee API such as the fake. It prints one line of figures:
//
//	rows=20000 wall_s=2.310 first_row_ms=14.2 cpu_s=3.900 peak_rss_mb=72.4 allocs_per_row=296.0 bytes_per_row=17810
//
// The clock and the allocation counts cover the query alone, not starting
// the plugin; CPU and peak RSS are the whole process's.
//
// With -expect-leads the rows' ids are checked against the fake's generated
// dataset (the same -leads and -seed): a query returning other rows fails
// the run. -after-days and -between-days filter created_at relative to
// journeybeetest.ReferenceTime, the dataset's "now"; -repeat runs the query
// twice, requesting /bench/marker from the server in between so that its
// request log tells the two apart, and prints the second run's figures.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/bench/scan"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

// options are the command line's.
type options struct {
	mode, baseURL, apiKey, where, cpuProfile string
	userID, limit                            int64
	// The created_at window, in days before journeybeetest.ReferenceTime:
	// after > 0 is created_at > now - after days; betweenFrom > 0 is
	// created_at between now - betweenFrom days and now - betweenTo days.
	after, betweenFrom, betweenTo float64
	id, companyID                 int64
	cacheTTL                      int
	repeat                        bool
	expectLeads                   int
	expectSeed                    int64
}

func main() {
	var o options
	var between string
	flag.StringVar(&o.mode, "mode", "plugin", "plugin (through the SDK) or raw (a net/http loop)")
	flag.StringVar(&o.baseURL, "base-url", "", "API base URL")
	flag.StringVar(&o.apiKey, "api-key", "bench-key", "API key")
	flag.Int64Var(&o.userID, "user-id", 456, "user id")
	flag.Int64Var(&o.limit, "limit", 0, "SQL LIMIT (plugin mode)")
	flag.StringVar(&o.where, "where", "", "column=v1,v2 filters separated by ';' (plugin mode); several values make an IN list")
	flag.Float64Var(&o.after, "after-days", 0, "created_at > reference time - this many days (plugin mode)")
	flag.StringVar(&between, "between-days", "", "FROM:TO: created_at between reference time - FROM days and reference time - TO days (plugin mode)")
	flag.Int64Var(&o.id, "id", 0, "id = this lead (plugin mode)")
	flag.Int64Var(&o.companyID, "company-id", 0, "the connection's company_id (0: unset, discovered when needed)")
	flag.IntVar(&o.cacheTTL, "cache-ttl", 0, "the connection's cache_ttl in seconds (0: reply cache off)")
	flag.BoolVar(&o.repeat, "repeat", false, "run the query twice and print the second run's figures (plugin mode)")
	flag.IntVar(&o.expectLeads, "expect-leads", 0, "check the rows' ids against the fake's dataset of this many leads (plugin mode)")
	flag.Int64Var(&o.expectSeed, "expect-seed", 1, "the seed of that dataset")
	flag.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the scan to this file")
	flag.Parse()
	err := parseBetween(between, &o)
	if err == nil {
		err = run(o)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "scan:", err)
		os.Exit(1)
	}
}

func parseBetween(between string, o *options) error {
	if between == "" {
		return nil
	}
	from, to, ok := strings.Cut(between, ":")
	var err1, err2 error
	o.betweenFrom, err1 = strconv.ParseFloat(from, 64)
	o.betweenTo, err2 = strconv.ParseFloat(to, 64)
	if !ok || err1 != nil || err2 != nil || o.betweenFrom <= o.betweenTo {
		return fmt.Errorf("bad -between-days %q: want FROM:TO, FROM > TO", between)
	}
	return nil
}

// daysBefore is the reference time minus days.
func daysBefore(days float64) time.Time {
	return journeybeetest.ReferenceTime.Add(-time.Duration(days * float64(24*time.Hour)))
}

// quals are the query's filters: -where, the created_at window and -id.
func (o options) quals() ([]*proto.Qual, error) {
	quals, err := parseWhere(o.where)
	if err != nil {
		return nil, err
	}
	if o.after > 0 {
		quals = append(quals, pluginhost.Op("created_at", ">", daysBefore(o.after)))
	}
	if o.betweenFrom > 0 {
		// BETWEEN reaches the plugin as >= and <=.
		quals = append(quals, pluginhost.Op("created_at", ">=", daysBefore(o.betweenFrom)), pluginhost.Op("created_at", "<=", daysBefore(o.betweenTo)))
	}
	if o.id > 0 {
		quals = append(quals, pluginhost.Eq("id", o.id))
	}
	return quals, nil
}

// expectedIDs are the ids of the dataset's leads the window and -id admit,
// newest first (the order the plugin streams them). Only those filters are
// supported: -where and -limit are not checked.
func (o options) expectedIDs() ([]int64, error) {
	if o.where != "" || o.limit > 0 {
		return nil, errors.New("-expect-leads checks -after-days, -between-days and -id only")
	}
	var ids []int64
	for _, l := range journeybeetest.GenerateAccount(o.expectLeads, o.expectSeed).Leads {
		at := l.CreatedAt
		if o.after > 0 && !at.After(daysBefore(o.after)) ||
			o.betweenFrom > 0 && (at.Before(daysBefore(o.betweenFrom)) || at.After(daysBefore(o.betweenTo))) ||
			o.id > 0 && l.ID != o.id {
			continue
		}
		ids = append(ids, l.ID)
	}
	return ids, nil
}

// checkRows fails unless got holds exactly the want ids, each once.
func checkRows(got, want []int64) error {
	sortedGot, sortedWant := slices.Clone(got), slices.Clone(want)
	slices.Sort(sortedGot)
	slices.Sort(sortedWant)
	if slices.Equal(sortedGot, sortedWant) {
		return nil
	}
	count := func(ids []int64) map[int64]int {
		m := map[int64]int{}
		for _, id := range ids {
			m[id]++
		}
		return m
	}
	g, w := count(got), count(want)
	var missing, extra []int64
	for id, n := range w {
		if g[id] < n {
			missing = append(missing, id)
		}
	}
	for id, n := range g {
		if w[id] < n {
			extra = append(extra, id)
		}
	}
	slices.Sort(missing)
	slices.Sort(extra)
	return fmt.Errorf("ROWS DIFFER FROM THE DATASET: %d rows, want %d; missing or short: %v; extra or repeated: %v",
		len(got), len(want), head(missing), head(extra))
}

func head(ids []int64) []int64 { return ids[:min(len(ids), 10)] }

// mark requests /bench/marker, which the server logs like any request.
func mark(ctx context.Context, baseURL string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/bench/marker", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func run(o options) error {
	ctx := context.Background()
	var res scan.Result
	var err error
	var before, after runtime.MemStats
	var want []int64
	switch o.mode {
	case "plugin":
		quals, perr := o.quals()
		if perr != nil {
			return perr
		}
		if o.expectLeads > 0 {
			if want, err = o.expectedIDs(); err != nil {
				return err
			}
		}
		conn := plugintest.ConfigAt(o.baseURL, o.apiKey, o.userID)
		conn.CompanyID, conn.CacheTTL = o.companyID, &o.cacheTTL
		host, herr := scan.NewHost(conn)
		if herr != nil {
			return herr
		}
		q := scan.Query{Quals: quals, Limit: o.limit, IDs: o.expectLeads > 0}
		if o.repeat {
			if _, err := scan.Plugin(ctx, host, q); err != nil {
				return err
			}
			if err := mark(ctx, o.baseURL); err != nil {
				return err
			}
		}
		stop, perr := startProfile(o.cpuProfile)
		if perr != nil {
			return perr
		}
		runtime.ReadMemStats(&before)
		res, err = scan.Plugin(ctx, host, q)
		runtime.ReadMemStats(&after)
		stop()
	case "raw":
		stop, perr := startProfile(o.cpuProfile)
		if perr != nil {
			return perr
		}
		runtime.ReadMemStats(&before)
		res, err = scan.Raw(ctx, &http.Client{Timeout: 30 * time.Second}, o.baseURL, o.apiKey, o.userID)
		runtime.ReadMemStats(&after)
		stop()
	default:
		return fmt.Errorf("unknown mode %q", o.mode)
	}
	if err != nil {
		return err
	}
	if want != nil || o.expectLeads > 0 {
		if err := checkRows(res.IDs, want); err != nil {
			return err
		}
	}
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	rows := float64(max(res.Rows, 1))
	fmt.Printf("rows=%d wall_s=%.3f first_row_ms=%.1f cpu_s=%.3f peak_rss_mb=%.1f allocs_per_row=%.1f bytes_per_row=%.0f\n",
		res.Rows, res.Wall.Seconds(), float64(res.FirstRow.Microseconds())/1000, cpu.Seconds(), float64(ru.Maxrss)/1024,
		float64(after.Mallocs-before.Mallocs)/rows, float64(after.TotalAlloc-before.TotalAlloc)/rows)
	if o.expectLeads > 0 {
		fmt.Printf("expected_rows=%d rows_match=yes\n", len(want))
	}
	if o.betweenFrom > 0 {
		fmt.Printf("window_top_unix=%d\n", daysBefore(o.betweenTo).Unix())
	}
	return nil
}

func startProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// parseWhere reads "status=new,contacted;tag_id=10": each clause is an =
// qual, or an IN list when it has several values.
func parseWhere(where string) ([]*proto.Qual, error) {
	var quals []*proto.Qual
	for _, clause := range strings.Split(where, ";") {
		if clause == "" {
			continue
		}
		column, list, ok := strings.Cut(clause, "=")
		if !ok {
			return nil, fmt.Errorf("bad filter %q: want column=value[,value]", clause)
		}
		var values []any
		for _, v := range strings.Split(list, ",") {
			if column == "tag_id" || column == "assigned_user_id" {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					return nil, fmt.Errorf("bad filter %q: %w", clause, err)
				}
				values = append(values, n)
			} else {
				values = append(values, v)
			}
		}
		if len(values) == 1 {
			quals = append(quals, pluginhost.Eq(column, values[0]))
		} else {
			quals = append(quals, pluginhost.In(column, values...))
		}
	}
	return quals, nil
}
