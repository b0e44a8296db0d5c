package api

import (
	"context"
	"encoding/json"
	"net/url"
)

// CustomFieldsPath lists the custom-field definitions (unpaged).
const CustomFieldsPath = "/api/v1/custom-fields"

// CustomField is an item of GET /custom-fields: a custom-field definition.
// Records' custom-field values refer to it by id.
type CustomField struct {
	ID    int64   `json:"id"`
	UUID  *string `json:"uuid"`
	Label *string `json:"label"`
	// Type is text, textarea, number, date, boolean, select or
	// multi_select.
	Type        *string `json:"type"`
	Category    *string `json:"category"`
	PartnerType *string `json:"partner_type"`
	Required    *bool   `json:"required"`
	Shared      *bool   `json:"shared"`
	// Options are a select's choices, [{id, label}], as the API sent them;
	// null for other types.
	Options json.RawMessage `json:"options"`
}

// CustomFieldCategories are the kinds of record a custom field is defined
// for.
var CustomFieldCategories = []string{"lead", "lead_deal", "partner"}

// ListCustomFieldsOptions are GET /custom-fields' filters; zero values are
// not sent.
type ListCustomFieldsOptions struct {
	Category    string `url:"category"`
	PartnerType string `url:"partner_type"`
}

// Validate reports the first value the API does not document.
func (o ListCustomFieldsOptions) Validate() error {
	return validateEnums(enumValue{"category", o.Category, CustomFieldCategories}, enumValue{"partner_type", o.PartnerType, PartnerTypes})
}

// Values encodes the options as GET /custom-fields' query string.
func (o ListCustomFieldsOptions) Values() url.Values {
	return encodeOptions(o)
}

// ListCustomFields returns the custom-field definitions matching opts.
func (c *Client) ListCustomFields(ctx context.Context, opts ListCustomFieldsOptions) ([]CustomField, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	return GetList[CustomField](ctx, c, CustomFieldsPath, opts.Values())
}
