//go:build sqlite_vtable

package docs_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/sqlite"
)

// Helpers of the checks of the lookup, user and note tables.

// assertRows checks the rows are want, in order: each wanted row gives the
// columns' values in the order of columns. Values compare as SQLite shows
// them: whole numbers as int64, timestamps as RFC 3339 text, nil as NULL.
func assertRows(t *testing.T, rows []row, columns []string, want [][]any) {
	t.Helper()
	if len(want) == 0 {
		t.Fatal("the dataset gives this example no rows: it proves nothing")
	}
	show := func(r []any) string { return fmt.Sprint(r) }
	got := make([]string, len(rows))
	for i, r := range rows {
		values := make([]any, len(columns))
		for j, c := range columns {
			values[j] = sqliteValue(r[c])
		}
		got[i] = show(values)
	}
	wanted := make([]string, len(want))
	for i, w := range want {
		values := make([]any, len(w))
		for j, v := range w {
			values[j] = sqliteValue(v)
		}
		wanted[i] = show(values)
	}
	if !slices.Equal(got, wanted) {
		t.Fatalf("rows (%s):\n%s\nwant:\n%s", strings.Join(columns, ", "), strings.Join(got, "\n"), strings.Join(wanted, "\n"))
	}
}

// sqliteValue is v as a SQLite row shows it.
func sqliteValue(v any) any {
	switch x := v.(type) {
	case int:
		return int64(x)
	case bool:
		if x {
			return int64(1)
		}
		return int64(0)
	case float64:
		if x == float64(int64(x)) {
			return int64(x)
		}
	case time.Time:
		return sqlite.TimeText(x)
	case *string:
		if x == nil {
			return nil
		}
		return *x
	case *int64:
		if x == nil {
			return nil
		}
		return *x
	case *int:
		if x == nil {
			return nil
		}
		return int64(*x)
	case *bool:
		if x == nil {
			return nil
		}
		return sqliteValue(*x)
	case *time.Time:
		if x == nil {
			return nil
		}
		return sqliteValue(*x)
	}
	return v
}

// sortedBy sorts a copy of items by the keys' values in turn (ascending;
// nil first, as SQLite orders NULL).
func sortedBy[T any](items []T, keys ...func(T) any) []T {
	out := slices.Clone(items)
	slices.SortStableFunc(out, func(a, b T) int {
		for _, key := range keys {
			if c := compareSQLite(sqliteValue(key(a)), sqliteValue(key(b))); c != 0 {
				return c
			}
		}
		return 0
	})
	return out
}

func compareSQLite(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	switch x := a.(type) {
	case int64:
		return int(x - b.(int64))
	case string:
		return strings.Compare(x, b.(string))
	}
	panic(fmt.Sprintf("cannot order %T", a))
}

// assertWindowRows checks the rows of a created_at window, newest first:
// want's ids, items created at the same instant in either order (at gives
// an id's created_at), and at most one more (an item created in the minute
// of slack between the query's now and the check's cutoff).
func assertWindowRows(t *testing.T, rows []row, col string, want []int64, at map[int64]time.Time) {
	t.Helper()
	if len(want) == 0 {
		t.Fatal("the dataset has nothing inside the window: the example proves nothing")
	}
	got := columnInts(rows, col)
	ok := len(got) >= len(want) && len(got) <= len(want)+1
	if ok {
		head := slices.Clone(got[:len(want)])
		for i := range want {
			ok = ok && at[head[i]].Equal(at[want[i]])
		}
		slices.Sort(head)
		ok = ok && slices.Equal(head, slices.Sorted(slices.Values(want)))
	}
	if !ok {
		t.Fatalf("%s %v, want %v (newest first; ties in either order)", col, got, want)
	}
}
