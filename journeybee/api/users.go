package api

import (
	"context"
	"net/url"
	"time"
)

// UsersPath lists the users of the key's own company (unpaged).
const UsersPath = "/api/v1/users"

// User is an item of GET /users: a user of the own company. Its id is the
// userId that GET /leads and GET /partnerships require.
type User struct {
	ID        int64      `json:"id"`
	CreatedAt *time.Time `json:"created_at"`
	Email     *string    `json:"email"`
	FirstName *string    `json:"first_name"`
	LastName  *string    `json:"last_name"`
	Role      *string    `json:"role"`
	Position  *string    `json:"position"`
	// EmailVerified is when the email was verified, despite its name not a
	// boolean; nil while unverified.
	EmailVerified    *time.Time `json:"email_verified"`
	DisabledAt       *time.Time `json:"disabled_at"`
	Color            *string    `json:"color"`
	ProfileImageID   *int64     `json:"profile_image_id"`
	ProfileImageUUID *string    `json:"profile_image_uuid"`
	CountryID        *int64     `json:"country_id"`
	CountryLabel     *string    `json:"country_label"`
	CountryCode      *string    `json:"country_code"`
}

// ListUsersOptions are GET /users' filters.
type ListUsersOptions struct {
	// IncludeIndirect adds disabled and indirect users. The API switches
	// it on for any value of the parameter, so it is sent only when true.
	IncludeIndirect bool `url:"indirect"`
}

// Values encodes the options as GET /users' query string.
func (o ListUsersOptions) Values() url.Values {
	return encodeOptions(o)
}

// ListUsers returns the company's users: without IncludeIndirect, the
// active direct ones.
func (c *Client) ListUsers(ctx context.Context, opts ListUsersOptions) ([]User, error) {
	return GetList[User](ctx, c, UsersPath, opts.Values())
}
