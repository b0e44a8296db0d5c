//go:build !race

package journeybee

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	jbt "github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

// TestCancelledQueryLogsOneLine: a query cancelled mid-scan (Powerpipe
// closing a panel, a client gone) is reported once, in the SDK's two
// closing lines, not once per row still in its pipeline: before the fix
// the rows waiting on their custom_fields hydrate wrote 465 WARN/ERROR
// lines for one cancelled scan (five or six per row). That column is gone
// (journeybee_lead_custom_field); select * covers whatever columns remain.
func TestCancelledQueryLogsOneLine(t *testing.T) {
	var all []string
	for _, c := range leadColumns() {
		all = append(all, c.Name)
	}
	for _, columns := range [][]string{{"id", "title", "status"}, all} {
		t.Run(strings.Join(columns, ","), func(t *testing.T) { testCancelledQueryLogs(t, columns) })
	}
}

func testCancelledQueryLogs(t *testing.T, columns []string) {
	cfg := jbt.Config{Leads: jbt.GenerateLeads(3000, 4), PageSize: 100, Latency: 5 * time.Millisecond}
	f := newFixture(t, cfg)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	rowsSeen := 0
	err := f.host.Execute(ctx, pluginhost.Query{Connection: testConnection, Table: "journeybee_lead", Columns: columns}, func(pluginhost.Row) error {
		rowsSeen++
		if rowsSeen == 150 {
			cancel()
		}
		return nil
	})
	if err == nil {
		t.Fatal("the cancelled query returned no error")
	}
	time.Sleep(200 * time.Millisecond) // what the scan's goroutines log as they stop
	var loud []string
	for _, line := range strings.Split(f.logs.String(), "\n") {
		if strings.Contains(line, "[WARN]") || strings.Contains(line, "[ERROR]") {
			loud = append(loud, line)
		}
	}
	// The SDK's own two: "queryData.streamRows returned error" and
	// "executeForConnection ... returned error".
	if len(loud) > 2 {
		t.Fatalf("%d WARN/ERROR log lines for one cancelled query, want the SDK's 2; the first:\n%s", len(loud), strings.Join(loud[:min(8, len(loud))], "\n"))
	}
}
