package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// LeadsPath is the Get Leads endpoint, relative to the base URL.
const LeadsPath = "/api/v1/leads"

// Lead is one item of the Get Leads reply. Scalars the API may send as null
// are pointers so that "absent" stays distinguishable from "empty".
type Lead struct {
	// Total is the number of leads matching the request's filters; the API
	// repeats it on every item.
	Total            int               `json:"total"`
	ID               int64             `json:"id"`
	UUID             string            `json:"uuid"`
	CreatedAt        time.Time         `json:"created_at"`
	UpdatedAt        *time.Time        `json:"updated_at"`
	Source           string            `json:"source"`
	CompanyName      *string           `json:"company_name"`
	Email            *string           `json:"email"`
	PhoneNumber      *string           `json:"phone_number"`
	FirstName        *string           `json:"first_name"`
	LastName         *string           `json:"last_name"`
	Status           string            `json:"status"`
	PartnerType      *string           `json:"partner_type"`
	CompanyID        int64             `json:"company_id"`
	CreatedByUserID  *int64            `json:"created_by_user_id"`
	CampaignID       *int64            `json:"campaign_id"`
	CampaignTitle    *string           `json:"campaign_title"`
	Tags             []Tag             `json:"tags"`
	AssignedUsers    []AssignedUser    `json:"assigned_users"`
	PartnershipLeads []PartnershipLead `json:"partnership_leads"`
	CampaignPartners []CampaignPartner `json:"campaign_partners"`
	LeadDeals        []LeadDeal        `json:"lead_deals"`
}

// Tag is a label attached to a lead.
type Tag struct {
	ID              int64  `json:"id"`
	Label           string `json:"label"`
	BackgroundColor string `json:"background_color"`
	TextColor       string `json:"text_color"`
}

// AssignedUser is a user of the company that owns the lead.
type AssignedUser struct {
	ID               int64   `json:"id"`
	Email            string  `json:"email"`
	FirstName        string  `json:"first_name"`
	LastName         string  `json:"last_name"`
	Color            string  `json:"color"`
	ProfileImageID   *int64  `json:"profile_image_id"`
	ProfileImageUUID *string `json:"profile_image_uuid"`
}

// PartnershipLead records a lead passing between two partner companies.
type PartnershipLead struct {
	ID                        int64           `json:"id"`
	CreatedAt                 time.Time       `json:"created_at"`
	PartnershipID             int64           `json:"partnership_id"`
	SentByCompanyID           int64           `json:"sent_by_company_id"`
	SentByCompanyName         string          `json:"sent_by_company_name"`
	SentByCompanyLogoID       *int64          `json:"sent_by_company_logo_id"`
	SentByCompanyLogoUUID     *string         `json:"sent_by_company_logo_uuid"`
	ReceivedByCompanyID       int64           `json:"received_by_company_id"`
	ReceivedByCompanyName     string          `json:"received_by_company_name"`
	ReceivedByCompanyLogoID   *int64          `json:"received_by_company_logo_id"`
	ReceivedByCompanyLogoUUID *string         `json:"received_by_company_logo_uuid"`
	PartnerType               string          `json:"partner_type"`
	Direction                 string          `json:"direction"`
	FallbackData              json.RawMessage `json:"fallback_data"`
}

// CampaignPartner is a partner a campaign lead is shared with. The reference
// shows only empty lists, so the object is kept verbatim (Raw) and re-encoded
// unchanged; the fields below are decoded when the API sends them.
type CampaignPartner struct {
	ID          int64  `json:"id"`
	CompanyID   int64  `json:"company_id"`
	CompanyName string `json:"company_name"`
	// Raw is the object exactly as the API sent it.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON keeps the raw object beside the decoded fields.
func (p *CampaignPartner) UnmarshalJSON(data []byte) error {
	type known CampaignPartner
	var k known
	if err := json.Unmarshal(data, &k); err != nil {
		return err
	}
	*p = CampaignPartner(k)
	p.Raw = append(json.RawMessage(nil), data...)
	return nil
}

// MarshalJSON writes the object back as the API sent it.
func (p CampaignPartner) MarshalJSON() ([]byte, error) {
	if len(p.Raw) > 0 {
		return p.Raw, nil
	}
	type known CampaignPartner
	return json.Marshal(known(p))
}

// LeadDeal is a deal opened from a lead. Deal values are in whole currency
// units; float64 keeps a fractional value from failing the decode.
type LeadDeal struct {
	ID           int64   `json:"id"`
	Label        string  `json:"label"`
	DealValue    float64 `json:"deal_value"`
	CurrencyCode string  `json:"currency_code"`
	StageID      int64   `json:"stage_id"`
	StageLabel   string  `json:"stage_label"`
	StageSeries  int     `json:"stage_series"`
	StagePhase   string  `json:"stage_phase"`
}

// Status is a lead status accepted by the status filter.
type Status string

// The documented lead statuses.
const (
	StatusNew       Status = "new"
	StatusContacted Status = "contacted"
	StatusQualified Status = "qualified"
	StatusConverted Status = "converted"
	StatusLost      Status = "lost"
)

// Statuses lists every documented status, in the reference's order.
var Statuses = []Status{StatusNew, StatusContacted, StatusQualified, StatusConverted, StatusLost}

// View selects leads by how they reached the company.
type View string

// The documented views.
const (
	ViewReceived  View = "received"
	ViewSent      View = "sent"
	ViewReseller  View = "reseller"
	ViewCampaigns View = "campaigns"
)

// Views lists every documented view, in the reference's order.
var Views = []View{ViewReceived, ViewSent, ViewReseller, ViewCampaigns}

// ParseStatus returns the Status named s, or an error listing the allowed ones.
func ParseStatus(s string) (Status, error) {
	return parseEnum(s, Statuses, "status")
}

// ParseView returns the View named s, or an error listing the allowed ones.
func ParseView(s string) (View, error) {
	return parseEnum(s, Views, "view")
}

func parseEnum[T ~string](s string, allowed []T, what string) (T, error) {
	for _, a := range allowed {
		if string(a) == s {
			return a, nil
		}
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	return "", fmt.Errorf("invalid %s %q: allowed values are %s", what, s, strings.Join(names, ", "))
}

// SortOption is one entry of the sort parameter. The API documents only the
// "status" type.
type SortOption struct {
	Type string `json:"type"`
	Asc  bool   `json:"asc"`
}

// ListLeadsOptions holds every documented Get Leads filter. Zero values are
// not sent. userId and cursor are added by the client.
type ListLeadsOptions struct {
	// Search matches company name, email, phone, first and last name,
	// assigned users and partner companies.
	Search string
	View   View
	// Assigned sends assigned=1 (only leads with an assigned user).
	Assigned bool
	// Unassigned sends unassigned=1 (only leads without one).
	Unassigned bool
	Statuses   []Status
	TagIDs     []int64
	// UserIDs filters by assigned user.
	UserIDs []int64
	// CustomFields is sent verbatim, e.g. [{"id":123,"value":{"text":"x"}}].
	CustomFields json.RawMessage
	// Sort orders the reply. Paging by a created_at cursor is only sound in
	// the API's default order, so the Steampipe table never sets it.
	Sort []SortOption
}

// Validate reports the first option the API would not accept.
func (o *ListLeadsOptions) Validate() error {
	if o.View != "" {
		if _, err := ParseView(string(o.View)); err != nil {
			return err
		}
	}
	for _, s := range o.Statuses {
		if _, err := ParseStatus(string(s)); err != nil {
			return err
		}
	}
	if o.Assigned && o.Unassigned {
		return fmt.Errorf("assigned and unassigned cannot both be requested: no lead is both")
	}
	if len(o.CustomFields) > 0 {
		if err := validateCustomFields(o.CustomFields); err != nil {
			return err
		}
	}
	for _, s := range o.Sort {
		if s.Type != "status" {
			return fmt.Errorf("invalid sort type %q: the only allowed type is status", s.Type)
		}
	}
	return nil
}

// validateCustomFields checks the documented shape: a JSON array of objects.
func validateCustomFields(raw json.RawMessage) error {
	var filters []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &filters); err != nil {
		return fmt.Errorf(`invalid custom fields filter %s: want a JSON array of objects such as [{"id": 123, "value": {"text": "search"}}]`, snippet(raw))
	}
	return nil
}

// Values encodes the options as the Get Leads query string, without userId
// and cursor.
func (o *ListLeadsOptions) Values() url.Values {
	q := url.Values{}
	if o.Search != "" {
		q.Set("search", o.Search)
	}
	if o.View != "" {
		q.Set("view", string(o.View))
	}
	if o.Assigned {
		q.Set("assigned", "1")
	}
	if o.Unassigned {
		q.Set("unassigned", "1")
	}
	if len(o.Statuses) > 0 {
		q.Set("status", joinCSV(o.Statuses, func(s Status) string { return string(s) }))
	}
	if len(o.TagIDs) > 0 {
		q.Set("tags", joinCSV(o.TagIDs, formatID))
	}
	if len(o.UserIDs) > 0 {
		q.Set("users", joinCSV(o.UserIDs, formatID))
	}
	if len(o.CustomFields) > 0 {
		q.Set("customFields", string(o.CustomFields))
	}
	if len(o.Sort) > 0 {
		b, _ := json.Marshal(o.Sort) // a slice of plain structs always encodes
		q.Set("sort", string(b))
	}
	return q
}

func formatID(id int64) string { return strconv.FormatInt(id, 10) }

func joinCSV[T any](items []T, format func(T) string) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = format(it)
	}
	return strings.Join(parts, ",")
}

// leadCursor is the cursor rule for leads: newest first by created_at.
func leadCursor(l *Lead) CursorKey {
	return CursorKey{ID: l.ID, Time: l.CreatedAt, Total: l.Total}
}

// ListLeads returns a pager over the leads matching opts. Options are
// validated here, before any request is sent.
func (c *Client) ListLeads(opts ListLeadsOptions) (*Pager[Lead], error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	p := newPager(c, LeadsPath, opts.Values(), leadCursor)
	p.decode = decodeLeads
	return p, nil
}

// AllLeads fetches every lead matching opts. It buffers them all, so it suits
// tests and small accounts; tables stream with ListLeads.
func (c *Client) AllLeads(ctx context.Context, opts ListLeadsOptions) ([]Lead, error) {
	pager, err := c.ListLeads(opts)
	if err != nil {
		return nil, err
	}
	defer pager.Close()
	var all []Lead
	for {
		page, err := pager.Next(ctx)
		if err == ErrNoMorePages {
			return all, nil
		}
		if err != nil {
			return all, err
		}
		all = append(all, page.Items...)
	}
}
