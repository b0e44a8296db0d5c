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

// Lead is one item of the Get Leads reply (and of the single-lead endpoint,
// which adds CustomFields). The reference states no field's nullability, so
// every field but the two paging needs is a pointer or raw JSON: a null from
// the API stays distinguishable from an empty value. The JSON lists are kept
// as the API's own bytes, nested nulls and any field added later included.
type Lead struct {
	// Total is the number of leads matching the request's filters; the API
	// repeats it on every item of the list (0 when absent).
	Total            int             `json:"total"`
	ID               int64           `json:"id"`
	UUID             *string         `json:"uuid"`
	CreatedAt        time.Time       `json:"created_at"`
	UpdatedAt        *time.Time      `json:"updated_at"`
	Source           *string         `json:"source"`
	CompanyName      *string         `json:"company_name"`
	Email            *string         `json:"email"`
	PhoneNumber      *string         `json:"phone_number"`
	FirstName        *string         `json:"first_name"`
	LastName         *string         `json:"last_name"`
	Status           *string         `json:"status"`
	PartnerType      *string         `json:"partner_type"`
	CompanyID        *int64          `json:"company_id"`
	CreatedByUserID  *int64          `json:"created_by_user_id"`
	CampaignID       *int64          `json:"campaign_id"`
	CampaignTitle    *string         `json:"campaign_title"`
	Tags             RawList[Ref]    `json:"tags"`
	AssignedUsers    RawList[Ref]    `json:"assigned_users"`
	PartnershipLeads json.RawMessage `json:"partnership_leads"`
	CampaignPartners json.RawMessage `json:"campaign_partners"`
	LeadDeals        json.RawMessage `json:"lead_deals"`
	// CustomFields comes only from the single-lead endpoint.
	CustomFields []CustomFieldValue `json:"custom_fields,omitempty"`
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

// ListLeads returns a pager over the leads matching opts inside window.
// Options are validated here, before any request is sent.
func (c *Client) ListLeads(opts ListLeadsOptions, window ListOptions) (*Pager[Lead], error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	query := opts.Values()
	query.Set("userId", strconv.FormatInt(c.userID, 10))
	return List(c, LeadsPath, query, window, leadCursor).recordScan(leadAsRead), nil
}

// leadAsRead is a listed lead as a read by id gives it: no total.
func leadAsRead(l Lead) Lead {
	var byID Lead
	l.Total = byID.Total
	return l
}

// AllLeads fetches every lead matching opts. It buffers them all, so it suits
// tests and small accounts; tables stream with ListLeads.
func (c *Client) AllLeads(ctx context.Context, opts ListLeadsOptions) ([]Lead, error) {
	pager, err := c.ListLeads(opts, ListOptions{})
	if err != nil {
		return nil, err
	}
	return Collect(ctx, pager)
}

// LookupLead returns one lead's list fields (no custom fields, no total):
// from a complete scan of leads within the context's cache TTL without a
// request (see scan_index.go), else as GetLead.
func (c *Client) LookupLead(ctx context.Context, companyID, leadID int64) (*Lead, error) {
	return lookupOrGet(ctx, c, LeadsPath, leadID, func() (*Lead, error) { return c.GetLead(ctx, companyID, leadID) })
}

// GetLead fetches one lead with its custom fields. companyID is the lead's
// company_id. A lead that does not exist is an error for which IsNotFound
// is true.
func (c *Client) GetLead(ctx context.Context, companyID, leadID int64) (*Lead, error) {
	return Get[Lead](ctx, c, fmt.Sprintf("/api/v1/companies/%d/leads/%d", companyID, leadID), nil)
}
