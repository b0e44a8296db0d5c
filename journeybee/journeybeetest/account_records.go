package journeybeetest

import (
	"encoding/json"
	"time"
)

// The items of the endpoints beyond GET /leads, with the same nullability
// rule as lead_records.go. Total, where an endpoint sends it, is set by the server
// per reply (omitempty keeps the dataset's zero out of the JSON).

// LeadDeal is one item of GET /api/v1/lead-deals (a deal nested in a lead
// is LeadDealSummary).
type LeadDeal struct {
	Total     int        `json:"total,omitempty"`
	ID        int64      `json:"id"`
	UUID      *string    `json:"uuid"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt *time.Time `json:"updated_at"`
	Label     *string    `json:"label"`
	// DealValue is in whole currency units.
	DealValue *float64 `json:"deal_value"`
	// LeadID is the parent lead: every deal hangs off one.
	LeadID               int64               `json:"lead_id"`
	CompanyID            int64               `json:"company_id"`
	PartnerType          *string             `json:"partner_type"`
	StageID              *int64              `json:"stage_id"`
	StageLabel           *string             `json:"stage_label"`
	StageSeries          *int                `json:"stage_series"`
	StagePhase           *string             `json:"stage_phase"`
	PaymentStageID       *int64              `json:"payment_stage_id"`
	PaymentStageLabel    *string             `json:"payment_stage_label"`
	PaymentStageSeries   *int                `json:"payment_stage_series"`
	PaymentStagePhase    *string             `json:"payment_stage_phase"`
	CurrencyID           *int64              `json:"currency_id"`
	CurrencyCode         *string             `json:"currency_code"`
	PartnershipID        *int64              `json:"partnership_id"`
	CampaignID           *int64              `json:"campaign_id"`
	CampaignTitle        *string             `json:"campaign_title"`
	CompanyCampaignID    *int64              `json:"company_campaign_id"`
	VendorStageID        *int64              `json:"vendor_stage_id"`
	CommissionAmount     *float64            `json:"commission_amount"`
	CommissionPercentage *float64            `json:"commission_percentage"`
	Tags                 []Tag               `json:"tags"`
	AssignedUsers        []AssignedUser      `json:"assigned_users"`
	AssociatedPartner    []AssociatedPartner `json:"associated_partner"`
	CampaignPartners     []CampaignPartner   `json:"campaign_partners"`
}

// AssociatedPartner is a partner company on a deal (the reference's key is
// singular, its value an array).
type AssociatedPartner struct {
	CompanyID       int64   `json:"company_id"`
	CompanyName     *string `json:"company_name"`
	CompanyLogoID   *int64  `json:"company_logo_id"`
	CompanyLogoUUID *string `json:"company_logo_uuid"`
}

// CustomFieldValue is a record's value of one custom field: custom_fields
// on a single lead or deal, customFields on a partnership.
type CustomFieldValue struct {
	// ID is the custom field definition's id.
	ID    int64   `json:"id"`
	Label *string `json:"label"`
	Type  *string `json:"type"`
	// Value has one key named after the type: {"text": "…"},
	// {"number": 5}, {"multi_select": [1, 2]}…
	Value              map[string]any `json:"value"`
	CustomFieldValueID *int64         `json:"custom_field_value_id"`
}

// LeadDetail is GET /api/v1/companies/{companyId}/leads/{leadId}: the list
// row without total, plus the lead's custom field values.
type LeadDetail struct {
	Lead
	CustomFields []CustomFieldValue `json:"custom_fields"`
}

// LeadDealDetail is GET /api/v1/companies/{companyId}/lead-deals/{dealId}:
// the list row without total, plus the deal's custom field values.
type LeadDealDetail struct {
	LeadDeal
	CustomFields []CustomFieldValue `json:"custom_fields"`
}

// Partnership is one item of GET /api/v1/partnerships. ID is the
// company-partnership id; Partnership.ID is the id partner users and leads'
// partnership_id refer to.
type Partnership struct {
	Total         int                `json:"total,omitempty"`
	ID            int64              `json:"id"`
	StageID       *int64             `json:"stage_id"`
	StageLabel    *string            `json:"stage_label"`
	StageSeries   *int               `json:"stage_series"`
	Partnership   PartnershipInfo    `json:"partnership"`
	Tier          *TierRef           `json:"tier"`
	Category      *CategoryRef       `json:"category"`
	Partner       *Partner           `json:"partner"`
	AssignedUsers []AssignedUser     `json:"assigned_users"`
	Tags          []Tag              `json:"tags"`
	CustomFields  []CustomFieldValue `json:"customFields"`
}

// PartnershipInfo is a partnership's nested "partnership" object. Its
// created_at is the paging cursor, so it is never null.
type PartnershipInfo struct {
	ID          int64     `json:"id"`
	CreatedAt   time.Time `json:"created_at"`
	Stage       *string   `json:"stage"`
	PartnerType *string   `json:"partner_type"`
}

// TierRef is the tier inside a partnership.
type TierRef struct {
	ID              int64   `json:"id"`
	Label           *string `json:"label"`
	BackgroundColor *string `json:"background_color"`
	TextColor       *string `json:"text_color"`
}

// CategoryRef is the category inside a partnership.
type CategoryRef struct {
	ID    int64   `json:"id"`
	Label *string `json:"label"`
}

// Partner is the partner company inside a partnership.
type Partner struct {
	ID         int64    `json:"id"`
	Name       *string  `json:"name"`
	WebsiteURL *string  `json:"website_url"`
	Logo       *Logo    `json:"logo"`
	Address    *Address `json:"address"`
	// FallbackData stands in for an inactive partner; sent verbatim.
	FallbackData json.RawMessage `json:"fallback_data"`
}

// Address is a partner company's country.
type Address struct {
	CountryID    *int64  `json:"country_id"`
	CountryLabel *string `json:"country_label"`
}

// Logo is an image asset reference.
type Logo struct {
	ID   int64   `json:"id"`
	UUID *string `json:"uuid"`
}

// PartnerUser is one item of GET /api/v1/partnerships/{partnershipId}/users:
// a contact at the partner company (CompanyID is the partner's id).
type PartnerUser struct {
	Total            int     `json:"total,omitempty"`
	ID               int64   `json:"id"`
	Email            *string `json:"email"`
	FirstName        *string `json:"first_name"`
	LastName         *string `json:"last_name"`
	Color            *string `json:"color"`
	Position         *string `json:"position"`
	PhoneNumber      *string `json:"phone_number"`
	ProfileImageID   *int64  `json:"profile_image_id"`
	ProfileImageUUID *string `json:"profile_image_uuid"`
	CompanyID        *int64  `json:"company_id"`
	MeetingLink      *string `json:"meeting_link"`
	CompanyName      *string `json:"company_name"`
	CountryLabel     *string `json:"country_label"`
	CityLabel        *string `json:"city_label"`
}

// User is one item of GET /api/v1/users: a user of the own company.
type User struct {
	ID        int64      `json:"id"`
	CreatedAt *time.Time `json:"created_at"`
	Email     *string    `json:"email"`
	FirstName *string    `json:"first_name"`
	LastName  *string    `json:"last_name"`
	// Role is admin, partnerships, partner or indirect.
	Role     *string `json:"role"`
	Position *string `json:"position"`
	// EmailVerified is when the email was verified (a timestamp, despite
	// its name); null if never.
	EmailVerified    *time.Time `json:"email_verified"`
	DisabledAt       *time.Time `json:"disabled_at"`
	Color            *string    `json:"color"`
	ProfileImageID   *int64     `json:"profile_image_id"`
	ProfileImageUUID *string    `json:"profile_image_uuid"`
	CountryID        *int64     `json:"country_id"`
	CountryLabel     *string    `json:"country_label"`
	CountryCode      *string    `json:"country_code"`
}

// DealStage is one item of GET /api/v1/stages/lead-deal-stages, and the
// stage generated deals are in.
type DealStage struct {
	ID     int64   `json:"id"`
	UUID   *string `json:"uuid"`
	Label  *string `json:"label"`
	Series *int    `json:"series"`
	// Phase is discovery, negotiation, closed_won or closed_lost.
	Phase       *string `json:"phase"`
	PartnerType *string `json:"partner_type"`
}

// PartnerStage is one item of GET /api/v1/stages/partner-stages.
type PartnerStage struct {
	ID     int64   `json:"id"`
	UUID   *string `json:"uuid"`
	Label  *string `json:"label"`
	Series *int    `json:"series"`
	// Phase is discovery, evaluation, active or inactive.
	Phase       *string `json:"phase"`
	PartnerType *string `json:"partner_type"`
	CompanyID   *int64  `json:"company_id"`
}

// TagDefinition is one item of GET /api/v1/tags.
type TagDefinition struct {
	ID              int64   `json:"id"`
	UUID            *string `json:"uuid"`
	Label           *string `json:"label"`
	BackgroundColor *string `json:"background_color"`
	TextColor       *string `json:"text_color"`
	// Association is lead, lead_deal, partner or card.
	Association *string `json:"association"`
	PartnerType *string `json:"partner_type"`
	CompanyID   *int64  `json:"company_id"`
}

// CustomField is one item of GET /api/v1/custom-fields: a definition.
type CustomField struct {
	ID    int64   `json:"id"`
	UUID  *string `json:"uuid"`
	Label *string `json:"label"`
	// Type is text, textarea, number, date, boolean, select or
	// multi_select.
	Type *string `json:"type"`
	// Category is lead, lead_deal or partner.
	Category    *string `json:"category"`
	PartnerType *string `json:"partner_type"`
	Required    *bool   `json:"required"`
	Shared      *bool   `json:"shared"`
	// Options are a select's choices; nil (null) for other types.
	Options []CustomFieldOption `json:"options"`
}

// CustomFieldOption is a choice of a select or multi_select field.
type CustomFieldOption struct {
	ID    int64   `json:"id"`
	Label *string `json:"label"`
}

// Tier is one item of GET /api/v1/tiers.
type Tier struct {
	ID              int64   `json:"id"`
	UUID            *string `json:"uuid"`
	Label           *string `json:"label"`
	BackgroundColor *string `json:"background_color"`
	TextColor       *string `json:"text_color"`
	PartnerType     *string `json:"partner_type"`
	CompanyID       *int64  `json:"company_id"`
}

// Category is one item of GET /api/v1/categories (no colours, unlike
// tiers and tags).
type Category struct {
	ID          int64      `json:"id"`
	UUID        *string    `json:"uuid"`
	Label       *string    `json:"label"`
	PartnerType *string    `json:"partner_type"`
	CompanyID   *int64     `json:"company_id"`
	CreatedAt   *time.Time `json:"created_at"`
	UpdatedAt   *time.Time `json:"updated_at"`
}

// Note is one item of GET /api/v1/leads/{leadId}/notes.
type Note struct {
	ID int64 `json:"id"`
	// Content is a ProseMirror document, sent verbatim.
	Content   json.RawMessage `json:"content"`
	CreatedAt *time.Time      `json:"created_at"`
	UpdatedAt *time.Time      `json:"updated_at"`
	CreatedBy *NoteAuthor     `json:"created_by"`
	// Attachments and Mentions are sent verbatim: the reference does not
	// document their items.
	Attachments []json.RawMessage `json:"attachments"`
	Mentions    []json.RawMessage `json:"mentions"`
}

// NoteAuthor is a note's created_by.
type NoteAuthor struct {
	ID        int64   `json:"id"`
	FirstName *string `json:"first_name"`
	LastName  *string `json:"last_name"`
}
