package journeybeetest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
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
var Users = []api.AssignedUser{
	{ID: 456, Email: "jane@company.com", FirstName: "Jane", LastName: "Doe", Color: "#3B82F6", ProfileImageID: ptr[int64](789), ProfileImageUUID: ptr("profile-uuid-456")},
	{ID: 457, Email: "marcus.chen@company.com", FirstName: "Marcus", LastName: "Chen", Color: "#10B981", ProfileImageID: ptr[int64](790), ProfileImageUUID: ptr("profile-uuid-457")},
	{ID: 458, Email: "priya.patel@company.com", FirstName: "Priya", LastName: "Patel", Color: "#F59E0B"},
	{ID: 459, Email: "liam.obrien@company.com", FirstName: "Liam", LastName: "O'Brien", Color: "#8B5CF6", ProfileImageID: ptr[int64](792), ProfileImageUUID: ptr("profile-uuid-459")},
	{ID: 460, Email: "sofia.rossi@company.com", FirstName: "Sofia", LastName: "Rossi", Color: "#EC4899"},
	{ID: 461, Email: "ahmed.khan@company.com", FirstName: "Ahmed", LastName: "Khan", Color: "#14B8A6", ProfileImageID: ptr[int64](794), ProfileImageUUID: ptr("profile-uuid-461")},
}

// Tags are the lead tags, ids 10 to 17.
var Tags = []api.Tag{
	{ID: 10, Label: "High Priority", BackgroundColor: "#EF4444", TextColor: "#FFFFFF"},
	{ID: 11, Label: "Enterprise", BackgroundColor: "#3B82F6", TextColor: "#FFFFFF"},
	{ID: 12, Label: "SMB", BackgroundColor: "#10B981", TextColor: "#FFFFFF"},
	{ID: 13, Label: "Q4 Target", BackgroundColor: "#F59E0B", TextColor: "#111827"},
	{ID: 14, Label: "Hot Lead", BackgroundColor: "#F97316", TextColor: "#FFFFFF"},
	{ID: 15, Label: "Follow Up", BackgroundColor: "#6366F1", TextColor: "#FFFFFF"},
	{ID: 16, Label: "Partner Sourced", BackgroundColor: "#8B5CF6", TextColor: "#FFFFFF"},
	{ID: 17, Label: "Renewal", BackgroundColor: "#6B7280", TextColor: "#FFFFFF"},
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

// DealStage is a lead deal stage.
type DealStage struct {
	ID     int64
	Label  string
	Series int
	Phase  string
}

// DealStages are the stages of generated lead deals, covering every phase.
var DealStages = []DealStage{
	{ID: 1, Label: "Discovery", Series: 1, Phase: "discovery"},
	{ID: 2, Label: "Proposal", Series: 2, Phase: "negotiation"},
	{ID: 3, Label: "Negotiation", Series: 3, Phase: "negotiation"},
	{ID: 4, Label: "Closed Won", Series: 4, Phase: "closed_won"},
	{ID: 5, Label: "Closed Lost", Series: 5, Phase: "closed_lost"},
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
func GenerateLeads(n int, seed int64) []api.Lead {
	return GenerateLeadsAt(n, seed, ReferenceTime)
}

// GenerateLeadsAt is GenerateLeads against another "now", e.g. time.Now()
// for a demo whose "created this week" queries should find leads.
func GenerateLeadsAt(n int, seed int64, now time.Time) []api.Lead {
	if n <= 0 {
		return []api.Lead{}
	}
	g := &generator{rng: rand.New(rand.NewPCG(uint64(seed), 0x6a6f75726e6579)), now: now.UTC().Truncate(time.Millisecond)}
	times := g.createdTimes(n)
	leads := make([]api.Lead, n)
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

func (g *generator) lead(i int, id int64, created time.Time) api.Lead {
	r := g.rng
	kind := g.kind(i)
	company := companyPrefixes[r.IntN(len(companyPrefixes))] + " " + companySuffixes[r.IntN(len(companySuffixes))]
	first := firstNames[r.IntN(len(firstNames))]
	last := lastNames[r.IntN(len(lastNames))]

	l := api.Lead{
		ID:               id,
		UUID:             g.uuid(),
		CreatedAt:        created,
		Status:           string(g.status(i)),
		CompanyID:        CompanyID,
		CompanyName:      ptr(company),
		FirstName:        ptr(first),
		LastName:         ptr(last),
		Email:            ptr(emailFor(first, last, company)),
		PhoneNumber:      ptr(g.phone()),
		Tags:             g.tags(),
		AssignedUsers:    g.assignees(i),
		PartnershipLeads: []api.PartnershipLead{},
		CampaignPartners: []api.CampaignPartner{},
		LeadDeals:        []api.LeadDeal{},
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
		l.UpdatedAt = ptr(updated.Truncate(time.Millisecond))
	}
	if r.IntN(10) > 0 {
		l.CreatedByUserID = ptr(Users[r.IntN(len(Users))].ID)
	}

	switch kind {
	case kindReceived:
		partner := g.partner(i == 2)
		l.Source = "partnership"
		l.PartnerType = ptr(partner.PartnerType)
		l.PartnershipLeads = append(l.PartnershipLeads, g.partnershipLead(partner, "received", created))
		// Some received leads are passed on to a second partner.
		if r.IntN(12) == 0 {
			l.PartnershipLeads = append(l.PartnershipLeads, g.partnershipLead(g.otherPartner(partner), "sent", created.Add(time.Hour)))
		}
	case kindSent:
		partner := g.partner(false)
		l.Source = "partnership"
		l.PartnerType = ptr(partner.PartnerType)
		l.PartnershipLeads = append(l.PartnershipLeads, g.partnershipLead(partner, "sent", created))
	case kindCampaign:
		campaign := Campaigns[r.IntN(len(Campaigns))]
		l.Source = "campaign"
		l.CampaignID = ptr(campaign.ID)
		l.CampaignTitle = ptr(campaign.Title)
		l.PartnerType = ptr(campaign.PartnerType)
		for _, p := range g.distinctPartners(1 + r.IntN(3)) {
			l.CampaignPartners = append(l.CampaignPartners, api.CampaignPartner{ID: p.PartnershipID, CompanyID: p.ID, CompanyName: p.Name})
		}
	case kindDirect:
		l.Source = directSources[r.IntN(len(directSources))]
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
func (g *generator) status(i int) api.Status {
	if i < len(api.Statuses) {
		return api.Statuses[i]
	}
	switch n := g.rng.IntN(100); {
	case n < 30:
		return api.StatusNew
	case n < 55:
		return api.StatusContacted
	case n < 75:
		return api.StatusQualified
	case n < 87:
		return api.StatusConverted
	default:
		return api.StatusLost
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

func (g *generator) partnershipLead(p PartnerCompany, direction string, at time.Time) api.PartnershipLead {
	g.nextPartnershipLID++
	pl := api.PartnershipLead{
		ID:            5000 + g.nextPartnershipLID,
		CreatedAt:     at,
		PartnershipID: p.PartnershipID,
		PartnerType:   p.PartnerType,
		Direction:     direction,
	}
	partnerSide := func(id *int64, name *string, logoID **int64, logoUUID **string) {
		*id, *name, *logoID, *logoUUID = p.ID, p.Name, ptr(p.LogoID), ptr(p.LogoUUID)
	}
	ourSide := func(id *int64, name *string, logoID **int64, logoUUID **string) {
		*id, *name, *logoID, *logoUUID = CompanyID, CompanyName, ptr[int64](890), ptr("logo-uuid-890")
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
func (g *generator) assignees(i int) []api.AssignedUser {
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
	users := make([]api.AssignedUser, 0, n)
	for _, k := range g.rng.Perm(len(Users))[:n] {
		users = append(users, Users[k])
	}
	return users
}

// tags gives about 60% of leads one to three tags.
func (g *generator) tags() []api.Tag {
	if g.rng.IntN(10) >= 6 {
		return []api.Tag{}
	}
	n := 1 + g.rng.IntN(3)
	tags := make([]api.Tag, 0, n)
	for _, k := range g.rng.Perm(len(Tags))[:n] {
		tags = append(tags, Tags[k])
	}
	return tags
}

// deal draws a deal whose stage fits the lead's status.
func (g *generator) deal(company, status, kind string) api.LeadDeal {
	g.nextDealID++
	var stage DealStage
	switch status {
	case string(api.StatusConverted):
		stage = DealStages[3]
	case string(api.StatusLost):
		stage = DealStages[4]
	default:
		stage = DealStages[g.rng.IntN(3)]
	}
	return api.LeadDeal{
		ID:           3000 + g.nextDealID,
		Label:        company + " " + kind,
		DealValue:    float64((2 + g.rng.IntN(500)) * 500),
		CurrencyCode: currencies[g.rng.IntN(len(currencies))],
		StageID:      stage.ID,
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

func ptr[T any](v T) *T { return &v }
