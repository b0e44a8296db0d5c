// Package scan holds the two Go sides of the benchmarks, shared by the
// go test benchmarks and the bench/cmd/scan driver: a query of
// journeybee_lead through the plugin, end to end through the SDK's execution
// path, and the floor, a raw net/http loop fetching and decoding the same
// pages.
package scan

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

// Connection is the connection name the host configures.
const Connection = plugintest.Connection

// Result is what one scan measured.
type Result struct {
	Rows int64
	// FirstRow is the time from the start of the query to the first row.
	FirstRow time.Duration
	// Wall is the time of the whole query.
	Wall time.Duration
	// IDs are the rows' ids in the order streamed, when Query.IDs asks.
	IDs []int64
}

// NewHost starts the plugin in-process with one connection, conn. The
// benchmarks give it plugintest.ConfigAt's: the rate limit lifted and the
// reply cache off, as they measure the plugin's scans, not the limiter or
// repeats served from memory.
func NewHost(conn plugintest.Config) (*pluginhost.Host, error) {
	return plugintest.New(journeybee.Plugin, pluginhost.Options{Log: io.Discard}, conn)
}

// Query is `select <all columns> from journeybee_lead where <Quals> limit <Limit>`.
type Query struct {
	Quals []*proto.Qual
	Limit int64
	// IDs keeps the id of every row in Result.IDs.
	IDs bool
}

// Plugin runs q through host and counts the rows. Every column is fetched,
// as `select *` does: none costs a request of its own.
func Plugin(ctx context.Context, host *pluginhost.Host, q Query) (Result, error) {
	var res Result
	schema, err := host.Schema(Connection)
	if err != nil {
		return res, err
	}
	var columns []string
	for _, c := range schema["journeybee_lead"].Columns {
		columns = append(columns, c.Name)
	}
	start := time.Now()
	err = host.Execute(ctx, pluginhost.Query{Connection: Connection, Table: "journeybee_lead", Columns: columns, Quals: q.Quals, Limit: q.Limit},
		func(row pluginhost.Row) error {
			if res.Rows == 0 {
				res.FirstRow = time.Since(start)
			}
			res.Rows++
			if q.IDs {
				id, ok := pluginhost.Value(row["id"]).(int64)
				if !ok {
					return fmt.Errorf("row %d: id is %v, want an integer", res.Rows, pluginhost.Value(row["id"]))
				}
				res.IDs = append(res.IDs, id)
			}
			return nil
		})
	res.Wall = time.Since(start)
	return res, err
}

// Raw is the floor: every page fetched with net/http and decoded into the
// same api.Lead values, the cursor being the previous page's last
// created_at, as a hand-written client would page. That plain cursor skips
// leads sharing a created_at across a page boundary (the plugin's cursor
// overlaps the boundary instead), so Raw may count a few rows fewer.
func Raw(ctx context.Context, client *http.Client, baseURL, apiKey string, userID int64) (res Result, err error) {
	start := time.Now()
	defer func() { res.Wall = time.Since(start) }()
	user := strconv.FormatInt(userID, 10)
	cursor := ""
	for {
		q := url.Values{"userId": {user}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+api.LeadsPath+"?"+q.Encode(), nil)
		if err != nil {
			return res, err
		}
		req.Header.Set("Authorization", "Bearer "+apiKey)
		resp, err := client.Do(req)
		if err != nil {
			return res, err
		}
		var page []api.Lead
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil {
			return res, fmt.Errorf("page after cursor %q: %s: %w", cursor, resp.Status, err)
		}
		if len(page) == 0 {
			return res, nil
		}
		if res.Rows == 0 {
			res.FirstRow = time.Since(start)
		}
		res.Rows += int64(len(page))
		if res.Rows >= int64(page[0].Total) {
			return res, nil
		}
		cursor = page[len(page)-1].CreatedAt.UTC().Format(time.RFC3339Nano)
	}
}
