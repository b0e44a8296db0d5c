package modtest

import (
	"cmp"
	"fmt"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

func init() { maps.Copy(expected, serviceLevelExpected) }

// serviceLevelExpected answers the lead_service_levels benchmark's control
// queries from the raw JSON: a row per lead, deal, partnership or currency
// with status, reason and dimensions.
var serviceLevelExpected = map[string]func(o *oracle, args []string) []row{
	"lead_partner_unassigned": func(o *oracle, args []string) []row {
		limit := atoi(args[0])
		return o.leadRows(func(l *lead) bool { return l.open() && len(l.users) == 0 && len(l.senders()) > 0 }, func(l *lead) (bool, string) {
			late := l.created.Before(o.now.Add(-time.Duration(limit) * time.Hour))
			return late, fmt.Sprintf("%s from %s: unassigned for %d hours, %s the %d-hour limit.", l.title(), joinSorted(l.senders()), o.since(l.created, time.Hour), overWithin(late), limit)
		})
	},
	"lead_partner_acceptance": func(o *oracle, args []string) []row {
		limit := atoi(args[0])
		return o.leadRows(func(l *lead) bool { return l.status == "new" && len(l.senders()) > 0 }, func(l *lead) (bool, string) {
			late := l.created.Before(o.now.Add(-time.Duration(limit) * time.Hour))
			return late, fmt.Sprintf("%s from %s: not accepted (still new) after %d hours, %s the %d-hour limit.", l.title(), joinSorted(l.senders()), o.since(l.created, time.Hour), overWithin(late), limit)
		})
	},
	"lead_new_stale": func(o *oracle, args []string) []row {
		limit := atoi(args[0])
		return o.leadRows(func(l *lead) bool { return l.status == "new" }, func(l *lead) (bool, string) {
			late := l.created.Before(o.daysAgo(limit))
			return late, fmt.Sprintf("%s: new for %d days, %s the %d-day limit.", l.title(), o.since(l.created, 24*time.Hour), overWithin(late), limit)
		})
	},
	"lead_qualified_without_deal": func(o *oracle, args []string) []row {
		limit := atoi(args[0])
		return o.leadRows(func(l *lead) bool { return l.status == "qualified" }, func(l *lead) (bool, string) {
			if len(l.deals) > 0 {
				return false, fmt.Sprintf("%s: qualified, %d deal(s).", l.title(), len(l.deals))
			}
			late := l.created.Before(o.daysAgo(limit))
			return late, fmt.Sprintf("%s: qualified, no deal after %d days, %s the %d-day limit.", l.title(), o.since(l.created, 24*time.Hour), overWithin(late), limit)
		})
	},
	"deal_open_without_value": func(o *oracle, _ []string) []row {
		var deals []*leadDeal
		for i := range o.deals {
			if p := journeybeetest.Deref(o.deals[i].phase); p == "discovery" || p == "negotiation" {
				deals = append(deals, &o.deals[i])
			}
		}
		slices.SortFunc(deals, func(a, b *leadDeal) int { return cmp.Or(a.created.Compare(b.created), cmp.Compare(a.id, b.id)) })
		var out []row
		for _, d := range deals {
			what := "value and currency set."
			switch {
			case d.value == nil && d.currency == nil:
				what = "no value and no currency."
			case d.value == nil:
				what = "no value."
			case d.currency == nil:
				what = "no currency."
			}
			name := cmp.Or(journeybeetest.Deref(d.label), fmt.Sprintf("Deal %d", d.id))
			var partner any
			if p := o.partnership(d.partnershipID); p != nil {
				partner = ptrValue(p.name)
			}
			out = append(out, row{
				"resource": fmt.Sprintf("deal:%d", d.id), "status": alarmIf(d.value == nil || d.currency == nil),
				"reason":  fmt.Sprintf("%s (%s): %s", name, cmp.Or(journeybeetest.Deref(d.stage), journeybeetest.Deref(d.phase)), what),
				"partner": orNone(partner), "assignee": orNone(assignees(d.users)), "tag": orNone(tagLabels(d.tags)),
			})
		}
		return out
	},
	"partnership_without_manager": func(o *oracle, _ []string) []row {
		var out []row
		for _, p := range o.sortedPartnerships() {
			reason := ": no partner manager assigned."
			if len(p.users) > 0 {
				reason = ": managed by " + assignees(p.users).(string) + "."
			}
			out = append(out, row{
				"resource": fmt.Sprintf("partnership:%d", p.partnershipID), "status": alarmIf(len(p.users) == 0),
				"reason":  p.displayName() + reason,
				"partner": orNone(ptrValue(p.name)), "assignee": orNone(assignees(p.users)), "tag": orNone(tagLabels(p.tags)),
			})
		}
		return out
	},
	"lead_duplicate_referral": func(o *oracle, args []string) []row {
		days := atoi(args[0])
		type referral struct {
			l                     *lead
			partner               string
			companyKey, domainKey string
		}
		var refs []referral
		for i := range o.leads {
			l := &o.leads[i]
			if !l.created.After(o.windowStart(days)) {
				continue
			}
			for _, s := range l.senders() {
				refs = append(refs, referral{l: l, partner: s, companyKey: companyKey(l.company), domainKey: emailDomainKey(l.email)})
			}
		}
		before := func(a, b referral) int {
			return cmp.Or(a.l.created.Compare(b.l.created), cmp.Compare(a.l.id, b.l.id), cmp.Compare(a.partner, b.partner))
		}
		slices.SortFunc(refs, before)
		var out []row
		for _, r := range refs {
			var first *referral
			for i := range refs {
				e := &refs[i]
				same := e.companyKey != "" && e.companyKey == r.companyKey || e.domainKey != "" && e.domainKey == r.domainKey
				earlier := e.l.created.Before(r.l.created) || e.l.created.Equal(r.l.created) && e.l.id < r.l.id
				if e.partner != r.partner && same && earlier {
					first = e // refs is sorted: the first match is the earliest
					break
				}
			}
			reason := fmt.Sprintf("first referral of this company in the last %d days.", days)
			if first != nil {
				reason = fmt.Sprintf("already referred by %s on %s (lead %d); the first referral wins.", first.partner, first.l.created.UTC().Format("2006-01-02"), first.l.id)
			}
			out = append(out, row{
				"resource": fmt.Sprintf("lead:%d", r.l.id), "status": alarmIf(first != nil),
				"reason":  fmt.Sprintf("%s from %s: %s", r.l.title(), r.partner, reason),
				"partner": r.partner, "assignee": orNone(assignees(r.l.users)), "tag": orNone(tagLabels(r.l.tags)),
			})
		}
		return out
	},
	"partner_pipeline_share": func(o *oracle, args []string) []row {
		target := atoi(args[0])
		partnerValue, total := map[string]float64{}, map[string]float64{}
		for _, d := range o.deals {
			if p := journeybeetest.Deref(d.phase); (p != "discovery" && p != "negotiation") || d.value == nil || d.currency == nil {
				continue
			}
			total[*d.currency] += *d.value
			if d.partnershipID != nil {
				partnerValue[*d.currency] += *d.value
			}
		}
		var out []row
		for _, c := range slices.Sorted(maps.Keys(total)) {
			status, reason := "info", "no open deal value."
			if t := total[c]; t != 0 {
				below := partnerValue[c]*100 < float64(target)*t
				status = alarmIf(below)
				reason = fmt.Sprintf("partners source %s%% of the open pipeline (%s of %s), %s the %d%% target.",
					roundText(partnerValue[c]*100/t), roundText(partnerValue[c]), roundText(t), map[bool]string{true: "below", false: "at or above"}[below], target)
			}
			out = append(out, row{"resource": "currency:" + c, "status": status, "reason": c + ": " + reason, "currency": c})
		}
		return out
	},
	"partner_lead_reciprocity": func(o *oracle, args []string) []row {
		days, minReceived, minPercent := atoi(args[0]), atoi(args[1]), atoi(args[2])
		received, sent := map[int64]int{}, map[int64]int{}
		for _, l := range o.leads {
			if !l.created.After(o.windowStart(days)) {
				continue
			}
			for _, p := range l.partnerships {
				if p.partnershipID == nil {
					continue
				}
				switch p.direction {
				case "received":
					received[*p.partnershipID]++
				case "sent":
					sent[*p.partnershipID]++
				}
			}
		}
		var out []row
		for _, p := range o.sortedPartnerships() {
			in, back := received[p.partnershipID], sent[p.partnershipID]
			status, verdict := "ok", fmt.Sprintf(", at least %d%% reciprocity.", minPercent)
			switch {
			case in < minReceived:
				status, verdict = "info", fmt.Sprintf(": too few to judge (fewer than %d).", minReceived)
			case back*100 < in*minPercent:
				status, verdict = "alarm", fmt.Sprintf(", below %d%% reciprocity.", minPercent)
			}
			out = append(out, row{
				"resource": fmt.Sprintf("partnership:%d", p.partnershipID), "status": status,
				"reason":  fmt.Sprintf("%s sent us %d lead(s) and got %d back in the last %d days%s", p.displayName(), in, back, days, verdict),
				"partner": orNone(ptrValue(p.name)), "assignee": orNone(assignees(p.users)), "tag": orNone(tagLabels(p.tags)),
			})
		}
		return out
	},
}

// leadRows are a lead control's rows: the leads in scope, oldest first,
// each with its verdict (alarm or ok) and reason, and its dimensions.
func (o *oracle) leadRows(inScope func(*lead) bool, verdict func(*lead) (bool, string)) []row {
	var out []row
	for _, l := range o.byCreated(inScope) {
		alarm, reason := verdict(l)
		out = append(out, row{
			"resource": fmt.Sprintf("lead:%d", l.id), "status": alarmIf(alarm), "reason": reason,
			"partner": orNone(joinSorted(l.senders())), "assignee": orNone(assignees(l.users)), "tag": orNone(tagLabels(l.tags)),
		})
	}
	return out
}

// since is the whole number of units from t to now (floor, as the
// queries' floor(extract(epoch ...) / unit)).
func (o *oracle) since(t time.Time, unit time.Duration) int64 {
	return int64(math.Floor(float64(o.now.Sub(t)) / float64(unit)))
}

// windowStart is date_trunc('day', now()) - days, in UTC (the test
// database's time zone).
func (o *oracle) windowStart(days int) time.Time {
	n := o.now.UTC()
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -days)
}

func (o *oracle) partnership(id *int64) *partnerRecord {
	for i := range o.partnerships {
		if id != nil && o.partnerships[i].partnershipID == *id {
			return &o.partnerships[i]
		}
	}
	return nil
}

func (o *oracle) sortedPartnerships() []*partnerRecord {
	out := make([]*partnerRecord, len(o.partnerships))
	for i := range o.partnerships {
		out[i] = &o.partnerships[i]
	}
	slices.SortFunc(out, func(a, b *partnerRecord) int { return cmp.Compare(a.partnershipID, b.partnershipID) })
	return out
}

func (p *partnerRecord) displayName() string {
	if p.name != nil {
		return *p.name
	}
	return fmt.Sprintf("Partnership %d", p.partnershipID)
}

func tagLabels(tags []tag) any {
	labels := make([]string, len(tags))
	for i, tg := range tags {
		labels[i] = tg.label
	}
	return joinSorted(labels)
}

// companyKey and emailDomainKey are what makes two referrals the same
// company: the trimmed, lower-cased name; the lower-cased email domain
// unless a mailbox provider's. "" matches nothing.
func companyKey(name *string) string {
	return strings.ToLower(strings.Trim(journeybeetest.Deref(name), " "))
}

var freeEmailDomains = []string{"gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "yahoo.com", "icloud.com", "aol.com", "proton.me", "protonmail.com", "gmx.com"}

func emailDomainKey(email *string) string {
	if email == nil {
		return ""
	}
	parts := strings.SplitN(strings.ToLower(*email), "@", 3)
	if len(parts) < 2 || slices.Contains(freeEmailDomains, parts[1]) {
		return ""
	}
	return parts[1]
}

// orNone is a control's dimension: 'none' for NULL.
func orNone(v any) any {
	if v == nil {
		return "none"
	}
	return v
}

func overWithin(over bool) string {
	if over {
		return "over"
	}
	return "within"
}

func alarmIf(alarm bool) string {
	if alarm {
		return "alarm"
	}
	return "ok"
}

// roundText is Postgres's round() of a numeric, as text.
func roundText(x float64) string { return strconv.FormatFloat(math.Round(x), 'f', 0, 64) }
