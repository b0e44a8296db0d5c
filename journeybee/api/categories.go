package api

import (
	"context"
	"time"
)

// CategoriesPath lists the partner categories (unpaged, no filters).
const CategoriesPath = "/api/v1/categories"

// Category is an item of GET /categories: a grouping of partners by
// industry or business type; partnerships refer to it as category.id.
// Unlike tiers and tags it has no colours.
type Category struct {
	ID          int64      `json:"id"`
	UUID        *string    `json:"uuid"`
	Label       *string    `json:"label"`
	PartnerType *string    `json:"partner_type"`
	CompanyID   *int64     `json:"company_id"`
	CreatedAt   *time.Time `json:"created_at"`
	UpdatedAt   *time.Time `json:"updated_at"`
}

// ListCategories returns every category.
func (c *Client) ListCategories(ctx context.Context) ([]Category, error) {
	return GetList[Category](ctx, c, CategoriesPath, nil)
}
