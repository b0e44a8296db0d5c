package journeybeetest

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
)

func TestGenerateAccountIsDeterministic(t *testing.T) {
	a, b := GenerateAccount(200, 5), GenerateAccount(200, 5)
	ja, _ := json.Marshal([]any{a.Leads, a.Deals, a.Partnerships, a.PartnerUsers, a.Users, a.Notes, a.CustomFieldValues, a.DealCustomFieldValues})
	jb, _ := json.Marshal([]any{b.Leads, b.Deals, b.Partnerships, b.PartnerUsers, b.Users, b.Notes, b.CustomFieldValues, b.DealCustomFieldValues})
	if string(ja) != string(jb) {
		t.Error("the same arguments gave different accounts")
	}
}

// TestGenerateAccountLeadsAreGenerateLeads: the account's leads are
// GenerateLeads' but for the two deliberate nulls.
func TestGenerateAccountLeadsAreGenerateLeads(t *testing.T) {
	leads, account := GenerateLeads(300, 2), GenerateAccount(300, 2).Leads
	oldest := len(leads) - 1
	if account[oldest].Source != nil || leads[oldest].Source == nil {
		t.Error("the oldest lead's source is not the deliberate null")
	}
	account[oldest].Source = leads[oldest].Source
	nulled := 0
	for i := range account {
		for k, d := range account[i].LeadDeals {
			if d.DealValue == nil {
				nulled++
				if d.StageID != nil || leads[i].LeadDeals[k].DealValue == nil {
					t.Errorf("deal %d: stage_id %v", d.ID, d.StageID)
				}
				account[i].LeadDeals[k] = leads[i].LeadDeals[k]
			}
		}
	}
	if nulled != 1 {
		t.Errorf("%d deals with a null value, want exactly the deliberate one", nulled)
	}
	if !reflect.DeepEqual(account, leads) {
		t.Error("the account's leads differ from GenerateLeads' beyond the deliberate nulls")
	}
}

func TestGenerateAccountIsConsistent(t *testing.T) {
	cfg := GenerateAccount(500, 1)
	nested := map[int64]LeadDealSummary{}
	leadOf := map[int64]Lead{}
	for _, l := range cfg.Leads {
		for _, d := range l.LeadDeals {
			nested[d.ID] = d
			leadOf[d.ID] = l
		}
	}
	if len(cfg.Deals) != len(nested) {
		t.Errorf("%d deals, %d nested in leads", len(cfg.Deals), len(nested))
	}
	partnershipIDs := map[int64]bool{}
	partnerIDs := map[int64]bool{}
	for _, p := range cfg.Partnerships {
		partnershipIDs[p.Partnership.ID] = true
		partnerIDs[p.Partner.ID] = true
		if p.ID == p.Partnership.ID {
			t.Errorf("partnership %d: the top-level id equals partnership.id", p.ID)
		}
	}
	for _, d := range cfg.Deals {
		n, l := nested[d.ID], leadOf[d.ID]
		if d.LeadID != l.ID || !reflect.DeepEqual(d.DealValue, n.DealValue) || !reflect.DeepEqual(d.StageID, n.StageID) || !reflect.DeepEqual(d.CurrencyCode, n.CurrencyCode) {
			t.Fatalf("deal %d does not match the lead's nested deal", d.ID)
		}
		if len(l.PartnershipLeads) > 0 && !reflect.DeepEqual(d.PartnershipID, l.PartnershipLeads[0].PartnershipID) {
			t.Fatalf("deal %d: partnership_id %v, lead's %v", d.ID, d.PartnershipID, l.PartnershipLeads[0].PartnershipID)
		}
		if d.CreatedAt.Before(l.CreatedAt) {
			t.Fatalf("deal %d is older than its lead", d.ID)
		}
	}
	for _, l := range cfg.Leads {
		for _, pl := range l.PartnershipLeads {
			if !partnershipIDs[*pl.PartnershipID] {
				t.Fatalf("lead %d refers to partnership %d, which is not in the account", l.ID, *pl.PartnershipID)
			}
		}
	}
	for _, u := range cfg.PartnerUsers {
		if !partnerIDs[*u.CompanyID] {
			t.Fatalf("partner user %d of unknown company %d", u.ID, *u.CompanyID)
		}
	}
	for leadID := range cfg.Notes {
		if !slices.ContainsFunc(cfg.Leads, func(l Lead) bool { return l.ID == leadID }) {
			t.Fatalf("notes on unknown lead %d", leadID)
		}
	}
	roles := map[string]int{}
	disabled := 0
	for _, u := range cfg.Users {
		roles[*u.Role]++
		if u.DisabledAt != nil {
			disabled++
		}
	}
	if roles["admin"] == 0 || roles["indirect"] == 0 || disabled == 0 {
		t.Errorf("roles %v, %d disabled: want an admin, an indirect and a disabled user", roles, disabled)
	}
	associations := map[string]bool{}
	for _, tag := range cfg.TagDefinitions {
		associations[Deref(tag.Association)] = true
	}
	if len(associations) != 4 {
		t.Errorf("tag associations %v, want lead, lead_deal, partner and card", associations)
	}
	types := map[string]bool{}
	for _, f := range cfg.CustomFields {
		types[*f.Type] = true
		if (f.Options != nil) != (*f.Type == "select" || *f.Type == "multi_select") {
			t.Errorf("custom field %d of type %s has options %v", f.ID, *f.Type, f.Options)
		}
	}
	if len(types) != 7 {
		t.Errorf("custom field types %v, want all 7", types)
	}
	if len(GenerateAccount(0, 1).Leads) != 0 {
		t.Error("an account of 0 leads has leads")
	}
}
