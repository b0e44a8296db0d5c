//go:build sqlite_vtable

package docs_test

import (
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

func init() {
	byTypeThen := func(key func(journeybeetest.PartnerStage) any) []func(journeybeetest.PartnerStage) any {
		return []func(journeybeetest.PartnerStage) any{func(s journeybeetest.PartnerStage) any { return s.PartnerType }, key,
			func(s journeybeetest.PartnerStage) any { return s.ID }}
	}
	registerCheck("Partner lifecycle per partner type", func(t *testing.T, a *account, rows []row) {
		var want [][]any
		for _, s := range sortedBy(a.config.PartnerStages, byTypeThen(func(s journeybeetest.PartnerStage) any { return s.Series })...) {
			want = append(want, []any{s.PartnerType, s.Series, s.Label, s.Phase})
		}
		assertRows(t, rows, []string{"partner_type", "series", "label", "phase"}, want)
	})
	registerCheck("Stages that count as active partnerships", func(t *testing.T, a *account, rows []row) {
		var want [][]any
		for _, s := range sortedBy(a.config.PartnerStages, byTypeThen(func(s journeybeetest.PartnerStage) any { return s.ID })...) {
			if journeybeetest.Deref(s.Phase) == "active" {
				want = append(want, []any{s.ID, s.PartnerType, s.Label})
			}
		}
		assertRows(t, rows, []string{"id", "partner_type", "label"}, want)
	})
}
