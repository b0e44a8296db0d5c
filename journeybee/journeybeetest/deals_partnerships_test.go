package journeybeetest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestDealFilters runs each documented deal filter over a generated
// account and compares with filtering the deals directly.
func TestDealFilters(t *testing.T) {
	s := start(t, Config{PageSize: 1000, Leads: GenerateAccount(300, 3).Leads, Deals: GenerateAccount(300, 3).Deals})
	leadByID := map[int64]*Lead{}
	leads := s.Leads()
	for i := range leads {
		leadByID[leads[i].ID] = &leads[i]
	}
	hasDirection := func(d *LeadDeal, dir string) bool {
		l := leadByID[d.LeadID]
		return slices.ContainsFunc(l.PartnershipLeads, func(p PartnershipLead) bool { return p.Direction == dir })
	}
	tests := []struct {
		query []string
		keep  func(d *LeadDeal) bool
	}{
		{nil, func(*LeadDeal) bool { return true }},
		{[]string{"view", "received"}, func(d *LeadDeal) bool { return hasDirection(d, "received") }},
		{[]string{"view", "sent"}, func(d *LeadDeal) bool { return hasDirection(d, "sent") }},
		{[]string{"view", "reseller"}, func(d *LeadDeal) bool { return Deref(d.PartnerType) == "reseller" }},
		{[]string{"view", "campaigns"}, func(d *LeadDeal) bool { return d.CampaignID != nil }},
		{[]string{"assigned", "1"}, func(d *LeadDeal) bool { return len(d.AssignedUsers) > 0 }},
		{[]string{"unassigned", "1"}, func(d *LeadDeal) bool { return len(d.AssignedUsers) == 0 }},
		{[]string{"stages", "1,4"}, func(d *LeadDeal) bool { return idIn(d.StageID, []int64{1, 4}) }},
		{[]string{"phases", "negotiation,closed_lost"}, func(d *LeadDeal) bool {
			return Deref(d.StagePhase) == "negotiation" || Deref(d.StagePhase) == "closed_lost"
		}},
		{[]string{"tags", "19"}, func(d *LeadDeal) bool { return anyTag(d.Tags, []int64{19}) }},
		{[]string{"search", "EXPANSION"}, func(d *LeadDeal) bool { return strings.Contains(*d.Label, "Expansion") }},
		{[]string{"search", "jane"}, func(d *LeadDeal) bool {
			return slices.ContainsFunc(d.AssignedUsers, func(u AssignedUser) bool { return *u.FirstName == "Jane" })
		}},
		{[]string{"search", "globex"}, func(d *LeadDeal) bool {
			l := leadByID[d.LeadID]
			return strings.Contains(strings.ToLower(Deref(l.CompanyName)+Deref(l.Email)), "globex") ||
				slices.ContainsFunc(d.AssociatedPartner, func(p AssociatedPartner) bool { return *p.CompanyName == "Globex Partners" })
		}},
		{[]string{"showPartnersStages", "1"}, func(*LeadDeal) bool { return true }},
		{[]string{"view", "received", "phases", "discovery"}, func(d *LeadDeal) bool {
			return hasDirection(d, "received") && Deref(d.StagePhase) == "discovery"
		}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.query, " "), func(t *testing.T) {
			var want []int64
			for _, d := range s.Deals() {
				if tt.keep(&d) {
					want = append(want, d.ID)
				}
			}
			if len(want) == 0 && tt.query != nil {
				t.Fatal("the filter selects nothing in the dataset: a weak test")
			}
			got := decodeOK[[]LeadDeal](t, s, "/api/v1/lead-deals", tt.query...)
			wantIDs(t, "deals", mapSlice(got, func(d LeadDeal) int64 { return d.ID }), want)
			for _, d := range got {
				if d.Total != len(want) {
					t.Fatalf("deal %d: total %d, want %d", d.ID, d.Total, len(want))
				}
			}
		})
	}
}

func TestPartnershipFilters(t *testing.T) {
	s := start(t, GenerateAccount(10, 1))
	all := s.Partnerships()
	tests := []struct {
		query []string
		keep  func(p *Partnership) bool
	}{
		{[]string{"view", "all"}, func(*Partnership) bool { return true }},
		{[]string{"view", "assigned"}, func(p *Partnership) bool { return anyUser(p.AssignedUsers, []int64{456}) }},
		{[]string{"view", "reseller"}, func(p *Partnership) bool { return *p.Partnership.PartnerType == "reseller" }},
		{[]string{"search", "northwind"}, func(p *Partnership) bool { return *p.Partner.Name == "Northwind Traders" }},
		{[]string{"search", "germany"}, func(p *Partnership) bool { return *p.Partner.Address.CountryLabel == "Germany" }},
		{[]string{"stages", "1,2,3"}, func(p *Partnership) bool { return *p.StageID <= 3 }},
		{[]string{"tags", "21"}, func(p *Partnership) bool { return anyTag(p.Tags, []int64{21}) }},
		{[]string{"categories", "1,3"}, func(p *Partnership) bool { return p.Category.ID == 1 || p.Category.ID == 3 }},
		{[]string{"tiers", "1"}, func(p *Partnership) bool { return p.Tier != nil && p.Tier.ID == 1 }},
		{[]string{"users", "457"}, func(p *Partnership) bool { return anyUser(p.AssignedUsers, []int64{457}) }},
		{[]string{"unassigned", "1"}, func(p *Partnership) bool { return len(p.AssignedUsers) == 0 }},
		{[]string{"customFields", `[{"id":12,"value":{"boolean":true}}]`}, func(p *Partnership) bool { return p.CustomFields[2].Value["boolean"] == true }},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.query, " "), func(t *testing.T) {
			var want []int64
			for _, p := range all {
				if tt.keep(&p) {
					want = append(want, p.ID)
				}
			}
			if len(want) == 0 || (len(want) == len(all) && tt.query[0] != "view") {
				t.Fatalf("the filter selects %d of %d: a weak test", len(want), len(all))
			}
			got := decodeOK[[]Partnership](t, s, "/api/v1/partnerships", tt.query...)
			wantIDs(t, "partnerships", mapSlice(got, func(p Partnership) int64 { return p.ID }), want)
		})
	}

	// Sorted by stage series, descending, ties newest first.
	got := decodeOK[[]Partnership](t, s, "/api/v1/partnerships", "sort", `[{"type":"stage","asc":false}]`)
	want := slices.Clone(all)
	slices.SortStableFunc(want, func(a, b Partnership) int { return *b.StageSeries - *a.StageSeries })
	wantIDs(t, "sorted by stage", mapSlice(got, func(p Partnership) int64 { return p.ID }), mapSlice(want, func(p Partnership) int64 { return p.ID }))
}

// TestAccountFilterErrors lists the 400s of the deal and partnership
// filters.
func TestAccountFilterErrors(t *testing.T) {
	s := start(t, GenerateAccount(10, 1))
	tests := []struct {
		path  string
		query []string
		want  string
	}{
		{"/api/v1/lead-deals", []string{"view", "all"}, "allowed values are received, sent, reseller, campaigns"},
		{"/api/v1/lead-deals", []string{"phases", "2"}, `invalid phase "2": allowed values are discovery, negotiation, closed_won, closed_lost`},
		{"/api/v1/lead-deals", []string{"stages", "one"}, "stage IDs"},
		{"/api/v1/lead-deals", []string{"showPartnersStages", "yes"}, "invalid showPartnersStages"},
		{"/api/v1/lead-deals", []string{"cursor", "yesterday"}, "invalid cursor"},
		{"/api/v1/partnerships", []string{"view", "received"}, "allowed values are all, assigned, referral, reseller"},
		{"/api/v1/partnerships", []string{"categories", "tech"}, "category IDs"},
		{"/api/v1/partnerships", []string{"tiers", "gold"}, "tier IDs"},
		{"/api/v1/partnerships", []string{"sort", `[{"type":"status"}]`}, `invalid sort type "status": allowed types are stage, category, tier`},
		{"/api/v1/partnerships", []string{"customFields", "x"}, "invalid customFields"},
	}
	for _, tt := range tests {
		t.Run(tt.path+" "+strings.Join(tt.query, "="), func(t *testing.T) {
			r := get(t, s, tt.path, leadsQuery(s, tt.query...))
			var e struct{ Error string }
			if err := json.Unmarshal(r.body, &e); r.status != http.StatusBadRequest || err != nil || !strings.Contains(e.Error, tt.want) {
				t.Errorf("got %d %s, want 400 containing %q", r.status, r.body, tt.want)
			}
		})
	}
}

// TestDealsPageLikeLeads walks the deals with the cursor: newest first,
// PageSize a page, and every PagingMode applies.
func TestDealsPageLikeLeads(t *testing.T) {
	cfg := GenerateAccount(200, 4)
	cfg.PageSize = 7
	s := start(t, cfg)
	deals := s.Deals()
	for i := 1; i < len(deals); i++ {
		if deals[i].CreatedAt.After(deals[i-1].CreatedAt) {
			t.Fatalf("deal %d is newer than deal %d before it", deals[i].ID, deals[i-1].ID)
		}
	}
	var got []int64
	cursor := ""
	for range 100 {
		var kv []string
		if cursor != "" {
			kv = []string{"cursor", cursor}
		}
		page := decodeOK[[]LeadDeal](t, s, "/api/v1/lead-deals", kv...)
		if len(page) == 0 {
			break
		}
		if len(page) > 7 || page[0].Total != len(deals) {
			t.Fatalf("page of %d, total %d", len(page), page[0].Total)
		}
		got = append(got, mapSlice(page, func(d LeadDeal) int64 { return d.ID })...)
		cursor = page[len(page)-1].CreatedAt.Format(time.RFC3339Nano)
	}
	wantIDs(t, "every deal", got, mapSlice(deals, func(d LeadDeal) int64 { return d.ID }))

	cfg.Paging = PagingPastTotal
	past := start(t, cfg)
	synthetic := decodeOK[[]LeadDeal](t, past, "/api/v1/lead-deals", "cursor", "2000-01-01T00:00:00Z")
	if len(synthetic) != 7 || synthetic[0].Total != len(deals) || !synthetic[0].CreatedAt.Before(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("past the end: %d deals, total %d", len(synthetic), synthetic[0].Total)
	}
}

func TestPartnershipsPageByNestedCreatedAt(t *testing.T) {
	cfg := GenerateAccount(10, 1)
	cfg.PageSize = 5
	s := start(t, cfg)
	first := decodeOK[[]Partnership](t, s, "/api/v1/partnerships")
	second := decodeOK[[]Partnership](t, s, "/api/v1/partnerships", "cursor", first[4].Partnership.CreatedAt.Format(time.RFC3339Nano))
	all := append(first, second...)
	for i := 1; i < len(all); i++ {
		if !all[i].Partnership.CreatedAt.Before(all[i-1].Partnership.CreatedAt) {
			t.Errorf("partnership %d is not older than %d before it", all[i].ID, all[i-1].ID)
		}
	}
	if len(first) != 5 || len(second) != 5 || first[0].Total != len(PartnerCompanies) {
		t.Errorf("pages of %d and %d, total %d", len(first), len(second), first[0].Total)
	}
}
