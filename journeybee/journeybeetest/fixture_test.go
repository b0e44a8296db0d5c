package journeybeetest

import (
	"time"
)

// fixtureBase anchors the hand-made dataset.
var fixtureBase = time.Date(2024, time.January, 15, 10, 30, 0, 0, time.UTC)

// fixtureLeads is a small dataset whose every filter result is known by
// heart. Serving order (newest first, ties by id descending): 1 2 3 4 6 5.
//
//	id status     view(s)            assigned          tags    notes
//	1  new        received (referral) Jane             10      TechCorp, Partner Corp
//	2  contacted  sent, reseller      Marcus, Priya    11, 13  no email/phone, Globex
//	3  qualified  campaigns           -                -       Cobalt, +44 phone
//	4  converted  -                   -                12      no company, null source
//	5  lost       received, reseller  Liam O'Brien     10, 14  Initech; same instant as 6
//	6  new        -                   Jane             -       same instant as 5; a deal with null value and stage
func fixtureLeads() []Lead {
	at := func(hoursAgo int) time.Time { return fixtureBase.Add(-time.Duration(hoursAgo) * time.Hour) }
	partnership := func(partner PartnerCompany, direction string) PartnershipLead {
		g := &generator{}
		return g.partnershipLead(partner, direction, fixtureBase)
	}
	partnerByName := func(name string) PartnerCompany {
		for _, p := range PartnerCompanies {
			if p.Name == name {
				return p
			}
		}
		panic(name)
	}
	// Listed out of order: the server must sort.
	return []Lead{
		{
			ID: 5, CreatedAt: at(5), Status: "lost", Source: new("partnership"), CompanyName: new("Granite Capital"), Email: new("li@granite.example"),
			FirstName: new("Li"), LastName: new("Wei"), PartnerType: new("reseller"),
			AssignedUsers:    []AssignedUser{Users[3]},
			Tags:             []Tag{Tags[0], Tags[4]},
			PartnershipLeads: []PartnershipLead{partnership(partnerByName("Initech Resellers"), "received")},
		},
		{
			ID: 1, CreatedAt: at(1), Status: "new", Source: new("partnership"), CompanyName: new("TechCorp Solutions"), Email: new("contact@techcorp.com"),
			PhoneNumber: new("+1-555-123-4567"), FirstName: new("John"), LastName: new("Smith"), PartnerType: new("referral"),
			AssignedUsers:    []AssignedUser{Users[0]},
			Tags:             []Tag{Tags[0]},
			PartnershipLeads: []PartnershipLead{partnership(partnerByName("Partner Corp"), "received")},
		},
		{
			ID: 3, CreatedAt: at(3), Status: "qualified", Source: new("campaign"), CompanyName: new("Cobalt Systems"), Email: new("ops@cobalt.io"),
			PhoneNumber: new("+44 20 7946 0000"), FirstName: new("Oliver"), LastName: new("Stone"), PartnerType: new("referral"),
			CampaignID: new(int64(501)), CampaignTitle: new("Spring Partner Push 2024"),
			CampaignPartners: []CampaignPartner{{ID: 901, CompanyID: new(int64(234)), CompanyName: new("Partner Corp")}},
		},
		{
			ID: 2, CreatedAt: at(2), Status: "contacted", Source: new("partnership"), CompanyName: new("Blue Ridge Labs"),
			FirstName: new("Emma"), LastName: new("Brown"), PartnerType: new("reseller"),
			AssignedUsers:    []AssignedUser{Users[1], Users[2]},
			Tags:             []Tag{Tags[1], Tags[3]},
			PartnershipLeads: []PartnershipLead{partnership(partnerByName("Globex Partners"), "sent")},
		},
		{
			ID: 6, CreatedAt: at(5), Status: "new", Source: new("manual"), CompanyName: new("Harbor Health"), Email: new("hello@harbor.example"),
			FirstName: new("Grace"), LastName: new("Hall"),
			AssignedUsers: []AssignedUser{Users[0]},
			// A deal not yet valued or staged: deal_value and stage_id null.
			LeadDeals: []LeadDealSummary{{ID: 61, Label: new("Harbor Health Deal"), CurrencyCode: new("USD")}},
		},
		{
			ID: 4, CreatedAt: at(4), Status: "converted", Email: new("ava@example.org"),
			FirstName: new("Ava"), LastName: new("Jones"),
			Tags: []Tag{Tags[2]},
		},
	}
}

// fixtureCustomFields holds custom field values of the fixture leads:
// field 100 text, 101 number, 102 boolean, 103 select.
var fixtureCustomFields = map[int64]map[int64]any{
	1: {100: "Enterprise plan", 101: 5000, 102: true},
	2: {100: "enterprise trial", 101: 20, 103: "opt-b"},
	3: {100: "SMB"},
	5: {102: false},
}

func fixtureConfig() Config {
	return Config{Leads: fixtureLeads(), CustomFieldValues: fixtureCustomFields}
}
