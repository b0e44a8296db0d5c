//go:build !race

package journeybee

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
	"github.com/turbot/steampipe-plugin-sdk/v5/grpc/proto"
)

const partnerUserTable = "journeybee_partner_user"

func TestPartnerUserSchema(t *testing.T) {
	i, s := proto.ColumnType_INT, proto.ColumnType_STRING
	assertTableSchema(t, partnerUserTable, tableSchema{
		columns: map[string]proto.ColumnType{
			"partnership_id": i, "id": i, "email": s, "first_name": s, "last_name": s, "position": s, "phone_number": s,
			"meeting_link": s, "color": s, "profile_image_id": i, "profile_image_uuid": s, "company_id": i, "company_name": s,
			"country_label": s, "city_label": s, "total": i,
		},
		listKeys: map[string][]string{"partnership_id": {"="}},
	})
}

// contactKey is one expected row: a partnership and one of its contacts.
type contactKey struct{ partnershipID, userID int64 }

// partnerContacts is the independent answer: for each partnership, the
// partner users whose company is its partner.
func partnerContacts(cfg journeybeetest.Config, partnershipIDs ...int64) []contactKey {
	var out []contactKey
	for _, p := range cfg.Partnerships {
		if len(partnershipIDs) > 0 && !slices.Contains(partnershipIDs, p.Partnership.ID) || p.Partner == nil {
			continue
		}
		for _, u := range cfg.PartnerUsers {
			if u.CompanyID != nil && *u.CompanyID == p.Partner.ID {
				out = append(out, contactKey{p.Partnership.ID, u.ID})
			}
		}
	}
	slices.SortFunc(out, compareContacts)
	return out
}

func contactRows(rows []pluginhost.Row) []contactKey {
	out := make([]contactKey, 0, len(rows))
	for _, r := range rows {
		out = append(out, contactKey{pluginhost.Value(r["partnership_id"]).(int64), pluginhost.Value(r["id"]).(int64)})
	}
	slices.SortFunc(out, compareContacts)
	return out
}

func compareContacts(a, b contactKey) int {
	if a.partnershipID != b.partnershipID {
		return int(a.partnershipID - b.partnershipID)
	}
	return int(a.userID - b.userID)
}

func TestPartnerUserWithoutKeyListsThePartnershipsFirst(t *testing.T) {
	cfg := accountConfig(5)
	f := newFixture(t, cfg)
	rows, err := f.queryTable(partnerUserTable, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := partnerContacts(cfg)
	if got := contactRows(rows); !slices.Equal(got, want) {
		t.Fatalf("rows %v\nwant %v", got, want)
	}
	// The documented cost: the pages of the partnerships list (12 in pages
	// of 5, plus the overlapping cursor's last page), then one call per
	// partnership, by its nested partnership.id.
	var listCalls int
	var userCalls []string
	for _, r := range f.srv.Requests() {
		if r.Path == "/api/v1/partnerships" {
			listCalls++
		} else {
			userCalls = append(userCalls, r.Path)
		}
	}
	var wantUserCalls []string
	for _, p := range cfg.Partnerships {
		wantUserCalls = append(wantUserCalls, "/api/v1/partnerships/"+strconv.FormatInt(p.Partnership.ID, 10)+"/users")
	}
	slices.Sort(userCalls)
	slices.Sort(wantUserCalls)
	if listCalls != 4 || !slices.Equal(userCalls, wantUserCalls) {
		t.Fatalf("%d partnership pages and user calls %v; want 4 pages and one call per partnership %v", listCalls, userCalls, wantUserCalls)
	}
	users := map[int64]journeybeetest.PartnerUser{}
	for _, u := range cfg.PartnerUsers {
		users[u.ID] = u
	}
	for _, row := range rows {
		u := users[pluginhost.Value(row["id"]).(int64)]
		assertRowColumns(t, row, map[string]any{
			"email": opt(u.Email), "first_name": opt(u.FirstName), "last_name": opt(u.LastName),
			"position": opt(u.Position), "phone_number": opt(u.PhoneNumber), "meeting_link": opt(u.MeetingLink),
			"profile_image_id": opt(u.ProfileImageID), "company_id": opt(u.CompanyID), "company_name": opt(u.CompanyName),
			"country_label": opt(u.CountryLabel), "city_label": opt(u.CityLabel),
		})
	}
}

func TestPartnerUserByPartnershipID(t *testing.T) {
	cfg := accountConfig(5)
	f := newFixture(t, cfg)
	first, third := cfg.Partnerships[0].Partnership.ID, cfg.Partnerships[2].Partnership.ID

	rows, err := f.queryTable(partnerUserTable, nil, 0, eq("partnership_id", first))
	if err != nil {
		t.Fatal(err)
	}
	want := partnerContacts(cfg, first)
	if got := contactRows(rows); !slices.Equal(got, want) || len(want) == 0 {
		t.Fatalf("rows %v, want %v", got, want)
	}
	for _, r := range rows {
		if got, want := pluginhost.Value(r["total"]), int64(len(want)); got != want {
			t.Fatalf("total = %v, want %d, the partnership's contact count", got, want)
		}
	}
	if reqs := f.srv.Requests(); len(reqs) != 1 || reqs[0].Path != "/api/v1/partnerships/"+strconv.FormatInt(first, 10)+"/users" {
		t.Fatalf("requests %v, want one GET of that partnership's users", reqs)
	}

	f.srv.ResetRequests()
	rows, err = f.queryTable(partnerUserTable, []string{"partnership_id", "id"}, 0, in("partnership_id", first, int64(424242), third))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := contactRows(rows), partnerContacts(cfg, first, third); !slices.Equal(got, want) {
		t.Fatalf("IN: rows %v, want %v", got, want)
	}
	if n := f.srv.RequestCount(); n != 3 {
		t.Fatalf("%d requests for partnership_id IN (3 values), want one per id", n)
	}

	// The top-level id is not the one the endpoint takes: no contacts.
	f.srv.ResetRequests()
	rows, err = f.queryTable(partnerUserTable, []string{"partnership_id", "id"}, 0, eq("partnership_id", cfg.Partnerships[0].ID))
	if err != nil || len(rows) != 0 {
		t.Fatalf("unknown partnership: %d rows, err %v; want no row, no error", len(rows), err)
	}
	if n := f.srv.RequestCount(); n != 1 {
		t.Fatalf("%d requests for an unknown partnership, want 1", n)
	}
}

func TestPartnerUserLimitStopsTheParentList(t *testing.T) {
	cfg := accountConfig(5)
	f := newFixture(t, cfg)
	const limit = 4
	rows, err := f.queryTable(partnerUserTable, []string{"partnership_id", "id"}, limit)
	if err != nil || len(rows) != limit {
		t.Fatalf("%d rows, err %v; want %d", len(rows), err, limit)
	}
	// One page of partnerships, then users of the newest partnerships
	// until LIMIT rows are in.
	want, seen := 1, 0
	for _, p := range cfg.Partnerships {
		want++
		if seen += len(partnerContacts(cfg, p.Partnership.ID)); seen >= limit {
			break
		}
	}
	if want < 3 {
		t.Fatal("the first partnership alone fills the LIMIT: the test proves little")
	}
	if n := f.srv.RequestCount(); n != want {
		t.Fatalf("%d requests for LIMIT %d, want %d: the partnership page and the users calls that fill it", n, limit, want)
	}
}

func TestPartnerUserInvalidKeyFailsBeforeAnyRequest(t *testing.T) {
	f := newFixture(t, accountConfig(5))
	_, err := f.queryTable(partnerUserTable, nil, 0, in("partnership_id", int64(901), "nine"))
	if err == nil || !strings.Contains(err.Error(), "partnership_id must be a whole number (an id)") {
		t.Fatalf("err = %v, want the partnership_id type explained", err)
	}
	if n := f.srv.RequestCount(); n != 0 {
		t.Fatalf("%d requests for an invalid partnership_id", n)
	}
}

// TestPartnerUserErrorsAreNotHidden: only a 404 is no row; a users call
// that keeps failing after the parent list fails the query.
func TestPartnerUserErrorsAreNotHidden(t *testing.T) {
	cfg := accountConfig(50)
	cfg.Faults = []journeybeetest.Fault{{Kind: journeybeetest.FaultStatus, Status: 500, OnRequest: 2, Times: journeybeetest.Always}}
	f := newFixture(t, cfg, "max_error_retry_attempts = 1")
	_, err := f.queryTable(partnerUserTable, nil, 0)
	f.expectQueryError(err, "gave up after 2 attempts")
	if reqs := f.srv.Requests(); reqs[0].Path != "/api/v1/partnerships" || !strings.HasSuffix(reqs[1].Path, "/users") {
		t.Fatalf("requests %s, %s: want the parent list, then a users call", reqs[0].Path, reqs[1].Path)
	}
}
