// Command scan is the benchmark driver run by bench/run.sh: one scan of
// journeybee_lead in this process, either through the plugin (end to end
// through the SDK's execution path) or with the raw net/http loop, against
// a JourneyBee API such as the fake. It prints one line of figures:
//
//	rows=20000 wall_s=2.310 first_row_ms=14.2 cpu_s=3.900 peak_rss_mb=72.4 allocs_per_row=296.0 bytes_per_row=17810
//
// The clock and the allocation counts cover the query alone, not starting
// the plugin; CPU and peak RSS are the whole process's.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/bench/scan"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

func main() {
	mode := flag.String("mode", "plugin", "plugin (through the SDK) or raw (a net/http loop)")
	baseURL := flag.String("base-url", "", "API base URL")
	apiKey := flag.String("api-key", "bench-key", "API key")
	userID := flag.Int64("user-id", 456, "user id")
	limit := flag.Int64("limit", 0, "SQL LIMIT (plugin mode)")
	cache := flag.Bool("cache", false, "turn the SDK query cache on (plugin mode)")
	where := flag.String("where", "", "column=v1,v2 filters separated by ';' (plugin mode); several values make an IN list")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the scan to this file")
	flag.Parse()
	if err := run(*mode, *baseURL, *apiKey, *userID, *limit, *cache, *where, *cpuProfile); err != nil {
		fmt.Fprintln(os.Stderr, "scan:", err)
		os.Exit(1)
	}
}

func run(mode, baseURL, apiKey string, userID, limit int64, cache bool, where, cpuProfile string) error {
	ctx := context.Background()
	var res scan.Result
	var err error
	var before, after runtime.MemStats
	switch mode {
	case "plugin":
		quals, perr := parseWhere(where)
		if perr != nil {
			return perr
		}
		host, herr := scan.NewHost(baseURL, apiKey, userID)
		if herr != nil {
			return herr
		}
		stop, perr := startProfile(cpuProfile)
		if perr != nil {
			return perr
		}
		runtime.ReadMemStats(&before)
		res, err = scan.Plugin(ctx, host, scan.Query{Quals: quals, Limit: limit, Cache: cache})
		runtime.ReadMemStats(&after)
		stop()
	case "raw":
		stop, perr := startProfile(cpuProfile)
		if perr != nil {
			return perr
		}
		runtime.ReadMemStats(&before)
		res, err = scan.Raw(ctx, &http.Client{Timeout: 30 * time.Second}, baseURL, apiKey, userID)
		runtime.ReadMemStats(&after)
		stop()
	default:
		return fmt.Errorf("unknown mode %q", mode)
	}
	if err != nil {
		return err
	}
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	rows := float64(max(res.Rows, 1))
	fmt.Printf("rows=%d wall_s=%.3f first_row_ms=%.1f cpu_s=%.3f peak_rss_mb=%.1f allocs_per_row=%.1f bytes_per_row=%.0f\n",
		res.Rows, res.Wall.Seconds(), float64(res.FirstRow.Microseconds())/1000, cpu.Seconds(), float64(ru.Maxrss)/1024,
		float64(after.Mallocs-before.Mallocs)/rows, float64(after.TotalAlloc-before.TotalAlloc)/rows)
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
