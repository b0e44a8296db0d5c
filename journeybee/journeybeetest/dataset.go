package journeybeetest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// dataset is every endpoint's collection.
type dataset struct {
	leads        *collection[Lead]
	deals        *collection[LeadDeal]
	partnerships *collection[Partnership]
	partnerUsers *collection[PartnerUser]
	users        *collection[User]
	dealStages   *collection[DealStage]
	partnerStage *collection[PartnerStage]
	tags         *collection[TagDefinition]
	customFields *collection[CustomField]
	tiers        *collection[Tier]
	categories   *collection[Category]
	notes        *collection[leadNote]

	// customValues and dealCustomValues are normalised through JSON.
	customValues, dealCustomValues map[int64]map[int64]any
}

// leadNote is a note with the lead it is on, which the reply does not carry.
type leadNote struct {
	leadID int64
	Note
}

func newDataset(cfg Config) dataset {
	d := dataset{
		leads: &collection[Lead]{
			id:        func(l *Lead) int64 { return l.ID },
			createdAt: func(l *Lead) time.Time { return l.CreatedAt },
			prepare:   prepareLead,
			synthetic: syntheticLead,
		},
		deals: &collection[LeadDeal]{
			id:        func(d *LeadDeal) int64 { return d.ID },
			createdAt: func(d *LeadDeal) time.Time { return d.CreatedAt },
			prepare:   prepareDeal,
			synthetic: syntheticDeal,
		},
		partnerships: &collection[Partnership]{
			id:        func(p *Partnership) int64 { return p.ID },
			createdAt: func(p *Partnership) time.Time { return p.Partnership.CreatedAt },
			prepare:   preparePartnership,
			synthetic: syntheticPartnership,
		},
		partnerUsers: plainList(func(u *PartnerUser) int64 { return u.ID }),
		users:        plainList(func(u *User) int64 { return u.ID }),
		dealStages:   plainList(func(st *DealStage) int64 { return st.ID }),
		partnerStage: plainList(func(st *PartnerStage) int64 { return st.ID }),
		tags:         plainList(func(t *TagDefinition) int64 { return t.ID }),
		customFields: plainList(func(f *CustomField) int64 { return f.ID }),
		tiers:        plainList(func(t *Tier) int64 { return t.ID }),
		categories:   plainList(func(c *Category) int64 { return c.ID }),
		notes:        plainList(func(n *leadNote) int64 { return n.ID }),

		customValues:     normaliseCustomValues(cfg.CustomFieldValues),
		dealCustomValues: normaliseCustomValues(cfg.DealCustomFieldValues),
	}
	// Stages are served in pipeline order (the reference's inference).
	bySeries := func(a, b *int) int { return cmp.Compare(Deref(a), Deref(b)) }
	d.dealStages.order = func(a, b *DealStage) int { return bySeries(a.Series, b.Series) }
	d.partnerStage.order = func(a, b *PartnerStage) int { return bySeries(a.Series, b.Series) }
	// Notes: the order is not documented; the fake serves newest first.
	d.notes.order = func(a, b *leadNote) int {
		return cmp.Compare(Deref(b.CreatedAt).UnixNano(), Deref(a.CreatedAt).UnixNano())
	}

	d.leads.replace(cfg.Leads)
	d.deals.replace(cfg.Deals)
	d.partnerships.replace(cfg.Partnerships)
	d.partnerUsers.replace(cfg.PartnerUsers)
	d.users.replace(cfg.Users)
	d.dealStages.replace(cfg.DealStages)
	d.partnerStage.replace(cfg.PartnerStages)
	d.tags.replace(cfg.TagDefinitions)
	d.customFields.replace(cfg.CustomFields)
	d.tiers.replace(cfg.Tiers)
	d.categories.replace(cfg.Categories)
	d.notes.replace(flattenNotes(cfg.Notes))
	return d
}

func plainList[T any](id func(*T) int64) *collection[T] { return &collection[T]{id: id} }

// dropDatasetFromConfig forgets the caller's slices: the collections hold
// the dataset.
func (s *Server) dropDatasetFromConfig() {
	c := &s.cfg
	c.Leads, c.Deals, c.Partnerships, c.PartnerUsers, c.Users = nil, nil, nil, nil, nil
	c.DealStages, c.PartnerStages, c.TagDefinitions, c.CustomFields, c.Tiers, c.Categories = nil, nil, nil, nil, nil, nil
	c.Notes, c.CustomFieldValues, c.DealCustomFieldValues = nil, nil, nil
}

// Leads returns the leads in serving order (newest first). Do not modify
// what their pointers point to.
func (s *Server) Leads() []Lead { return s.data.leads.all() }

// Deals returns the deals in serving order (newest first).
func (s *Server) Deals() []LeadDeal { return s.data.deals.all() }

// Partnerships returns the partnerships in serving order (newest first).
func (s *Server) Partnerships() []Partnership { return s.data.partnerships.all() }

// UpdateLeads replaces the leads with fn's result, atomically: fn gets a
// copy in serving order, and the result is sorted and normalised as
// Config.Leads is. A request in flight finishes with the data it started
// with. Pair it with Config.BeforeRequest to change the data between pages.
func (s *Server) UpdateLeads(fn func([]Lead) []Lead) { s.data.leads.update(fn) }

// UpdateDeals is UpdateLeads for the deals.
func (s *Server) UpdateDeals(fn func([]LeadDeal) []LeadDeal) { s.data.deals.update(fn) }

func prepareLead(l *Lead) {
	l.Total = 0
	l.Tags = orEmpty(l.Tags)
	l.AssignedUsers = orEmpty(l.AssignedUsers)
	l.PartnershipLeads = orEmpty(l.PartnershipLeads)
	l.CampaignPartners = orEmpty(l.CampaignPartners)
	l.LeadDeals = orEmpty(l.LeadDeals)
}

func prepareDeal(d *LeadDeal) {
	d.Total = 0
	d.Tags = orEmpty(d.Tags)
	d.AssignedUsers = orEmpty(d.AssignedUsers)
	d.AssociatedPartner = orEmpty(d.AssociatedPartner)
	d.CampaignPartners = orEmpty(d.CampaignPartners)
}

func preparePartnership(p *Partnership) {
	p.Total = 0
	p.AssignedUsers = orEmpty(p.AssignedUsers)
	p.Tags = orEmpty(p.Tags)
	p.CustomFields = orEmpty(p.CustomFields)
}

func syntheticLead(at time.Time) Lead {
	id := syntheticID(at)
	l := Lead{
		ID:          id,
		UUID:        new(fmt.Sprintf("synthetic-%d", id)),
		CreatedAt:   at.UTC(),
		Source:      new("synthetic"),
		CompanyName: new(fmt.Sprintf("Synthetic Lead %d", id)),
		Status:      "new",
		CompanyID:   CompanyID,
	}
	prepareLead(&l)
	return l
}

func syntheticDeal(at time.Time) LeadDeal {
	id := syntheticID(at)
	d := LeadDeal{ID: id, UUID: new(fmt.Sprintf("synthetic-%d", id)), CreatedAt: at.UTC(), Label: new(fmt.Sprintf("Synthetic Deal %d", id)), LeadID: id, CompanyID: CompanyID}
	prepareDeal(&d)
	return d
}

func syntheticPartnership(at time.Time) Partnership {
	id := syntheticID(at)
	p := Partnership{ID: id, Partnership: PartnershipInfo{ID: id, CreatedAt: at.UTC(), Stage: new("accepted")}}
	preparePartnership(&p)
	return p
}

// flattenNotes lists every note with its lead, in lead id order so that
// the serving order does not depend on map iteration.
func flattenNotes(byLead map[int64][]Note) []leadNote {
	leadIDs := make([]int64, 0, len(byLead))
	for id := range byLead {
		leadIDs = append(leadIDs, id)
	}
	slices.Sort(leadIDs)
	var out []leadNote
	for _, id := range leadIDs {
		for _, n := range byLead[id] {
			out = append(out, leadNote{leadID: id, Note: n})
		}
	}
	return out
}

// normaliseCustomValues round-trips every value through JSON so that an
// int in the config equals the float64 a filter decodes to.
func normaliseCustomValues(in map[int64]map[int64]any) map[int64]map[int64]any {
	out := make(map[int64]map[int64]any, len(in))
	for recordID, fields := range in {
		norm := make(map[int64]any, len(fields))
		for fieldID, v := range fields {
			b, err := json.Marshal(v)
			if err != nil {
				panic(fmt.Sprintf("journeybeetest: custom field %d of record %d does not encode as JSON: %v", fieldID, recordID, err))
			}
			var n any
			_ = json.Unmarshal(b, &n) // what Marshal wrote always decodes
			norm[fieldID] = n
		}
		out[recordID] = norm
	}
	return out
}
