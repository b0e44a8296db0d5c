// Command profshare splits a CPU profile of the plugin by who is
// responsible for each sample. It reads `go tool pprof -traces` output:
//
//	go tool pprof -traces bench.test cpu.prof | go run ./bench/cmd/profshare
//
// Each sample's stack is walked from the leaf towards the root and charged
// to the first owner met:
//
//   - ours: the plugin's packages (journeybee, journeybee/api), including the
//     standard library they call (JSON decoding, net/http) and the HTTP
//     transport's connection goroutines serving their requests;
//   - sdk: the Steampipe plugin SDK, including what it calls (building rows,
//     json.Marshal of JSON columns, protobuf, its own GC calls);
//   - harness: the benchmark and pluginhost (Steampipe's stand-in: it
//     receives the rows), and the testing package;
//   - runtime: stacks with none of these, i.e. the garbage collector's
//     background workers, the scavenger and the scheduler, whose cost all
//     allocations share.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
)

const module = "github.com/journeybee/steampipe-plugin-journeybee/"

func owner(frame string) string {
	switch {
	case strings.HasPrefix(frame, module+"journeybee.") || strings.HasPrefix(frame, module+"journeybee/api."):
		return "ours"
	case strings.HasPrefix(frame, "github.com/turbot/"):
		return "sdk"
	case strings.HasPrefix(frame, module+"internal/pluginhost."), strings.HasPrefix(frame, module+"bench"),
		strings.HasPrefix(frame, "testing."):
		return "harness"
	case strings.HasPrefix(frame, "net/http.(*persistConn)"):
		return "ours" // the transport's read and write loops of our requests
	}
	return ""
}

// detail names what part of our code a stack is in.
func detail(stack []string) string {
	for _, f := range stack {
		if strings.HasPrefix(f, "github.com/turbot/steampipe-plugin-sdk/v5/plugin/transform.") {
			return "ours: column transforms"
		}
	}
	for _, f := range stack {
		switch {
		case strings.HasPrefix(f, "encoding/json.") || strings.HasPrefix(f, module+"journeybee/api.decodeLeads") ||
			strings.HasPrefix(f, module+"journeybee/api.(*leadDecoder)") || strings.HasPrefix(f, module+"journeybee/api.list["):
			return "ours: decoding pages"
		case strings.HasPrefix(f, "net/http.") || strings.HasPrefix(f, "net.") || strings.HasPrefix(f, "internal/poll.") ||
			strings.HasPrefix(f, "bytes.(*Buffer).ReadFrom"):
			return "ours: HTTP"
		}
	}
	return "ours: other (listing, paging, rows)"
}

type profile struct {
	total time.Duration
	by    map[string]time.Duration
}

func parse(r io.Reader) (*profile, error) {
	p := &profile{by: map[string]time.Duration{}}
	var stack []string
	var value time.Duration
	flush := func() {
		if len(stack) == 0 {
			return
		}
		p.total += value
		who := "runtime"
		for _, f := range stack {
			if o := owner(f); o != "" {
				who = o
				break
			}
		}
		p.by[who] += value
		if who == "ours" {
			p.by[detail(stack)] += value
		}
		stack = stack[:0]
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	inTraces := false
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "-----------+") {
			flush()
			inTraces = true
			continue
		}
		if !inTraces || strings.TrimSpace(line) == "" {
			continue
		}
		fields := strings.Fields(line)
		if !strings.HasPrefix(line, "   ") || len(stack) == 0 && len(fields) >= 2 {
			// first line of a sample: "  20ms   runtime.madvise"
			d, err := time.ParseDuration(fields[0])
			if err != nil {
				return nil, fmt.Errorf("bad sample line %q: %w", line, err)
			}
			value = d
			stack = append(stack, fields[1])
			continue
		}
		stack = append(stack, fields[0])
	}
	flush()
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if p.total == 0 {
		return nil, fmt.Errorf("no samples: expected `go tool pprof -traces` output")
	}
	return p, nil
}

func main() {
	p, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "profshare:", err)
		os.Exit(1)
	}
	share := func(d time.Duration) float64 { return 100 * d.Seconds() / p.total.Seconds() }
	attributable := p.total - p.by["runtime"]
	fmt.Printf("total=%.2fs ours=%.1f%% ours_of_attributable=%.1f%% sdk=%.1f%% runtime=%.1f%% harness=%.1f%%\n",
		p.total.Seconds(), share(p.by["ours"]), 100*p.by["ours"].Seconds()/attributable.Seconds(),
		share(p.by["sdk"]), share(p.by["runtime"]), share(p.by["harness"]))
	keys := make([]string, 0, len(p.by))
	for k := range p.by {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return p.by[keys[i]] > p.by[keys[j]] })
	for _, k := range keys {
		fmt.Printf("  %-42s %7.2fs %5.1f%%\n", k, p.by[k].Seconds(), share(p.by[k]))
	}
}
