package journeybeetest

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"
)

// PagingMode says how the fake reads the cursor.
type PagingMode int

const (
	// PagingExclusive serves the leads created strictly before the cursor
	// (the default, and the natural reading of the reference).
	PagingExclusive PagingMode = iota
	// PagingInclusive serves the leads created at or before the cursor, so
	// the boundary lead comes again at the top of the next page.
	PagingInclusive
	// PagingIgnoreCursor always serves the first page: a cursor that never
	// advances.
	PagingIgnoreCursor
	// PagingPastTotal pages exclusively, but once the real leads are
	// exhausted it keeps serving full pages of ever older synthetic leads,
	// while total still counts the real ones. Synthetic leads ignore the
	// filters.
	PagingPastTotal
)

func (m PagingMode) String() string {
	switch m {
	case PagingExclusive:
		return "exclusive"
	case PagingInclusive:
		return "inclusive"
	case PagingIgnoreCursor:
		return "ignore-cursor"
	case PagingPastTotal:
		return "past-total"
	}
	return "PagingMode(" + strconv.Itoa(int(m)) + ")"
}

// ParsePagingMode reads the names String returns.
func ParsePagingMode(s string) (PagingMode, error) {
	for _, m := range []PagingMode{PagingExclusive, PagingInclusive, PagingIgnoreCursor, PagingPastTotal} {
		if m.String() == s {
			return m, nil
		}
	}
	return 0, fmt.Errorf("unknown paging mode %q: want exclusive, inclusive, ignore-cursor or past-total", s)
}

// selectionCacheSize bounds how many filtered selections are kept; paging
// through one filter hits the same entry on every page.
const selectionCacheSize = 16

// selection is the leads a filter matches, in serving order.
type selection struct {
	leads []Lead
	// idx lists positions in leads; nil means every lead.
	idx []int32
	// byCreatedAt reports that the order is leads' own (newest first), so a
	// cursor position can be binary-searched.
	byCreatedAt bool
}

func (sel selection) len() int {
	if sel.idx == nil {
		return len(sel.leads)
	}
	return len(sel.idx)
}

func (sel selection) at(i int) *Lead {
	if sel.idx == nil {
		return &sel.leads[i]
	}
	return &sel.leads[sel.idx[i]]
}

// selectionFor returns the leads f matches. Filtered selections are cached
// so that paging through one query scans the dataset once.
func (s *Server) selectionFor(f *leadFilter) selection {
	if f.isZero() {
		return selection{leads: s.leads, byCreatedAt: true}
	}
	key := f.key()
	sel := selection{leads: s.leads, byCreatedAt: !f.sortByStatus}
	s.cacheMu.Lock()
	idx, ok := s.cache[key]
	s.cacheMu.Unlock()
	if ok {
		sel.idx = idx
		return sel
	}

	idx = []int32{}
	for i := range s.leads {
		if f.matches(&s.leads[i], s.customValues[s.leads[i].ID]) {
			idx = append(idx, int32(i))
		}
	}
	if f.sortByStatus {
		// Stable, so leads of one status stay newest first.
		slices.SortStableFunc(idx, func(a, b int32) int {
			c := cmp.Compare(statusRank(s.leads[a].Status), statusRank(s.leads[b].Status))
			if !f.statusAsc {
				c = -c
			}
			return c
		})
	}

	s.cacheMu.Lock()
	if _, ok := s.cache[key]; !ok {
		if len(s.cacheLRU) >= selectionCacheSize {
			delete(s.cache, s.cacheLRU[0])
			s.cacheLRU = s.cacheLRU[1:]
		}
		s.cache[key] = idx
		s.cacheLRU = append(s.cacheLRU, key)
	}
	s.cacheMu.Unlock()
	sel.idx = idx
	return sel
}

// pageReply is a page of leads not yet encoded, so shaping faults can
// still change it.
type pageReply struct {
	items     []Lead
	total     int
	sel       selection
	cursor    time.Time
	hasCursor bool
}

// page picks the leads of one page. The cursor rule lives here: the page
// holds the first PageSize leads of the selection created before the cursor
// (at or before it with PagingInclusive).
func (s *Server) page(f *leadFilter, cursor time.Time, hasCursor bool) *pageReply {
	sel := s.selectionFor(f)
	n := sel.len()
	p := &pageReply{total: n, sel: sel, cursor: cursor, hasCursor: hasCursor}

	mode := s.cfg.Paging
	useCursor := hasCursor && mode != PagingIgnoreCursor
	inPage := func(l *Lead) bool {
		if !useCursor {
			return true
		}
		if mode == PagingInclusive {
			return !l.CreatedAt.After(cursor)
		}
		return l.CreatedAt.Before(cursor)
	}

	var picked []*Lead
	if sel.byCreatedAt {
		start := sort.Search(n, func(i int) bool { return inPage(sel.at(i)) })
		for i := start; i < n && len(picked) < s.cfg.PageSize; i++ {
			picked = append(picked, sel.at(i))
		}
	} else {
		for i := 0; i < n && len(picked) < s.cfg.PageSize; i++ {
			if l := sel.at(i); inPage(l) {
				picked = append(picked, l)
			}
		}
	}

	p.items = make([]Lead, len(picked))
	for i, l := range picked {
		p.items[i] = *l
		p.items[i].Total = n
	}
	if len(p.items) == 0 && mode == PagingPastTotal {
		before := cursor
		if !useCursor {
			before = s.oldestCreatedAt()
		}
		p.items = syntheticLeads(before, s.cfg.PageSize, n)
	}
	return p
}

func (s *Server) oldestCreatedAt() time.Time {
	if len(s.leads) == 0 {
		return ReferenceTime
	}
	return s.leads[len(s.leads)-1].CreatedAt
}

// newerThan returns the oldest lead of sel created after cursor, or a
// synthetic one a second after the cursor when there is none.
func (s *Server) newerThan(sel selection, cursor time.Time) Lead {
	var found *Lead
	if sel.byCreatedAt {
		if j := sort.Search(sel.len(), func(i int) bool { return !sel.at(i).CreatedAt.After(cursor) }); j > 0 {
			found = sel.at(j - 1)
		}
	} else {
		for i := range sel.len() {
			if l := sel.at(i); l.CreatedAt.After(cursor) && (found == nil || l.CreatedAt.Before(found.CreatedAt)) {
				found = l
			}
		}
	}
	if found != nil {
		return *found
	}
	return syntheticLead(cursor.Add(time.Second), 0)
}

// syntheticIDBase keeps synthetic lead ids clear of any realistic dataset;
// a synthetic lead's id is this plus its created_at in Unix seconds.
const syntheticIDBase = 1_000_000_000_000

// syntheticLeads returns n leads a minute apart, the first a minute before
// before, each claiming total.
func syntheticLeads(before time.Time, n, total int) []Lead {
	leads := make([]Lead, n)
	for k := range leads {
		leads[k] = syntheticLead(before.Add(-time.Duration(k+1)*time.Minute), total)
	}
	return leads
}

func syntheticLead(at time.Time, total int) Lead {
	id := syntheticIDBase + at.Unix()
	return Lead{
		Total:            total,
		ID:               id,
		UUID:             ptr(fmt.Sprintf("synthetic-%d", id)),
		CreatedAt:        at.UTC(),
		Source:           ptr("synthetic"),
		CompanyName:      ptr(fmt.Sprintf("Synthetic Lead %d", id)),
		Status:           "new",
		CompanyID:        CompanyID,
		Tags:             []Tag{},
		AssignedUsers:    []AssignedUser{},
		PartnershipLeads: []PartnershipLead{},
		CampaignPartners: []CampaignPartner{},
		LeadDeals:        []LeadDealSummary{},
	}
}

// sortedLeads copies leads newest first (ties: higher id first) with nil
// arrays made empty, as the API sends [] rather than null.
func sortedLeads(in []Lead) []Lead {
	leads := slices.Clone(in)
	for i := range leads {
		l := &leads[i]
		l.Total = 0
		l.Tags = orEmpty(l.Tags)
		l.AssignedUsers = orEmpty(l.AssignedUsers)
		l.PartnershipLeads = orEmpty(l.PartnershipLeads)
		l.CampaignPartners = orEmpty(l.CampaignPartners)
		l.LeadDeals = orEmpty(l.LeadDeals)
	}
	slices.SortFunc(leads, func(a, b Lead) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	return leads
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
