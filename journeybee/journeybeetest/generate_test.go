package journeybeetest

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestGenerateLeadsIsDeterministic(t *testing.T) {
	a, b := GenerateLeads(500, 42), GenerateLeads(500, 42)
	if !reflect.DeepEqual(a, b) {
		t.Error("the same n and seed gave different leads")
	}
	if reflect.DeepEqual(a, GenerateLeads(500, 43)) {
		t.Error("another seed gave the same leads")
	}
	// Built against ReferenceTime, not the clock: the newest of 5 leads is
	// within half a step (GeneratedSpan/5/2) of it.
	if got := GenerateLeads(5, 1)[0].CreatedAt; got.After(ReferenceTime) || ReferenceTime.Sub(got) > GeneratedSpan/10 {
		t.Errorf("newest lead at %s, want within the first step before %s", got, ReferenceTime)
	}
	if got := len(GenerateLeads(0, 1)); got != 0 {
		t.Errorf("GenerateLeads(0) gave %d leads", got)
	}
}

func TestGenerateLeadsOrderAndTimestamps(t *testing.T) {
	const n = 2000
	leads := GenerateLeads(n, 1)
	oldest := ReferenceTime.Add(-GeneratedSpan)
	seenIDs := map[int64]bool{}
	pairs := 0
	for i, l := range leads {
		if seenIDs[l.ID] {
			t.Fatalf("id %d repeats", l.ID)
		}
		seenIDs[l.ID] = true
		if l.CreatedAt.After(ReferenceTime) || l.CreatedAt.Before(oldest) || l.CreatedAt.Location() != time.UTC {
			t.Fatalf("lead %d created at %s, outside the span or not UTC", l.ID, l.CreatedAt)
		}
		if l.UpdatedAt != nil && (l.UpdatedAt.Before(l.CreatedAt) || l.UpdatedAt.After(ReferenceTime)) {
			t.Fatalf("lead %d updated at %s", l.ID, l.UpdatedAt)
		}
		if i == 0 {
			continue
		}
		prev := leads[i-1]
		switch {
		case l.CreatedAt.After(prev.CreatedAt):
			t.Fatalf("lead %d is newer than the lead before it", l.ID)
		case l.CreatedAt.Equal(prev.CreatedAt):
			pairs++
			if l.ID > prev.ID {
				t.Fatalf("equal instants not ordered by id descending at %d", i)
			}
			if i >= 2 && leads[i-2].CreatedAt.Equal(l.CreatedAt) {
				t.Fatalf("three leads share %s", l.CreatedAt)
			}
		}
	}
	if pairs < 10 {
		t.Errorf("%d pairs of equal timestamps, want a few per thousand", pairs)
	}
	// The server's order is the generator's.
	s := NewUnstartedServer(Config{Leads: leads})
	wantIDs(t, "server order", ids(s.Leads()), ids(leads))
}

func TestGenerateLeadsCoverage(t *testing.T) {
	for _, n := range []int{5, 1000} {
		leads := GenerateLeads(n, 1)
		statuses := map[string]int{}
		views := map[string]int{}
		assigned, unassigned, doublyAssigned := 0, 0, 0
		for i := range leads {
			l := &leads[i]
			statuses[l.Status]++
			for _, v := range LeadViews {
				if viewMatches(l, v) {
					views[v]++
				}
			}
			switch len(l.AssignedUsers) {
			case 0:
				unassigned++
			case 1:
				assigned++
			default:
				assigned++
				doublyAssigned++
			}
			if l.CompanyID != CompanyID {
				t.Errorf("lead %d: company_id %d", l.ID, l.CompanyID)
			}
		}
		for _, s := range LeadStatuses {
			if statuses[s] == 0 {
				t.Errorf("n=%d: no %s lead", n, s)
			}
		}
		for _, v := range LeadViews {
			if views[v] == 0 {
				t.Errorf("n=%d: no lead in view %s", n, v)
			}
		}
		if unassigned == 0 || doublyAssigned == 0 {
			t.Errorf("n=%d: %d unassigned, %d with two users", n, unassigned, doublyAssigned)
		}
	}

	// The bigger set has the full variety the docs and tests rely on.
	leads := GenerateLeads(1000, 1)
	var (
		tags, users, partners, campaigns = map[int64]bool{}, map[int64]bool{}, map[string]bool{}, map[int64]bool{}
		currencies, phases               = map[string]bool{}, map[string]bool{}
		withDeals, assigned              int
		nullEmail, nullPhone, nullUpdate int
		campaignPartners                 int
	)
	for _, l := range leads {
		for _, tag := range l.Tags {
			tags[tag.ID] = true
		}
		for _, u := range l.AssignedUsers {
			users[u.ID] = true
		}
		if len(l.AssignedUsers) > 0 {
			assigned++
		}
		for _, p := range l.PartnershipLeads {
			partners[Deref(p.SentByCompanyName)] = true
			partners[Deref(p.ReceivedByCompanyName)] = true
		}
		if l.CampaignID != nil {
			campaigns[*l.CampaignID] = true
			campaignPartners += len(l.CampaignPartners)
		}
		if len(l.LeadDeals) > 0 {
			withDeals++
		}
		for _, d := range l.LeadDeals {
			currencies[Deref(d.CurrencyCode)] = true
			phases[Deref(d.StagePhase)] = true
		}
		if l.Email == nil {
			nullEmail++
		}
		if l.PhoneNumber == nil {
			nullPhone++
		}
		if l.UpdatedAt == nil {
			nullUpdate++
		}
	}
	checks := []struct {
		what      string
		got, want int
	}{
		{"tags", len(tags), len(Tags)},
		{"users", len(users), len(Users)},
		{"partner companies and our own", len(partners), len(PartnerCompanies) + 1},
		{"campaigns", len(campaigns), len(Campaigns)},
		{"currencies", len(currencies), 3},
		{"deal phases", len(phases), 4},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%d distinct %s, want %d", c.got, c.what, c.want)
		}
	}
	if assigned < 650 || assigned > 750 {
		t.Errorf("%d of 1000 leads assigned, want about 70%%", assigned)
	}
	if withDeals < 350 || withDeals > 450 {
		t.Errorf("%d of 1000 leads with deals, want about 40%%", withDeals)
	}
	if nullEmail == 0 || nullPhone == 0 || nullUpdate == 0 || campaignPartners == 0 {
		t.Errorf("null emails %d, null phones %d, null updated_at %d, campaign partners %d: want some of each", nullEmail, nullPhone, nullUpdate, campaignPartners)
	}
}

func TestGenerateLeadsAt(t *testing.T) {
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.FixedZone("CET", 3600))
	leads := GenerateLeadsAt(500, 1, now)
	newest := leads[0].CreatedAt
	if newest.After(now) || now.Sub(newest) > 7*24*time.Hour {
		t.Errorf("newest lead at %s, want within the week before %s", newest, now)
	}
	thisWeek := 0
	for _, l := range leads {
		if now.Sub(l.CreatedAt) <= 7*24*time.Hour {
			thisWeek++
		}
	}
	if thisWeek < 2 {
		t.Errorf("%d leads created in the last week, want a few", thisWeek)
	}
}

// TestGeneratedLeadsEncodeLikeTheReference checks the generated JSON has
// every field of the reference's example lead.
func TestGeneratedLeadsEncodeLikeTheReference(t *testing.T) {
	const example = `{"total":1,"id":789,"uuid":"lead-uuid-789","created_at":"2024-01-15T10:30:00Z","updated_at":"2024-01-15T12:45:00Z","source":"partnership","company_name":"TechCorp Solutions","email":"contact@techcorp.com","phone_number":"+1-555-123-4567","first_name":"John","last_name":"Smith","status":"new","partner_type":"referral","company_id":123,"created_by_user_id":456,"campaign_id":null,"campaign_title":null,"tags":[],"assigned_users":[],"partnership_leads":[],"campaign_partners":[],"lead_deals":[]}`
	var want map[string]any
	if err := json.Unmarshal([]byte(example), &want); err != nil {
		t.Fatal(err)
	}
	s := start(t, Config{Leads: GenerateLeads(10, 1)})
	r := get(t, s, leadsPath, leadsQuery(s))
	var got []map[string]any
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatal(err)
	}
	for field := range want {
		if _, ok := got[0][field]; !ok {
			t.Errorf("generated lead lacks %q", field)
		}
	}
}
