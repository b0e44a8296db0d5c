//go:build sqlite_vtable

package docs_test

import (
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"slices"
	"testing"
)

// The checks of docs/tables/journeybee_partner_user.md, computed from the
// fake's dataset without the plugin.

func init() {
	for heading, check := range map[string]checkFunc{
		"Contacts of one partnership":         checkContactsOfOnePartnership,
		"Partner contacts with their partner": checkPartnerContactsWithTheirPartner,
		"Partner contacts per country":        checkPartnerContactsPerCountry,
	} {
		registerCheck(heading, check)
	}
}

func checkContactsOfOnePartnership(t *testing.T, a *account, rows []row) {
	want := contactEmails(a, 901)
	assertStrings(t, rows, "email", want)
}

func checkPartnerContactsWithTheirPartner(t *testing.T, a *account, rows []row) {
	var want []string
	for _, p := range a.srv.Partnerships() {
		want = append(want, contactEmails(a, p.Partnership.ID)...)
	}
	slices.Sort(want)
	got := make([]string, 0, len(rows))
	names := map[string]bool{}
	for _, r := range rows {
		got = append(got, r["email"].(string))
		names[r["partner_name"].(string)] = true
	}
	slices.Sort(got)
	if !slices.Equal(got, want) || len(names) != len(a.srv.Partnerships()) {
		t.Fatalf("%d contacts of %d partners, want %d of %d", len(got), len(names), len(want), len(a.srv.Partnerships()))
	}
}

func checkPartnerContactsPerCountry(t *testing.T, a *account, rows []row) {
	want := map[string]int64{}
	for _, p := range a.srv.Partnerships() {
		for _, u := range a.config.PartnerUsers {
			if p.Partner != nil && journeybeetest.Deref(u.CompanyID) == p.Partner.ID {
				want[journeybeetest.Deref(u.CountryLabel)]++
			}
		}
	}
	assertCounts(t, rows, "country_label", "contacts", want)
	assertSortedDesc(t, rows, "contacts")
}
