package api

import (
	"context"
	"net/url"
)

// TagsPath lists the company's tag definitions (unpaged).
const TagsPath = "/api/v1/tags"

// Tag is an item of GET /tags: a tag definition. Items nested in leads,
// deals and partnerships refer to it by id.
type Tag struct {
	ID              int64   `json:"id"`
	UUID            *string `json:"uuid"`
	Label           *string `json:"label"`
	BackgroundColor *string `json:"background_color"`
	TextColor       *string `json:"text_color"`
	Association     *string `json:"association"`
	PartnerType     *string `json:"partner_type"`
	CompanyID       *int64  `json:"company_id"`
}

// TagAssociations are the kinds of record a tag applies to.
var TagAssociations = []string{"lead", "lead_deal", "partner", "card"}

// PartnerTypes are the documented partner types.
var PartnerTypes = []string{"referral", "reseller"}

// ListTagsOptions are GET /tags' filters; zero values are not sent.
type ListTagsOptions struct {
	Association string `url:"association"`
	PartnerType string `url:"partner_type"`
}

// Validate reports the first value the API does not document.
func (o ListTagsOptions) Validate() error {
	return validateEnums(enumValue{"association", o.Association, TagAssociations}, enumValue{"partner_type", o.PartnerType, PartnerTypes})
}

// Values encodes the options as GET /tags' query string.
func (o ListTagsOptions) Values() url.Values {
	return encodeOptions(o)
}

// ListTags returns the tag definitions matching opts.
func (c *Client) ListTags(ctx context.Context, opts ListTagsOptions) ([]Tag, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	return GetList[Tag](ctx, c, TagsPath, opts.Values())
}
