//go:build sqlite_vtable

package docs_test

import (
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

func init() {
	registerCheck("Options of the lead select fields", func(t *testing.T, a *account, rows []row) {
		var want [][]any
		for _, f := range sortedBy(a.config.CustomFields, func(f journeybeetest.CustomField) any { return f.Label }) {
			if typ := journeybeetest.Deref(f.Type); journeybeetest.Deref(f.Category) != "lead" || (typ != "select" && typ != "multi_select") {
				continue
			}
			for _, o := range sortedBy(f.Options, func(o journeybeetest.CustomFieldOption) any { return o.ID }) {
				want = append(want, []any{f.Label, o.ID, o.Label})
			}
		}
		assertRows(t, rows, []string{"field", "option_id", "option"}, want)
	})
	registerCheck("Custom fields shared with partners", func(t *testing.T, a *account, rows []row) {
		var want [][]any
		for _, f := range sortedBy(a.config.CustomFields, func(f journeybeetest.CustomField) any { return f.Category }, func(f journeybeetest.CustomField) any { return f.Label }) {
			if journeybeetest.Deref(f.Shared) {
				want = append(want, []any{f.Category, f.Label, f.Type, f.Required})
			}
		}
		assertRows(t, rows, []string{"category", "label", "type", "required"}, want)
	})
}
