//go:build sqlite_vtable

package sqlite

import (
	"fmt"
	"math"
	"sync"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

// Id lookups or one scan, decided by API requests.
//
// A join through id (deals to their leads, `on l.id = d.lead_id`) reaches
// the inner table once per outer row. Each lookup is an API request; one
// complete scan of the inner table costs about ⌈rows / 99⌉ + 1 requests
// and, kept in the memo, answers every later lookup for nothing. SQLite
// plans with xBestIndex's per-call costs and cannot be told that a scan is
// paid once, so the engine decides at run time: it counts the lookups a
// table receives, and once they have cost as many requests as a scan of
// the table would (its size from its last complete scan, else from the
// total its list reports, read at the second lookup so that a lone lookup
// pays nothing more, else defaultTableRows), it scans the table once and
// answers the rest from the memo. A join thus costs at most about twice
// the cheaper of the two.
//
// Only tables whose id filter belongs to their List are served this way (a
// row read by id through the List is the list's row). A Get may return
// fields the list lacks (journeybee_lead_deal's custom_fields), so its
// lookups always reach the plugin, whose own scan index answers them
// without a request when it can.

// defaultTableRows is the size assumed for a table before any complete
// scan of it is seen: a mid-sized account, about 100 requests to scan.
const defaultTableRows = 10_000

// pageItems is how many new items a page brings: pages of 100, each after
// the first repeating its boundary item.
const pageItems = 99

// scanRequests is what a scan of rows items costs.
func scanRequests(rows float64) float64 {
	return math.Ceil(rows/pageItems) + 1
}

// tableStats are what the engine learned of each table's size and id
// lookups.
type tableStats struct {
	mu sync.Mutex
	// rows is each table's size at its last complete unfiltered scan.
	rows map[string]int
	// lookups counts each table's id lookups that reached the plugin.
	lookups map[string]int
	// scanning serialises the switch to a scan, per table.
	scanning map[string]*sync.Mutex
}

func newTableStats() *tableStats {
	return &tableStats{rows: map[string]int{}, lookups: map[string]int{}, scanning: map[string]*sync.Mutex{}}
}

// estimatedRows is a table's size as far as the engine knows it.
func (s *tableStats) estimatedRows(table string) float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n, ok := s.rows[table]; ok {
		return float64(max(n, 1))
	}
	return defaultTableRows
}

func (s *tableStats) known(table string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.rows[table]
	return ok
}

func (s *tableStats) sawScan(table string, rows int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rows[table] = rows
}

// countLookup counts one more lookup of table and returns the count.
func (s *tableStats) countLookup(table string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lookups[table]++
	return s.lookups[table]
}

func (s *tableStats) scanLock(table string) *sync.Mutex {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.scanning[table]
	if !ok {
		m = &sync.Mutex{}
		s.scanning[table] = m
	}
	return m
}

// fullScan is the complete unfiltered scan of t the memo keeps.
func (e *engine) fullScan(t *table) pluginhost.Query {
	return pluginhost.Query{Connection: e.connection, Table: t.name, Columns: t.names, Cache: e.cache}
}

// isFullScan reports whether q reads every row of its table.
func isFullScan(q pluginhost.Query) bool {
	return len(q.Quals) == 0 && q.Limit <= 0
}

// lookupID returns the id q looks up when q is a lone `id =` on a table
// whose List takes it.
func (t *table) lookupID(q pluginhost.Query) (int64, bool) {
	if !t.idByList || len(q.Quals) != 1 || q.Limit > 0 {
		return 0, false
	}
	qual := q.Quals[0]
	if qual.FieldName != t.columns[t.idColumn].name || qual.GetStringValue() != "=" {
		return 0, false
	}
	v, ok := qual.Value.GetValue().(*proto.QualValue_Int64Value)
	if !ok {
		return 0, false
	}
	return v.Int64Value, true
}

// rowsByID answers an id lookup from a memoised complete scan of t: at
// once when one is kept, else once the lookups of t have cost as much as a
// scan, after scanning it. ok is false when the lookup should reach the
// plugin.
func (e *engine) rowsByID(t *table, id int64) (rows []pluginhost.Row, ok bool, err error) {
	if e.memo == nil {
		return nil, false, nil
	}
	key := memoKey(e.fullScan(t))
	if rows, ok := e.memo.byID(key, t.columns[t.idColumn].name, id); ok {
		return rows, true, nil
	}
	n := e.stats.countLookup(t.name)
	if n < 2 {
		return nil, false, nil // a lone lookup is no join: it pays no probe
	}
	if err := e.learnSize(t); err != nil {
		return nil, false, err
	}
	if float64(n) < scanRequests(e.stats.estimatedRows(t.name)) {
		return nil, false, nil
	}
	lock := e.stats.scanLock(t.name)
	lock.Lock()
	defer lock.Unlock()
	if rows, ok := e.memo.byID(key, t.columns[t.idColumn].name, id); ok {
		return rows, true, nil // another connection scanned meanwhile
	}
	all, err := e.host.Collect(e.ctx, e.fullScan(t))
	if err != nil {
		return nil, false, fmt.Errorf("%s: scanning once instead of looking up each id: %w", t.name, err)
	}
	e.memo.put(key, all)
	e.stats.sawScan(t.name, len(all))
	rows, _ = e.memo.byID(key, t.columns[t.idColumn].name, id)
	return rows, true, nil
}

// learnSize reads the size of a table the engine has not scanned from the
// total its list carries: one row of the unfiltered list, one request (none
// when the plugin's reply cache holds that first page, as it does once the
// plugin has read its company id off the newest lead).
func (e *engine) learnSize(t *table) error {
	if !t.hasTotal || e.stats.known(t.name) {
		return nil
	}
	rows, err := e.host.Collect(e.ctx, pluginhost.Query{Connection: e.connection, Table: t.name, Columns: []string{"total"}, Limit: 1, Cache: e.cache})
	if err != nil {
		return fmt.Errorf("%s: reading its size to price id lookups against a scan: %w", t.name, err)
	}
	n := 0
	if len(rows) > 0 {
		if total, ok := pluginhost.Value(rows[0]["total"]).(int64); ok {
			n = int(total)
		}
	}
	e.stats.sawScan(t.name, n) // an empty list costs one request to scan
	return nil
}

// scanKnown reports whether a complete scan of t is kept in the memo: a
// lookup or a repeated scan then costs no request.
func (e *engine) scanKnown(t *table) bool {
	return e.memo.has(memoKey(e.fullScan(t)))
}
