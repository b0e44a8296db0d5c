package journeybee

import (
	"context"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

//// TABLE DEFINITION

func tableJourneyBeePartnerUser(_ context.Context) *plugin.Table {
	return &plugin.Table{
		Name: "journeybee_partner_user",
		Description: "Partner users in JourneyBee: your contacts at each partner company, one row per partnership and contact. " +
			"With partnership_id = N (or IN) it costs one API call per partnership; without it, the partnerships are listed first " +
			"(one call per page of journeybee_partnership) and then each one's users are read (one call per partnership).",
		List: &plugin.ListConfig{
			Hydrate:    listPartnerUsers,
			KeyColumns: partnerUserKeyColumns(),
		},
		Columns: []*plugin.Column{
			intColumn("partnership_id", "Identifier of the partnership the contact belongs to; joins journeybee_partnership.partnership_id (not its id). Filter with = or IN: one API call per partnership, instead of listing every partnership first.", func(r *partnerUserRow) any { return r.PartnershipID }),
			intColumn("id", "Unique identifier of the partner user.", func(r *partnerUserRow) any { return r.User.ID }),
			stringColumn("email", "Email address of the partner user.", func(r *partnerUserRow) any { return opt(r.User.Email) }),
			stringColumn("first_name", "First name of the partner user.", func(r *partnerUserRow) any { return opt(r.User.FirstName) }),
			stringColumn("last_name", "Last name of the partner user.", func(r *partnerUserRow) any { return opt(r.User.LastName) }),
			stringColumn("position", "Job title of the partner user.", func(r *partnerUserRow) any { return opt(r.User.Position) }),
			stringColumn("phone_number", "Phone number of the partner user.", func(r *partnerUserRow) any { return opt(r.User.PhoneNumber) }),
			stringColumn("meeting_link", "The partner user's own meeting or calendar URL.", func(r *partnerUserRow) any { return opt(r.User.MeetingLink) }),
			stringColumn("color", "Colour the JourneyBee UI uses for the user, as hex #RRGGBB.", func(r *partnerUserRow) any { return opt(r.User.Color) }),
			intColumn("profile_image_id", "Asset identifier of the user's profile image.", func(r *partnerUserRow) any { return opt(r.User.ProfileImageID) }),
			stringColumn("profile_image_uuid", "Asset UUID of the user's profile image.", func(r *partnerUserRow) any { return opt(r.User.ProfileImageUUID) }),
			intColumn("company_id", "Identifier of the partner company the user works for; equals journeybee_partnership.partner_id.", func(r *partnerUserRow) any { return opt(r.User.CompanyID) }),
			stringColumn("company_name", "Name of the partner company the user works for.", func(r *partnerUserRow) any { return opt(r.User.CompanyName) }),
			stringColumn("country_label", "Country of the partner user.", func(r *partnerUserRow) any { return opt(r.User.CountryLabel) }),
			stringColumn("city_label", "City of the partner user.", func(r *partnerUserRow) any { return opt(r.User.CityLabel) }),
			intColumn("total", "Number of partner users of this row's partnership, as the API reports it.", func(r *partnerUserRow) any { return optCount(r.User.Total) }),
		},
	}
}

// partnerUserKeyColumns keep the SDK's default cache matching (subset):
// every row carries its partnership_id whether or not the query filtered
// on it (the parent list fills it too), so a cached unfiltered scan can
// serve `partnership_id = N`, Postgres dropping the other rows.
func partnerUserKeyColumns() plugin.KeyColumnSlice {
	return plugin.KeyColumnSlice{
		{Name: "partnership_id", Operators: []string{"="}, Require: plugin.Optional},
	}
}

// partnerUserRow is the streamed item: a contact and the partnership it was
// listed for (the API's item does not carry it).
type partnerUserRow struct {
	User          *api.PartnerUser
	PartnershipID int64
}

//// LIST FUNCTION

var listPartnerUsers = listHydrate("journeybee_partner_user.listPartnerUsers", func(ctx context.Context, d *plugin.QueryData, client *api.Client) error {
	if _, _, err := equalValues(wholeWhere(d, partnerUserKeyColumns()), "partnership_id", qualInt64); err != nil {
		return err
	}
	ids, present, err := equalValues(d.Quals, "partnership_id", qualInt64)
	if err != nil {
		return err
	}
	if present {
		for _, id := range ids {
			if limitReached, err := streamPartnerUsers(ctx, d, client, id); err != nil || limitReached {
				return err
			}
		}
		return nil
	}
	return forEachPartnership(ctx, d, client, func(partnershipID int64) (bool, error) {
		return streamPartnerUsers(ctx, d, client, partnershipID)
	})
})

// forEachPartnership is the parent list: it pages through every
// partnership and calls each with its partnership.id until one reports
// LIMIT reached or fails.
func forEachPartnership(ctx context.Context, d *plugin.QueryData, client *api.Client, each func(partnershipID int64) (limitReached bool, err error)) error {
	pager, err := client.ListPartnerships(api.ListPartnershipsOptions{}, api.ListOptions{})
	if err != nil {
		return err
	}
	for page, err := range pager.Pages(ctx) {
		if err != nil {
			return err
		}
		plugin.Logger(ctx).Debug("journeybee_partner_user.forEachPartnership", "page", page.Number, "partnerships", len(page.Items))
		for _, p := range page.Items {
			info := p.Partnership.Value
			if info == nil {
				continue // no partnership id to ask for users with
			}
			if limitReached, err := each(info.ID); err != nil || limitReached {
				return err
			}
		}
	}
	return nil
}

// streamPartnerUsers streams one partnership's users, in one API call. An
// unknown partnership (404) has no users: no row, not an error.
func streamPartnerUsers(ctx context.Context, d *plugin.QueryData, client *api.Client, partnershipID int64) (limitReached bool, err error) {
	users, err := client.ListPartnerUsers(ctx, partnershipID)
	if api.IsNotFound(err) {
		plugin.Logger(ctx).Debug("journeybee_partner_user.streamPartnerUsers", "partnership_id", partnershipID, "not_found", err.Error())
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return streamItems(ctx, d, users, func(u *api.PartnerUser) {
		d.StreamListItem(ctx, &partnerUserRow{User: u, PartnershipID: partnershipID})
	}), nil
}
