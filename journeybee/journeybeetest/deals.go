package journeybeetest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
)

// dealPhases are the deal-stage phases the phases filter accepts. The
// reference calls its items "phase IDs", but phases are strings: the fake
// reads them as phase names.
var dealPhases = []string{"discovery", "negotiation", "closed_won", "closed_lost"}

// dealFilter is a parsed GET /lead-deals query. Every field that is set
// must match (AND); list fields match any of their values.
type dealFilter struct {
	sharedFilter
	stageIDs []int64
	phases   []string
	// showPartnersStages is accepted and validated; the fake keeps one
	// stage set, so it does not change the reply.
	showPartnersStages bool
}

func parseDealFilter(q url.Values) (dealFilter, error) {
	var f dealFilter
	var err error
	// The deal views are named like the lead views.
	if f.sharedFilter, err = parseSharedFilter(q, LeadViews); err != nil {
		return f, err
	}
	if f.showPartnersStages, err = parseFlag(q, "showPartnersStages"); err != nil {
		return f, err
	}
	if f.stageIDs, err = parseIDs(q, "stages", "stage IDs"); err != nil {
		return f, err
	}
	for _, p := range csv(q, "phases") {
		if err := oneOf("phase", p, dealPhases); err != nil {
			return f, err
		}
		f.phases = append(f.phases, p)
	}
	return f, nil
}

// dealQuery is the GET /lead-deals parser. The view and the search look
// at the deal's lead, so the selection names the leads' version it used.
func (d *dataset) dealQuery(req apiRequest) (selector[LeadDeal], error) {
	f, err := parseDealFilter(req.query)
	if err != nil {
		return selector[LeadDeal]{}, err
	}
	if f.sharedFilter.isZero() && len(f.stageIDs) == 0 && len(f.phases) == 0 {
		return selector[LeadDeal]{}, nil
	}
	leads := d.leads.data()
	key, _ := json.Marshal([]any{f.search, f.view, f.assigned, f.unassigned, f.stageIDs, f.phases, f.tagIDs})
	return selector[LeadDeal]{
		key:  fmt.Sprintf("leads@%d %s", leads.generation, key),
		keep: func(deal *LeadDeal) bool { return f.matches(deal, leads.find(d.leads.id, deal.LeadID)) },
	}, nil
}

// matches applies every filter to deal; lead is its lead, nil if unknown.
func (f *dealFilter) matches(deal *LeadDeal, lead *Lead) bool {
	switch {
	case f.search != "" && !dealSearchMatches(deal, lead, f.search),
		f.view != "" && !dealViewMatches(deal, lead, f.view),
		!f.assignmentAndTagsMatch(deal.AssignedUsers, deal.Tags),
		len(f.stageIDs) > 0 && !idIn(deal.StageID, f.stageIDs),
		len(f.phases) > 0 && !slices.Contains(f.phases, Deref(deal.StagePhase)):
		return false
	}
	return true
}

// dealViewMatches is the fake's reading of the deal views, which the
// reference names like the lead views: received and sent are the views of
// the deal's lead; reseller is the deal's partner_type; campaigns means the
// deal has a campaign_id.
func dealViewMatches(deal *LeadDeal, lead *Lead, view string) bool {
	switch view {
	case "reseller":
		return Deref(deal.PartnerType) == "reseller"
	case "campaigns":
		return deal.CampaignID != nil
	}
	return lead != nil && viewMatches(lead, view)
}

// dealSearchMatches covers what the reference lists: the deal's name, its
// lead's company name, email and phone, the assigned users and the partner
// companies.
func dealSearchMatches(deal *LeadDeal, lead *Lead, needle string) bool {
	if anyContains(needle, deal.Label) || usersMatch(deal.AssignedUsers, needle) {
		return true
	}
	if lead != nil && anyContains(needle, lead.CompanyName, lead.Email, lead.PhoneNumber) {
		return true
	}
	return slices.ContainsFunc(deal.AssociatedPartner, func(p AssociatedPartner) bool { return anyContains(needle, p.CompanyName) })
}
