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

// ListLeadsOptions holds every documented Get Leads filter. Zero values are
// not sent. userId and cursor are added by the client.
type ListLeadsOptions struct {
	// Search matches company name, email, phone, first and last name,
	// assigned users and partner companies.
	Search string `url:"search"`
	View   View   `url:"view"`
	// Assigned sends assigned=1 (only leads with an assigned user).
	Assigned bool `url:"assigned"`
	// Unassigned sends unassigned=1 (only leads without one).
	Unassigned bool     `url:"unassigned"`
	Statuses   []Status `url:"status"`
	TagIDs     []int64  `url:"tags"`
	// UserIDs filters by assigned user.
	UserIDs []int64 `url:"users"`
	// CustomFields is sent verbatim, e.g. [{"id":123,"value":{"text":"x"}}].
	CustomFields json.RawMessage `url:"customFields"`
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
	if len(o.CustomFields) > 0 {
		if err := validateCustomFields(o.CustomFields); err != nil {
			return err
		}
	}
	return validateAssignment(o.Assigned, o.Unassigned, "lead")
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
	return encodeOptions(o)
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
