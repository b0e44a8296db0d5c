package api

import (
	"encoding/json"
	"net/url"
	"strconv"
	"time"
)

// PartnershipsPath is GET /partnerships, relative to the base URL.
const PartnershipsPath = "/api/v1/partnerships"

// Partnership is one item of GET /partnerships. It carries two ids: ID is
// the company-partnership id (the PATCH page's path parameter), and
// Partnership.Value.ID the partnership id that partner users' path and
// leads' partnership_leads[].partnership_id use (the reference's inference
// from its sample ids). The nested objects keep the API's bytes.
type Partnership struct {
	// Total is the number of partnerships matching the request's filters,
	// on every item.
	Total       int                        `json:"total"`
	ID          int64                      `json:"id"`
	StageID     *int64                     `json:"stage_id"`
	StageLabel  *string                    `json:"stage_label"`
	StageSeries *int64                     `json:"stage_series"`
	Partnership RawObject[PartnershipInfo] `json:"partnership"`
	Tier        RawObject[LabelRef]        `json:"tier"`
	Category    RawObject[LabelRef]        `json:"category"`
	Partner     RawObject[PartnerCompany]  `json:"partner"`
	// AssignedUsers and Tags are matched against filters by id.
	AssignedUsers RawList[Ref] `json:"assigned_users"`
	Tags          RawList[Ref] `json:"tags"`
	// CustomFields is camelCase on this endpoint only.
	CustomFields json.RawMessage `json:"customFields"`
}

// PartnershipInfo is a partnership's nested "partnership" object. Its
// created_at orders the list and is the paging cursor.
type PartnershipInfo struct {
	ID          int64     `json:"id"`
	CreatedAt   time.Time `json:"created_at"`
	Stage       *string   `json:"stage"`
	PartnerType *string   `json:"partner_type"`
}

// LabelRef is the part of a nested tier or category the plugin flattens.
type LabelRef struct {
	ID    int64   `json:"id"`
	Label *string `json:"label"`
}

// PartnerCompany is the part of a partnership's partner the plugin flattens.
type PartnerCompany struct {
	ID         int64    `json:"id"`
	Name       *string  `json:"name"`
	WebsiteURL *string  `json:"website_url"`
	Address    *Address `json:"address"`
}

// Address is a partner company's country.
type Address struct {
	CountryID    *int64  `json:"country_id"`
	CountryLabel *string `json:"country_label"`
}

// PartnershipViews are GET /partnerships' views.
var PartnershipViews = []string{"all", "assigned", "referral", "reseller"}

// ListPartnershipsOptions holds GET /partnerships' documented filters; zero
// values are not sent. userId and cursor are added by the client. sort is
// not offered: paging by a created_at cursor is only sound in the API's
// default order.
type ListPartnershipsOptions struct {
	// View is all, assigned (to the requesting user), referral or reseller.
	View string `url:"view"`
	// Search matches partner name, email, website, country and assigned
	// users.
	Search      string  `url:"search"`
	StageIDs    []int64 `url:"stages"`
	TagIDs      []int64 `url:"tags"`
	CategoryIDs []int64 `url:"categories"`
	TierIDs     []int64 `url:"tiers"`
	UserIDs     []int64 `url:"users"`
	Assigned    bool    `url:"assigned"`
	Unassigned  bool    `url:"unassigned"`
	// CustomFields is sent verbatim, e.g. [{"id":123,"value":{"text":"x"}}].
	CustomFields json.RawMessage `url:"customFields"`
}

// Validate reports the first option the API would not accept.
func (o ListPartnershipsOptions) Validate() error {
	if err := validateEnums(enumValue{"view", o.View, PartnershipViews}); err != nil {
		return err
	}
	if len(o.CustomFields) > 0 {
		if err := validateCustomFields(o.CustomFields); err != nil {
			return err
		}
	}
	return validateAssignment(o.Assigned, o.Unassigned, "partnership")
}

// Values encodes the options as GET /partnerships' query string, without
// userId and cursor.
func (o ListPartnershipsOptions) Values() url.Values {
	return encodeOptions(o)
}

// partnershipCursor is the safe reading of the undocumented cursor: an ISO
// timestamp of partnership.created_at, newest first, like leads.
func partnershipCursor(p *Partnership) CursorKey {
	k := CursorKey{ID: p.ID, Total: p.Total}
	if info := p.Partnership.Value; info != nil {
		k.Time = info.CreatedAt
	}
	return k
}

// ListPartnerships returns a pager over the partnerships matching opts
// inside window. Options are validated here, before any request is sent.
func (c *Client) ListPartnerships(opts ListPartnershipsOptions, window ListOptions) (*Pager[Partnership], error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	query := opts.Values()
	query.Set("userId", strconv.FormatInt(c.userID, 10))
	return List(c, PartnershipsPath, query, window, partnershipCursor), nil
}
