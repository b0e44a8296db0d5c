package modtest

import (
	"cmp"
	"fmt"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"slices"
	"strconv"
	"strings"
	"time"
)

// row is one result row: column name → value (numbers as float64, text,
// nil, time.Time for timestamps).
type row map[string]any

// oracle computes each query's answer from the dataset as of now.
type oracle struct {
	leads        []lead
	deals        []leadDeal
	partnerships []partnerRecord
	now          time.Time
}

// expected answers each query of the mod, by name. A query of the mod with
// no entry here fails the test.
var expected = map[string]func(o *oracle, args []string) []row{
	"lead_assigned_user_input": func(o *oracle, _ []string) []row {
		opts := map[string]string{}
		for _, l := range o.byCreated((*lead).open) {
			for _, u := range l.users {
				opts[u.name()+" <"+journeybeetest.Deref(u.emailAddr)+">"] = fmt.Sprint(u.id)
			}
		}
		return options("All users", opts)
	},
	"lead_tag_input": func(o *oracle, _ []string) []row {
		opts := map[string]string{}
		for _, l := range o.byCreated((*lead).open) {
			for _, tg := range l.tags {
				opts[tg.label] = fmt.Sprint(tg.id)
			}
		}
		return options("All tags", opts)
	},
	"partner_input": func(o *oracle, _ []string) []row {
		opts := map[string]string{}
		for _, l := range o.leads {
			for _, s := range l.senders() {
				opts[s] = s
			}
		}
		return options("All partners", opts)
	},
	"lead_input": func(o *oracle, _ []string) []row {
		leads := slices.Clone(o.leads)
		slices.SortFunc(leads, func(a, b lead) int {
			return cmp.Or(b.created.Compare(a.created), cmp.Compare(b.id, a.id))
		})
		var out []row
		for _, l := range leads {
			out = append(out, row{"label": fmt.Sprintf("%s (#%d)", l.title(), l.id), "value": fmt.Sprint(l.id)})
		}
		return out
	},

	// Status report.
	"lead_status_count": func(o *oracle, a []string) []row {
		n := o.count(func(l *lead) bool { return l.status == a[0] })
		return []row{{"label": initcap(a[0]), "value": n}}
	},
	"lead_stale_new_count":           staleNewCount,
	"lead_dashboard_stale_new_count": staleNewCount,
	"lead_open_table": func(o *oracle, a []string) []row {
		var out []row
		for _, l := range o.byCreated(func(l *lead) bool { return l.open() && l.hasUser(a[0]) && l.hasTag(a[1]) }) {
			updated := l.created
			if l.updated != nil {
				updated = *l.updated
			}
			out = append(out, row{
				"Lead": l.title(), "Status": l.status, "Age in Days": o.age(l.created), "Days Since Update": o.age(updated),
				"Assignees": assignees(l.users), "Sending Partner": joinSorted(l.senders()), "Source": ptrValue(l.source),
				"Created": l.created, "ID": l.id,
			})
		}
		return out
	},

	// Unassigned report.
	"lead_unassigned_count": unassignedCount,
	"lead_unassigned_age_count": func(o *oracle, a []string) []row {
		n := o.count(func(l *lead) bool { return l.open() && len(l.users) == 0 && o.agedBetween(l.created, a[1], a[2]) })
		return []row{{"label": a[0], "value": n}}
	},
	"lead_unassigned_table": func(o *oracle, _ []string) []row {
		var out []row
		for _, l := range o.byCreated(func(l *lead) bool { return l.open() && len(l.users) == 0 }) {
			out = append(out, row{
				"Lead": l.title(), "Status": l.status, "Age in Days": o.age(l.created), "Source": ptrValue(l.source),
				"Sending Partner": joinSorted(l.senders()), "Email": ptrValue(l.email), "Created": l.created, "ID": l.id,
			})
		}
		return out
	},

	// Age report.
	"lead_open_count": func(o *oracle, _ []string) []row {
		return []row{{"label": "Open Leads", "value": o.count((*lead).open)}}
	},
	"lead_open_age_count": func(o *oracle, a []string) []row {
		n := o.count(func(l *lead) bool { return l.open() && o.agedBetween(l.created, a[1], a[2]) })
		return []row{{"label": a[0], "value": n}}
	},

	// Lead dashboard.
	"lead_count": func(o *oracle, _ []string) []row {
		return []row{{"label": "Leads", "value": len(o.leads)}}
	},
	"lead_received_count": func(o *oracle, _ []string) []row {
		return []row{{"label": "Partner-Sourced Leads", "value": o.count(func(l *lead) bool { return len(l.senders()) > 0 })}}
	},
	"lead_by_source": func(o *oracle, _ []string) []row {
		return o.countBy("Source", func(l *lead) []any { return []any{ptrValue(l.source)} })
	},
	"lead_by_view": func(o *oracle, _ []string) []row {
		return o.countBy("View", func(l *lead) []any {
			var views []any
			for _, dir := range []string{"received", "sent"} {
				if slices.ContainsFunc(l.partnerships, func(p partnership) bool { return p.direction == dir }) {
					views = append(views, dir)
				}
			}
			if journeybeetest.Deref(l.partnerType) == "reseller" {
				views = append(views, "reseller")
			}
			if l.campaignID != nil {
				views = append(views, "campaigns")
			}
			return views
		})
	},
	"lead_by_partner_type": func(o *oracle, _ []string) []row {
		return o.countBy("Partner Type", func(l *lead) []any {
			if l.partnerType == nil {
				return []any{"none"}
			}
			return []any{*l.partnerType}
		})
	},
	"lead_by_tag": func(o *oracle, _ []string) []row {
		return o.countBy("Tag", func(l *lead) []any {
			var labels []any
			for _, tg := range l.tags {
				labels = append(labels, tg.label)
			}
			return labels
		})
	},
	"lead_by_month": func(o *oracle, _ []string) []row {
		months := map[string]row{}
		for _, l := range o.leads {
			m := month(l.created)
			r := months[m]
			if r == nil {
				r = row{"Month": m, "Leads": 0, "Open": 0, "Converted": 0, "Lost": 0}
				months[m] = r
			}
			r["Leads"] = r["Leads"].(int) + 1
			switch {
			case l.open():
				r["Open"] = r["Open"].(int) + 1
			case l.status == "converted":
				r["Converted"] = r["Converted"].(int) + 1
			case l.status == "lost":
				r["Lost"] = r["Lost"].(int) + 1
			}
		}
		return sortedRows(months)
	},

	// Partner-sourced pipeline report.
	"partner_sourced_lead_count": func(o *oracle, a []string) []row {
		ids := map[int64]bool{}
		for _, s := range o.sourced(a[0]) {
			ids[s.lead.id] = true
		}
		return []row{{"label": "Partner-Sourced Leads", "value": len(ids)}}
	},
	"partner_sourced_deal_count": func(o *oracle, a []string) []row {
		n := 0
		for _, s := range o.sourced(a[0]) {
			for _, d := range s.lead.deals {
				if a[2] == "all" || journeybeetest.Deref(d.phase) == a[2] {
					n++
				}
			}
		}
		return []row{{"label": a[1], "value": n}}
	},
	"partner_sourced_by_partner": func(o *oracle, a []string) []row {
		groups := map[string]row{}
		for _, s := range o.sourced(a[0]) {
			r := groups[s.partner]
			if r == nil {
				r = row{"Partner": s.partner, "Partner Type": s.partnerType, "Leads": 0, "Open Leads": 0, "Converted": 0, "Deals": 0}
				groups[s.partner] = r
			}
			r["Leads"] = r["Leads"].(int) + 1
			r["Deals"] = r["Deals"].(int) + len(s.lead.deals)
			if s.lead.open() {
				r["Open Leads"] = r["Open Leads"].(int) + 1
			}
			if s.lead.status == "converted" {
				r["Converted"] = r["Converted"].(int) + 1
			}
		}
		out := sortedRows(groups)
		slices.SortStableFunc(out, func(x, y row) int { return cmp.Compare(y["Leads"].(int), x["Leads"].(int)) })
		return out
	},
	"partner_sourced_won_lost": func(o *oracle, a []string) []row {
		groups := map[string]row{}
		for _, s := range o.sourced(a[0]) {
			for _, d := range s.lead.deals {
				r := groups[s.partner]
				if r == nil {
					r = row{"Partner": s.partner, "Won": 0, "Lost": 0}
					groups[s.partner] = r
				}
				switch journeybeetest.Deref(d.phase) {
				case "closed_won":
					r["Won"] = r["Won"].(int) + 1
				case "closed_lost":
					r["Lost"] = r["Lost"].(int) + 1
				}
			}
		}
		return sortedRows(groups)
	},
	"partner_sourced_value_by_partner": func(o *oracle, a []string) []row {
		return o.dealValue(a[0], "Partner", func(s sourcedLead) string { return s.partner }, false)
	},
	"partner_sourced_value_by_month": func(o *oracle, a []string) []row {
		return o.dealValue(a[0], "Month", func(s sourcedLead) string { return month(s.lead.created) }, true)
	},
	"partner_sourced_by_stage": func(o *oracle, a []string) []row {
		groups := map[string]row{}
		for _, s := range o.sourced(a[0]) {
			for _, d := range s.lead.deals {
				// order by stage_series (NULL last), currency.
				series := "~"
				if d.series != nil {
					series = fmt.Sprintf("%09d", *d.series)
				}
				key := fmt.Sprintf("%s\x00%s\x00%s\x00%s", series, d.currency, journeybeetest.Deref(d.stage), journeybeetest.Deref(d.phase))
				r := groups[key]
				if r == nil {
					r = row{"Stage": ptrValue(d.stage), "Phase": ptrValue(d.phase), "Currency": d.currency, "Deals": 0, "Value": nil}
					groups[key] = r
				}
				r["Deals"] = r["Deals"].(int) + 1
				if d.value != nil {
					// sum(): NULL over NULLs only.
					v, _ := r["Value"].(float64)
					r["Value"] = v + *d.value
				}
			}
		}
		return sortedRows(groups)
	},
	"partner_sourced_by_month": func(o *oracle, a []string) []row {
		groups := map[string]row{}
		leads := map[string]map[int64]bool{}
		converted := map[string]map[int64]bool{}
		for _, s := range o.sourced(a[0]) {
			m := month(s.lead.created)
			r := groups[m]
			if r == nil {
				r = row{"Month": m, "Deals": 0}
				groups[m], leads[m], converted[m] = r, map[int64]bool{}, map[int64]bool{}
			}
			leads[m][s.lead.id] = true
			if s.lead.status == "converted" {
				converted[m][s.lead.id] = true
			}
			r["Deals"] = r["Deals"].(int) + len(s.lead.deals)
			r["Leads"], r["Converted"] = len(leads[m]), len(converted[m])
		}
		return sortedRows(groups)
	},

	// Lead detail.
	"lead_detail_status": func(o *oracle, a []string) []row {
		return o.detail(a[0], func(l *lead) []row {
			typ := "info"
			switch l.status {
			case "converted":
				typ = "ok"
			case "lost":
				typ = "alert"
			}
			return []row{{"label": "Status", "value": initcap(l.status), "type": typ}}
		})
	},
	"lead_detail_age": func(o *oracle, a []string) []row {
		return o.detail(a[0], func(l *lead) []row { return []row{{"label": "Age in Days", "value": o.age(l.created)}} })
	},
	"lead_detail_deal_count": func(o *oracle, a []string) []row {
		return o.detail(a[0], func(l *lead) []row { return []row{{"label": "Deals", "value": len(l.deals)}} })
	},
	"lead_detail_overview": func(o *oracle, a []string) []row {
		return o.detail(a[0], func(l *lead) []row {
			var updated any
			if l.updated != nil {
				updated = *l.updated
			}
			return []row{{
				"Title": l.title(), "ID": l.id, "Status": l.status, "Source": ptrValue(l.source), "Company": ptrValue(l.company),
				"Email": ptrValue(l.email), "Partner Type": ptrValue(l.partnerType), "Campaign": ptrValue(l.campaignTitle),
				"Created": l.created, "Updated": updated,
			}}
		})
	},
	"lead_detail_assignees": func(o *oracle, a []string) []row {
		return o.detail(a[0], func(l *lead) []row {
			var out []row
			for _, u := range l.users {
				out = append(out, row{"Name": u.name(), "Email": ptrValue(u.emailAddr)})
			}
			sortBy(out, "Name")
			return out
		})
	},
	"lead_detail_tags": func(o *oracle, a []string) []row {
		return o.detail(a[0], func(l *lead) []row {
			var out []row
			for _, tg := range l.tags {
				out = append(out, row{"Tag": tg.label})
			}
			sortBy(out, "Tag")
			return out
		})
	},
	"lead_detail_partners": func(o *oracle, a []string) []row {
		return o.detail(a[0], func(l *lead) []row {
			var out []row
			for _, p := range l.partnerships {
				out = append(out, row{"Direction": initcap(p.direction), "From": p.sentBy, "To": p.receivedBy, "Partner Type": p.partnerType, "At": p.at})
			}
			for _, c := range l.campaignPeers {
				out = append(out, row{"Direction": "Campaign", "From": c, "To": nil, "Partner Type": ptrValue(l.partnerType), "At": nil})
			}
			sortBy(out, "Direction", "From")
			return out
		})
	},
	"lead_detail_deals": func(o *oracle, a []string) []row {
		return o.detail(a[0], func(l *lead) []row {
			var out []row
			for _, d := range l.deals {
				var value any
				if d.value != nil {
					value = *d.value
				}
				out = append(out, row{"Deal": d.label, "Stage": ptrValue(d.stage), "Phase": ptrValue(d.phase), "Value": value, "Currency": d.currency})
			}
			sortBy(out, "Deal")
			return out
		})
	},
}

func (o *oracle) count(keep func(*lead) bool) int {
	n := 0
	for i := range o.leads {
		if keep(&o.leads[i]) {
			n++
		}
	}
	return n
}

// byCreated returns the leads kept, oldest first (ties by id).
func (o *oracle) byCreated(keep func(*lead) bool) []*lead {
	var out []*lead
	for i := range o.leads {
		if keep(&o.leads[i]) {
			out = append(out, &o.leads[i])
		}
	}
	slices.SortFunc(out, func(a, b *lead) int { return cmp.Or(a.created.Compare(b.created), cmp.Compare(a.id, b.id)) })
	return out
}

// countBy counts leads per key (a lead may have several keys), most first,
// ties by key.
func (o *oracle) countBy(column string, keys func(*lead) []any) []row {
	return countRows(o.leads, column, "Leads", keys)
}

// countRows counts items per key in column (an item may have several
// keys; a nil key is NULL) as countColumn, most first, ties by key with
// NULL last.
func countRows[T any](items []T, column, countColumn string, keys func(*T) []any) []row {
	counts := map[any]int{}
	for i := range items {
		for _, k := range keys(&items[i]) {
			counts[k]++
		}
	}
	var out []row
	for k, n := range counts {
		out = append(out, row{column: k, countColumn: n})
	}
	slices.SortFunc(out, func(x, y row) int {
		return cmp.Or(cmp.Compare(y[countColumn].(int), x[countColumn].(int)), compareNullsLast(x[column], y[column]))
	})
	return out
}

// sourcedLead is a lead and one partner that sent it to us.
type sourcedLead struct {
	lead                 *lead
	partner, partnerType string
}

func (o *oracle) sourced(partner string) []sourcedLead {
	var out []sourcedLead
	for i := range o.leads {
		for _, p := range o.leads[i].partnerships {
			if p.direction == "received" && (partner == "all" || p.sentBy == partner) {
				out = append(out, sourcedLead{lead: &o.leads[i], partner: p.sentBy, partnerType: p.partnerType})
			}
		}
	}
	return out
}

// dealValue sums the deals of partner-sourced leads per key (column) and
// currency, ordered by both, by phase: open (discovery, negotiation), won
// and lost; withCount adds the number of deals.
func (o *oracle) dealValue(partner, column string, key func(sourcedLead) string, withCount bool) []row {
	groups := map[string]row{}
	for _, s := range o.sourced(partner) {
		for _, d := range s.lead.deals {
			k := key(s) + "\x00" + d.currency
			r := groups[k]
			if r == nil {
				r = row{column: key(s), "Currency": d.currency, "Open Pipeline": 0.0, "Won": 0.0, "Lost": 0.0}
				if withCount {
					r["Deals"] = 0
				}
				groups[k] = r
			}
			if withCount {
				r["Deals"] = r["Deals"].(int) + 1
			}
			if col := phaseColumn(d.phase); col != "" && d.value != nil {
				r[col] = r[col].(float64) + *d.value
			}
		}
	}
	return sortedRows(groups)
}

func (o *oracle) detail(id string, rows func(*lead) []row) []row {
	for i := range o.leads {
		if fmt.Sprint(o.leads[i].id) == id {
			return rows(&o.leads[i])
		}
	}
	return nil
}

// age is extract(day from now() - t): whole days elapsed.
func (o *oracle) age(t time.Time) int64 { return int64(o.now.Sub(t) / (24 * time.Hour)) }

// daysAgo is now() - make_interval(days => n); in UTC a day is 24 hours.
func (o *oracle) daysAgo(days int) time.Time { return o.now.UTC().AddDate(0, 0, -days) }

// agedBetween is created_at <= now() - min days and > now() - max days.
func (o *oracle) agedBetween(created time.Time, minDays, maxDays string) bool {
	return !created.After(o.daysAgo(atoi(minDays))) && created.After(o.daysAgo(atoi(maxDays)))
}

func options(all string, opts map[string]string) []row {
	out := []row{{"label": all, "value": "all"}}
	labels := make([]string, 0, len(opts))
	for label := range opts {
		labels = append(labels, label)
	}
	slices.Sort(labels)
	for _, label := range labels {
		out = append(out, row{"label": label, "value": opts[label]})
	}
	return out
}

// sortedRows returns the map's rows in the order of their keys.
func sortedRows(m map[string]row) []row {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]row, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

func sortBy(rows []row, columns ...string) {
	slices.SortStableFunc(rows, func(x, y row) int {
		for _, c := range columns {
			if d := cmp.Compare(x[c].(string), y[c].(string)); d != 0 {
				return d
			}
		}
		return 0
	})
}

// unassignedCount is the unassigned open leads card.
// staleNewCount is the stale card: new leads created more than a[0] days
// ago, of user a[1] and tag a[2] ('all' for any).
func staleNewCount(o *oracle, a []string) []row {
	days := atoi(a[0])
	n := o.count(func(l *lead) bool {
		return l.status == "new" && l.created.Before(o.daysAgo(days)) && l.hasUser(a[1]) && l.hasTag(a[2])
	})
	return []row{{"label": fmt.Sprintf("New > %d Days", days), "value": n, "type": alertIf(n > 0)}}
}

func unassignedCount(o *oracle, _ []string) []row {
	n := o.count(func(l *lead) bool { return l.open() && len(l.users) == 0 })
	return []row{{"label": "Unassigned Open Leads", "value": n, "type": alertIf(n > 0)}}
}

// assignees are the assigned users' names, ordered by first then last name.
func assignees(list []user) any {
	users := slices.Clone(list)
	slices.SortFunc(users, func(a, b user) int {
		return cmp.Or(cmp.Compare(journeybeetest.Deref(a.first), journeybeetest.Deref(b.first)), cmp.Compare(journeybeetest.Deref(a.last), journeybeetest.Deref(b.last)))
	})
	names := make([]string, len(users))
	for i, u := range users {
		names[i] = u.name()
	}
	return stringAgg(names)
}

func joinSorted(list []string) any {
	list = slices.Clone(list)
	slices.Sort(list)
	return stringAgg(list)
}

// stringAgg is string_agg(x, ', '): NULL over no rows.
func stringAgg(list []string) any {
	if len(list) == 0 {
		return nil
	}
	return strings.Join(list, ", ")
}

func month(t time.Time) string { return t.UTC().Format("2006-01") }

func initcap(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + strings.ToLower(s[1:])
}

func alertIf(alert bool) string {
	if alert {
		return "alert"
	}
	return "ok"
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		panic(fmt.Sprintf("not a whole number of days: %q", s))
	}
	return n
}

func ptrValue(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

// phaseColumn is the value column of local.partner_deal_value_columns_sql a
// deal's phase adds to: open pipeline, won or lost (none for another or no
// phase).
func phaseColumn(phase *string) string {
	return map[string]string{"discovery": "Open Pipeline", "negotiation": "Open Pipeline", "closed_won": "Won", "closed_lost": "Lost"}[journeybeetest.Deref(phase)]
}

// compareNullsLast orders text as Postgres does in the C locale, NULL (nil)
// after every value.
func compareNullsLast(x, y any) int {
	switch {
	case x == nil && y == nil:
		return 0
	case x == nil:
		return 1
	case y == nil:
		return -1
	}
	return cmp.Compare(fmt.Sprint(x), fmt.Sprint(y))
}
