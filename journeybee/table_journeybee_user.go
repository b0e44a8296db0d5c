package journeybee

import (
	"context"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
	"github.com/turbot/steampipe-plugin-sdk/v5/query_cache"
)

//// TABLE DEFINITION

func tableJourneyBeeUser(_ context.Context) *plugin.Table {
	return &plugin.Table{
		Name:        "journeybee_user",
		Description: "Users of your own JourneyBee company: by default the active, direct ones; with include_indirect also disabled and indirect users. The id is the user_id a connection needs. One API call lists them all.",
		List:        unpagedList("journeybee_user.listUsers", userKeyColumns(), userOptions, listUserRows),
		Columns: []*plugin.Column{
			intColumn("id", "Unique identifier of the user: the user_id the connection config needs, and the id in the assigned_users of leads, deals and partnerships.", func(u *userRow) any { return u.ID }),
			stringColumn("email", "The user's email address.", func(u *userRow) any { return opt(u.Email) }),
			stringColumn("first_name", "The user's first name.", func(u *userRow) any { return opt(u.FirstName) }),
			stringColumn("last_name", "The user's last name.", func(u *userRow) any { return opt(u.LastName) }),
			stringColumn("role", "The user's role: admin, partnerships, partner or indirect. Only admin and partnerships users can create API keys.", func(u *userRow) any { return opt(u.Role) }),
			stringColumn("position", "The user's job title.", func(u *userRow) any { return opt(u.Position) }),
			timestampColumn("created_at", "When the user was created.", func(u *userRow) any { return opt(u.CreatedAt) }),
			timestampColumn("email_verified_at", "When the user verified their email address (the API's email_verified, a timestamp despite its name); NULL while unverified.", func(u *userRow) any { return opt(u.EmailVerified) }),
			timestampColumn("disabled_at", "When the user was disabled; NULL while active. Disabled users are listed only with include_indirect.", func(u *userRow) any { return opt(u.DisabledAt) }),
			stringColumn("color", "The user's colour in the JourneyBee interface, as hex #RRGGBB.", func(u *userRow) any { return opt(u.Color) }),
			intColumn("profile_image_id", "Identifier of the user's profile picture; NULL when there is none.", func(u *userRow) any { return opt(u.ProfileImageID) }),
			stringColumn("profile_image_uuid", "Globally unique identifier of the user's profile picture; NULL when there is none.", func(u *userRow) any { return opt(u.ProfileImageUUID) }),
			intColumn("country_id", "Identifier of the user's country.", func(u *userRow) any { return opt(u.CountryID) }),
			stringColumn("country_label", "The user's country, e.g. United States.", func(u *userRow) any { return opt(u.CountryLabel) }),
			stringColumn("country_code", "The user's two-letter country code, e.g. US.", func(u *userRow) any { return opt(u.CountryCode) }),
			boolColumn("include_indirect", "Filter: true lists disabled and indirect users too (the API's indirect parameter); otherwise only active, direct users are listed. Each row shows the setting it was listed with.", func(u *userRow) any { return u.includeIndirect }),
		},
	}
}

// userKeyColumns: include_indirect matches the cache exactly. It is a
// pseudo-column carrying the request's setting, and the request decides
// which users exist: a cached default listing must not serve a query for
// indirect users too, nor the other way round. <> lets
// `NOT include_indirect` push down, and with it LIMIT.
func userKeyColumns() plugin.KeyColumnSlice {
	return plugin.KeyColumnSlice{
		{Name: "include_indirect", Operators: []string{"=", "<>"}, Require: plugin.Optional, CacheMatch: query_cache.CacheMatchExact},
	}
}

//// LIST FUNCTION

// userRow is a user with the include_indirect setting it was listed with,
// which Postgres re-checks against the filter.
type userRow struct {
	api.User
	includeIndirect bool
}

// userOptions maps include_indirect to the requests: one, or none when the
// quals contradict each other.
func userOptions(quals plugin.KeyColumnQualMap) ([]api.ListUsersOptions, error) {
	wanted, present, err := wantedBools(quals, "include_indirect")
	if err != nil {
		return nil, err
	}
	if !present {
		return []api.ListUsersOptions{{}}, nil
	}
	out := make([]api.ListUsersOptions, len(wanted))
	for i, include := range wanted {
		out[i] = api.ListUsersOptions{IncludeIndirect: include}
	}
	return out, nil
}

func listUserRows(c *api.Client, ctx context.Context, opts api.ListUsersOptions) ([]userRow, error) {
	users, err := c.ListUsers(ctx, opts)
	rows := make([]userRow, len(users))
	for i, u := range users {
		rows[i] = userRow{User: u, includeIndirect: opts.IncludeIndirect}
	}
	return rows, err
}
