// Package pluginhost runs a Steampipe plugin in-process through the SDK's own
// gRPC-facing entry points (plugin.Server → SetAllConnectionConfigs →
// GetSchema → Execute), the path Steampipe's Postgres FDW drives. Tests, the
// SQLite engine and the benchmarks all query tables through it, so what they
// exercise is the plugin as Steampipe runs it, not its hydrate functions.
package pluginhost

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/go-hclog"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
	grpclib "google.golang.org/grpc"
)

// Connection is one named connection and its HCL body, as it appears inside
// a `connection "name" { ... }` block of a .spc file.
type Connection struct {
	Name   string
	Config string
}

// Options tunes a Host.
type Options struct {
	// Log, when set, receives every plugin log line at LogLevel.
	Log      io.Writer
	LogLevel hclog.Level
	// MaxCacheSizeMb sizes the SDK query cache (0 means 64). A plugin
	// whose every table turns the cache off gets none.
	MaxCacheSizeMb int64
}

// Host is a plugin instance with its connections configured.
type Host struct {
	server *grpc.PluginServer
	plugin *plugin.Plugin
	name   string
	calls  atomic.Int64
	caches *sdkCaches
}

// New builds the plugin and applies the connection configs. Config errors
// (unknown attributes, failed validation) are returned here.
func New(pluginFunc plugin.PluginFunc, opts Options, connections ...Connection) (*Host, error) {
	if len(connections) == 0 {
		return nil, errors.New("pluginhost: at least one connection is required")
	}
	// The plugin must not hold the Host (the closure captures p, not h):
	// the cleanup below runs once the Host is unreachable.
	var p *plugin.Plugin
	server := plugin.Server(&plugin.ServeOpts{PluginFunc: func(ctx context.Context) *plugin.Plugin {
		p = pluginFunc(ctx)
		return p
	}})
	h := &Host{server: server, plugin: p, name: p.Name, caches: &sdkCaches{plugin: p}}
	runtime.AddCleanup(h, func(c *sdkCaches) { _ = c.close(false) }, h.caches)
	if opts.Log != nil {
		// Execute derives its loggers from Plugin.Logger, so replacing it
		// captures the plugin's own lines and the SDK's.
		h.plugin.Logger = hclog.New(&hclog.LoggerOptions{Name: h.name, Output: opts.Log, Level: opts.LogLevel})
		// The SDK's own log.Printf lines go to the standard logger, which
		// plugin.Server pointed at os.Stderr; Execute re-points it at
		// Plugin.Logger, but SetAllConnectionConfigs (config errors) runs
		// before any Execute.
		log.SetOutput(h.plugin.Logger.StandardWriter(&hclog.StandardLoggerOptions{InferLevels: true}))
	}
	configs := make([]*proto.ConnectionConfig, len(connections))
	for i, c := range connections {
		configs[i] = &proto.ConnectionConfig{Connection: c.Name, Plugin: h.name, PluginShortName: h.name, Config: c.Config}
	}
	cacheMb := opts.MaxCacheSizeMb
	if cacheMb == 0 {
		cacheMb = 64
	}
	cacheOff := !usesQueryCache(p)
	if cacheOff {
		// -1: the SDK builds no query cache (Steampipe then sends its
		// options apart); offQueryCache stands in for it.
		cacheMb = -1
	}
	res, err := h.server.SetAllConnectionConfigs(&proto.SetAllConnectionConfigsRequest{Configs: configs, MaxCacheSizeMb: cacheMb})
	if err == nil && cacheOff {
		err = offQueryCache(p)
	}
	if err != nil {
		return nil, err
	}
	if len(res.FailedConnections) > 0 {
		var errs []error
		for name, msg := range res.FailedConnections {
			errs = append(errs, fmt.Errorf("connection %q: %s", name, msg))
		}
		return nil, errors.Join(errs...)
	}
	return h, nil
}

// Plugin is the plugin instance the Host runs.
func (h *Host) Plugin() *plugin.Plugin { return h.plugin }

// PluginName is the plugin's name (e.g. "journeybee").
func (h *Host) PluginName() string { return h.name }

// Schema returns the tables of a connection.
func (h *Host) Schema(connection string) (map[string]*proto.TableSchema, error) {
	res, err := h.server.GetSchema(&proto.GetSchemaRequest{Connection: connection})
	if err != nil {
		return nil, err
	}
	return res.Schema.Schema, nil
}

// SetRateLimiters installs limiter definitions as a user's `limiter` blocks
// would: one with the name of a plugin default replaces it.
func (h *Host) SetRateLimiters(defs ...*proto.RateLimiterDefinition) error {
	_, err := h.server.SetRateLimiters(&proto.SetRateLimitersRequest{Definitions: defs})
	return err
}

// Query is one scan of one table.
type Query struct {
	Connection string
	Table      string
	// Columns to fetch; empty means every column of the table.
	Columns []string
	Quals   []*proto.Qual
	// Limit is the SQL LIMIT; 0 or less means none.
	Limit int64
	Cache bool
}

// cacheTTLSeconds is how long a cached scan answers repeats (Steampipe's
// default).
const cacheTTLSeconds = 300

// Row is a streamed row, keyed by column name.
type Row map[string]*proto.Column

// Execute runs q and calls onRow for each row as the SDK streams it. A
// non-nil error from onRow cancels the scan and is returned.
func (h *Host) Execute(ctx context.Context, q Query, onRow func(Row) error) error {
	columns := q.Columns
	if len(columns) == 0 {
		schema, err := h.Schema(q.Connection)
		if err != nil {
			return err
		}
		table, ok := schema[q.Table]
		if !ok {
			return fmt.Errorf("pluginhost: connection %q has no table %q", q.Connection, q.Table)
		}
		for _, c := range table.Columns {
			columns = append(columns, c.Name)
		}
	}
	quals := map[string]*proto.Quals{}
	for _, qual := range q.Quals {
		if quals[qual.FieldName] == nil {
			quals[qual.FieldName] = &proto.Quals{}
		}
		quals[qual.FieldName].Quals = append(quals[qual.FieldName].Quals, qual)
	}
	limit := int64(-1)
	if q.Limit > 0 {
		limit = q.Limit
	}
	qc := proto.NewQueryContext(columns, quals, limit, nil)

	caller := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := &rowStream{ctx: ctx, onRow: onRow, cancel: cancel}
	req := &proto.ExecuteRequest{
		Table:        q.Table,
		QueryContext: qc,
		Connection:   q.Connection,
		CallId:       fmt.Sprintf("pluginhost-%d", h.calls.Add(1)),
		ExecuteConnectionData: map[string]*proto.ExecuteConnectionData{
			//lint:ignore SA1019 the FDW still sends the query's limit here too; the SDK obeys this copy.
			q.Connection: {Limit: qc.Limit, CacheEnabled: q.Cache, CacheTtl: cacheTTLSeconds},
		},
	}
	err := h.server.Execute(req, stream)
	if rowErr := stream.err(); rowErr != nil {
		return rowErr
	}
	// The SDK sometimes ends a cancelled scan without an error; Postgres
	// never reports a cancelled query as a success, and neither does this.
	if err == nil && caller.Err() != nil {
		return caller.Err()
	}
	return err
}

// Collect runs q and returns every row.
func (h *Host) Collect(ctx context.Context, q Query) ([]Row, error) {
	var rows []Row
	err := h.Execute(ctx, q, func(r Row) error {
		rows = append(rows, r)
		return nil
	})
	return rows, err
}

// rowStream is the Execute stream: only Send and Context are used by the SDK.
type rowStream struct {
	grpclib.ServerStream
	ctx    context.Context
	cancel context.CancelFunc
	onRow  func(Row) error

	mu      sync.Mutex
	failure error
}

func (s *rowStream) Context() context.Context { return s.ctx }

func (s *rowStream) Send(res *proto.ExecuteResponse) error {
	if res == nil || res.Row == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failure != nil {
		return s.failure
	}
	if err := s.onRow(res.Row.Columns); err != nil {
		s.failure = err
		s.cancel()
		return err
	}
	return nil
}

func (s *rowStream) err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.failure
}
