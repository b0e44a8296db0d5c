package api

import (
	"context"
	"fmt"
)

// PartnerUser is one item of GET /partnerships/{partnershipId}/users: a
// contact at the partner company behind the partnership.
type PartnerUser struct {
	// Total is the partnership's number of partner users, on every item.
	Total            int     `json:"total"`
	ID               int64   `json:"id"`
	Email            *string `json:"email"`
	FirstName        *string `json:"first_name"`
	LastName         *string `json:"last_name"`
	Color            *string `json:"color"`
	Position         *string `json:"position"`
	PhoneNumber      *string `json:"phone_number"`
	ProfileImageID   *int64  `json:"profile_image_id"`
	ProfileImageUUID *string `json:"profile_image_uuid"`
	// CompanyID is the partner company's id (partner.id on the partnership).
	CompanyID    *int64  `json:"company_id"`
	MeetingLink  *string `json:"meeting_link"`
	CompanyName  *string `json:"company_name"`
	CountryLabel *string `json:"country_label"`
	CityLabel    *string `json:"city_label"`
}

// ListPartnerUsers returns every partner user of a partnership, in one
// request (the endpoint documents no paging). partnershipID is the nested
// partnership.id of a GET /partnerships item. An unknown partnership is an
// error for which IsNotFound is true. A reply shorter than its own total
// fails loudly rather than return a silently short list: it would mean the
// endpoint pages after all.
func (c *Client) ListPartnerUsers(ctx context.Context, partnershipID int64) ([]PartnerUser, error) {
	path := fmt.Sprintf("/api/v1/partnerships/%d/users", partnershipID)
	users, err := GetList[PartnerUser](ctx, c, path, nil)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		if u.Total > len(users) {
			return nil, fmt.Errorf("journeybee api: GET %s returned %d users but reports a total of %d: the endpoint seems to page, which the reference does not document", path, len(users), u.Total)
		}
	}
	return users, nil
}
