package journeybeetest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// GenerateAccount returns the dataset of a whole, consistent account built
// against ReferenceTime, for every endpoint: the same arguments always give
// the same Config. See GenerateAccountAt.
func GenerateAccount(nLeads int, seed int64) Config {
	return GenerateAccountAt(nLeads, seed, ReferenceTime)
}

// GenerateAccountAt returns a whole account against another "now":
//   - Leads are GenerateLeadsAt's, except two deliberate nulls: the oldest
//     lead has a null source, and the oldest lead with a deal has a deal
//     with null deal_value and null stage fields;
//   - Deals are the leads' lead_deals (same ids, lead_id, stage, value and
//     currency; partnership_id from the lead's partnership);
//   - Partnerships are PartnerCompanies (partnership.id is the
//     PartnershipID leads carry; the top-level id is distinct), each with
//     one to three PartnerUsers;
//   - Users are the assignable Users plus a disabled and an indirect one;
//   - DealStages, partner stages, tags (Tags for leads plus deal, partner
//     and card tags), custom field definitions and values, tiers,
//     categories, and notes on every fifth lead.
func GenerateAccountAt(nLeads int, seed int64, now time.Time) Config {
	now = now.UTC().Truncate(time.Millisecond)
	// A stream of its own, so the leads stay GenerateLeadsAt's.
	a := &accountGenerator{rng: rand.New(rand.NewPCG(uint64(seed), 0x6163636f756e74)), now: now}
	cfg := Config{
		Leads:          addDeliberateNulls(GenerateLeadsAt(nLeads, seed, now)),
		Users:          a.users(),
		DealStages:     slices.Clone(DealStages),
		PartnerStages:  slices.Clone(partnerStages),
		TagDefinitions: tagDefinitions(),
		CustomFields:   slices.Clone(customFieldDefinitions),
		Tiers:          slices.Clone(tiers),
		Categories:     a.categories(),
	}
	cfg.Partnerships = a.partnerships()
	cfg.PartnerUsers = a.partnerUsers()
	cfg.Deals = a.deals(cfg.Leads)
	cfg.CustomFieldValues = a.leadCustomValues(cfg.Leads)
	cfg.DealCustomFieldValues = a.dealCustomValues(cfg.Deals)
	cfg.Notes = a.notes(cfg.Leads)
	return cfg
}

type accountGenerator struct {
	rng *rand.Rand
	now time.Time
}

func addDeliberateNulls(leads []Lead) []Lead {
	if len(leads) == 0 {
		return leads
	}
	leads[len(leads)-1].Source = nil
	for i := len(leads) - 1; i >= 0; i-- {
		if len(leads[i].LeadDeals) > 0 {
			d := &leads[i].LeadDeals[0]
			d.DealValue, d.StageID, d.StageLabel, d.StageSeries, d.StagePhase = nil, nil, nil, nil, nil
			break
		}
	}
	return leads
}

// pick returns one of items at random.
func pick[T any](r *rand.Rand, items []T) T { return items[r.IntN(len(items))] }

func (a *accountGenerator) ago(d time.Duration) *time.Time { return new(a.now.Add(-d)) }

func (a *accountGenerator) users() []User {
	day := 24 * time.Hour
	out := make([]User, 0, len(Users)+2)
	for i, u := range Users {
		role := "partnerships"
		if i == 0 {
			role = "admin"
		}
		out = append(out, User{
			ID: u.ID, CreatedAt: a.ago(time.Duration(900-i*20) * day), Email: u.Email, FirstName: u.FirstName, LastName: u.LastName,
			Role: new(role), Position: new(pick(a.rng, []string{"Partnership Manager", "Business Development", "Channel Lead", "Sales Director"})),
			EmailVerified: a.ago(time.Duration(899-i*20) * day), Color: u.Color, ProfileImageID: u.ProfileImageID, ProfileImageUUID: u.ProfileImageUUID,
			CountryID: new(int64(1)), CountryLabel: new("United States"), CountryCode: new("US"),
		})
	}
	out = append(out,
		User{ID: 462, CreatedAt: a.ago(600 * day), Email: new("former.rep@company.com"), FirstName: new("Dana"), LastName: new("Former"),
			Role: new("partnerships"), Position: new("Account Executive"), EmailVerified: a.ago(599 * day), DisabledAt: a.ago(90 * day),
			Color: new("#6B7280"), CountryID: new(int64(2)), CountryLabel: new("United Kingdom"), CountryCode: new("GB")},
		User{ID: 463, CreatedAt: a.ago(300 * day), Email: new("agency@outsourced.example"), FirstName: new("Ira"), LastName: new("Agency"),
			Role: new("indirect"), Color: new("#0EA5E9"), CountryID: new(int64(3)), CountryLabel: new("Germany"), CountryCode: new("DE")},
	)
	return out
}

// partnerStages are a stage set per partner type, covering every phase.
var partnerStages = func() []PartnerStage {
	var out []PartnerStage
	for k, pt := range partnerTypes {
		for i, st := range []struct{ label, phase string }{{"Prospecting", "discovery"}, {"Evaluation", "evaluation"}, {"Active Partnership", "active"}, {"Inactive", "inactive"}} {
			id := int64(k*4 + i + 1)
			out = append(out, PartnerStage{ID: id, UUID: new(fmt.Sprintf("partner-stage-uuid-%d", id)), Label: new(st.label), Series: new(i + 1),
				Phase: new(st.phase), PartnerType: new(pt), CompanyID: new(CompanyID)})
		}
	}
	return out
}()

// dealTags and partnerTags are the tags deals and partnerships carry.
var (
	dealTags = []Tag{
		{ID: 18, Label: new("Enterprise Deal"), BackgroundColor: new("#8B5CF6"), TextColor: new("#FFFFFF")},
		{ID: 19, Label: new("Upsell"), BackgroundColor: new("#10B981"), TextColor: new("#FFFFFF")},
		{ID: 20, Label: new("At Risk"), BackgroundColor: new("#EF4444"), TextColor: new("#FFFFFF")},
	}
	partnerTags = []Tag{
		{ID: 21, Label: new("Strategic"), BackgroundColor: new("#F59E0B"), TextColor: new("#111827")},
		{ID: 22, Label: new("New Partner"), BackgroundColor: new("#3B82F6"), TextColor: new("#FFFFFF")},
		{ID: 23, Label: new("Top Performer"), BackgroundColor: new("#14B8A6"), TextColor: new("#FFFFFF")},
	}
)

func tagDefinitions() []TagDefinition {
	var out []TagDefinition
	add := func(tags []Tag, association string) {
		for i, t := range tags {
			out = append(out, TagDefinition{ID: t.ID, UUID: new(fmt.Sprintf("tag-uuid-%d", t.ID)), Label: t.Label, BackgroundColor: t.BackgroundColor,
				TextColor: t.TextColor, Association: new(association), PartnerType: new(partnerTypes[i%2]), CompanyID: new(CompanyID)})
		}
	}
	add(Tags, "lead")
	add(dealTags, "lead_deal")
	add(partnerTags, "partner")
	// A card tag, for no partner type: the reference's second example item.
	return append(out, TagDefinition{ID: 24, Label: new("Pinned"), BackgroundColor: new("#6B7280"), TextColor: new("#FFFFFF"), Association: new("card")})
}

func options(firstID int64, labels ...string) []CustomFieldOption {
	out := make([]CustomFieldOption, len(labels))
	for i, l := range labels {
		out[i] = CustomFieldOption{ID: firstID + int64(i), Label: new(l)}
	}
	return out
}

// customFieldDefinitions cover every type and category.
var customFieldDefinitions = func() []CustomField {
	def := func(id int64, label, typ, category, partnerType string, opts []CustomFieldOption) CustomField {
		return CustomField{ID: id, UUID: new(fmt.Sprintf("cf-uuid-%d", id)), Label: new(label), Type: new(typ), Category: new(category),
			PartnerType: new(partnerType), Required: new(id == 6), Shared: new(id%2 == 1), Options: opts}
	}
	return []CustomField{
		def(5, "Revenue Potential", "number", "lead", "referral", nil),
		def(6, "Priority Level", "select", "lead", "referral", options(1, "High", "Medium", "Low")),
		def(7, "Use Case", "text", "lead", "referral", nil),
		def(8, "Background", "textarea", "lead", "reseller", nil),
		def(9, "Deal Priority", "select", "lead_deal", "referral", options(4, "Urgent", "Normal")),
		def(10, "Expected Close", "date", "lead_deal", "referral", nil),
		def(11, "Partner Regions", "multi_select", "partner", "referral", options(6, "EMEA", "North America", "APAC")),
		def(12, "Co-Marketing", "boolean", "partner", "reseller", nil),
		def(13, "Partner Revenue", "number", "partner", "referral", nil),
	}
}()

var tiers = []Tier{
	{ID: 1, UUID: new("tier-uuid-1"), Label: new("Gold"), BackgroundColor: new("#FFD700"), TextColor: new("#000000"), PartnerType: new("referral"), CompanyID: new(CompanyID)},
	{ID: 2, UUID: new("tier-uuid-2"), Label: new("Silver"), BackgroundColor: new("#C0C0C0"), TextColor: new("#000000"), PartnerType: new("referral"), CompanyID: new(CompanyID)},
	{ID: 3, UUID: new("tier-uuid-3"), Label: new("Bronze"), BackgroundColor: new("#CD7F32"), TextColor: new("#FFFFFF"), PartnerType: new("reseller"), CompanyID: new(CompanyID)},
}

func (a *accountGenerator) categories() []Category {
	var out []Category
	for i, label := range []string{"Technology", "Healthcare", "Finance", "Retail"} {
		created := a.ago(time.Duration(800-i*50) * 24 * time.Hour)
		out = append(out, Category{ID: int64(i + 1), UUID: new(fmt.Sprintf("category-uuid-%d", i+1)), Label: new(label),
			PartnerType: new(partnerTypes[i%2]), CompanyID: new(CompanyID), CreatedAt: created, UpdatedAt: created})
	}
	return out
}

// proseNode is a node of a ProseMirror document, keys in the editor's order.
type proseNode struct {
	Type    string      `json:"type"`
	Content []proseNode `json:"content,omitempty"`
	Text    string      `json:"text,omitempty"`
}

// proseMirror is a one-paragraph rich-text document.
func proseMirror(text string) json.RawMessage {
	b, _ := json.Marshal(proseNode{Type: "doc", Content: []proseNode{{Type: "paragraph", Content: []proseNode{{Type: "text", Text: text}}}}})
	return b // a proseNode always encodes
}

func slug(s string) string { return strings.ToLower(strings.NewReplacer(" ", "", "'", "").Replace(s)) }
