//go:build sqlite_vtable

package docs_test

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/plugintest"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

// The checks of docs/tables/journeybee_lead_deal.md, computed from the
// fake's dataset without the plugin.

func init() {
	// The filter-only columns of the deal and partnership tables (partner
	// users have none); the lead table shares their names.
	for _, name := range []string{"view", "search", "tag_id", "assigned_user_id", "custom_fields_filter"} {
		if !slices.Contains(filterOnlyColumnNames, name) {
			filterOnlyColumnNames = append(filterOnlyColumnNames, name)
		}
	}

	for heading, check := range map[string]checkFunc{
		"Latest deals":                     checkLatestDeals,
		"Deals opened in the last 30 days": checkDealsOpenedInTheLast30Days,
		"Deals by stage phase":             checkDealsByStagePhase,
		"Biggest deals in negotiation":     checkBiggestDealsInNegotiation,
		"Open deals without an owner":      checkOpenDealsWithoutAnOwner,
		"Commission on won deals":          checkCommissionOnWonDeals,
		"From lead to deal to partner":     checkFromLeadToDealToPartner,
		"A deal with its custom fields":    checkADealWithItsCustomFields,
	} {
		registerCheck(heading, check)
	}
}

func checkDealsOpenedInTheLast30Days(t *testing.T, a *account, rows []row) {
	deals := slices.Clone(a.srv.Deals())
	slices.SortStableFunc(deals, func(x, y journeybeetest.LeadDeal) int { return y.CreatedAt.Compare(x.CreatedAt) })
	cutoff := time.Now().Add(-30 * 24 * time.Hour)
	var want []int64
	at := map[int64]time.Time{}
	for _, d := range deals {
		at[d.ID] = d.CreatedAt
		if d.CreatedAt.After(cutoff.Add(time.Minute)) {
			want = append(want, d.ID)
		}
	}
	assertWindowRows(t, rows, "id", want, at)
}

func checkLatestDeals(t *testing.T, a *account, rows []row) {
	deals := slices.Clone(a.srv.Deals())
	slices.SortStableFunc(deals, func(x, y journeybeetest.LeadDeal) int { return y.CreatedAt.Compare(x.CreatedAt) })
	byID := map[int64]journeybeetest.LeadDeal{}
	for _, d := range deals {
		byID[d.ID] = d
	}
	if len(rows) != 10 {
		t.Fatalf("%d rows, want 10", len(rows))
	}
	// Deals sharing a created_at may come in either order.
	for i, r := range rows {
		d, ok := byID[r["id"].(int64)]
		if !ok || !d.CreatedAt.Equal(deals[i].CreatedAt) {
			t.Fatalf("row %d is deal %v, want one created at %s (deal %d)", i, r["id"], deals[i].CreatedAt, deals[i].ID)
		}
		if !sameFloat(r["deal_value"], d.DealValue) || r["stage_phase"] != nullable(d.StagePhase) {
			t.Fatalf("deal %d: value %v phase %v, want %v %v", d.ID, r["deal_value"], r["stage_phase"], journeybeetest.Deref(d.DealValue), journeybeetest.Deref(d.StagePhase))
		}
	}
}

func checkDealsByStagePhase(t *testing.T, a *account, rows []row) {
	type group struct {
		deals int64
		value float64
		null  bool
	}
	want := map[string]*group{}
	for _, d := range a.srv.Deals() {
		k := fmt.Sprint(nullable(d.StagePhase), "|", nullable(d.CurrencyCode))
		g := want[k]
		if g == nil {
			g = &group{null: true}
			want[k] = g
		}
		g.deals++
		if d.DealValue != nil {
			g.value += *d.DealValue
			g.null = false
		}
	}
	if len(want) < 8 {
		t.Fatalf("the dataset has %d phase and currency groups: the example shows little", len(want))
	}
	if len(rows) != len(want) {
		t.Fatalf("%d groups, want %d", len(rows), len(want))
	}
	for _, r := range rows {
		g := want[fmt.Sprint(r["stage_phase"], "|", r["currency_code"])]
		if g == nil || r["deals"] != g.deals || (g.null && r["total_value"] != nil) || (!g.null && math.Abs(toFloat(r["total_value"])-g.value) > 0.001) {
			t.Fatalf("group %v/%v: %v deals worth %v, want %+v", r["stage_phase"], r["currency_code"], r["deals"], r["total_value"], g)
		}
	}
}

func checkBiggestDealsInNegotiation(t *testing.T, a *account, rows []row) {
	deals := dealsWhere(a, func(d *journeybeetest.LeadDeal) bool { return journeybeetest.Deref(d.StagePhase) == "negotiation" })
	slices.SortStableFunc(deals, func(x, y journeybeetest.LeadDeal) int {
		return cmp.Compare(journeybeetest.Deref(y.DealValue), journeybeetest.Deref(x.DealValue))
	})
	assertValuesOrder(t, rows, "deal_value", dealValues(deals[:5]))
}

func checkOpenDealsWithoutAnOwner(t *testing.T, a *account, rows []row) {
	deals := dealsWhere(a, func(d *journeybeetest.LeadDeal) bool {
		return len(d.AssignedUsers) == 0 && slices.Contains([]string{"discovery", "negotiation"}, journeybeetest.Deref(d.StagePhase))
	})
	assertIDSet(t, rows, plugintest.IDs(deals, dealID, nil))
}

func checkCommissionOnWonDeals(t *testing.T, a *account, rows []row) {
	count, commission := map[string]int64{}, map[string]float64{}
	for _, d := range dealsWhere(a, func(d *journeybeetest.LeadDeal) bool { return journeybeetest.Deref(d.StagePhase) == "closed_won" }) {
		count[journeybeetest.Deref(d.CurrencyCode)]++
		commission[journeybeetest.Deref(d.CurrencyCode)] += journeybeetest.Deref(d.CommissionAmount)
	}
	assertCounts(t, rows, "currency_code", "won_deals", count)
	for _, r := range rows {
		if c := r["currency_code"].(string); math.Abs(toFloat(r["commission"])-commission[c]) > 0.001 {
			t.Fatalf("%s commission %v, want %v", c, r["commission"], commission[c])
		}
	}
}

func checkFromLeadToDealToPartner(t *testing.T, a *account, rows []row) {
	leads := map[int64]bool{}
	for _, l := range a.leads {
		leads[l.ID] = true
	}
	partners := partnerNames(a)
	won := dealsWhere(a, func(d *journeybeetest.LeadDeal) bool {
		return journeybeetest.Deref(d.StagePhase) == "closed_won" && leads[d.LeadID]
	})
	assertInts(t, rows, "id", plugintest.IDs(won, dealID, nil))
	withPartner := 0
	for i, r := range rows {
		want, ok := partners[journeybeetest.Deref(won[indexOfDeal(won, columnInts(rows, "id")[i])].PartnershipID)]
		if ok {
			withPartner++
		}
		if ok && r["partner"] != want || !ok && r["partner"] != nil {
			t.Fatalf("deal %v partner %v, want %q", r["id"], r["partner"], want)
		}
		if r["lead"] == nil {
			t.Fatalf("deal %v has no lead title", r["id"])
		}
	}
	if withPartner == 0 {
		t.Fatal("no won deal came through a partnership: the join proves nothing")
	}
}

func checkADealWithItsCustomFields(t *testing.T, a *account, rows []row) {
	if len(rows) != 1 || rows[0]["id"] != int64(3001) {
		t.Fatalf("rows %v, want deal 3001", rows)
	}
	if cf, _ := rows[0]["custom_fields"].(string); len(cf) < 3 || cf[0] != '[' {
		t.Fatalf("custom_fields = %v, want the deal's values", rows[0]["custom_fields"])
	}
}

// --- helpers the deal, partnership and partner user checks share ---

func dealsWhere(a *account, keep func(*journeybeetest.LeadDeal) bool) []journeybeetest.LeadDeal {
	var out []journeybeetest.LeadDeal
	for _, d := range a.srv.Deals() {
		if keep(&d) {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		panic("the dataset has no deal for this example")
	}
	return out
}

func dealID(d *journeybeetest.LeadDeal) int64 { return d.ID }

func dealValues(deals []journeybeetest.LeadDeal) []float64 {
	out := make([]float64, len(deals))
	for i, d := range deals {
		out[i] = journeybeetest.Deref(d.DealValue)
	}
	return out
}

func indexOfDeal(deals []journeybeetest.LeadDeal, id int64) int {
	return slices.IndexFunc(deals, func(d journeybeetest.LeadDeal) bool { return d.ID == id })
}

// partnerNames maps partnership.id to the partner's name.
func partnerNames(a *account) map[int64]string {
	out := map[int64]string{}
	for _, p := range a.srv.Partnerships() {
		out[p.Partnership.ID] = journeybeetest.Deref(journeybeetest.Deref(p.Partner).Name)
	}
	return out
}

// contactEmails are the emails of a partnership's partner users, sorted as
// the example orders them (last name, first name).
func contactEmails(a *account, partnershipID int64) []string {
	var partnerID int64
	for _, p := range a.srv.Partnerships() {
		if p.Partnership.ID == partnershipID && p.Partner != nil {
			partnerID = p.Partner.ID
		}
	}
	var users []journeybeetest.PartnerUser
	for _, u := range a.config.PartnerUsers {
		if journeybeetest.Deref(u.CompanyID) == partnerID {
			users = append(users, u)
		}
	}
	slices.SortStableFunc(users, func(x, y journeybeetest.PartnerUser) int {
		return cmp.Or(cmp.Compare(journeybeetest.Deref(x.LastName), journeybeetest.Deref(y.LastName)), cmp.Compare(journeybeetest.Deref(x.FirstName), journeybeetest.Deref(y.FirstName)))
	})
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = journeybeetest.Deref(u.Email)
	}
	return out
}

func sameFloat(got any, want *float64) bool {
	if want == nil {
		return got == nil
	}
	return got != nil && math.Abs(toFloat(got)-*want) < 0.001
}

func assertInts(t *testing.T, rows []row, col string, want []int64) {
	t.Helper()
	if got := columnInts(rows, col); len(want) == 0 || !slices.Equal(got, want) {
		t.Fatalf("%s %v, want %v", col, got, want)
	}
}

func assertIntSet(t *testing.T, rows []row, col string, want []int64) {
	t.Helper()
	got := sortedCopy(columnInts(rows, col))
	if len(want) == 0 || !slices.Equal(got, sortedCopy(want)) {
		t.Fatalf("%s %v, want %v", col, got, sortedCopy(want))
	}
}

func assertStrings(t *testing.T, rows []row, col string, want []string) {
	t.Helper()
	got := make([]string, len(rows))
	for i, r := range rows {
		got[i], _ = r[col].(string)
	}
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Fatalf("%s %v, want %v", col, got, want)
	}
}

func assertValuesOrder(t *testing.T, rows []row, col string, want []float64) {
	t.Helper()
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for i, r := range rows {
		if math.Abs(toFloat(r[col])-want[i]) > 0.001 {
			t.Fatalf("row %d %s = %v, want %v", i, col, r[col], want[i])
		}
	}
}

// nullable is a field as the SQL row holds it: nil for a null.
func nullable[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
