package modtest

import (
	"cmp"
	"fmt"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"maps"
	"slices"
)

// The partner leaderboard's answers, from GET /lead-deals and GET
// /partnerships.
func init() { maps.Copy(expected, leaderboardExpected) }

var leaderboardExpected = map[string]func(o *oracle, args []string) []row{
	"partner_leaderboard_partner_count": func(o *oracle, _ []string) []row {
		return []row{{"label": "Partners", "value": len(o.partnerships)}}
	},
	"partner_leaderboard_deal_count": func(o *oracle, _ []string) []row {
		return []row{{"label": "Deals", "value": len(o.deals)}}
	},
	"partner_leaderboard_phase_deal_count": func(o *oracle, a []string) []row {
		n := 0
		for _, d := range o.deals {
			if journeybeetest.Deref(d.phase) == a[1] {
				n++
			}
		}
		return []row{{"label": a[0], "value": n}}
	},
	"partner_leaderboard_value_by_partnership": func(o *oracle, args []string) []row {
		var out []row
		for _, g := range o.groupDeals(func(d *leadDeal, p *partnerRecord) []any {
			if args[0] != "all" && (p == nil || fmt.Sprint(p.partnershipID) != args[0]) {
				return nil
			}
			if p == nil {
				return []any{nil, nil, nil, nil, ptrValue(d.currency)}
			}
			return []any{p.partnershipID, ptrValue(p.name), ptrValue(p.partnerType), ptrValue(p.tier), ptrValue(d.currency)}
		}) {
			partner := g.key[1]
			if g.key[0] == nil {
				partner = "No partnership"
			}
			r := row{"Partner": partner, "Partnership ID": g.key[0], "Partner Type": g.key[2], "Tier": g.key[3], "Currency": g.key[4], "Deals": len(g.deals)}
			maps.Copy(r, valueColumns(g.deals))
			out = append(out, r)
		}
		slices.SortFunc(out, func(x, y row) int {
			return cmp.Or(cmp.Compare(y["Won"].(float64), x["Won"].(float64)), compareNullsLast(x["Partner"], y["Partner"]),
				compareIDs(x["Partnership ID"], y["Partnership ID"]), compareNullsLast(x["Currency"], y["Currency"]))
		})
		return out
	},
	"partner_leaderboard_by_phase": func(o *oracle, _ []string) []row {
		var out []row
		for _, g := range o.groupDeals(func(d *leadDeal, _ *partnerRecord) []any { return []any{ptrValue(d.phase), ptrValue(d.currency)} }) {
			phase := g.key[0]
			if phase == nil {
				phase = "none"
			}
			value := 0.0
			for _, d := range g.deals {
				if d.value != nil {
					value += *d.value
				}
			}
			out = append(out, row{"Phase": phase, "Currency": g.key[1], "Deals": len(g.deals), "Value": value, "position": phasePosition(g.key[0])})
		}
		slices.SortFunc(out, func(x, y row) int {
			return cmp.Or(cmp.Compare(x["position"].(int), y["position"].(int)), compareNullsLast(x["Phase"], y["Phase"]), compareNullsLast(x["Currency"], y["Currency"]))
		})
		for _, r := range out {
			delete(r, "position")
		}
		return out
	},
	"partner_leaderboard_value_by_tier": func(o *oracle, _ []string) []row {
		var out []row
		for _, g := range o.groupDeals(func(d *leadDeal, p *partnerRecord) []any {
			if p == nil {
				return nil // deals without a partnership are left out
			}
			tier := ptrValue(p.tier)
			if tier == nil {
				tier = "none"
			}
			return []any{tier, ptrValue(d.currency)}
		}) {
			partners := map[int64]bool{}
			for _, d := range g.deals {
				partners[*d.partnershipID] = true
			}
			r := row{"Tier": g.key[0], "Currency": g.key[1], "Partners": len(partners), "Deals": len(g.deals)}
			maps.Copy(r, valueColumns(g.deals))
			out = append(out, r)
		}
		slices.SortFunc(out, func(x, y row) int {
			return cmp.Or(compareNullsLast(x["Tier"], y["Tier"]), compareNullsLast(x["Currency"], y["Currency"]))
		})
		return out
	},
	"partner_leaderboard_won_lost_by_month": func(o *oracle, _ []string) []row {
		groups := map[string]row{}
		for _, d := range o.deals {
			m := month(d.created)
			r := groups[m]
			if r == nil {
				r = row{"Month": m, "Won": 0, "Lost": 0}
				groups[m] = r
			}
			switch journeybeetest.Deref(d.phase) {
			case "closed_won":
				r["Won"] = r["Won"].(int) + 1
			case "closed_lost":
				r["Lost"] = r["Lost"].(int) + 1
			}
		}
		return sortedRows(groups)
	},
	"partner_leaderboard_value_by_month": func(o *oracle, _ []string) []row {
		var out []row
		for _, g := range o.groupDeals(func(d *leadDeal, _ *partnerRecord) []any { return []any{month(d.created), ptrValue(d.currency)} }) {
			r := row{"Month": g.key[0], "Currency": g.key[1], "Deals": len(g.deals)}
			maps.Copy(r, valueColumns(g.deals))
			out = append(out, r)
		}
		slices.SortFunc(out, func(x, y row) int {
			return cmp.Or(compareNullsLast(x["Month"], y["Month"]), compareNullsLast(x["Currency"], y["Currency"]))
		})
		return out
	},
	"partner_leaderboard_by_tier": func(o *oracle, _ []string) []row {
		return o.countPartners("Tier", func(p *partnerRecord) *string { return p.tier })
	},
	"partner_leaderboard_by_category": func(o *oracle, _ []string) []row {
		return o.countPartners("Category", func(p *partnerRecord) *string { return p.category })
	},
}

// dealGroup is the deals that share a key.
type dealGroup struct {
	key   []any
	deals []*leadDeal
}

// groupDeals groups the deals by key, given each deal and the partnership
// it came through (nil when its partnership_id is NULL or names no
// partnership the user can see); a nil key leaves the deal out. Groups
// come in no particular order.
func (o *oracle) groupDeals(key func(*leadDeal, *partnerRecord) []any) []*dealGroup {
	byID := map[int64]*partnerRecord{}
	for i := range o.partnerships {
		byID[o.partnerships[i].partnershipID] = &o.partnerships[i]
	}
	var out []*dealGroup
	for i := range o.deals {
		d := &o.deals[i]
		var p *partnerRecord
		if d.partnershipID != nil {
			p = byID[*d.partnershipID]
		}
		k := key(d, p)
		if k == nil {
			continue
		}
		j := slices.IndexFunc(out, func(g *dealGroup) bool { return slices.Equal(g.key, k) })
		if j < 0 {
			out = append(out, &dealGroup{key: k})
			j = len(out) - 1
		}
		out[j].deals = append(out[j].deals, d)
	}
	return out
}

// valueColumns are local.partner_deal_value_columns_sql over deals.
func valueColumns(deals []*leadDeal) row {
	r := row{"Open Pipeline": 0.0, "Won": 0.0, "Lost": 0.0}
	for _, d := range deals {
		if col := phaseColumn(d.phase); col != "" && d.value != nil {
			r[col] = r[col].(float64) + *d.value
		}
	}
	return r
}

// phasePosition is the phase's place in the pipeline, unknown and NULL
// phases last.
func phasePosition(phase any) int {
	if i := slices.Index([]any{"discovery", "negotiation", "closed_won", "closed_lost"}, phase); i >= 0 {
		return i
	}
	return 99
}

// compareIDs orders int64 ids, NULL (nil) last.
func compareIDs(x, y any) int {
	switch {
	case x == nil || y == nil:
		return compareNullsLast(x, y)
	}
	return cmp.Compare(x.(int64), y.(int64))
}

// countPartners counts partnerships per label ("none" for NULL), most
// first, ties by label.
func (o *oracle) countPartners(column string, label func(*partnerRecord) *string) []row {
	return countRows(o.partnerships, column, "Partners", func(p *partnerRecord) []any {
		if v := label(p); v != nil {
			return []any{*v}
		}
		return []any{"none"}
	})
}
