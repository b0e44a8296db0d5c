package modtest

import (
	"encoding/json"
	"fmt"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
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
	source        *string
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
	partnershipID                              *int64
}

// deal is a lead's lead_deals entry; the API may leave its stage and value
// null.
type deal struct {
	label, currency string
	stage, phase    *string
	series          *int64
	value           *float64
}

// leadDeal is one deal of GET /lead-deals, with the fields the mod reads.
type leadDeal struct {
	id            int64
	created       time.Time
	partnershipID *int64
	phase         *string
	currency      *string
	value         *float64
	label, stage  *string
	users         []user
	tags          []tag
}

// partnerRecord is one partnership of GET /partnerships: partnershipID is
// the nested partnership.id, the id deals refer to.
type partnerRecord struct {
	partnershipID                     int64
	name, partnerType, tier, category *string
	users                             []user
	tags                              []tag
}

// rawPageSize is a page size larger than any list of the dataset: the
// oracle reads each list in one page.
const rawPageSize = 100000

// fetchList reads a list endpoint of a fake JourneyBee server whose page
// holds the whole list (path carries the query string).
func fetchList(t *testing.T, url, apiKey, path string) []map[string]any {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url+path, nil)
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
		t.Fatalf("GET %s: %s", path, res.Status)
	}
	var raw []map[string]any
	if err := json.NewDecoder(res.Body).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	if len(raw) >= rawPageSize {
		t.Fatalf("GET %s: a full page of %d: the list may go on", path, len(raw))
	}
	return raw
}

// fetchLeads reads every lead from a fake JourneyBee server whose page holds
// the whole dataset.
func fetchLeads(t *testing.T, url, apiKey string, userID int64) []lead {
	t.Helper()
	raw := fetchList(t, url, apiKey, fmt.Sprintf("/api/v1/leads?userId=%d", userID))
	leads := make([]lead, len(raw))
	for i, m := range raw {
		leads[i] = leadFromJSON(t, m)
	}
	return leads
}

// fetchDeals reads every deal (GET /lead-deals takes no userId).
func fetchDeals(t *testing.T, url, apiKey string) []leadDeal {
	t.Helper()
	var out []leadDeal
	for _, m := range fetchList(t, url, apiKey, "/api/v1/lead-deals") {
		out = append(out, leadDeal{
			id: int64(m["id"].(float64)), created: parseTime(t, m["created_at"]), partnershipID: optInt(m["partnership_id"]),
			phase: optString(m["stage_phase"]), currency: optString(m["currency_code"]), value: optFloat(m["deal_value"]),
			label: optString(m["label"]), stage: optString(m["stage_label"]), users: users(m["assigned_users"]), tags: tags(m["tags"]),
		})
	}
	return out
}

// fetchPartnerships reads every partnership the user can see.
func fetchPartnerships(t *testing.T, url, apiKey string, userID int64) []partnerRecord {
	t.Helper()
	var out []partnerRecord
	for _, m := range fetchList(t, url, apiKey, fmt.Sprintf("/api/v1/partnerships?userId=%d", userID)) {
		nested := func(object, field string) *string {
			o, _ := m[object].(map[string]any)
			return optString(o[field])
		}
		out = append(out, partnerRecord{
			partnershipID: int64(m["partnership"].(map[string]any)["id"].(float64)),
			name:          nested("partner", "name"), partnerType: nested("partnership", "partner_type"),
			tier: nested("tier", "label"), category: nested("category", "label"),
			users: users(m["assigned_users"]), tags: tags(m["tags"]),
		})
	}
	return out
}

func leadFromJSON(t *testing.T, m map[string]any) lead {
	l := lead{
		id:            int64(m["id"].(float64)),
		uuid:          m["uuid"].(string),
		created:       parseTime(t, m["created_at"]),
		source:        optString(m["source"]),
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
	l.tags, l.users = tags(m["tags"]), users(m["assigned_users"])
	for _, x := range objects(m["partnership_leads"]) {
		l.partnerships = append(l.partnerships, partnership{
			direction: x["direction"].(string), sentBy: x["sent_by_company_name"].(string),
			receivedBy: x["received_by_company_name"].(string), partnerType: x["partner_type"].(string),
			at: parseTime(t, x["created_at"]), partnershipID: optInt(x["partnership_id"]),
		})
	}
	for _, x := range objects(m["campaign_partners"]) {
		l.campaignPeers = append(l.campaignPeers, x["company_name"].(string))
	}
	// A deal without currency has currency "".
	for _, x := range objects(m["lead_deals"]) {
		l.deals = append(l.deals, deal{
			label: x["label"].(string), stage: optString(x["stage_label"]), phase: optString(x["stage_phase"]),
			currency: journeybeetest.Deref(optString(x["currency_code"])), series: optInt(x["stage_series"]), value: optFloat(x["deal_value"]),
		})
	}
	return l
}

// tags and users read a tags or assigned_users list: nil for null or [].
func tags(v any) []tag {
	var out []tag
	for _, x := range objects(v) {
		out = append(out, tag{id: int64(x["id"].(float64)), label: x["label"].(string)})
	}
	return out
}

func users(v any) []user {
	var out []user
	for _, x := range objects(v) {
		out = append(out, user{id: int64(x["id"].(float64)), first: optString(x["first_name"]), last: optString(x["last_name"]), emailAddr: optString(x["email"])})
	}
	return out
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

func optInt(v any) *int64 {
	f, ok := v.(float64)
	if !ok {
		return nil
	}
	n := int64(f)
	return &n
}

func optFloat(v any) *float64 {
	f, ok := v.(float64)
	if !ok {
		return nil
	}
	return &f
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
