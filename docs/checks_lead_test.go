//go:build sqlite_vtable

package docs_test

import (
	"math"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

// --- checks: what each example must return for the dataset ---

func init() {
	for heading, check := range leadChecks {
		registerCheck(heading, func(t *testing.T, a *account, rows []row) { check(t, a.leads, rows) })
	}
}

// leadCheckFunc checks an example that reads only journeybee_lead.
type leadCheckFunc func(t *testing.T, leads []journeybeetest.Lead, rows []row)

var leadChecks = map[string]leadCheckFunc{
	// docs/index.md and README.md
	"JourneyBee + Steampipe": func(t *testing.T, leads []journeybeetest.Lead, rows []row) {
		want := idsOf(leads, func(l *journeybeetest.Lead) bool {
			return inStatus(l, "new", "contacted") && hasDirection(l, "received")
		})
		assertIDSet(t, rows, want)
	},
	"steampipe-plugin-journeybee": func(t *testing.T, leads []journeybeetest.Lead, rows []row) {
		want := map[string]int64{}
		for i := range leads {
			if hasDirection(&leads[i], "received") {
				want[leads[i].Status]++
			}
		}
		assertCounts(t, rows, "status", "leads", want)
	},
	// docs/tables/journeybee_lead.md
	"Latest leads": func(t *testing.T, leads []journeybeetest.Lead, rows []row) {
		sorted := newestFirst(leads)
		assertIDOrder(t, rows, firstWithTies(sorted, 10, columnInts(rows, "id")))
		for i, r := range rows {
			if r["assignees"] != int64(len(sorted[i].AssignedUsers)) {
				t.Fatalf("lead %d assignees = %v, want %d", sorted[i].ID, r["assignees"], len(sorted[i].AssignedUsers))
			}
		}
	},
	"New leads this week": func(t *testing.T, leads []journeybeetest.Lead, rows []row) {
		cutoff := time.Now().Add(-7 * 24 * time.Hour)
		var want []int64
		at := map[int64]time.Time{}
		for _, l := range newestFirst(leads) {
			at[l.ID] = l.CreatedAt
			if l.CreatedAt.After(cutoff.Add(time.Minute)) {
				want = append(want, l.ID)
			}
		}
		assertWindowRows(t, rows, "id", want, at)
	},
	"Leads per status": func(t *testing.T, leads []journeybeetest.Lead, rows []row) {
		want := map[string]int64{}
		for _, l := range leads {
			want[l.Status]++
		}
		if len(want) != 5 {
			t.Fatalf("the dataset has %d statuses, want all 5", len(want))
		}
		assertCounts(t, rows, "status", "leads", want)
		assertSortedDesc(t, rows, "leads")
	},
	"Received referrals that still need work": func(t *testing.T, leads []journeybeetest.Lead, rows []row) {
		assertIDOrder(t, rows, (filter(newestFirst(leads), func(l *journeybeetest.Lead) bool {
			return inStatus(l, "new", "contacted") && hasDirection(l, "received")
		})))
	},
	"Unassigned leads by age": func(t *testing.T, leads []journeybeetest.Lead, rows []row) {
		want := filter(leads, func(l *journeybeetest.Lead) bool {
			return len(l.AssignedUsers) == 0 && inStatus(l, "new", "contacted", "qualified")
		})
		slices.SortFunc(want, func(a, b journeybeetest.Lead) int { return a.CreatedAt.Compare(b.CreatedAt) })
		assertIDOrder(t, rows, (want))
		for i, r := range rows {
			days := int64(time.Since(want[i].CreatedAt).Hours() / 24)
			if got := r["age_days"].(int64); got < days-1 || got > days+1 {
				t.Fatalf("lead %d age_days = %d, want about %d", want[i].ID, got, days)
			}
		}
	},
	"Leads from a partner": func(t *testing.T, leads []journeybeetest.Lead, rows []row) {
		assertIDOrder(t, rows, (filter(newestFirst(leads), func(l *journeybeetest.Lead) bool {
			return hasDirection(l, "received") && slices.ContainsFunc(l.PartnershipLeads, func(p journeybeetest.PartnershipLead) bool {
				return p.Direction == "received" && journeybeetest.Deref(p.SentByCompanyName) == "Partner Corp"
			})
		})))
	},
	"Partner-sourced pipeline": func(t *testing.T, leads []journeybeetest.Lead, rows []row) {
		type key struct{ partner, currency string }
		count := map[key]int64{}
		sum := map[key]float64{}
		for _, l := range leads {
			if !hasDirection(&l, "received") {
				continue
			}
			for _, p := range l.PartnershipLeads {
				if p.Direction != "received" {
					continue
				}
				for _, d := range l.LeadDeals {
					if phase := journeybeetest.Deref(d.StagePhase); phase == "discovery" || phase == "negotiation" {
						k := key{journeybeetest.Deref(p.SentByCompanyName), journeybeetest.Deref(d.CurrencyCode)}
						count[k]++
						sum[k] += journeybeetest.Deref(d.DealValue)
					}
				}
			}
		}
		if len(rows) != len(count) || len(rows) == 0 {
			t.Fatalf("%d groups, want %d", len(rows), len(count))
		}
		for _, r := range rows {
			k := key{r["partner"].(string), r["currency"].(string)}
			if r["open_deals"] != count[k] || math.Abs(toFloat(r["pipeline"])-sum[k]) > 0.001 {
				t.Fatalf("%v: %v deals worth %v, want %d worth %v", k, r["open_deals"], r["pipeline"], count[k], sum[k])
			}
		}
	},
	"Leads with a given tag": func(t *testing.T, leads []journeybeetest.Lead, rows []row) {
		assertIDOrder(t, rows, (filter(newestFirst(leads), func(l *journeybeetest.Lead) bool { return hasTag(l, 10) })))
		for _, r := range rows {
			if r["tag_id"] != int64(10) {
				t.Fatalf("tag_id = %v", r["tag_id"])
			}
		}
	},
	"Search": func(t *testing.T, leads []journeybeetest.Lead, rows []row) {
		assertIDOrder(t, rows, (filter(newestFirst(leads), func(l *journeybeetest.Lead) bool { return journeybeetest.MatchesSearch(l, "northwind") })))
	},
	"A user's qualified leads": func(t *testing.T, leads []journeybeetest.Lead, rows []row) {
		assertIDOrder(t, rows, (filter(newestFirst(leads), func(l *journeybeetest.Lead) bool {
			return l.Status == "qualified" && slices.ContainsFunc(l.AssignedUsers, func(u journeybeetest.AssignedUser) bool { return u.ID == 456 })
		})))
	},
	"Workload per user": func(t *testing.T, leads []journeybeetest.Lead, rows []row) {
		want := map[string]int64{}
		for _, l := range leads {
			if inStatus(&l, "new", "contacted", "qualified") {
				for _, u := range l.AssignedUsers {
					want[journeybeetest.Deref(u.Email)]++
				}
			}
		}
		assertCounts(t, rows, "assignee", "open_leads", want)
		assertSortedDesc(t, rows, "open_leads")
	},
	"Conversion rate per partner": func(t *testing.T, leads []journeybeetest.Lead, rows []row) {
		referred, converted := map[string]int64{}, map[string]int64{}
		for _, l := range leads {
			if !hasDirection(&l, "received") {
				continue
			}
			for _, p := range l.PartnershipLeads {
				if p.Direction == "received" {
					referred[journeybeetest.Deref(p.SentByCompanyName)]++
					if l.Status == "converted" {
						converted[journeybeetest.Deref(p.SentByCompanyName)]++
					}
				}
			}
		}
		assertCounts(t, rows, "partner", "referred", referred)
		for _, r := range rows {
			p := r["partner"].(string)
			pct := math.Round(1000*float64(converted[p])/float64(referred[p])) / 10
			if r["converted"] != converted[p] || math.Abs(toFloat(r["conversion_pct"])-pct) > 0.051 {
				t.Fatalf("%s: converted %v (%v%%), want %d (%.1f%%)", p, r["converted"], r["conversion_pct"], converted[p], pct)
			}
		}
	},
	"Companies on both sides of the partnership": func(t *testing.T, leads []journeybeetest.Lead, rows []row) {
		received, sent := map[string]map[int64]bool{}, map[string]map[int64]bool{}
		for _, l := range leads {
			if l.CompanyName == nil {
				continue
			}
			for dir, m := range map[string]map[string]map[int64]bool{"received": received, "sent": sent} {
				if hasDirection(&l, dir) {
					if m[*l.CompanyName] == nil {
						m[*l.CompanyName] = map[int64]bool{}
					}
					m[*l.CompanyName][l.ID] = true
				}
			}
		}
		var want []string
		for c := range received {
			if sent[c] != nil {
				want = append(want, c)
			}
		}
		sort.Strings(want)
		if len(want) == 0 {
			t.Fatal("no company is on both sides in the dataset: the example proves nothing")
		}
		if len(rows) != len(want) {
			t.Fatalf("%d companies, want %d: %v", len(rows), len(want), want)
		}
		for i, r := range rows {
			c := want[i]
			if r["company_name"] != c || r["received_leads"] != int64(len(received[c])) || r["sent_leads"] != int64(len(sent[c])) {
				t.Fatalf("row %v, want %s with %d received and %d sent", r, c, len(received[c]), len(sent[c]))
			}
		}
	},
	"Leads matching a custom field": func(t *testing.T, leads []journeybeetest.Lead, rows []row) {
		var want []journeybeetest.Lead
		for i, l := range leads {
			if i%7 == 0 {
				want = append(want, l)
			}
		}
		assertIDOrder(t, rows, (newestFirst(want)))
	},
}

func init() {
	registerCheck("Leads in a date range", func(t *testing.T, a *account, rows []row) {
		from, to := time.Now().Add(-60*24*time.Hour), time.Now().Add(-30*24*time.Hour)
		want := map[string]int64{}
		for _, l := range a.leads {
			// A minute of slack at each end: the query's now() is not ours.
			if l.CreatedAt.After(from.Add(time.Minute)) && l.CreatedAt.Before(to.Add(-time.Minute)) {
				want[l.Status]++
			}
		}
		got := map[string]int64{}
		for _, r := range rows {
			got[r["status"].(string)] = r["leads"].(int64)
		}
		for status, n := range want {
			if got[status] < n || got[status] > n+1 {
				t.Fatalf("%s: %d leads, want %d", status, got[status], n)
			}
		}
		if len(want) == 0 {
			t.Fatal("no lead in the range: the example proves nothing")
		}
	})
}
