package modtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The expected answers are computed from the fake server's raw JSON, read
// over HTTP and decoded into maps: they share no code and no types with the
// plugin or the fake, so a plugin bug cannot cancel itself out.

// lead is one lead of the raw JSON, with the fields the mod reads.
type lead struct {
	id            int64
	uuid          string
	created       time.Time
	updated       *time.Time
	source        string
	company       *string
	email         *string
	first, last   *string
	status        string
	partnerType   *string
	campaignID    *int64
	campaignTitle *string
	tags          []tag
	users         []user
	partnerships  []partnership
	campaignPeers []string // campaign_partners' company names
	deals         []deal
}

type tag struct {
	id    int64
	label string
}

type user struct {
	id                     int64
	first, last, emailAddr *string
}

type partnership struct {
	direction, sentBy, receivedBy, partnerType string
	at                                         time.Time
}

type deal struct {
	label, stage, phase, currency string
	series                        int64
	value                         float64
}

// fetchLeads reads every lead from a fake JourneyBee server whose page holds
// the whole dataset.
func fetchLeads(t *testing.T, url, apiKey string, userID int64) []lead {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/v1/leads?userId=%d", url, userID), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+apiKey)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET leads: %s", res.Status)
	}
	var raw []map[string]any
	if err := json.NewDecoder(res.Body).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	leads := make([]lead, len(raw))
	for i, m := range raw {
		leads[i] = leadFromJSON(t, m)
	}
	return leads
}

func leadFromJSON(t *testing.T, m map[string]any) lead {
	l := lead{
		id:            int64(m["id"].(float64)),
		uuid:          m["uuid"].(string),
		created:       parseTime(t, m["created_at"]),
		source:        m["source"].(string),
		company:       optString(m["company_name"]),
		email:         optString(m["email"]),
		first:         optString(m["first_name"]),
		last:          optString(m["last_name"]),
		status:        m["status"].(string),
		partnerType:   optString(m["partner_type"]),
		campaignTitle: optString(m["campaign_title"]),
	}
	if m["updated_at"] != nil {
		u := parseTime(t, m["updated_at"])
		l.updated = &u
	}
	if v, ok := m["campaign_id"].(float64); ok {
		id := int64(v)
		l.campaignID = &id
	}
	for _, x := range objects(m["tags"]) {
		l.tags = append(l.tags, tag{id: int64(x["id"].(float64)), label: x["label"].(string)})
	}
	for _, x := range objects(m["assigned_users"]) {
		l.users = append(l.users, user{id: int64(x["id"].(float64)), first: optString(x["first_name"]), last: optString(x["last_name"]), emailAddr: optString(x["email"])})
	}
	for _, x := range objects(m["partnership_leads"]) {
		l.partnerships = append(l.partnerships, partnership{
			direction: x["direction"].(string), sentBy: x["sent_by_company_name"].(string),
			receivedBy: x["received_by_company_name"].(string), partnerType: x["partner_type"].(string),
			at: parseTime(t, x["created_at"]),
		})
	}
	for _, x := range objects(m["campaign_partners"]) {
		l.campaignPeers = append(l.campaignPeers, x["company_name"].(string))
	}
	for _, x := range objects(m["lead_deals"]) {
		l.deals = append(l.deals, deal{
			label: x["label"].(string), stage: x["stage_label"].(string), phase: x["stage_phase"].(string),
			currency: x["currency_code"].(string), series: int64(x["stage_series"].(float64)), value: x["deal_value"].(float64),
		})
	}
	return l
}

func objects(v any) []map[string]any {
	list, _ := v.([]any)
	out := make([]map[string]any, 0, len(list))
	for _, x := range list {
		out = append(out, x.(map[string]any))
	}
	return out
}

func optString(v any) *string {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	return &s
}

func parseTime(t *testing.T, v any) time.Time {
	t.Helper()
	ts, err := time.Parse(time.RFC3339Nano, v.(string))
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// title is journeybee_lead.title as documented: the company name, else the
// contact's full name, else the email, else the uuid.
func (l *lead) title() string {
	if l.company != nil && *l.company != "" {
		return *l.company
	}
	if name := concatWS(" ", l.first, l.last); name != "" {
		return name
	}
	if l.email != nil && *l.email != "" {
		return *l.email
	}
	return l.uuid
}

// concatWS is Postgres's concat_ws: the non-NULL values joined.
func concatWS(sep string, parts ...*string) string {
	var kept []string
	for _, p := range parts {
		if p != nil {
			kept = append(kept, *p)
		}
	}
	return strings.Join(kept, sep)
}

func (u user) name() string { return concatWS(" ", u.first, u.last) }

func (l *lead) open() bool {
	return l.status == "new" || l.status == "contacted" || l.status == "qualified"
}

// hasUser and hasTag are the inputs' filters: "all" or an id.
func (l *lead) hasUser(arg string) bool {
	if arg == "all" {
		return true
	}
	for _, u := range l.users {
		if fmt.Sprint(u.id) == arg {
			return true
		}
	}
	return false
}

func (l *lead) hasTag(arg string) bool {
	if arg == "all" {
		return true
	}
	for _, tg := range l.tags {
		if fmt.Sprint(tg.id) == arg {
			return true
		}
	}
	return false
}

// senders are the companies that sent us the lead.
func (l *lead) senders() []string {
	var out []string
	for _, p := range l.partnerships {
		if p.direction == "received" {
			out = append(out, p.sentBy)
		}
	}
	return out
}
