package journeybeetest

import (
	"encoding/json"
	"time"
)

// The fake states the API's contract in its own types, written from the
// reference (docs/api, journeybee-v1-reference.md), never from the client's:
// a mistake in the client then cannot be mirrored here and pass.
//
// Nullability: the reference marks few fields, and says to treat an
// unstated one as possibly null, so every field is a pointer except the
// record's own id, total (set by the server), a lead's created_at (the
// paging cursor) and status (the status filter admits no null), the owning
// company_id (the path's companyId) and a partnership lead's direction
// (what the views select on). Arrays are slices: the server sends nil as
// [], and FaultNullArrays sends null.

// Lead is one item of GET /api/v1/leads.
type Lead struct {
	// Total is the number of leads matching the request; the server sets
	// it per reply and ignores what the dataset holds.
	Total            int               `json:"total,omitempty"`
	ID               int64             `json:"id"`
	UUID             *string           `json:"uuid"`
	CreatedAt        time.Time         `json:"created_at"`
	UpdatedAt        *time.Time        `json:"updated_at"`
	Source           *string           `json:"source"`
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
	LeadDeals        []LeadDealSummary `json:"lead_deals"`
}

// Tag is the tag reference inside leads, deals and partnerships.
type Tag struct {
	ID              int64   `json:"id"`
	Label           *string `json:"label"`
	BackgroundColor *string `json:"background_color"`
	TextColor       *string `json:"text_color"`
}

// AssignedUser is the company-user reference inside leads, deals and
// partnerships. The reference's examples trim it differently per endpoint;
// the fake always sends the full GET /leads key set.
type AssignedUser struct {
	ID               int64   `json:"id"`
	Email            *string `json:"email"`
	FirstName        *string `json:"first_name"`
	LastName         *string `json:"last_name"`
	Color            *string `json:"color"`
	ProfileImageID   *int64  `json:"profile_image_id"`
	ProfileImageUUID *string `json:"profile_image_uuid"`
}

// PartnershipLead records a lead passing between two partner companies.
type PartnershipLead struct {
	ID                        int64      `json:"id"`
	CreatedAt                 *time.Time `json:"created_at"`
	PartnershipID             *int64     `json:"partnership_id"`
	SentByCompanyID           *int64     `json:"sent_by_company_id"`
	SentByCompanyName         *string    `json:"sent_by_company_name"`
	SentByCompanyLogoID       *int64     `json:"sent_by_company_logo_id"`
	SentByCompanyLogoUUID     *string    `json:"sent_by_company_logo_uuid"`
	ReceivedByCompanyID       *int64     `json:"received_by_company_id"`
	ReceivedByCompanyName     *string    `json:"received_by_company_name"`
	ReceivedByCompanyLogoID   *int64     `json:"received_by_company_logo_id"`
	ReceivedByCompanyLogoUUID *string    `json:"received_by_company_logo_uuid"`
	PartnerType               *string    `json:"partner_type"`
	// Direction is "received" or "sent" (the reference shows only
	// "received"; "sent" is its inference).
	Direction string `json:"direction"`
	// FallbackData is sent verbatim; nil is null, as in the example.
	FallbackData json.RawMessage `json:"fallback_data"`
}

// CampaignPartner is a partner a campaign lead is shared with. The
// reference shows only empty lists; these keys are the fake's guess.
type CampaignPartner struct {
	ID          int64   `json:"id"`
	CompanyID   *int64  `json:"company_id"`
	CompanyName *string `json:"company_name"`
}

// LeadDealSummary is a deal as nested in a lead's lead_deals (the deals
// endpoint's item is LeadDeal).
type LeadDealSummary struct {
	ID    int64   `json:"id"`
	Label *string `json:"label"`
	// DealValue is in whole currency units.
	DealValue    *float64 `json:"deal_value"`
	CurrencyCode *string  `json:"currency_code"`
	StageID      *int64   `json:"stage_id"`
	StageLabel   *string  `json:"stage_label"`
	StageSeries  *int     `json:"stage_series"`
	StagePhase   *string  `json:"stage_phase"`
}

// The documented lead statuses and views, in the reference's order.
var (
	LeadStatuses = []string{"new", "contacted", "qualified", "converted", "lost"}
	LeadViews    = []string{"received", "sent", "reseller", "campaigns"}
)

// leadsPath is GET /leads, as the reference writes it under the base URL.
const leadsPath = "/api/v1/leads"

// Deref is *p, or the zero value for nil: a record's nullable field as a
// plain value.
func Deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
