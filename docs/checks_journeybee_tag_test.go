//go:build sqlite_vtable

package docs_test

import (
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

func init() {
	registerCheck("Lead tags with their lead counts", func(t *testing.T, a *account, rows []row) {
		leads := map[int64]int64{}
		for _, l := range a.leads {
			for _, tag := range l.Tags {
				leads[tag.ID]++
			}
		}
		var used []journeybeetest.TagDefinition
		for _, d := range a.config.TagDefinitions {
			if journeybeetest.Deref(d.Association) == "lead" && leads[d.ID] > 0 {
				used = append(used, d)
			}
		}
		var want [][]any
		for _, d := range sortedBy(used, func(d journeybeetest.TagDefinition) any { return -leads[d.ID] }, func(d journeybeetest.TagDefinition) any { return d.ID }) {
			want = append(want, []any{d.ID, d.Label, leads[d.ID]})
		}
		assertRows(t, rows, []string{"id", "label", "leads"}, want)
	})
	registerCheck("Tags for deals and partners", func(t *testing.T, a *account, rows []row) {
		var want [][]any
		for _, d := range sortedBy(a.config.TagDefinitions, func(d journeybeetest.TagDefinition) any { return d.Association }, func(d journeybeetest.TagDefinition) any { return d.ID }) {
			if as := journeybeetest.Deref(d.Association); as == "lead_deal" || as == "partner" {
				want = append(want, []any{d.ID, d.Label, d.Association, d.PartnerType, d.BackgroundColor})
			}
		}
		assertRows(t, rows, []string{"id", "label", "association", "partner_type", "background_color"}, want)
	})
}
