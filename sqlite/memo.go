//go:build sqlite_vtable

package sqlite

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"google.golang.org/protobuf/proto"
)

// memoTTL is how long a complete scan answers its repeats: Steampipe's
// default cache TTL.
const memoTTL = 5 * time.Minute

// scanMemo keeps the rows of complete scans, so that a repeat of the same
// scan — the inner side of a join SQLite cannot push its key into, scanned
// again for every outer row — is answered without the plugin. The SDK's
// query cache did this until journeybee_lead had to leave it (it can stream
// wrong rows, see journeybee/query_cache_guard.go); replaying rows the
// engine already holds cannot go wrong that way. Only scans that ended
// without error are kept: one cut short by SQLite or canceled is not
// complete. A nil memo keeps nothing.
type scanMemo struct {
	mu      sync.Mutex
	entries map[string]*memoEntry
}

type memoEntry struct {
	rows    []pluginhost.Row
	expires time.Time
	// byID indexes rows by their id column, built on the first lookup.
	byID map[any][]pluginhost.Row
}

func newScanMemo() *scanMemo { return &scanMemo{entries: map[string]*memoEntry{}} }

// memoKey identifies a scan: its table, columns, quals and limit.
func memoKey(q pluginhost.Query) string {
	var b strings.Builder
	b.WriteString(q.Table)
	b.WriteByte(0)
	b.WriteString(strings.Join(q.Columns, ","))
	b.WriteByte(0)
	b.WriteString(strconv.FormatInt(q.Limit, 10))
	for _, qual := range q.Quals {
		raw, _ := proto.MarshalOptions{Deterministic: true}.Marshal(qual)
		b.WriteByte(0)
		b.Write(raw)
	}
	return b.String()
}

func (m *scanMemo) get(key string) ([]pluginhost.Row, bool) {
	var rows []pluginhost.Row
	ok := m.withEntry(key, func(e *memoEntry) { rows = e.rows })
	return rows, ok
}

// withEntry calls use, under the memo's lock, with the fresh entry kept
// under key, and reports whether there was one.
func (m *scanMemo) withEntry(key string, use func(*memoEntry)) bool {
	if m == nil {
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[key]
	if !ok || time.Now().After(e.expires) {
		return false
	}
	use(e)
	return true
}

func (m *scanMemo) put(key string, rows []pluginhost.Row) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	for k, e := range m.entries {
		if now.After(e.expires) {
			delete(m.entries, k)
		}
	}
	m.entries[key] = &memoEntry{rows: rows, expires: now.Add(memoTTL)}
}

// has reports whether a fresh scan is kept under key.
func (m *scanMemo) has(key string) bool {
	_, ok := m.get(key)
	return ok
}

// byID returns the rows of the scan kept under key whose idColumn is id
// (none for an id the scan did not list); ok is false without such a scan.
func (m *scanMemo) byID(key, idColumn string, id int64) (rows []pluginhost.Row, ok bool) {
	ok = m.withEntry(key, func(e *memoEntry) {
		if e.byID == nil {
			e.byID = map[any][]pluginhost.Row{}
			for _, r := range e.rows {
				v := pluginhost.Value(r[idColumn])
				e.byID[v] = append(e.byID[v], r)
			}
		}
		rows = e.byID[id]
		if rows == nil {
			rows = []pluginhost.Row{} // listed by none: no row, and no request
		}
	})
	return rows, ok
}
