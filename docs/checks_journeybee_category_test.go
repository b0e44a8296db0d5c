//go:build sqlite_vtable

package docs_test

import (
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

func init() {
	registerCheck("Partner categories", func(t *testing.T, a *account, rows []row) {
		var want [][]any
		for _, c := range sortedBy(a.config.Categories, func(c journeybeetest.Category) any { return c.Label }) {
			want = append(want, []any{c.ID, c.Label, c.PartnerType, c.CreatedAt})
		}
		assertRows(t, rows, []string{"id", "label", "partner_type", "created_at"}, want)
	})
	registerCheck("Most recently changed categories", func(t *testing.T, a *account, rows []row) {
		var dated []journeybeetest.Category
		for _, c := range a.config.Categories {
			if c.UpdatedAt != nil {
				dated = append(dated, c)
			}
		}
		newest := sortedBy(dated, func(c journeybeetest.Category) any { return -c.UpdatedAt.UnixNano() }, func(c journeybeetest.Category) any { return c.ID })
		var want [][]any
		for _, c := range newest[:min(2, len(newest))] {
			want = append(want, []any{c.ID, c.Label, c.UpdatedAt})
		}
		assertRows(t, rows, []string{"id", "label", "updated_at"}, want)
	})
}
