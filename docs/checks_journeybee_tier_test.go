//go:build sqlite_vtable

package docs_test

import (
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

func init() {
	registerCheck("Tiers per partner type", func(t *testing.T, a *account, rows []row) {
		var want [][]any
		for _, tier := range sortedBy(a.config.Tiers, func(x journeybeetest.Tier) any { return x.PartnerType }, func(x journeybeetest.Tier) any { return x.ID }) {
			want = append(want, []any{tier.PartnerType, tier.Label, tier.BackgroundColor, tier.TextColor})
		}
		assertRows(t, rows, []string{"partner_type", "label", "background_color", "text_color"}, want)
	})
	registerCheck("How many tiers each partner type has", func(t *testing.T, a *account, rows []row) {
		want := map[string]int64{}
		for _, tier := range a.config.Tiers {
			want[journeybeetest.Deref(tier.PartnerType)]++
		}
		assertCounts(t, rows, "partner_type", "tiers", want)
	})
}
