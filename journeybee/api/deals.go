package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"time"
)

// DealsPath is GET /lead-deals, relative to the base URL.
const DealsPath = "/api/v1/lead-deals"

// Deal is one item of GET /lead-deals, and the reply of the single-deal
// endpoint, which adds CustomFields (and, per the reference, has no total).
// The reference gives no schema for the list, only an example: every field
// but the paging needs is a pointer or raw JSON, so a null stays a null.
type Deal struct {
	// Total is the number of deals matching the request's filters, on
	// every list item (0 when absent, as on the single deal).
	Total     int        `json:"total"`
	ID        int64      `json:"id"`
	UUID      *string    `json:"uuid"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt *time.Time `json:"updated_at"`
	Label     *string    `json:"label"`
	// DealValue is in whole units of CurrencyCode.
	DealValue            *float64     `json:"deal_value"`
	LeadID               *int64       `json:"lead_id"`
	CompanyID            *int64       `json:"company_id"`
	PartnerType          *string      `json:"partner_type"`
	StageID              *int64       `json:"stage_id"`
	StageLabel           *string      `json:"stage_label"`
	StageSeries          *int64       `json:"stage_series"`
	StagePhase           *string      `json:"stage_phase"`
	PaymentStageID       *int64       `json:"payment_stage_id"`
	PaymentStageLabel    *string      `json:"payment_stage_label"`
	PaymentStageSeries   *int64       `json:"payment_stage_series"`
	PaymentStagePhase    *string      `json:"payment_stage_phase"`
	CurrencyID           *int64       `json:"currency_id"`
	CurrencyCode         *string      `json:"currency_code"`
	PartnershipID        *int64       `json:"partnership_id"`
	CampaignID           *int64       `json:"campaign_id"`
	CampaignTitle        *string      `json:"campaign_title"`
	CompanyCampaignID    *int64       `json:"company_campaign_id"`
	VendorStageID        *int64       `json:"vendor_stage_id"`
	CommissionAmount     *float64     `json:"commission_amount"`
	CommissionPercentage *float64     `json:"commission_percentage"`
	Tags                 RawList[Ref] `json:"tags"`
	AssignedUsers        RawList[Ref] `json:"assigned_users"`
	// AssociatedPartner is an array despite its singular name.
	AssociatedPartner json.RawMessage `json:"associated_partner"`
	CampaignPartners  json.RawMessage `json:"campaign_partners"`
	// CustomFields comes only from the single-deal endpoint.
	CustomFields json.RawMessage `json:"custom_fields,omitempty"`
}

// DealPhases are the deal-stage phases. The reference calls the phases
// parameter's items "phase IDs", but phases are these names (§2.4); the
// plugin sends the names.
var DealPhases = []string{"discovery", "negotiation", "closed_won", "closed_lost"}

// ListDealsOptions holds GET /lead-deals' documented filters; zero values
// are not sent. cursor is added by the pager. userId is not sent: the
// visible parameter list does not have it and the sample request has none.
// showPartnersStages (report a reseller partner's stages instead of your
// own) is not a filter but changes the stage columns, so it is not offered.
type ListDealsOptions struct {
	View View `url:"view"`
	// Search matches the deal name, the lead's company name, email and
	// phone, assigned users and partner companies.
	Search string `url:"search"`
	// Assigned sends assigned=1, Unassigned unassigned=1.
	Assigned   bool     `url:"assigned"`
	Unassigned bool     `url:"unassigned"`
	StageIDs   []int64  `url:"stages"`
	Phases     []string `url:"phases"`
	TagIDs     []int64  `url:"tags"`
}

// Validate reports the first option the API would not accept.
func (o ListDealsOptions) Validate() error {
	if o.View != "" {
		// The same views as Get Leads': received, sent, reseller, campaigns.
		if _, err := ParseView(string(o.View)); err != nil {
			return err
		}
	}
	for _, p := range o.Phases {
		if _, err := parseEnum(p, DealPhases, "stage phase"); err != nil {
			return err
		}
	}
	return validateAssignment(o.Assigned, o.Unassigned, "deal")
}

// Values encodes the options as GET /lead-deals' query string, without
// cursor.
func (o ListDealsOptions) Values() url.Values {
	return encodeOptions(o)
}

// dealCursor: deals page like leads, newest first by created_at.
func dealCursor(d *Deal) CursorKey {
	return CursorKey{ID: d.ID, Time: d.CreatedAt, Total: d.Total}
}

// ListDeals returns a pager over the deals matching opts inside window.
// Options are validated here, before any request is sent.
func (c *Client) ListDeals(opts ListDealsOptions, window ListOptions) (*Pager[Deal], error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	return List(c, DealsPath, opts.Values(), window, dealCursor).recordScan(dealAsRead), nil
}

// dealAsRead is a listed deal as a read by id gives it: no total.
func dealAsRead(d Deal) Deal {
	var byID Deal
	d.Total = byID.Total
	return d
}

// LookupDeal returns one deal's list fields (no custom fields, no total):
// from a complete scan of deals within the context's cache TTL without a
// request (see scan_index.go), else as GetDeal.
func (c *Client) LookupDeal(ctx context.Context, companyID, dealID int64) (*Deal, error) {
	return lookupOrGet(ctx, c, DealsPath, dealID, func() (*Deal, error) { return c.GetDeal(ctx, companyID, dealID) })
}

// GetDeal fetches one deal with its custom fields. companyID is the
// account's company id. A deal that does not exist is an error for which
// IsNotFound is true.
func (c *Client) GetDeal(ctx context.Context, companyID, dealID int64) (*Deal, error) {
	return Get[Deal](ctx, c, fmt.Sprintf("/api/v1/companies/%d/lead-deals/%d", companyID, dealID), nil)
}
