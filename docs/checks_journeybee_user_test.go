//go:build sqlite_vtable

package docs_test

import (
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

func init() {
	// Rows carry the include_indirect they were listed with: a Postgres
	// table loaded by a plain scan holds false there.
	filterOnlyColumnNames = append(filterOnlyColumnNames, "include_indirect")

	registerCheck("Find the user id for a connection", func(t *testing.T, a *account, rows []row) {
		var want [][]any
		for _, u := range sortedBy(listedUsers(a), func(u journeybeetest.User) any { return u.ID }) {
			if r := journeybeetest.Deref(u.Role); r == "admin" || r == "partnerships" {
				want = append(want, []any{u.ID, u.FirstName, u.LastName, u.Email, u.Role})
			}
		}
		assertRows(t, rows, []string{"id", "first_name", "last_name", "email", "role"}, want)
	})
	registerCheck("Disabled and indirect users", func(t *testing.T, a *account, rows []row) {
		var want [][]any
		for _, u := range sortedBy(a.config.Users, func(u journeybeetest.User) any { return u.ID }) {
			if u.DisabledAt != nil || journeybeetest.Deref(u.Role) == "indirect" {
				want = append(want, []any{u.ID, u.Email, u.Role, u.DisabledAt})
			}
		}
		assertRows(t, rows, []string{"id", "email", "role", "disabled_at"}, want)
	})
	registerCheck("Users who have not verified their email", func(t *testing.T, a *account, rows []row) {
		var want [][]any
		for _, u := range sortedBy(a.config.Users, func(u journeybeetest.User) any { return u.ID }) {
			if u.EmailVerified == nil {
				want = append(want, []any{u.ID, u.Email, u.Role, u.CreatedAt})
			}
		}
		assertRows(t, rows, []string{"id", "email", "role", "created_at"}, want)
	})
	registerCheck("Open leads per assigned user", func(t *testing.T, a *account, rows []row) {
		openLeads := map[int64]int64{}
		for _, l := range a.leads {
			if inStatus(&l, "new", "contacted", "qualified") {
				for _, au := range l.AssignedUsers {
					openLeads[au.ID]++
				}
			}
		}
		var users []journeybeetest.User
		for _, u := range listedUsers(a) {
			if openLeads[u.ID] > 0 {
				users = append(users, u)
			}
		}
		var want [][]any
		for _, u := range sortedBy(users, func(u journeybeetest.User) any { return -openLeads[u.ID] }, func(u journeybeetest.User) any { return u.ID }) {
			want = append(want, []any{u.ID, u.FirstName, u.LastName, openLeads[u.ID]})
		}
		assertRows(t, rows, []string{"id", "first_name", "last_name", "open_leads"}, want)
	})
}

// listedUsers are the users GET /users lists without indirect: the active,
// direct ones.
func listedUsers(a *account) []journeybeetest.User {
	var out []journeybeetest.User
	for _, u := range a.config.Users {
		if u.DisabledAt == nil && journeybeetest.Deref(u.Role) != "indirect" {
			out = append(out, u)
		}
	}
	return out
}

func init() {
	// docs/index.md: finding the user_id a connection needs.
	registerCheck("Credentials", func(t *testing.T, a *account, rows []row) {
		if len(rows) != 1 || rows[0]["id"] != int64(456) || rows[0]["email"] != "jane@company.com" {
			t.Fatalf("rows %v, want jane@company.com's id 456", rows)
		}
	})
}
