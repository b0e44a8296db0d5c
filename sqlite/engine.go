//go:build sqlite_vtable

package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/mattn/go-sqlite3"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

// engine is what every virtual table of one DB shares.
type engine struct {
	host       *pluginhost.Host
	connection string
	cache      bool
	// memo answers repeated scans when the cache is on (nil when off).
	memo *scanMemo
	// stats are the table sizes and id lookups that price plans.
	stats *tableStats
	// ctx ends every scan when the DB closes.
	ctx context.Context
	// onRow, when set, sees every row the plugin streams.
	onRow func(table string)
}

func open(host *pluginhost.Host, connection string, o options) (*DB, error) {
	schema, err := host.Schema(connection)
	if err != nil {
		return nil, fmt.Errorf("sqlite: schema of connection %q: %w", connection, err)
	}
	parent := o.ctx
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithCancel(parent)
	e := &engine{host: host, connection: connection, cache: o.cache, ctx: ctx, stats: newTableStats(), onRow: o.onRow}
	if o.cache {
		e.memo = newScanMemo()
	}
	var tables []*table
	for name, ts := range schema {
		tables = append(tables, newTable(name, ts))
	}
	slices.SortFunc(tables, func(a, b *table) int { return strings.Compare(a.name, b.name) })

	// Every connection the pool opens gets one eponymous module per table.
	drv := &sqlite3.SQLiteDriver{ConnectHook: func(conn *sqlite3.SQLiteConn) error {
		for _, t := range tables {
			if err := conn.CreateModule(t.name, &module{engine: e, table: t}); err != nil {
				return fmt.Errorf("sqlite: table %s: %w", t.name, err)
			}
		}
		return nil
	}}
	sqlDB := sql.OpenDB(connector{driver: drv, dsn: ":memory:"})
	if err := sqlDB.Ping(); err != nil {
		sqlDB.Close()
		cancel()
		return nil, err
	}
	db := &DB{DB: sqlDB, stop: cancel}
	for _, t := range tables {
		db.tables = append(db.tables, t.name)
	}
	return db, nil
}

// connector opens SQLite connections through a driver of our own, so no
// global driver name is registered.
type connector struct {
	driver *sqlite3.SQLiteDriver
	dsn    string
}

func (c connector) Connect(context.Context) (driver.Conn, error) { return c.driver.Open(c.dsn) }
func (c connector) Driver() driver.Driver                        { return c.driver }

// table is a plugin table as the virtual table sees it.
type table struct {
	name    string
	ddl     string
	columns []column
	names   []string // column names, for every scan
	// idColumn is the index of the id column (-1 when there is none taking =).
	idColumn int
	// idByList is set when the List takes `id =`: a lookup by id is then
	// a list row, which a memoised scan can answer (lookups.go).
	idByList bool
	// hasTotal is set when rows carry the list's total (the table's size).
	hasTotal bool
	// Key column requirements, by column index: every listRequired column,
	// at least one listAnyOf column (when there are any), or every getKeys
	// column with = lets the SDK run the scan.
	listRequired, listAnyOf, getKeys []int
}

type column struct {
	name string
	kind kind
	// operators the plugin accepts as quals on this column; empty for a
	// column that is not a key column.
	operators []string
}

func newTable(name string, ts *proto.TableSchema) *table {
	t := &table{name: name, idColumn: -1}
	index := map[string]int{}
	defs := make([]string, len(ts.Columns))
	for i, c := range ts.Columns {
		k, decl := kindOf(c.Type)
		t.columns = append(t.columns, column{name: c.Name, kind: k})
		t.names = append(t.names, c.Name)
		index[c.Name] = i
		t.hasTotal = t.hasTotal || c.Name == "total"
		defs[i] = quoteIdent(c.Name) + " " + decl
	}
	t.ddl = fmt.Sprintf("CREATE TABLE %s(%s)", quoteIdent(name), strings.Join(defs, ", "))

	addKey := func(kc *proto.KeyColumn) (int, bool) {
		i, ok := index[kc.Name]
		if !ok {
			return 0, false
		}
		ops := kc.Operators
		if len(ops) == 0 {
			ops = []string{"="}
		}
		for _, op := range ops {
			if !slices.Contains(t.columns[i].operators, op) {
				t.columns[i].operators = append(t.columns[i].operators, op)
			}
		}
		return i, true
	}
	for _, kc := range ts.ListCallKeyColumnList {
		if kc.Name == "id" && (len(kc.Operators) == 0 || slices.Contains(kc.Operators, "=")) {
			t.idByList = true
		}
		if i, ok := addKey(kc); ok {
			switch kc.Require {
			case "required", "":
				t.listRequired = append(t.listRequired, i)
			case "any_of":
				t.listAnyOf = append(t.listAnyOf, i)
			}
		}
	}
	for _, kc := range ts.GetCallKeyColumnList {
		if i, ok := addKey(kc); ok && kc.Require != "optional" {
			t.getKeys = append(t.getKeys, i)
		}
	}
	if i, ok := index["id"]; ok && slices.Contains(t.columns[i].operators, "=") {
		t.idColumn = i
	} else {
		t.idByList = false
	}
	return t
}

func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// accepts reports whether a constraint `op` on column i can be sent to the
// plugin.
func (t *table) accepts(i int, op string) bool {
	if i < 0 || i >= len(t.columns) || t.columns[i].kind == kindInet {
		return false
	}
	return slices.Contains(t.columns[i].operators, op)
}

// module is the eponymous-only module of one table.
type module struct {
	engine *engine
	table  *table
}

func (m *module) EponymousOnlyModule() {}
func (m *module) DestroyModule()       {}

func (m *module) Create(c *sqlite3.SQLiteConn, args []string) (sqlite3.VTab, error) {
	return m.Connect(c, args)
}

func (m *module) Connect(c *sqlite3.SQLiteConn, _ []string) (sqlite3.VTab, error) {
	if err := c.DeclareVTab(m.table.ddl); err != nil {
		return nil, fmt.Errorf("declare %s: %w", m.table.name, err)
	}
	return &vtab{engine: m.engine, table: m.table}, nil
}

type vtab struct {
	engine *engine
	table  *table
}

func (v *vtab) Disconnect() error { return nil }
func (v *vtab) Destroy() error    { return nil }

func (v *vtab) Open() (sqlite3.VTabCursor, error) {
	return &cursor{engine: v.engine, table: v.table}, nil
}

// sqliteOperators maps SQLite's constraint operators to the SDK's.
var sqliteOperators = map[sqlite3.Op]string{
	sqlite3.OpEQ: "=",
	sqlite3.OpNE: "<>",
	sqlite3.OpLT: "<",
	sqlite3.OpLE: "<=",
	sqlite3.OpGT: ">",
	sqlite3.OpGE: ">=",
}

// Plan terms in an index string, one per argument Filter receives.
const (
	termLimit  = "limit"
	termOffset = "offset"
)

// Costs are in API requests, the resource a plan spends (100 a minute per
// key); CPU only breaks ties. A scan costs its pages: ⌈rows / 99⌉ + 1, with
// rows the table's size at its last complete scan (else defaultTableRows),
// each = narrowing it tenfold and each other operator twofold. A lookup by
// id (a Get, or the List's id filter) is one request. A table whose complete
// scan the memo keeps costs no request to scan again or to look up in
// through its List, only CPU per row. A plan the SDK would refuse for want of a required key
// column costs the most. SQLite multiplies an inner table's cost by the
// outer rows, so it prefers N lookups to N scans; whether N lookups cost
// more than one scan is settled at run time (lookups.go).
const (
	costGet        = 1
	costUnrunnable = 1e12
	// costCPURow is the CPU of one row replayed from the memo, in requests.
	costCPURow = 1e-6
)

// BestIndex uses every constraint the plugin accepts as a qual, and the
// LIMIT when it uses everything else and there is no ORDER BY to satisfy
// first. It never claims an order. mattn/go-sqlite3 sets "omit" on every
// constraint it hands to Filter, so SQLite does not re-check them: the
// cursor re-checks each on every row instead, as Postgres would.
func (v *vtab) BestIndex(csts []sqlite3.InfoConstraint, orderBy []sqlite3.InfoOrderBy) (*sqlite3.IndexResult, error) {
	t := v.table
	used := make([]bool, len(csts))
	terms := make([]string, len(csts))
	hasOp := map[int][]string{}
	limit, offset, all := -1, -1, true
	for i, c := range csts {
		switch c.Op {
		case sqlite3.OpLIMIT:
			limit = i
			continue
		case sqlite3.OpOFFSET:
			offset = i
			continue
		}
		op, ok := sqliteOperators[c.Op]
		if !ok || !c.Usable || !t.accepts(c.Column, op) {
			all = false
			continue
		}
		used[i] = true
		terms[i] = fmt.Sprintf("%d%s", c.Column, op)
		hasOp[c.Column] = append(hasOp[c.Column], op)
	}
	if limit >= 0 && all && len(orderBy) == 0 && csts[limit].Usable && (offset < 0 || csts[offset].Usable) {
		used[limit], terms[limit] = true, termLimit
		if offset >= 0 {
			used[offset], terms[offset] = true, termOffset
		}
	}

	var plan []string
	for i := range csts {
		if used[i] && csts[i].Usable {
			plan = append(plan, terms[i])
		}
	}
	rows := v.engine.stats.estimatedRows(t.name)
	for _, ops := range hasOp {
		for _, op := range ops {
			if op == "=" {
				rows /= 10
			} else {
				rows /= 2
			}
		}
	}
	rows = max(rows, 1)
	cost := scanRequests(rows)
	lookup := t.getRunnable(hasOp) || t.idByList && slices.Contains(hasOp[t.idColumn], "=")
	if lookup {
		cost, rows = costGet, 1
	}
	// A repeated full scan, and a List's id lookup, are answered from a
	// complete scan the memo keeps: no request. A Get still asks (it may
	// return fields the list lacks).
	if v.engine.scanKnown(t) && (len(hasOp) == 0 || lookup && t.idByList && !t.getRunnable(hasOp)) {
		cost = rows * costCPURow
	}
	if !lookup && !t.listRunnable(hasOp) {
		cost = costUnrunnable
	}
	return &sqlite3.IndexResult{
		Used:          used,
		IdxStr:        strings.Join(plan, " "),
		EstimatedCost: cost,
		EstimatedRows: math.Ceil(rows),
	}, nil
}

func (t *table) getRunnable(hasOp map[int][]string) bool {
	if len(t.getKeys) == 0 {
		return false
	}
	for _, i := range t.getKeys {
		if !slices.Contains(hasOp[i], "=") {
			return false
		}
	}
	return true
}

func (t *table) listRunnable(hasOp map[int][]string) bool {
	for _, i := range t.listRequired {
		if len(hasOp[i]) == 0 {
			return false
		}
	}
	if len(t.listAnyOf) == 0 {
		return true
	}
	return slices.ContainsFunc(t.listAnyOf, func(i int) bool { return len(hasOp[i]) > 0 })
}
