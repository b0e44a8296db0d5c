package plugintest

import (
	"slices"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
)

// RowIDs returns the rows' column values, ids, sorted: the rows as a set to
// compare with what a dataset says they must be.
func RowIDs(rows []pluginhost.Row, column string) []int64 {
	out := make([]int64, 0, len(rows))
	for _, r := range rows {
		out = append(out, pluginhost.Value(r[column]).(int64))
	}
	slices.Sort(out)
	return out
}

// IDs returns the id of each item keep selects (nil: every item), sorted:
// what a query's RowIDs must be, computed from the dataset.
func IDs[T any](items []T, id func(*T) int64, keep func(*T) bool) []int64 {
	var out []int64
	for i := range items {
		if keep == nil || keep(&items[i]) {
			out = append(out, id(&items[i]))
		}
	}
	slices.Sort(out)
	return out
}
