//go:build sqlite_vtable

package sqlite

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestTables(t *testing.T) {
	db, _ := openTest(t)
	if got, want := db.Tables(), []string{"test_endless", "test_fail", "test_item", "test_tag"}; !slices.Equal(got, want) {
		t.Errorf("Tables() = %v, want %v", got, want)
	}
}

func TestOpenUnknownConnection(t *testing.T) {
	host := startTestPlugin(t, &recorder{})
	if db, err := Open(host, "nope"); err == nil {
		db.Close()
		t.Fatal("Open on an unknown connection succeeded")
	}
}

func TestColumnTypes(t *testing.T) {
	db, _ := openTest(t)
	rows, err := db.Query(`select * from test_item where id = 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ct := range types {
		got = append(got, ct.Name()+" "+ct.DatabaseTypeName())
	}
	want := []string{"id INTEGER", "name TEXT", "kind TEXT", "n INTEGER", "active BOOLEAN INTEGER", "score REAL",
		"created_at TIMESTAMP TEXT", "data JSON TEXT", "note TEXT", "ip INET TEXT",
		// The SDK's own columns, as Steampipe shows them.
		"sp_connection_name TEXT", "sp_ctx JSON TEXT", "_ctx JSON TEXT"}
	if !slices.Equal(got, want) {
		t.Errorf("columns\n got %v\nwant %v", got, want)
	}
}

func TestValues(t *testing.T) {
	db, _ := openTest(t)
	tests := []struct {
		expr string
		want string // typeof|value
	}{
		{"id", "integer|4"},
		{"name", "text|item-4"},
		{"n", "integer|40"},
		{"active", "integer|1"},
		{"score", "real|6"},
		{"created_at", "text|2024-01-04T10:30:00.000Z"},
		{"data", `text|{"id":4,"nested":{"k":"v4"},"tags":["x","t4"]}`},
		{"note", "null|NULL"},
		{"ip", "text|10.0.0.1"},
		// SQLite functions read the representations.
		{"json_extract(data, '$.nested.k')", "text|v4"},
		{"data ->> '$.tags[1]'", "text|t4"},
		{"json_array_length(data, '$.tags')", "integer|2"},
		{"date(created_at)", "text|2024-01-04"},
		{"strftime('%s', created_at)", "text|1704364200"},
		{"unixepoch(created_at)", "integer|1704364200"},
		{"created_at > '2024-01-03'", "integer|1"},
		{"not active", "integer|0"},
		{"iif(active, 'yes', 'no')", "text|yes"},
	}
	for _, tt := range tests {
		got := queryRows(t, db, fmt.Sprintf("select typeof(%[1]s), %[1]s from test_item where id = 4", tt.expr))
		if len(got) != 1 || got[0] != tt.want {
			t.Errorf("%s = %v, want %s", tt.expr, got, tt.want)
		}
	}
	// A false boolean is 0.
	if got := queryRows(t, db, `select active from test_item where id = 3`); !slices.Equal(got, []string{"0"}) {
		t.Errorf("active of item 3 = %v, want 0", got)
	}
}

// TestPushdown lists, for each query, the rows and what the plugin's List
// (or Get) calls received: its quals and its LIMIT (-1 for none).
func TestPushdown(t *testing.T) {
	db, rec := openTest(t)
	// The SDK builds rows concurrently, so without ORDER BY their order
	// is not the plugin's: rows are compared sorted, and a LIMIT without
	// ORDER BY is checked as n rows out of a set.
	tests := []struct {
		name  string
		query string
		rows  []string
		calls []string // "quals; limit", one per call, sorted
		n     int      // when set: n rows, each one of rows
	}{
		{"no filter", `select id from test_item order by id`, ids(1, 10), []string{"; -1"}, 0},
		{"= on key column", `select id from test_item where kind = 'a' order by id`, []string{"3", "6", "9"}, []string{`kind = "a"; -1`}, 0},
		{"IN is one call per value", `select id from test_item where kind in ('a', 'b') order by id`,
			[]string{"1", "3", "4", "6", "7", "9", "10"}, []string{`kind = "a"; -1`, `kind = "b"; -1`}, 0},
		{"= NULL asks nothing", `select id from test_item where kind = null`, nil, nil, 0},
		{"non-key column is filtered by SQLite", `select id from test_item where name = 'item-3'`, []string{"3"}, []string{"; -1"}, 0},
		{"key and non-key", `select id from test_item where kind = 'a' and name <> 'item-3' order by id`, []string{"6", "9"}, []string{`kind = "a"; -1`}, 0},
		{"> pushed and re-checked", `select id from test_item where n > 50 order by id`, ids(6, 10), []string{"n > 50; -1"}, 0},
		{"<> and <=", `select id from test_item where n <> 30 and n <= 50 order by id`, []string{"1", "2", "4", "5"}, []string{"n <= 50,n <> 30; -1"}, 0},
		{"between", `select id from test_item where n between 30 and 40 order by id`, []string{"3", "4"}, []string{"n <= 40,n >= 30; -1"}, 0},
		{"text for an integer column", `select id from test_item where n = '40'`, []string{"4"}, []string{"n = 40; -1"}, 0},
		{"integral real for an integer column", `select id from test_item where n = 40.0`, []string{"4"}, []string{"n = 40; -1"}, 0},
		{"fractional real is checked, not pushed", `select id from test_item where n < 25.5 order by id`, []string{"1", "2"}, []string{"; -1"}, 0},
		{"text that is no number is never equal", `select id from test_item where n = 'abc'`, nil, nil, 0},
		{"numbers sort before text", `select count(*) from test_item where n < 'abc'`, []string{"10"}, []string{"; -1"}, 0},
		{"bool = 1", `select id from test_item where active = 1 order by id`, []string{"2", "4", "6", "8", "10"}, []string{"active = true; -1"}, 0},
		{"bool = true", `select id from test_item where active = true order by id`, []string{"2", "4", "6", "8", "10"}, []string{"active = true; -1"}, 0},
		{"bool <> 1", `select id from test_item where active <> 1 order by id`, []string{"1", "3", "5", "7", "9"}, []string{"active = false; -1"}, 0},
		{"bool = 2", `select id from test_item where active = 2`, nil, []string{"; -1"}, 0},
		{"timestamp from a date", `select id from test_item where created_at >= '2024-01-08' order by id`, ids(8, 10), []string{"created_at >= 2024-01-08T00:00:00Z; -1"}, 0},
		{"timestamp from RFC 3339", `select id from test_item where created_at < '2024-01-03T10:30:00Z' order by id`, []string{"1", "2"}, []string{"created_at < 2024-01-03T10:30:00Z; -1"}, 0},
		{"timestamp from unix seconds", `select id from test_item where created_at > 1704672000 order by id`, ids(8, 10), []string{"created_at > 2024-01-08T00:00:00Z; -1"}, 0},
		{"timestamp from datetime()", `select id from test_item where created_at <= datetime('2024-01-02 10:30:00') order by id`, []string{"1", "2"}, []string{"created_at <= 2024-01-02T10:30:00Z; -1"}, 0},
		{"integer for a real column", `select id from test_item where score = 6`, []string{"4"}, []string{"score = 6; -1"}, 0},
		{"jsonb equality ignores layout", `select id from test_item where data = '{"tags": ["x", "t2"], "nested": {"k": "v2"}, "id": 2}'`, []string{"2"},
			[]string{`data = jsonb {"tags": ["x", "t2"], "nested": {"k": "v2"}, "id": 2}; -1`}, 0},
		{"LIKE is SQLite's", `select id from test_item where kind like 'A' order by id`, []string{"3", "6", "9"}, []string{"; -1"}, 0},
		{"Get on id", `select name from test_item where id = 3`, []string{"item-3"}, []string{"id = 3; -1"}, 0},
		{"Get per IN value", `select name from test_item where id in (2, 5) order by id`, []string{"item-2", "item-5"}, []string{"id = 2; -1", "id = 5; -1"}, 0},

		// LIMIT reaches the plugin only when it sees the whole WHERE.
		{"LIMIT alone", `select id from test_item limit 4`, ids(1, 10), []string{"; 4"}, 4},
		{"LIMIT with key quals", `select id from test_item where kind = 'b' and active = 0 limit 2`, []string{"1", "7"}, []string{`active = false,kind = "b"; 2`}, 0},
		{"LIMIT and OFFSET", `select id from test_item where kind = 'b' limit 3 offset 2`, []string{"1", "4", "7", "10"}, []string{`kind = "b"; 5`}, 2},
		{"LIMIT 0", `select id from test_item limit 0`, nil, nil, 0},
		{"LIMIT with a non-key filter", `select id from test_item where name like 'item-1%' limit 1`, []string{"1", "10"}, []string{"; -1"}, 1},
		{"LIMIT with a value not pushed", `select id from test_item where n < 25.5 limit 1`, []string{"1", "2"}, []string{"; -1"}, 1},
		{"LIMIT after ORDER BY", `select id from test_item where kind = 'b' order by n desc limit 2`, []string{"10", "7"}, []string{`kind = "b"; -1`}, 0},
		// SQLite stops after the first IN value's scan gave enough rows.
		{"LIMIT with IN", `select id from test_item where kind in ('a', 'c') limit 2`, []string{"3", "6", "9"}, []string{`kind = "a"; -1`}, 2},
		{"LIMIT with aggregate", `select count(*) from test_item limit 1`, []string{"10"}, []string{"; -1"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec.take("test_item")
			got := queryRows(t, db, tt.query)
			if tt.n > 0 {
				if len(got) != tt.n || slices.ContainsFunc(got, func(r string) bool { return !slices.Contains(tt.rows, r) }) {
					t.Errorf("rows = %v, want %d of %v", got, tt.n, tt.rows)
				}
			} else if !slices.Equal(sorted(got), sorted(tt.rows)) {
				t.Errorf("rows = %v, want %v", got, tt.rows)
			}
			var calls []string
			for _, c := range rec.take("test_item") {
				calls = append(calls, fmt.Sprintf("%s; %d", strings.Join(c.Quals, ","), c.Limit))
			}
			slices.Sort(calls)
			if !slices.Equal(calls, tt.calls) {
				t.Errorf("calls = %q, want %q", calls, tt.calls)
			}
		})
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func ids(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprint(i))
	}
	return out
}

func TestJSONAndAggregates(t *testing.T) {
	db, _ := openTest(t)
	tests := []struct {
		query string
		want  []string
	}{
		{`select j.value from test_item, json_each(test_item.data, '$.tags') j where test_item.id = 1`, []string{"x", "t1"}},
		{`select kind, count(*), sum(n), avg(score), max(created_at) from test_item group by kind order by kind`, []string{
			"a|3|180|9|2024-01-09T10:30:00.000Z",
			"b|4|220|8.25|2024-01-10T10:30:00.000Z",
			"c|3|150|7.5|2024-01-08T10:30:00.000Z",
		}},
		{`select count(*) from test_item where note is null`, []string{"2"}},
		{`select group_concat(id order by id) from test_item where json_extract(data, '$.nested.k') in ('v2', 'v7')`, []string{"2,7"}},
		{`select t.value, count(*) from test_item, json_each(data, '$.tags') t group by t.value order by count(*) desc, t.value limit 2`, []string{"x|10", "t1|1"}},
		{`with recent as materialized (select * from test_item where created_at >= '2024-01-09') select count(*), sum(active) from recent`, []string{"2|1"}},
	}
	for _, tt := range tests {
		if got := queryRows(t, db, tt.query); !slices.Equal(got, tt.want) {
			t.Errorf("%s\n got %v\nwant %v", tt.query, got, tt.want)
		}
	}
}

func TestJoins(t *testing.T) {
	db, rec := openTest(t)
	want := []string{"3|tag-3-1", "3|tag-3-2", "6|tag-6-1", "6|tag-6-2", "9|tag-9-1", "9|tag-9-2"}
	// Either way round, the planner feeds test_tag its required item_id.
	for _, query := range []string{
		`select i.id, t.tag from test_item i join test_tag t on t.item_id = i.id where i.kind = 'a' order by t.tag`,
		`select i.id, t.tag from test_tag t join test_item i on i.id = t.item_id where i.kind = 'a' order by t.tag`,
	} {
		rec.take("test_tag")
		if got := queryRows(t, db, query); !slices.Equal(got, want) {
			t.Errorf("%s\n got %v\nwant %v", query, got, want)
		}
		var quals []string
		for _, c := range rec.take("test_tag") {
			quals = append(quals, strings.Join(c.Quals, ","))
		}
		slices.Sort(quals)
		if w := []string{"item_id = 3", "item_id = 6", "item_id = 9"}; !slices.Equal(quals, w) {
			t.Errorf("test_tag calls %v, want %v", quals, w)
		}
	}

	// A self join pushes the outer row's value into the inner scan.
	rec.take("test_item")
	got := queryRows(t, db, `select b.id from test_item a join test_item b on b.kind = a.kind where a.id = 2 and b.id <> a.id order by b.id`)
	if w := []string{"5", "8"}; !slices.Equal(got, w) {
		t.Errorf("self join = %v, want %v", got, w)
	}
	var calls []string
	for _, c := range rec.take("test_item") {
		calls = append(calls, strings.Join(c.Quals, ","))
	}
	slices.Sort(calls)
	if w := []string{`id = 2`, `kind = "c"`}; !slices.Equal(calls, w) {
		t.Errorf("self join calls %q, want %q", calls, w)
	}

	// Without its required key column, the SDK refuses the scan.
	if _, err := queryAll(db, `select * from test_tag`); err == nil || !strings.Contains(err.Error(), "item_id") {
		t.Errorf("scan without the required key: err = %v, want one naming item_id", err)
	}
}

// queryAll runs a query to its end, returning the first error.
func queryAll(db *DB, query string) (int, error) {
	rows, err := db.Query(query)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

func TestPluginErrorIsSQLError(t *testing.T) {
	db, _ := openTest(t)
	for _, query := range []string{
		`select * from test_fail`,
		`select count(*) from test_fail`,
		`select i.id from test_item i join test_fail f on f.x = i.id`,
	} {
		_, err := queryAll(db, query)
		if err == nil || !strings.Contains(err.Error(), "upstream exploded") {
			t.Errorf("%s: err = %v, want the plugin's error", query, err)
		}
	}
	var n int
	if err := db.QueryRow(`select count(*) from test_fail`).Scan(&n); err == nil {
		t.Error("QueryRow on a failing table succeeded")
	}
}

func TestEarlyCloseCancelsScan(t *testing.T) {
	t.Run("rows closed early", func(t *testing.T) {
		db, rec := openTest(t)
		rows, err := db.Query(`select id from test_endless`)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 3 && rows.Next(); i++ {
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		waitCanceled(t, rec)
		if n := activeScans.Load(); n != 0 {
			t.Errorf("%d scans running after rows.Close", n)
		}
	})
	t.Run("LIMIT pushed", func(t *testing.T) {
		db, rec := openTest(t)
		if got := queryRows(t, db, `select id from test_endless limit 5`); !slices.Equal(sorted(got), sorted(ids(1, 5))) {
			t.Errorf("rows = %v", got)
		}
		if c := rec.take("test_endless"); len(c) != 1 || c[0].Limit != 5 {
			t.Errorf("calls = %+v, want one with limit 5", c)
		}
		if n := rec.endless.Load(); n != 5 {
			t.Errorf("plugin streamed %d rows, want 5", n)
		}
	})
	t.Run("LIMIT applied by SQLite", func(t *testing.T) {
		db, rec := openTest(t)
		if got := queryRows(t, db, `select id from test_endless where id % 2 = 0 limit 3`); len(got) != 3 {
			t.Errorf("rows = %v", got)
		}
		waitCanceled(t, rec)
	})
	t.Run("context of the query canceled", func(t *testing.T) {
		db, rec := openTest(t)
		ctx, cancel := context.WithCancel(context.Background())
		rows, err := db.QueryContext(ctx, `select id from test_endless`)
		if err != nil {
			t.Fatal(err)
		}
		rows.Next()
		cancel()
		for rows.Next() {
		}
		rows.Close()
		waitCanceled(t, rec)
	})
}

func waitCanceled(t *testing.T, rec *recorder) {
	t.Helper()
	select {
	case <-rec.canceled:
	case <-time.After(5 * time.Second):
		t.Fatal("the plugin's scan was not canceled")
	}
}

func TestConcurrentQueries(t *testing.T) {
	db, _ := openTest(t)
	queries := map[string]string{
		`select count(*) from test_item`:                                       "10",
		`select group_concat(id order by id) from test_item where kind = 'a'`:  "3,6,9",
		`select sum(n) from test_item where n > 50`:                            "400",
		`select count(*) from test_item i join test_tag t on t.item_id = i.id`: "20",
		`select json_extract(data, '$.nested.k') from test_item where id = 5`:  "v5",
	}
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 3; i++ {
				for q, want := range queries {
					var got string
					if err := db.QueryRow(q).Scan(&got); err != nil {
						errs <- fmt.Errorf("%s: %w", q, err)
						return
					}
					if got != want {
						errs <- fmt.Errorf("%s = %s, want %s", q, got, want)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestCloseEndsScans(t *testing.T) {
	rec := &recorder{canceled: make(chan struct{})}
	host := startTestPlugin(t, rec)
	db, err := Open(host, "test")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(`select id from test_endless`)
	if err != nil {
		t.Fatal(err)
	}
	rows.Next()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	waitCanceled(t, rec)
	// The scan cut short by Close ends the query with an error, not
	// with a silently short result.
	for rows.Next() {
	}
	if err := rows.Err(); err == nil || !strings.Contains(err.Error(), "cancel") {
		t.Errorf("rows.Err after Close = %v, want the cancellation", err)
	}
	rows.Close()
	if n := activeScans.Load(); n != 0 {
		t.Errorf("%d scans running after Close", n)
	}
}

func TestFloatTextMatchesSQLite(t *testing.T) {
	db, _ := openTest(t)
	// SQLite's own digit generation can differ in the 17th digit (1.0/3):
	// those values are left out.
	for _, f := range []float64{1, 1.5, 0.1, -2.25, 1e20, 123456789.125, 1e-7, 0.1 + 0.2, math.MaxFloat64, -1e300} {
		var want string
		if err := db.QueryRow(`select cast(? as text)`, f).Scan(&want); err != nil {
			t.Fatal(err)
		}
		if got := floatText(f); got != want {
			t.Errorf("floatText(%v) = %q, SQLite says %q", f, got, want)
		}
	}
}

func TestCompare(t *testing.T) {
	tests := []struct {
		a, b any
		want int
	}{
		{int64(1), int64(2), -1},
		{int64(2), 1.5, 1},
		{int64(1), 1.0, 0},
		{int64(math.MaxInt64), 9.3e18, -1},
		{int64(math.MaxInt64), float64(1 << 62), 1},
		{1.5, int64(1), 1},
		{int64(5), "5", -1},
		{"b", "a", 1},
		{"a", []byte("a"), -1},
		{time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), 1},
		{time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), "2024-01-02T00:00:00.000Z", 0},
	}
	for _, tt := range tests {
		if got := compare(tt.a, tt.b); got != tt.want {
			t.Errorf("compare(%v, %v) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestMidStreamError(t *testing.T) {
	db, _ := openTest(t)
	// The SDK is known to drop, rarely, an error raised after rows have
	// streamed (see the SDK notes): one miss in five is tolerated.
	misses := 0
	for i := 0; i < 5; i++ {
		n, err := queryAll(db, `select * from test_fail where x > 0`)
		switch {
		case err != nil && strings.Contains(err.Error(), "exploded after 3 rows"):
		case err == nil:
			misses++
			t.Logf("run %d: %d rows and no error (dropped by the SDK)", i, n)
		default:
			t.Errorf("run %d: err = %v", i, err)
		}
	}
	if misses > 1 {
		t.Errorf("%d of 5 runs lost the error", misses)
	}
}

func TestCache(t *testing.T) {
	db, rec := openTest(t, WithCache(true))
	// A scan cut short is not cached as if complete.
	rows, err := db.Query(`select id from test_item where kind = 'b'`)
	if err != nil {
		t.Fatal(err)
	}
	rows.Next()
	rows.Close()
	for i := 0; i < 3; i++ {
		if got := queryRows(t, db, `select id from test_item where kind = 'b'`); !slices.Equal(sorted(got), sorted([]string{"1", "4", "7", "10"})) {
			t.Errorf("run %d: rows = %v", i, got)
		}
	}
	if calls := rec.take("test_item"); len(calls) > 2 {
		t.Errorf("%d List calls for 4 identical scans with the cache on, want at most 2", len(calls))
	}
	// Nor is an endless scan canceled after a few rows.
	rows, err = db.Query(`select id from test_endless`)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3 && rows.Next(); i++ {
	}
	rows.Close()
	waitCanceled(t, rec)
	for _, limit := range []int{7, 20} {
		if got := queryRows(t, db, fmt.Sprintf(`select id from test_endless limit %d`, limit)); len(got) != limit {
			t.Errorf("limit %d after a canceled scan: %d rows", limit, len(got))
		}
	}

	// The inner side of a join without pushdown is scanned once.
	got := queryRows(t, db, `select count(*) from test_item a join test_item b on b.name = a.name`)
	if !slices.Equal(got, []string{"10"}) {
		t.Errorf("self join = %v", got)
	}
	if calls := rec.take("test_item"); len(calls) > 2 {
		t.Errorf("%d List calls for a self join with the cache on, want at most 2", len(calls))
	}
}
