//go:build sqlite_vtable

package docs_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

// The checks of docs/tables/journeybee_partnership.md, computed from the
// fake's dataset without the plugin.

func init() {
	for heading, check := range map[string]checkFunc{
		"Newest partnerships":                   checkNewestPartnerships,
		"Partnerships of the last 90 days":      checkPartnershipsOfTheLast90Days,
		"Partners per tier":                     checkPartnersPerTier,
		"Reseller partners by country":          checkResellerPartnersByCountry,
		"Partners nobody looks after":           checkPartnersNobodyLooksAfter,
		"Partner leaderboard by won deal value": checkPartnerLeaderboard,
	} {
		registerCheck(heading, check)
	}
}

func checkNewestPartnerships(t *testing.T, a *account, rows []row) {
	ps := slices.Clone(a.srv.Partnerships())
	slices.SortStableFunc(ps, func(x, y journeybeetest.Partnership) int {
		return y.Partnership.CreatedAt.Compare(x.Partnership.CreatedAt)
	})
	var want []int64
	for _, p := range ps[:5] {
		want = append(want, p.Partnership.ID)
	}
	assertInts(t, rows, "partnership_id", want)
}

func checkPartnershipsOfTheLast90Days(t *testing.T, a *account, rows []row) {
	ps := slices.Clone(a.srv.Partnerships())
	slices.SortStableFunc(ps, func(x, y journeybeetest.Partnership) int {
		return y.Partnership.CreatedAt.Compare(x.Partnership.CreatedAt)
	})
	cutoff := time.Now().Add(-90 * 24 * time.Hour)
	var want []int64
	at := map[int64]time.Time{}
	for _, p := range ps {
		at[p.Partnership.ID] = p.Partnership.CreatedAt
		if p.Partnership.CreatedAt.After(cutoff.Add(time.Minute)) {
			want = append(want, p.Partnership.ID)
		}
	}
	assertWindowRows(t, rows, "partnership_id", want, at)
}

func checkPartnersPerTier(t *testing.T, a *account, rows []row) {
	want := map[string]int64{}
	for _, p := range a.srv.Partnerships() {
		tier := "none"
		if p.Tier != nil {
			tier = journeybeetest.Deref(p.Tier.Label)
		}
		want[tier]++
	}
	if want["none"] == 0 {
		t.Fatal("every partner has a tier: the example's coalesce is not exercised")
	}
	assertCounts(t, rows, "tier_name", "partners", want)
	assertSortedDesc(t, rows, "partners")
}

func checkResellerPartnersByCountry(t *testing.T, a *account, rows []row) {
	want := map[string]int64{}
	for _, p := range a.srv.Partnerships() {
		if journeybeetest.Deref(p.Partnership.PartnerType) == "reseller" {
			want[journeybeetest.Deref(journeybeetest.Deref(journeybeetest.Deref(p.Partner).Address).CountryLabel)]++
		}
	}
	assertCounts(t, rows, "partner_country", "partners", want)
}

func checkPartnersNobodyLooksAfter(t *testing.T, a *account, rows []row) {
	var want []int64
	for _, p := range a.srv.Partnerships() {
		if len(p.AssignedUsers) == 0 {
			want = append(want, p.Partnership.ID)
		}
	}
	assertIntSet(t, rows, "partnership_id", want)
}

func checkPartnerLeaderboard(t *testing.T, a *account, rows []row) {
	partners := partnerNames(a)
	type key struct{ partner, currency string }
	won := map[key]float64{}
	count := map[key]int64{}
	for _, d := range dealsWhere(a, func(d *journeybeetest.LeadDeal) bool { return journeybeetest.Deref(d.StagePhase) == "closed_won" }) {
		name, ok := partners[journeybeetest.Deref(d.PartnershipID)]
		if !ok {
			continue
		}
		k := key{name, journeybeetest.Deref(d.CurrencyCode)}
		won[k] += journeybeetest.Deref(d.DealValue)
		count[k]++
	}
	if len(rows) != len(won) || len(won) < 2 {
		t.Fatalf("%d leaderboard rows, want %d (at least 2)", len(rows), len(won))
	}
	for i, r := range rows {
		k := key{r["partner_name"].(string), r["currency_code"].(string)}
		if r["won_deals"] != count[k] || math.Abs(toFloat(r["won_value"])-won[k]) > 0.001 {
			t.Fatalf("%v: %v deals worth %v, want %d worth %v", k, r["won_deals"], r["won_value"], count[k], won[k])
		}
		if i > 0 && toFloat(r["won_value"]) > toFloat(rows[i-1]["won_value"]) {
			t.Fatal("the leaderboard is not ordered by won value")
		}
	}
}
