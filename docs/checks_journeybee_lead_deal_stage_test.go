//go:build sqlite_vtable

package docs_test

import (
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

func init() {
	registerCheck("The deal pipeline in order", func(t *testing.T, a *account, rows []row) {
		var want [][]any
		for _, s := range sortedBy(a.config.DealStages, func(s journeybeetest.DealStage) any { return s.PartnerType },
			func(s journeybeetest.DealStage) any { return s.Series }, func(s journeybeetest.DealStage) any { return s.ID }) {
			want = append(want, []any{s.PartnerType, s.Series, s.Label, s.Phase})
		}
		assertRows(t, rows, []string{"partner_type", "series", "label", "phase"}, want)
	})
	registerCheck("Lead deals per pipeline phase, from the leads", func(t *testing.T, a *account, rows []row) {
		phaseOf := map[int64]string{}
		for _, s := range a.config.DealStages {
			phaseOf[s.ID] = journeybeetest.Deref(s.Phase)
		}
		deals, value := map[string]int64{}, map[string]float64{}
		for _, l := range a.leads {
			for _, d := range l.LeadDeals {
				if phase, ok := phaseOf[journeybeetest.Deref(d.StageID)]; ok && d.StageID != nil {
					deals[phase]++
					value[phase] += journeybeetest.Deref(d.DealValue)
				}
			}
		}
		var phases []string
		for p := range deals {
			phases = append(phases, p)
		}
		var want [][]any
		for _, p := range sortedBy(phases, func(p string) any { return p }) {
			want = append(want, []any{p, deals[p], value[p]})
		}
		assertRows(t, rows, []string{"phase", "deals", "deal_value"}, want)
	})
}
