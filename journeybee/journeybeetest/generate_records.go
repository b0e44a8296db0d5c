package journeybeetest

import (
	"encoding/json"
	"fmt"
	"time"
)

// The records of GenerateAccountAt that refer to leads and partners.

// partnershipIDBase offsets a partnership's top-level id from its nested
// partnership.id, so that a client mixing the two finds no partner users.
const partnershipIDBase = 700

func (a *accountGenerator) partnerships() []Partnership {
	countries := []Address{{new(int64(1)), new("United States")}, {new(int64(2)), new("United Kingdom")}, {new(int64(3)), new("Germany")}}
	cats := a.categories()
	out := make([]Partnership, len(PartnerCompanies))
	for i, pc := range PartnerCompanies {
		stage := a.partnerStage(pc.PartnerType)
		p := Partnership{
			ID:          partnershipIDBase + int64(i) + 1,
			StageID:     &stage.ID,
			StageLabel:  stage.Label,
			StageSeries: stage.Series,
			Partnership: PartnershipInfo{ID: pc.PartnershipID, CreatedAt: a.now.Add(-time.Duration(30*(i+1))*24*time.Hour - time.Duration(a.rng.IntN(86400))*time.Second),
				Stage: new("accepted"), PartnerType: new(pc.PartnerType)},
			Partner: &Partner{ID: pc.ID, Name: new(pc.Name), WebsiteURL: new("https://" + slug(pc.Name) + ".example"),
				Logo: &Logo{ID: pc.LogoID, UUID: new(pc.LogoUUID)}, Address: new(pick(a.rng, countries))},
			AssignedUsers: someOf(a, Users, 2),
			Tags:          someOf(a, partnerTags, 2),
			CustomFields: []CustomFieldValue{
				a.customValue(13, "number", (1+a.rng.IntN(20))*10000, pc.ID),
				a.customValue(11, "multi_select", []int64{6 + a.rng.Int64N(3)}, pc.ID),
				a.customValue(12, "boolean", a.rng.IntN(2) == 0, pc.ID),
			},
		}
		if i%4 != 3 { // some partners have no tier
			t := pick(a.rng, tiers)
			p.Tier = &TierRef{ID: t.ID, Label: t.Label, BackgroundColor: t.BackgroundColor, TextColor: t.TextColor}
		}
		c := pick(a.rng, cats)
		p.Category = &CategoryRef{ID: c.ID, Label: c.Label}
		out[i] = p
	}
	return out
}

func (a *accountGenerator) partnerStage(partnerType string) PartnerStage {
	for {
		if st := pick(a.rng, partnerStages); Deref(st.PartnerType) == partnerType {
			return st
		}
	}
}

// someOf returns up to n distinct items, possibly none.
func someOf[T any](a *accountGenerator, items []T, n int) []T {
	k := a.rng.IntN(n + 1)
	out := make([]T, 0, k)
	for _, i := range a.rng.Perm(len(items))[:k] {
		out = append(out, items[i])
	}
	return out
}

func (a *accountGenerator) customValue(fieldID int64, typ string, v any, recordID int64) CustomFieldValue {
	var label *string
	for _, def := range customFieldDefinitions {
		if def.ID == fieldID {
			label = def.Label
		}
	}
	return CustomFieldValue{ID: fieldID, Label: label, Type: new(typ), Value: map[string]any{typ: v}, CustomFieldValueID: new(fieldID*1_000_000 + recordID)}
}

func (a *accountGenerator) partnerUsers() []PartnerUser {
	first := []string{"Alex", "Maria", "David", "Priya", "Tom", "Yuki", "Sam", "Lena"}
	last := []string{"Partner", "Rodriguez", "Kim", "Shah", "Berg", "Tanaka", "Okoro", "Fischer"}
	cities := []struct{ country, city string }{{"United States", "San Francisco"}, {"United States", "Austin"}, {"Canada", "Toronto"}, {"United Kingdom", "London"}}
	var out []PartnerUser
	id := int64(800)
	for _, pc := range PartnerCompanies {
		for k := range 1 + a.rng.IntN(3) {
			id++
			f, l, place := pick(a.rng, first), pick(a.rng, last), pick(a.rng, cities)
			u := PartnerUser{ID: id, Email: new(slug(f+"."+l) + "@" + slug(pc.Name) + ".example"), FirstName: new(f), LastName: new(l),
				Color: new(pick(a.rng, []string{"#F59E0B", "#8B5CF6", "#10B981"})), Position: new(pick(a.rng, []string{"Senior Sales Manager", "Business Development Rep", "Partnership Coordinator"})),
				CompanyID: new(pc.ID), CompanyName: new(pc.Name), CountryLabel: new(place.country), CityLabel: new(place.city)}
			if k != 1 { // every second contact lacks phone, picture and meeting link
				u.PhoneNumber = new(fmt.Sprintf("+1-555-987-%04d", id))
				u.ProfileImageID, u.ProfileImageUUID = new(id+1000), new(fmt.Sprintf("partner-profile-uuid-%d", id))
				u.MeetingLink = new("https://meet.example/" + slug(f+l))
			}
			out = append(out, u)
		}
	}
	return out
}

// deals turns every lead's lead_deals into deal records.
func (a *accountGenerator) deals(leads []Lead) []LeadDeal {
	currencyIDs := map[string]int64{"USD": 1, "EUR": 2, "GBP": 3}
	var out []LeadDeal
	for _, l := range leads {
		var partnershipID *int64
		var partners []AssociatedPartner
		for _, pl := range l.PartnershipLeads {
			if partnershipID == nil {
				partnershipID = pl.PartnershipID
			}
			for _, pc := range PartnerCompanies {
				if idIn(pl.PartnershipID, []int64{pc.PartnershipID}) {
					partners = append(partners, AssociatedPartner{CompanyID: pc.ID, CompanyName: new(pc.Name), CompanyLogoID: new(pc.LogoID), CompanyLogoUUID: new(pc.LogoUUID)})
				}
			}
		}
		for k, nested := range l.LeadDeals {
			created := l.CreatedAt.Add(time.Duration(k+1) * time.Hour)
			if created.After(a.now) {
				created = l.CreatedAt
			}
			d := LeadDeal{
				ID: nested.ID, UUID: new(fmt.Sprintf("deal-uuid-%d", nested.ID)), CreatedAt: created, UpdatedAt: l.UpdatedAt,
				Label: nested.Label, DealValue: nested.DealValue, LeadID: l.ID, CompanyID: l.CompanyID, PartnerType: l.PartnerType,
				StageID: nested.StageID, StageLabel: nested.StageLabel, StageSeries: nested.StageSeries, StagePhase: nested.StagePhase,
				CurrencyCode: nested.CurrencyCode, PartnershipID: partnershipID, CampaignID: l.CampaignID, CampaignTitle: l.CampaignTitle,
				Tags: someOf(a, dealTags, 1), AssignedUsers: l.AssignedUsers, AssociatedPartner: partners, CampaignPartners: l.CampaignPartners,
			}
			if id, ok := currencyIDs[Deref(nested.CurrencyCode)]; ok {
				d.CurrencyID = &id
			}
			if Deref(nested.StagePhase) == "closed_won" {
				d.PaymentStageID, d.PaymentStageLabel, d.PaymentStageSeries, d.PaymentStagePhase = new(int64(2)), new("Invoice Sent"), new(2), new("pending")
			}
			pct := 10.0
			if Deref(l.PartnerType) == "reseller" {
				pct, d.VendorStageID = 20, nested.StageID
			}
			if d.DealValue != nil && partnershipID != nil {
				d.CommissionPercentage, d.CommissionAmount = &pct, new(*d.DealValue*pct/100)
			}
			out = append(out, d)
		}
	}
	return out
}

func (a *accountGenerator) leadCustomValues(leads []Lead) map[int64]map[int64]any {
	out := map[int64]map[int64]any{}
	for _, l := range leads {
		if a.rng.IntN(2) == 0 {
			continue
		}
		values := map[int64]any{5: (1 + a.rng.IntN(40)) * 5000, 6: 1 + a.rng.IntN(3)}
		if a.rng.IntN(3) == 0 {
			values[7] = pick(a.rng, []string{"Referral programme", "Reseller onboarding", "Co-selling", "Marketplace listing"})
		}
		if Deref(l.PartnerType) == "reseller" {
			values[8] = "Introduced at the " + Deref(l.CompanyName) + " kickoff"
		}
		out[l.ID] = values
	}
	return out
}

func (a *accountGenerator) dealCustomValues(deals []LeadDeal) map[int64]map[int64]any {
	out := map[int64]map[int64]any{}
	for _, d := range deals {
		out[d.ID] = map[int64]any{9: 4 + a.rng.IntN(2), 10: d.CreatedAt.Add(60 * 24 * time.Hour).Format("2006-01-02")}
	}
	return out
}

// notes puts one to three notes on every fifth lead.
func (a *accountGenerator) notes(leads []Lead) map[int64][]Note {
	texts := []string{"Initial contact made with lead", "Sent the pricing sheet", "Follow-up call booked for next week", "Partner confirmed the budget"}
	out := map[int64][]Note{}
	id := int64(9000)
	for i, l := range leads {
		if i%5 != 0 {
			continue
		}
		for k := range 1 + a.rng.IntN(3) {
			id++
			at := l.CreatedAt.Add(time.Duration(k+1) * 3 * time.Hour)
			if at.After(a.now) {
				at = a.now
			}
			author := pick(a.rng, Users)
			out[l.ID] = append(out[l.ID], Note{ID: id, Content: proseMirror(pick(a.rng, texts)), CreatedAt: new(at), UpdatedAt: new(at),
				CreatedBy: &NoteAuthor{ID: author.ID, FirstName: author.FirstName, LastName: author.LastName}, Attachments: []json.RawMessage{}, Mentions: []json.RawMessage{}})
		}
	}
	return out
}
