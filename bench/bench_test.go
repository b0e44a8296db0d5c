// Package bench measures the plugin against the floor: a full scan of
// journeybee_lead end to end through the SDK's execution path, beside a raw
// net/http loop fetching and decoding the same pages, both against the
// project's fake JourneyBee server (in this process, pages of 100).
//
//	go test -run XXX -bench . ./bench/
//	go test -run XXX -bench 'FullScan/leads=20000/latency=0s/plugin' -cpuprofile cpu.prof ./bench/
//
// bench/run.sh (make bench) runs each approach in its own process instead,
// with curl + jq beside them, peak RSS, pushdown and the CPU profile share.
//
// Metrics: rows/s and ns/row are wall time; allocs/row and B/row count the
// benchmark process; the fake runs in a child process (the test binary run
// again, see TestMain), so its CPU, heap and garbage stay out of the figures
// and out of CPU profiles; api_calls/scan is what the fake served per scan.
package bench

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/bench/scan"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

// cells are the scans measured. 100k leads at 100 ms a page is 1,000
// sequential round trips, about 100 s a scan: left to BENCH_FULL=1 make bench.
var cells = []struct {
	leads   int
	latency time.Duration
}{
	{10_000, 0},
	{20_000, 0},
	{100_000, 0},
	{20_000, 100 * time.Millisecond},
}

func BenchmarkFullScan(b *testing.B) {
	for _, c := range cells {
		b.Run(fmt.Sprintf("leads=%d/latency=%s", c.leads, c.latency), func(b *testing.B) {
			fake := startFake(b, c.leads, c.latency)
			b.Run("plugin", func(b *testing.B) {
				host, err := scan.NewHost(plugintest.ConfigAt(fake.url, fake.apiKey, fake.userID))
				if err != nil {
					b.Fatal(err)
				}
				measure(b, fake, func() (int64, error) {
					res, err := scan.Plugin(context.Background(), host, scan.Query{})
					return res.Rows, err
				})
			})
			b.Run("raw", func(b *testing.B) {
				client := &http.Client{Timeout: 30 * time.Second}
				measure(b, fake, func() (int64, error) {
					res, err := scan.Raw(context.Background(), client, fake.url, fake.apiKey, fake.userID)
					return res.Rows, err
				})
			})
		})
	}
}

// BenchmarkPushdown reports rows and API calls of filtered and limited scans
// of 20,000 leads (no latency: the calls, not the time, are the point).
// created_at windows are relative to the dataset's reference time; make
// bench also checks their rows against the dataset.
func BenchmarkPushdown(b *testing.B) {
	fake := startFake(b, 20_000, 0)
	conn := plugintest.ConfigAt(fake.url, fake.apiKey, fake.userID)
	conn.CompanyID = journeybeetest.CompanyID
	host, err := scan.NewHost(conn)
	if err != nil {
		b.Fatal(err)
	}
	daysBefore := func(days int) time.Time { return journeybeetest.ReferenceTime.AddDate(0, 0, -days) }
	for _, q := range []struct {
		name string
		q    scan.Query
	}{
		{"limit=10", scan.Query{Limit: 10}},
		{"limit=250", scan.Query{Limit: 250}},
		{"status_in=new,contacted", scan.Query{Quals: []*proto.Qual{pluginhost.In("status", "new", "contacted")}}},
		{"view_in=received,sent", scan.Query{Quals: []*proto.Qual{pluginhost.In("view", "received", "sent")}}},
		{"tag_id=10", scan.Query{Quals: []*proto.Qual{pluginhost.Eq("tag_id", int64(10))}}},
		{"created_at>now-30d", scan.Query{Quals: []*proto.Qual{pluginhost.Op("created_at", ">", daysBefore(30))}}},
		{"created_at_between_now-400d_and_now-370d", scan.Query{Quals: []*proto.Qual{
			pluginhost.Op("created_at", ">=", daysBefore(400)), pluginhost.Op("created_at", "<=", daysBefore(370))}}},
		{"id=11000", scan.Query{Quals: []*proto.Qual{pluginhost.Eq("id", int64(11000))}}},
	} {
		b.Run(q.name, func(b *testing.B) {
			measure(b, fake, func() (int64, error) {
				res, err := scan.Plugin(context.Background(), host, q.q)
				return res.Rows, err
			})
		})
	}
}

// measure runs scanOnce b.N times and reports per-row figures.
func measure(b *testing.B, fake *fakeProcess, scanOnce func() (int64, error)) {
	b.Helper()
	var rows int64
	var elapsed time.Duration
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		fake.resetRequests(b)
		b.StartTimer()
		start := time.Now()
		n, err := scanOnce()
		elapsed += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		rows += n
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	if rows == 0 {
		b.Fatal("no rows")
	}
	b.ReportMetric(float64(rows)/float64(b.N), "rows/scan")
	b.ReportMetric(float64(fake.requestCount(b)), "api_calls/scan") // of the last scan
	b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
	b.ReportMetric(float64(elapsed.Nanoseconds())/float64(rows), "ns/row")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(rows), "allocs/row")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(rows), "B/row")
}
