package modtest

import (
	"fmt"
	"time"

	jb "github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

// serviceLevelAccount is an account holding, for every control of the
// lead_service_levels benchmark, an alarm case and its ok twin. Without
// alarms it holds only the twins (and a manager for every partnership):
// every control is ok or info.
func serviceLevelAccount(now time.Time, alarms bool) jb.Config {
	now = now.UTC().Truncate(time.Millisecond)
	s := func(v string) *string { return &v }
	ann := jb.AssignedUser{ID: 7, Email: s("ann@example.com"), FirstName: s("Ann"), LastName: s("Lee")}
	bob := jb.AssignedUser{ID: 8, Email: s("bob@example.com"), FirstName: s("Bob"), LastName: s("Ray")}
	gold := jb.Tag{ID: 30, Label: s("Gold")}
	hot := jb.Tag{ID: 31, Label: s("Hot")}
	const us = "Our Company"
	partners := []struct {
		id   int64
		name string
		mgr  []jb.AssignedUser
	}{
		{101, "Alpha Partners", []jb.AssignedUser{ann}},
		{102, "Beta Referrals", []jb.AssignedUser{bob, ann}},
		{103, "Gamma Co", nil}, // alarm: no manager
		{104, "Delta Resell", []jb.AssignedUser{bob}},
	}
	if !alarms {
		partners[2].mgr = []jb.AssignedUser{bob}
	}
	cfg := jb.Config{}
	names := map[int64]string{}
	for i, p := range partners {
		names[p.id] = p.name
		cfg.Partnerships = append(cfg.Partnerships, jb.Partnership{
			ID: int64(i + 1), Partnership: jb.PartnershipInfo{ID: p.id, CreatedAt: now.AddDate(-1, 0, -i), Stage: s("accepted"), PartnerType: s("referral")},
			Partner: &jb.Partner{ID: 900 + p.id, Name: s(p.name)}, AssignedUsers: p.mgr, Tags: []jb.Tag{gold},
		})
	}
	type leadCase struct {
		alarm      bool // left out of the all-ok account
		status     string
		age        time.Duration
		company    string
		email      string
		partner    int64 // the partnership that sent it; 0: none
		sentTo     int64 // the partnership we sent it to; 0: none
		users      []jb.AssignedUser
		tags       []jb.Tag
		dealPhases []string
	}
	h, d := time.Hour, 24*time.Hour
	cases := []leadCase{
		{alarm: true, status: "contacted", age: 30 * h, company: "Unassigned Late", partner: 101},         // unassigned > 24 h
		{status: "contacted", age: 2 * h, company: "Unassigned Fresh", partner: 101, tags: []jb.Tag{hot}}, // its twin
		{alarm: true, status: "new", age: 60 * h, company: "Accept Late", partner: 102, users: []jb.AssignedUser{ann}},
		{status: "new", age: 10 * h, company: "Accept Fresh", partner: 102, users: []jb.AssignedUser{ann, bob}},
		{alarm: true, status: "new", age: 9 * d, company: "Stale New", users: []jb.AssignedUser{bob}},
		{status: "new", age: 2 * d, company: "Fresh New", users: []jb.AssignedUser{bob}},
		{alarm: true, status: "qualified", age: 20 * d, company: "Qualified No Deal", users: []jb.AssignedUser{ann}},
		{status: "qualified", age: 20 * d, company: "Qualified With Deal", users: []jb.AssignedUser{ann}, dealPhases: []string{"discovery"}},
		{status: "qualified", age: 3 * d, company: "Qualified Young", users: []jb.AssignedUser{ann}},
		{status: "contacted", age: 10 * d, company: "Dupe Corp", email: "a@dupe.io", partner: 101, users: []jb.AssignedUser{ann}, dealPhases: []string{"negotiation"}},
		{alarm: true, status: "contacted", age: 5 * d, company: "dupe corp ", email: "c@other.io", partner: 102, users: []jb.AssignedUser{ann}},   // same name
		{alarm: true, status: "contacted", age: 4 * d, company: "Dupe Holdings", email: "b@dupe.io", partner: 104, users: []jb.AssignedUser{bob}}, // same domain
		{status: "contacted", age: 6 * d, company: "Solo Inc", partner: 101, users: []jb.AssignedUser{bob}},
		{status: "contacted", age: 3 * d, company: "Solo Inc", partner: 101, users: []jb.AssignedUser{bob}}, // the same partner again
		{status: "contacted", age: 8 * d, company: "Ann Smith", email: "ann@gmail.com", partner: 101, users: []jb.AssignedUser{bob}},
		{status: "contacted", age: 7 * d, company: "Bob Jones", email: "bob@gmail.com", partner: 102, users: []jb.AssignedUser{bob}}, // a mailbox domain is no company
		{status: "contacted", age: 12 * d, company: "Sent To Beta", sentTo: 102, users: []jb.AssignedUser{ann}, dealPhases: []string{"discovery"}},
		{status: "contacted", age: 11 * d, company: "Sent To Alpha", sentTo: 101, users: []jb.AssignedUser{ann}},
		{status: "converted", age: 200 * d, company: "Old Referral", partner: 103, users: []jb.AssignedUser{ann}}, // outside every window
	}
	// Deals: the lead (index into cases), phase, value, currency and
	// partnership of each; alarm deals are left out of the all-ok account.
	type dealCase struct {
		alarm       bool
		lead        int
		value       *float64
		currency    *string
		partnership int64
	}
	f := func(v float64) *float64 { return &v }
	deals := map[int]dealCase{ // by lead index: the lead's first deal
		7:  {lead: 7, value: f(5000), currency: s("EUR"), partnership: 101},
		9:  {alarm: true, lead: 9, value: nil, currency: s("EUR"), partnership: 101}, // no value
		16: {alarm: true, lead: 16, value: f(3000), currency: nil},                   // no currency
	}
	if !alarms {
		deals[9] = dealCase{lead: 9, value: f(2000), currency: s("EUR")}
		deals[16] = dealCase{lead: 16, value: f(3000), currency: s("USD"), partnership: 102}
	}
	// USD open pipeline: 9% from partners in the alarm account.
	extra := []dealCase{{lead: 5, value: f(1000), currency: s("USD"), partnership: 101}}
	if alarms {
		extra = append(extra, dealCase{alarm: true, lead: 5, value: f(10000), currency: s("USD")})
	}

	stage := map[string]struct {
		id     int64
		label  string
		series int
	}{"discovery": {1, "Discovery", 1}, "negotiation": {2, "Negotiation", 2}}
	var dealID int64 = 5000
	for i, c := range cases {
		if c.alarm && !alarms {
			continue
		}
		id := int64(1000 + i)
		l := jb.Lead{ID: id, UUID: s(fmt.Sprintf("00000000-0000-4000-8000-%012d", id)), CreatedAt: now.Add(-c.age), Status: c.status,
			CompanyName: s(c.company), CompanyID: jb.CompanyID, AssignedUsers: c.users, Tags: c.tags, Source: s("referral")}
		if c.email != "" {
			l.Email = s(c.email)
		}
		flow := func(p int64, direction, from, to string) jb.PartnershipLead {
			return jb.PartnershipLead{ID: id*10 + p, CreatedAt: &l.CreatedAt, PartnershipID: &p, Direction: direction,
				SentByCompanyName: s(from), ReceivedByCompanyName: s(to), PartnerType: s("referral")}
		}
		if c.partner != 0 {
			l.PartnershipLeads = append(l.PartnershipLeads, flow(c.partner, "received", names[c.partner], us))
		}
		if c.sentTo != 0 {
			l.PartnershipLeads = append(l.PartnershipLeads, flow(c.sentTo, "sent", us, names[c.sentTo]))
		}
		var leadDeals []dealCase
		if dc, ok := deals[i]; ok && (alarms || !dc.alarm) {
			leadDeals = append(leadDeals, dc)
		}
		for _, dc := range extra {
			if dc.lead == i {
				leadDeals = append(leadDeals, dc)
			}
		}
		for j, dc := range leadDeals {
			phase := "discovery"
			if j < len(c.dealPhases) {
				phase = c.dealPhases[j]
			}
			st := stage[phase]
			dealID++
			label := fmt.Sprintf("%s deal %d", c.company, j+1)
			var partnership *int64
			if dc.partnership != 0 {
				partnership = &dc.partnership
			}
			l.LeadDeals = append(l.LeadDeals, jb.LeadDealSummary{ID: dealID, Label: s(label), DealValue: dc.value, CurrencyCode: dc.currency,
				StageID: &st.id, StageLabel: s(st.label), StageSeries: &st.series, StagePhase: s(phase)})
			cfg.Deals = append(cfg.Deals, jb.LeadDeal{ID: dealID, CreatedAt: l.CreatedAt.Add(time.Duration(j+1) * time.Minute), Label: s(label),
				DealValue: dc.value, CurrencyCode: dc.currency, LeadID: id, CompanyID: jb.CompanyID, StageID: &st.id, StageLabel: s(st.label),
				StageSeries: &st.series, StagePhase: s(phase), PartnershipID: partnership, AssignedUsers: c.users, Tags: c.tags})
		}
		cfg.Leads = append(cfg.Leads, l)
	}
	return cfg
}
