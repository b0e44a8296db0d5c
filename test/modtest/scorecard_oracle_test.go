package modtest

import (
	"cmp"
	"fmt"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"maps"
	"slices"
)

// The partner scorecards' answers: lead flows per partnership from the
// leads' partnership_leads, deals from GET /lead-deals.
func init() { maps.Copy(expected, scorecardExpected) }

var scorecardExpected = map[string]func(o *oracle, args []string) []row{
	"partnership_input": func(o *oracle, _ []string) []row {
		opts := map[string]string{}
		for _, p := range o.partnerships {
			opts[p.displayName()] = fmt.Sprint(p.partnershipID)
		}
		return options("All partnerships", opts)
	},
	"partner_scorecard_table": func(o *oracle, args []string) []row {
		stale := o.daysAgo(atoi(args[1]))
		var out []row
		for _, p := range o.sortedPartnerships() {
			if args[0] != "all" && fmt.Sprint(p.partnershipID) != args[0] {
				continue
			}
			r := row{"Partner": p.displayName(), "Partnership ID": p.partnershipID, "Leads Received": 0, "Leads Sent": 0, "Received Past New": 0,
				"Received Converted": 0, "Open Received": 0, "Overdue Received": 0, "Deals": 0, "Won Deals": 0}
			add := func(column string) { r[column] = r[column].(int) + 1 }
			for _, l := range o.leads {
				for _, pl := range l.partnerships {
					if pl.partnershipID == nil || *pl.partnershipID != p.partnershipID {
						continue
					}
					if pl.direction == "sent" {
						add("Leads Sent")
					}
					if pl.direction != "received" {
						continue
					}
					add("Leads Received")
					if l.status != "new" {
						add("Received Past New")
					}
					if l.status == "converted" {
						add("Received Converted")
					}
					if l.open() {
						add("Open Received")
						if l.created.Before(stale) {
							add("Overdue Received")
						}
					}
				}
			}
			for _, d := range o.deals {
				if d.partnershipID != nil && *d.partnershipID == p.partnershipID {
					add("Deals")
					if journeybeetest.Deref(d.phase) == "closed_won" {
						add("Won Deals")
					}
				}
			}
			out = append(out, r)
		}
		slices.SortStableFunc(out, func(x, y row) int { return cmp.Compare(y["Leads Received"].(int), x["Leads Received"].(int)) })
		return out
	},
	"partner_open_leads_table": func(o *oracle, args []string) []row {
		stale := o.daysAgo(atoi(args[1]))
		var out []row
		for _, l := range o.byCreated(func(l *lead) bool {
			return l.open() && slices.ContainsFunc(l.partnerships, func(p partnership) bool {
				return p.direction == "received" && (args[0] == "all" || p.partnershipID != nil && fmt.Sprint(*p.partnershipID) == args[0])
			})
		}) {
			out = append(out, row{"Lead": l.title(), "Status": l.status, "Age in Days": o.age(l.created), "Overdue": l.created.Before(stale),
				"Assignees": assignees(l.users), "Created": l.created, "ID": l.id})
		}
		return out
	},
}
