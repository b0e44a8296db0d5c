package journeybeetest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// CompanyID is the company the fake's API user belongs to; every generated
// lead carries it.
const CompanyID int64 = 123

// CompanyName is that company's name as it appears in partnership_leads.
const CompanyName = "Honeycomb Software"

// ReferenceTime is the "now" GenerateLeads builds against, so that the same
// arguments give the same dataset on every run and every day.
var ReferenceTime = time.Date(2025, time.June, 30, 12, 0, 0, 0, time.UTC)

// GeneratedSpan is how far back in time generated leads reach.
const GeneratedSpan = 730 * 24 * time.Hour

// Users are the company users leads are assigned to. Users[0] is the default
// Config.UserID.
var Users = []AssignedUser{
	{ID: 456, Email: new("jane@company.com"), FirstName: new("Jane"), LastName: new("Doe"), Color: new("#3B82F6"), ProfileImageID: new(int64(789)), ProfileImageUUID: new("profile-uuid-456")},
	{ID: 457, Email: new("marcus.chen@company.com"), FirstName: new("Marcus"), LastName: new("Chen"), Color: new("#10B981"), ProfileImageID: new(int64(790)), ProfileImageUUID: new("profile-uuid-457")},
	{ID: 458, Email: new("priya.patel@company.com"), FirstName: new("Priya"), LastName: new("Patel"), Color: new("#F59E0B")},
	{ID: 459, Email: new("liam.obrien@company.com"), FirstName: new("Liam"), LastName: new("O'Brien"), Color: new("#8B5CF6"), ProfileImageID: new(int64(792)), ProfileImageUUID: new("profile-uuid-459")},
	{ID: 460, Email: new("sofia.rossi@company.com"), FirstName: new("Sofia"), LastName: new("Rossi"), Color: new("#EC4899")},
	{ID: 461, Email: new("ahmed.khan@company.com"), FirstName: new("Ahmed"), LastName: new("Khan"), Color: new("#14B8A6"), ProfileImageID: new(int64(794)), ProfileImageUUID: new("profile-uuid-461")},
}

// Tags are the lead tags, ids 10 to 17.
var Tags = []Tag{
	{ID: 10, Label: new("High Priority"), BackgroundColor: new("#EF4444"), TextColor: new("#FFFFFF")},
	{ID: 11, Label: new("Enterprise"), BackgroundColor: new("#3B82F6"), TextColor: new("#FFFFFF")},
	{ID: 12, Label: new("SMB"), BackgroundColor: new("#10B981"), TextColor: new("#FFFFFF")},
	{ID: 13, Label: new("Q4 Target"), BackgroundColor: new("#F59E0B"), TextColor: new("#111827")},
	{ID: 14, Label: new("Hot Lead"), BackgroundColor: new("#F97316"), TextColor: new("#FFFFFF")},
	{ID: 15, Label: new("Follow Up"), BackgroundColor: new("#6366F1"), TextColor: new("#FFFFFF")},
	{ID: 16, Label: new("Partner Sourced"), BackgroundColor: new("#8B5CF6"), TextColor: new("#FFFFFF")},
	{ID: 17, Label: new("Renewal"), BackgroundColor: new("#6B7280"), TextColor: new("#FFFFFF")},
}

// PartnerCompany is a company the user's company exchanges leads with.
type PartnerCompany struct {
	ID            int64
	Name          string
	PartnerType   string // "referral" or "reseller"
	PartnershipID int64
	LogoID        int64
	LogoUUID      string
}

// PartnerCompanies are the partners named in partnership_leads and
// campaign_partners.
var PartnerCompanies = []PartnerCompany{
	{ID: 234, Name: "Partner Corp", PartnerType: "referral", PartnershipID: 901, LogoID: 567, LogoUUID: "logo-uuid-567"},
	{ID: 235, Name: "Northwind Traders", PartnerType: "referral", PartnershipID: 902, LogoID: 568, LogoUUID: "logo-uuid-568"},
	{ID: 236, Name: "Globex Partners", PartnerType: "reseller", PartnershipID: 903, LogoID: 569, LogoUUID: "logo-uuid-569"},
	{ID: 237, Name: "Initech Resellers", PartnerType: "reseller", PartnershipID: 904, LogoID: 570, LogoUUID: "logo-uuid-570"},
	{ID: 238, Name: "Umbrella Alliances", PartnerType: "referral", PartnershipID: 905, LogoID: 571, LogoUUID: "logo-uuid-571"},
	{ID: 239, Name: "Acme Channel Group", PartnerType: "reseller", PartnershipID: 906, LogoID: 572, LogoUUID: "logo-uuid-572"},
	{ID: 240, Name: "Stark Referral Network", PartnerType: "referral", PartnershipID: 907, LogoID: 573, LogoUUID: "logo-uuid-573"},
	{ID: 241, Name: "Wayne Ventures", PartnerType: "referral", PartnershipID: 908, LogoID: 574, LogoUUID: "logo-uuid-574"},
	{ID: 242, Name: "Hooli Partners", PartnerType: "referral", PartnershipID: 909, LogoID: 575, LogoUUID: "logo-uuid-575"},
	{ID: 243, Name: "Pied Piper Distribution", PartnerType: "reseller", PartnershipID: 910, LogoID: 576, LogoUUID: "logo-uuid-576"},
	{ID: 244, Name: "Vandelay Industries", PartnerType: "referral", PartnershipID: 911, LogoID: 577, LogoUUID: "logo-uuid-577"},
	{ID: 245, Name: "Soylent Systems", PartnerType: "referral", PartnershipID: 912, LogoID: 578, LogoUUID: "logo-uuid-578"},
}

// Campaign is a partner marketing campaign leads can come from.
type Campaign struct {
	ID          int64
	Title       string
	PartnerType string
}

// Campaigns are the campaigns generated campaign leads belong to.
var Campaigns = []Campaign{
	{ID: 501, Title: "Spring Partner Push 2024", PartnerType: "referral"},
	{ID: 502, Title: "EMEA Reseller Blitz", PartnerType: "reseller"},
	{ID: 503, Title: "Q4 Co-Marketing", PartnerType: "referral"},
}

// DealStages are the stages of generated lead deals, covering every phase.
// One stage set serves both partner types in generated data.
var DealStages = []DealStage{
	{ID: 1, UUID: new("deal-stage-uuid-1"), Label: new("Discovery"), Series: new(1), Phase: new("discovery"), PartnerType: new("referral")},
	{ID: 2, UUID: new("deal-stage-uuid-2"), Label: new("Proposal"), Series: new(2), Phase: new("negotiation"), PartnerType: new("referral")},
	{ID: 3, UUID: new("deal-stage-uuid-3"), Label: new("Negotiation"), Series: new(3), Phase: new("negotiation"), PartnerType: new("referral")},
	{ID: 4, UUID: new("deal-stage-uuid-4"), Label: new("Closed Won"), Series: new(4), Phase: new("closed_won"), PartnerType: new("referral")},
	{ID: 5, UUID: new("deal-stage-uuid-5"), Label: new("Closed Lost"), Series: new(5), Phase: new("closed_lost"), PartnerType: new("referral")},
}

// The first lead id GenerateLeads uses; ids grow with created_at.
const firstGeneratedID = 1001

// equalTimePeriod spaces the deliberate pairs of leads sharing created_at:
// lead i shares its instant with lead i-1 when i%equalTimePeriod == 5, so no
// instant is ever shared by more than two leads.
const equalTimePeriod = 97

// GenerateLeads returns n realistic leads, newest first, built against
// ReferenceTime: the same n and seed always give the same leads.
//
// With n >= 5 every status, every view, assigned and unassigned leads are
// present. created_at values spread over GeneratedSpan, distinct except for
// a few deliberate pairs (never more than two leads share an instant) that
// exercise an inclusive cursor bound.
func GenerateLeads(n int, seed int64) []Lead {
	return GenerateLeadsAt(n, seed, ReferenceTime)
}

// GenerateLeadsAt is GenerateLeads against another "now", e.g. time.Now()
// for a demo whose "created this week" queries should find leads.
func GenerateLeadsAt(n int, seed int64, now time.Time) []Lead {
	if n <= 0 {
		return []Lead{}
	}
	g := &generator{rng: rand.New(rand.NewPCG(uint64(seed), 0x6a6f75726e6579)), now: now.UTC().Truncate(time.Millisecond)}
	times := g.createdTimes(n)
	leads := make([]Lead, n)
	for i := range leads {
		leads[i] = g.lead(i, int64(firstGeneratedID+n-1-i), times[i])
	}
	return leads
}

type generator struct {
	rng                *rand.Rand
	now                time.Time
	nextDealID         int64
	nextPartnershipLID int64
}

// createdTimes returns n strictly decreasing instants (bar the deliberate
// equal pairs) going back GeneratedSpan from now.
func (g *generator) createdTimes(n int) []time.Time {
	step := max(GeneratedSpan/time.Duration(n), 2*time.Millisecond)
	halfStepMillis := int64(step/time.Millisecond) / 2
	// Consecutive offsets differ by more than step/2, so truncating to the
	// second keeps them distinct and ordered only when step/2 exceeds 1s.
	canTruncateToSecond := step >= 4*time.Second
	times := make([]time.Time, n)
	for i := range times {
		if i%equalTimePeriod == 5 {
			times[i] = times[i-1]
			continue
		}
		offset := time.Duration(i)*step + time.Duration(g.rng.Int64N(halfStepMillis))*time.Millisecond
		t := g.now.Add(-offset)
		if canTruncateToSecond && g.rng.IntN(3) == 0 {
			t = t.Truncate(time.Second)
		}
		times[i] = t
	}
	return times
}

type leadKind int

const (
	kindReceived leadKind = iota
	kindSent
	kindCampaign
	kindDirect
)

var (
	companyPrefixes = []string{"TechCorp", "Blue Ridge", "Cobalt", "Driftwood", "Evergreen", "Falcon", "Granite", "Harbor", "Ironclad", "Juniper", "Keystone", "Lumen", "Meridian", "Northstar", "Oakline", "Pinnacle", "Quantum", "Redwood", "Summit", "Tidewater", "Uplink", "Vertex", "Willow", "Zenith", "Brightpath", "Clearwater", "Silverline", "Atlas", "Beacon", "Copperleaf"}
	companySuffixes = []string{"Solutions", "Labs", "Systems", "Group", "Logistics", "Analytics", "Health", "Capital", "Software", "Manufacturing", "Consulting", "Retail"}
	firstNames      = []string{"John", "Emma", "Oliver", "Ava", "Noah", "Mia", "Lucas", "Chloe", "Ethan", "Grace", "Mateo", "Hannah", "Arjun", "Isla", "Kenji", "Leila", "Samuel", "Nora", "Diego", "Freya", "Omar", "Ruth", "Felix", "Zara", "Hugo", "Elena", "Tariq", "Maya", "Callum", "Ines"}
	lastNames       = []string{"Smith", "Johnson", "Williams", "Brown", "Garcia", "Miller", "Davis", "Martinez", "Lopez", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker", "Young", "Nakamura", "Okafor", "Schmidt", "Dubois", "Rossi", "Novak"}
	directSources   = []string{"manual", "website", "import", "api"}
	currencies      = []string{"USD", "USD", "USD", "EUR", "EUR", "GBP"}
)

func (g *generator) lead(i int, id int64, created time.Time) Lead {
	r := g.rng
	kind := g.kind(i)
	company := companyPrefixes[r.IntN(len(companyPrefixes))] + " " + companySuffixes[r.IntN(len(companySuffixes))]
	first := firstNames[r.IntN(len(firstNames))]
	last := lastNames[r.IntN(len(lastNames))]

	l := Lead{
		ID:               id,
		UUID:             new(g.uuid()),
		CreatedAt:        created,
		Status:           g.status(i),
		CompanyID:        CompanyID,
		CompanyName:      new(company),
		FirstName:        new(first),
		LastName:         new(last),
		Email:            new(emailFor(first, last, company)),
		PhoneNumber:      new(g.phone()),
		Tags:             g.tags(),
		AssignedUsers:    g.assignees(i),
		PartnershipLeads: []PartnershipLead{},
		CampaignPartners: []CampaignPartner{},
		LeadDeals:        []LeadDealSummary{},
	}
	// A few leads lack contact details, as imported data often does.
	switch r.IntN(40) {
	case 0:
		l.Email = nil
	case 1:
		l.PhoneNumber = nil
	case 2:
		l.CompanyName = nil
	case 3:
		l.LastName = nil
	}
	if r.IntN(20) > 0 {
		updated := created.Add(time.Duration(r.Int64N(int64(45 * 24 * time.Hour))))
		if updated.After(g.now) {
			updated = g.now
		}
		l.UpdatedAt = new(updated.Truncate(time.Millisecond))
	}
	if r.IntN(10) > 0 {
		l.CreatedByUserID = new(Users[r.IntN(len(Users))].ID)
	}

	switch kind {
	case kindReceived:
		partner := g.partner(i == 2)
		l.Source = new("partnership")
		l.PartnerType = new(partner.PartnerType)
		l.PartnershipLeads = append(l.PartnershipLeads, g.partnershipLead(partner, "received", created))
		// Some received leads are passed on to a second partner.
		if r.IntN(12) == 0 {
			l.PartnershipLeads = append(l.PartnershipLeads, g.partnershipLead(g.otherPartner(partner), "sent", created.Add(time.Hour)))
		}
	case kindSent:
		partner := g.partner(false)
		l.Source = new("partnership")
		l.PartnerType = new(partner.PartnerType)
		l.PartnershipLeads = append(l.PartnershipLeads, g.partnershipLead(partner, "sent", created))
	case kindCampaign:
		campaign := Campaigns[r.IntN(len(Campaigns))]
		l.Source = new("campaign")
		l.CampaignID = new(campaign.ID)
		l.CampaignTitle = new(campaign.Title)
		l.PartnerType = new(campaign.PartnerType)
		for _, p := range g.distinctPartners(1 + r.IntN(3)) {
			l.CampaignPartners = append(l.CampaignPartners, CampaignPartner{ID: p.PartnershipID, CompanyID: new(p.ID), CompanyName: new(p.Name)})
		}
	case kindDirect:
		l.Source = new(directSources[r.IntN(len(directSources))])
	}

	if r.IntN(10) < 4 {
		l.LeadDeals = append(l.LeadDeals, g.deal(company, l.Status, "Deal"))
		if r.IntN(6) == 0 {
			l.LeadDeals = append(l.LeadDeals, g.deal(company, l.Status, "Expansion"))
		}
	}
	return l
}

// kind forces the first leads to cover every view, then draws at random.
func (g *generator) kind(i int) leadKind {
	forced := []leadKind{kindReceived, kindSent, kindReceived, kindCampaign, kindDirect}
	if i < len(forced) {
		return forced[i]
	}
	switch n := g.rng.IntN(100); {
	case n < 40:
		return kindReceived
	case n < 60:
		return kindSent
	case n < 75:
		return kindCampaign
	default:
		return kindDirect
	}
}

// status forces the first leads to cover every status, then draws with a
// funnel-like distribution.
func (g *generator) status(i int) string {
	if i < len(LeadStatuses) {
		return LeadStatuses[i]
	}
	switch n := g.rng.IntN(100); {
	case n < 30:
		return "new"
	case n < 55:
		return "contacted"
	case n < 75:
		return "qualified"
	case n < 87:
		return "converted"
	default:
		return "lost"
	}
}

// partner picks a partner company; reseller forces a reseller partner.
func (g *generator) partner(reseller bool) PartnerCompany {
	for {
		p := PartnerCompanies[g.rng.IntN(len(PartnerCompanies))]
		if !reseller || p.PartnerType == "reseller" {
			return p
		}
	}
}

func (g *generator) otherPartner(not PartnerCompany) PartnerCompany {
	for {
		p := PartnerCompanies[g.rng.IntN(len(PartnerCompanies))]
		if p.ID != not.ID {
			return p
		}
	}
}

func (g *generator) distinctPartners(n int) []PartnerCompany {
	picked := make([]PartnerCompany, 0, n)
	for _, i := range g.rng.Perm(len(PartnerCompanies))[:n] {
		picked = append(picked, PartnerCompanies[i])
	}
	return picked
}

func (g *generator) partnershipLead(p PartnerCompany, direction string, at time.Time) PartnershipLead {
	g.nextPartnershipLID++
	pl := PartnershipLead{
		ID:            5000 + g.nextPartnershipLID,
		CreatedAt:     new(at),
		PartnershipID: new(p.PartnershipID),
		PartnerType:   new(p.PartnerType),
		Direction:     direction,
	}
	partnerSide := func(id **int64, name **string, logoID **int64, logoUUID **string) {
		*id, *name, *logoID, *logoUUID = new(p.ID), new(p.Name), new(p.LogoID), new(p.LogoUUID)
	}
	ourSide := func(id **int64, name **string, logoID **int64, logoUUID **string) {
		*id, *name, *logoID, *logoUUID = new(CompanyID), new(CompanyName), new(int64(890)), new("logo-uuid-890")
	}
	sender, receiver := partnerSide, ourSide
	if direction == "sent" {
		sender, receiver = ourSide, partnerSide
	}
	sender(&pl.SentByCompanyID, &pl.SentByCompanyName, &pl.SentByCompanyLogoID, &pl.SentByCompanyLogoUUID)
	receiver(&pl.ReceivedByCompanyID, &pl.ReceivedByCompanyName, &pl.ReceivedByCompanyLogoID, &pl.ReceivedByCompanyLogoUUID)
	return pl
}

// assignees forces assigned, doubly assigned and unassigned leads among the
// first ones; afterwards about 70% are assigned, a quarter of those twice.
func (g *generator) assignees(i int) []AssignedUser {
	n := 0
	switch {
	case i == 0:
		n = 1
	case i == 1:
		n = 2
	case i == 2:
		n = 0
	case g.rng.IntN(10) < 7:
		n = 1
		if g.rng.IntN(4) == 0 {
			n = 2
		}
	}
	users := make([]AssignedUser, 0, n)
	for _, k := range g.rng.Perm(len(Users))[:n] {
		users = append(users, Users[k])
	}
	return users
}

// tags gives about 60% of leads one to three tags.
func (g *generator) tags() []Tag {
	if g.rng.IntN(10) >= 6 {
		return []Tag{}
	}
	n := 1 + g.rng.IntN(3)
	tags := make([]Tag, 0, n)
	for _, k := range g.rng.Perm(len(Tags))[:n] {
		tags = append(tags, Tags[k])
	}
	return tags
}

// deal draws a deal whose stage fits the lead's status.
func (g *generator) deal(company, status, kind string) LeadDealSummary {
	g.nextDealID++
	var stage DealStage
	switch status {
	case "converted":
		stage = DealStages[3]
	case "lost":
		stage = DealStages[4]
	default:
		stage = DealStages[g.rng.IntN(3)]
	}
	return LeadDealSummary{
		ID:           3000 + g.nextDealID,
		Label:        new(company + " " + kind),
		DealValue:    new(float64((2 + g.rng.IntN(500)) * 500)),
		CurrencyCode: new(currencies[g.rng.IntN(len(currencies))]),
		StageID:      new(stage.ID),
		StageLabel:   stage.Label,
		StageSeries:  stage.Series,
		StagePhase:   stage.Phase,
	}
}

func (g *generator) phone() string {
	r := g.rng
	switch r.IntN(4) {
	case 0:
		return fmt.Sprintf("+44 20 7946 %04d", r.IntN(10000))
	case 1:
		return fmt.Sprintf("+49 30 %07d", r.IntN(10000000))
	default:
		return fmt.Sprintf("+1-555-%03d-%04d", r.IntN(1000), r.IntN(10000))
	}
}

func (g *generator) uuid() string {
	r := g.rng
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", r.Uint32(), r.Uint32()&0xffff, r.Uint32()&0xfff, 0x8000|r.Uint32()&0x3fff, r.Uint64()&0xffffffffffff)
}

func emailFor(first, last, company string) string {
	local := strings.ToLower(first + "." + strings.ReplaceAll(last, "'", ""))
	domain := strings.ToLower(strings.ReplaceAll(company, " ", "")) + ".com"
	return local + "@" + domain
}
