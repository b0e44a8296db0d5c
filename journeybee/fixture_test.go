//go:build !race

// The tests that run queries through the SDK are built without -race: the
// SDK's own row streaming races (plugin/query_data.go). The plugin package's
// other tests (pushdown_test.go, connection_config_test.go…) run under
// `make test-race` like every other package's.

package journeybee

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

// fixture is one plugin instance, configured by HCL as Steampipe would, over
// a fake JourneyBee server. Queries go through the SDK's Execute.
type fixture struct {
	t    *testing.T
	srv  *journeybeetest.Server
	host *pluginhost.Host
	logs *syncBuffer
}

const testConnection = plugintest.Connection

// newFixture starts a fake with cfg and a plugin connected to it with the
// tests' defaults (plugintest.ConfigFor) and fast retries. extraHCL lines
// are added to the connection block; one may set an argument the defaults
// set, e.g. "cache_ttl = 300".
func newFixture(t *testing.T, cfg journeybeetest.Config, extraHCL ...string) *fixture {
	t.Helper()
	srv := plugintest.Fake(t, cfg)
	conn := plugintest.ConfigFor(srv)
	conn.MinErrorRetryDelay = 1
	conn.Extra = extraHCL
	return newFixtureWithConfig(t, srv, conn)
}

// newFixtureWithConfig is newFixture over srv with the connection conn, as
// it is: a test of a missing or wrong argument leaves it out or sets it.
func newFixtureWithConfig(t *testing.T, srv *journeybeetest.Server, conn plugintest.Config) *fixture {
	t.Helper()
	logs := &syncBuffer{}
	host := plugintest.Start(t, Plugin, pluginhost.Options{Log: logs, LogLevel: hclog.Debug}, conn)
	return &fixture{t: t, srv: srv, host: host, logs: logs}
}

// query runs `select columns from journeybee_lead where quals limit limit`
// and checks every row against the quals, as Postgres re-checks them.
func (f *fixture) query(limit int64, quals ...*proto.Qual) ([]pluginhost.Row, error) {
	return f.queryColumns(nil, limit, quals...)
}

func (f *fixture) queryColumns(columns []string, limit int64, quals ...*proto.Qual) ([]pluginhost.Row, error) {
	f.t.Helper()
	return f.queryTable("journeybee_lead", columns, limit, quals...)
}

// queryTable runs `select columns from table where quals limit limit`
// through the SDK's Execute and checks every row against the quals, as
// Postgres re-checks them. A nil columns is every column.
func (f *fixture) queryTable(table string, columns []string, limit int64, quals ...*proto.Qual) ([]pluginhost.Row, error) {
	f.t.Helper()
	if columns == nil {
		columns = f.columnsWithout(table, nil)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rows, err := f.host.Collect(ctx, pluginhost.Query{Connection: testConnection, Table: table, Columns: columns, Quals: quals, Limit: limit})
	for _, row := range rows {
		for _, q := range quals {
			if !satisfies(row, q) {
				f.t.Fatalf("row %v violates qual %s: Postgres would drop it", pluginhost.Value(row["id"]), describeQual(q))
			}
		}
	}
	return rows, err
}

// mustQuery is query that fails the test on error.
func (f *fixture) mustQuery(limit int64, quals ...*proto.Qual) []pluginhost.Row {
	f.t.Helper()
	rows, err := f.query(limit, quals...)
	if err != nil {
		f.t.Fatalf("query: %v", err)
	}
	return rows
}

// apiQueries returns each request's query string minus userId and cursor,
// sorted, so pushdown can be compared whatever the SDK's concurrency.
func (f *fixture) apiQueries() []string {
	var out []string
	for _, r := range f.srv.Requests() {
		q := url.Values{}
		for k, v := range r.Query {
			if k != "userId" && k != "cursor" {
				q[k] = v
			}
		}
		out = append(out, q.Encode())
	}
	sort.Strings(out)
	return out
}

// satisfies reports whether a row meets a qual as Postgres would evaluate it.
func satisfies(row pluginhost.Row, q *proto.Qual) bool {
	got := pluginhost.Value(row[q.FieldName])
	if ts := q.Value.GetTimestampValue(); ts != nil {
		at, ok := got.(time.Time)
		if !ok {
			return false
		}
		c := at.Compare(ts.AsTime())
		switch q.GetStringValue() {
		case "<":
			return c < 0
		case "<=":
			return c <= 0
		case ">":
			return c > 0
		case ">=":
			return c >= 0
		}
		return c == 0
	}
	var wanted []*proto.QualValue
	if list := q.Value.GetListValue(); list != nil {
		wanted = list.Values
	} else {
		wanted = []*proto.QualValue{q.Value}
	}
	match := false
	for _, w := range wanted {
		if equalQualValue(got, w) {
			match = true
		}
	}
	if q.GetStringValue() == "<>" {
		return got != nil && !match
	}
	return match
}

func equalQualValue(got any, w *proto.QualValue) bool {
	switch v := w.Value.(type) {
	case *proto.QualValue_StringValue:
		if n, ok := got.(int64); ok {
			return fmt.Sprint(n) == v.StringValue
		}
		return got == v.StringValue
	case *proto.QualValue_Int64Value:
		return got == v.Int64Value
	case *proto.QualValue_BoolValue:
		return got == v.BoolValue
	case *proto.QualValue_JsonbValue:
		s, ok := got.(string)
		return ok && jsonEqual(s, v.JsonbValue)
	}
	return false
}

func jsonEqual(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}

func describeQual(q *proto.Qual) string {
	return fmt.Sprintf("%s %s %v", q.FieldName, q.GetStringValue(), q.Value)
}

// asClientLead is the fake's lead as the client decodes it, for tests that
// hand fake data to the plugin's own functions.
func asClientLead(t *testing.T, l journeybeetest.Lead) api.Lead {
	t.Helper()
	var out api.Lead
	b, err := json.Marshal(l)
	if err == nil {
		err = json.Unmarshal(b, &out)
	}
	if err != nil {
		t.Fatalf("lead %d: %v", l.ID, err)
	}
	return out
}

// The dataset items' ids, for plugintest.IDs.
func idOfLead(l *journeybeetest.Lead) int64               { return l.ID }
func idOfDeal(d *journeybeetest.LeadDeal) int64           { return d.ID }
func idOfPartnership(p *journeybeetest.Partnership) int64 { return p.Partnership.ID }

// syncBuffer collects plugin logs from concurrent goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// expectQueryError asserts a query failed with an error containing want.
// The SDK occasionally drops an error raised after rows began to stream
// (steampipe-sdk-facts.md), so for such errors the ERROR log line the plugin
// always writes is accepted in its place — but never a silent success with
// no trace.
func (f *fixture) expectQueryError(err error, want string) {
	f.t.Helper()
	if err != nil {
		if !strings.Contains(err.Error(), want) {
			f.t.Fatalf("error = %q, want it to contain %q", err, want)
		}
		return
	}
	logs := f.logs.String()
	if !strings.Contains(logs, "[ERROR]") || !strings.Contains(logs, want) {
		f.t.Fatalf("the query succeeded and no ERROR log line contains %q; logs:\n%s", want, logs)
	}
	f.t.Logf("the SDK dropped the scan error; the ERROR log line carries it")
}

// columnsWithout is every column of table but skip.
func (f *fixture) columnsWithout(table string, skip []string) []string {
	f.t.Helper()
	schema, err := f.host.Schema(testConnection)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, c := range schema[table].Columns {
		if !slices.Contains(skip, c.Name) {
			out = append(out, c.Name)
		}
	}
	return out
}

// leadColumns is every column of journeybee_lead.
func (f *fixture) leadColumns() []string {
	return f.columnsWithout("journeybee_lead", nil)
}
