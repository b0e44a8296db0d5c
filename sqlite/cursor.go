//go:build sqlite_vtable

package sqlite

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/mattn/go-sqlite3"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

// rowBuffer is how many rows a scan may stream ahead of SQLite.
const rowBuffer = 32

// activeScans counts running scan goroutines (tests assert none leak).
var activeScans atomic.Int64

// cursor is one scan position. SQLite calls Filter once per scan (again for
// each IN value and each outer row of a join) and Close once at the end.
type cursor struct {
	engine *engine
	table  *table

	scan  *scan
	row   []any
	rowid int64
	eof   bool
	// skip is how many checked rows are still to drop for a pushed OFFSET.
	skip int64
}

// scan is one plugin Execute streaming into a channel.
type scan struct {
	cancel context.CancelFunc
	rows   chan []any
	// err is the Execute result, written before rows is closed.
	err error
}

// check is a pushed constraint the cursor re-checks on each row.
type check struct {
	column int
	op     string
	value  any
}

func (c *cursor) Filter(_ int, idxStr string, vals []any) error {
	c.stop()
	c.row, c.rowid, c.eof, c.skip = nil, 0, false, 0

	terms := strings.Fields(idxStr)
	if len(terms) != len(vals) {
		return fmt.Errorf("%s: plan %q has %d terms for %d values", c.table.name, idxStr, len(terms), len(vals))
	}
	q := pluginhost.Query{Connection: c.engine.connection, Table: c.table.name, Columns: c.table.names, Cache: c.engine.cache}
	var checks []check
	limit, offset, exact := int64(-1), int64(0), true
	for i, term := range terms {
		switch term {
		case termLimit:
			if n, ok := vals[i].(int64); ok && n >= 0 {
				limit = n
			}
			continue
		case termOffset:
			if n, ok := vals[i].(int64); ok && n > 0 {
				offset = n
			}
			continue
		}
		col, op, err := parseTerm(term, len(c.table.columns))
		if err != nil {
			return fmt.Errorf("%s: %w", c.table.name, err)
		}
		if vals[i] == nil { // a comparison with NULL is never true
			c.eof = true
			return nil
		}
		k := c.table.columns[col].kind
		arg := operandFor(k, vals[i])
		if arg.qual == nil {
			// No value of the column's type equals it: the plugin cannot
			// be asked, and a value of another storage class compares the
			// same way with every row.
			exact = false
			if rowClass := classOfKind(k); class(arg.cmp) != rowClass && !holds(op, sign(rowClass-class(arg.cmp))) {
				c.eof = true
				return nil
			}
		} else {
			q.Quals = append(q.Quals, &proto.Qual{FieldName: c.table.columns[col].name, Operator: &proto.Qual_StringValue{StringValue: op}, Value: arg.qual})
		}
		checks = append(checks, check{column: col, op: op, value: arg.cmp})
	}
	c.skip = offset
	if limit >= 0 {
		if limit == 0 {
			c.eof = true
			return nil
		}
		// SQLite still applies the LIMIT; the plugin gets it, to stop
		// paging early, only when it sees every constraint.
		if exact {
			q.Limit = limit + offset
		}
	}
	if id, ok := c.table.lookupID(q); ok {
		rows, served, err := c.engine.rowsByID(c.table, id)
		if err != nil {
			return err
		}
		if served {
			c.start(q, checks, rows)
			return c.Next()
		}
	}
	c.start(q, checks, nil)
	return c.Next()
}

// classOfKind is the storage class of a column's non-NULL values.
func classOfKind(k kind) int {
	if k.numeric() {
		return class(int64(0))
	}
	return class("")
}

func parseTerm(term string, ncols int) (int, string, error) {
	i := strings.IndexAny(term, "=<>")
	if i <= 0 {
		return 0, "", fmt.Errorf("bad plan term %q", term)
	}
	col, err := strconv.Atoi(term[:i])
	if err != nil || col < 0 || col >= ncols {
		return 0, "", fmt.Errorf("bad plan term %q", term)
	}
	return col, term[i:], nil
}

// start runs the query in a goroutine that streams checked rows; served,
// when not nil, are the rows to stream instead (an id lookup answered from
// a memoised scan).
func (c *cursor) start(q pluginhost.Query, checks []check, served []pluginhost.Row) {
	ctx, cancel := context.WithCancel(c.engine.ctx)
	s := &scan{cancel: cancel, rows: make(chan []any, rowBuffer)}
	c.scan = s
	t := c.table
	activeScans.Add(1)
	memo := c.engine.memo
	key := ""
	if memo != nil {
		key = memoKey(q)
	}
	go func() {
		// Closing rows is last: stop returns once it is closed, and by then
		// the scan no longer counts as running.
		defer close(s.rows)
		defer activeScans.Add(-1)
		emit := func(r pluginhost.Row) error {
			if !t.matches(r, checks) {
				return nil
			}
			row := make([]any, len(t.columns))
			for i, col := range t.columns {
				row[i] = sqlValue(r[col.name])
			}
			select {
			case s.rows <- row:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		var err error
		if served == nil {
			served, _ = memo.get(key)
		}
		if served != nil {
			for _, r := range served {
				if err = emit(r); err != nil {
					break
				}
			}
		} else {
			var all []pluginhost.Row
			n := 0
			err = c.engine.host.Execute(ctx, q, func(r pluginhost.Row) error {
				if onRow := c.engine.onRow; onRow != nil {
					onRow(t.name)
				}
				if memo != nil {
					all = append(all, r)
				}
				n++
				return emit(r)
			})
			// A scan cancelled midway is not complete even when the SDK
			// drops the cancellation's error (see the SDK notes).
			if err == nil && ctx.Err() == nil {
				memo.put(key, all)
				if isFullScan(q) {
					c.engine.stats.sawScan(t.name, n)
				}
			}
		}
		if err != nil {
			s.err = fmt.Errorf("%s: %w", t.name, err)
		}
	}()
}

// matches re-checks the pushed constraints on a row, as Postgres re-checks
// the quals it hands the FDW.
func (t *table) matches(r pluginhost.Row, checks []check) bool {
	for _, ch := range checks {
		v := checkValue(t.columns[ch.column].kind, r[t.columns[ch.column].name])
		if v == nil || !holds(ch.op, compare(v, ch.value)) {
			return false
		}
	}
	return true
}

// stop cancels the running scan and waits for its goroutine to end.
func (c *cursor) stop() {
	s := c.scan
	if s == nil {
		return
	}
	c.scan = nil
	s.cancel()
	for range s.rows {
	}
}

func (c *cursor) Next() error {
	if c.scan == nil {
		c.eof, c.row = true, nil
		return nil
	}
	for row := range c.scan.rows {
		if c.skip > 0 {
			c.skip--
			continue
		}
		c.row = row
		c.rowid++
		return nil
	}
	s := c.scan
	c.scan, c.eof, c.row = nil, true, nil
	s.cancel()
	return s.err
}

func (c *cursor) EOF() bool { return c.eof }

func (c *cursor) Column(ctx *sqlite3.SQLiteContext, col int) error {
	if col < 0 || col >= len(c.row) {
		ctx.ResultNull()
		return nil
	}
	switch v := c.row[col].(type) {
	case int64:
		ctx.ResultInt64(v)
	case float64:
		ctx.ResultDouble(v)
	case string:
		ctx.ResultText(v)
	default:
		ctx.ResultNull()
	}
	return nil
}

func (c *cursor) Rowid() (int64, error) { return c.rowid, nil }

func (c *cursor) Close() error {
	c.stop()
	return nil
}
