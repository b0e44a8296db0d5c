package api

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestDocumentedExamplesSurviveARoundTrip decodes each endpoint's example
// reply from the reference into the client's type and encodes it again:
// every key of the example must come back with the same value, which
// catches a misspelt JSON tag or a nested object that loses fields.
func TestDocumentedExamplesSurviveARoundTrip(t *testing.T) {
	for _, tt := range []struct {
		file string
		into any
	}{
		{"lead-deals.json", &[]Deal{}},
		{"lead-deal.json", &Deal{}},
		{"partnerships.json", &[]Partnership{}},
		{"partner-users.json", &[]PartnerUser{}},
	} {
		t.Run(tt.file, func(t *testing.T) {
			raw, err := os.ReadFile("testdata/reference/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if err := decodeBody("/"+tt.file, raw, tt.into); err != nil {
				t.Fatalf("the reference's example does not decode: %v", err)
			}
			again, err := json.Marshal(tt.into)
			if err != nil {
				t.Fatal(err)
			}
			var example, encoded any
			if err := json.Unmarshal(raw, &example); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(again, &encoded); err != nil {
				t.Fatal(err)
			}
			if err := containsJSON(encoded, example, "$"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// containsJSON reports the first key or value of want that got lacks or
// differs in. got may have more keys (fields the example leaves out).
func containsJSON(got, want any, at string) error {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: got %v, want an object", at, got)
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				return fmt.Errorf("%s.%s: missing after decoding and encoding again", at, k)
			}
			if err := containsJSON(gv, wv, at+"."+k); err != nil {
				return err
			}
		}
		return nil
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return fmt.Errorf("%s: got %v, want %d items", at, got, len(w))
		}
		for i := range w {
			if err := containsJSON(g[i], w[i], fmt.Sprintf("%s[%d]", at, i)); err != nil {
				return err
			}
		}
		return nil
	}
	if !reflect.DeepEqual(got, want) {
		return fmt.Errorf("%s = %v, want %v", at, got, want)
	}
	return nil
}

// TestPartnershipExampleFlattens: the nested objects the plugin flattens
// decode, each beside its own bytes.
func TestPartnershipExampleFlattens(t *testing.T) {
	raw, err := os.ReadFile("testdata/reference/partnerships.json")
	if err != nil {
		t.Fatal(err)
	}
	var items []Partnership
	if err := decodeBody(PartnershipsPath, raw, &items); err != nil {
		t.Fatal(err)
	}
	p := items[0]
	info, tier, category, partner := p.Partnership.Value, p.Tier.Value, p.Category.Value, p.Partner.Value
	if p.ID != 789 || info.ID != 456 || *info.Stage != "accepted" || *info.PartnerType != "referral" {
		t.Fatalf("ids %d / %+v, want 789 and partnership 456 accepted referral", p.ID, info)
	}
	if tier.ID != 2 || *tier.Label != "Gold" || category.ID != 3 || *category.Label != "Technology" {
		t.Fatalf("tier %+v category %+v", tier, category)
	}
	if partner.ID != 234 || *partner.Name != "TechCorp Solutions" || *partner.Address.CountryLabel != "United States" {
		t.Fatalf("partner %+v", partner)
	}
	if got := partnershipCursor(&p); got.ID != 789 || got.Time.Format("2006-01-02T15:04:05Z") != "2024-01-15T10:30:00Z" || got.Total != 1 {
		t.Fatalf("cursor key %+v, want partnership.created_at", got)
	}
	if p.Tags.Items[0].ID != 10 || p.AssignedUsers.Items[0].ID != 456 {
		t.Fatalf("tags %+v, assigned users %+v", p.Tags.Items, p.AssignedUsers.Items)
	}
}

func TestNullNestedObjectsStayNull(t *testing.T) {
	var p Partnership
	if err := json.Unmarshal([]byte(`{"id":1,"tier":null,"category":null,"partner":{"id":2,"name":null,"fallback_data":null}}`), &p); err != nil {
		t.Fatal(err)
	}
	if p.Tier.Raw != nil || p.Tier.Value != nil || p.Category.Value != nil || p.Partnership.Raw != nil {
		t.Fatalf("null and absent objects must stay nil: %+v", p)
	}
	if string(p.Partner.Raw) != `{"id":2,"name":null,"fallback_data":null}` || p.Partner.Value.Name != nil {
		t.Fatalf("partner = %s %+v, want the API's bytes and a nil name", p.Partner.Raw, p.Partner.Value)
	}
}

func TestDealAndPartnershipOptionsEncode(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts interface {
			Validate() error
			Values() url.Values
		}
		want string
	}{
		{"every deal filter", &ListDealsOptions{View: ViewSent, Search: "acme", Assigned: true, StageIDs: []int64{1, 2}, Phases: []string{"discovery", "closed_won"}, TagIDs: []int64{7}},
			"assigned=1&phases=discovery%2Cclosed_won&search=acme&stages=1%2C2&tags=7&view=sent"},
		{"no deal filter", &ListDealsOptions{}, ""},
		{"every partnership filter", &ListPartnershipsOptions{View: "reseller", Search: "tech", StageIDs: []int64{1}, TagIDs: []int64{2, 3}, CategoryIDs: []int64{4}, TierIDs: []int64{5}, UserIDs: []int64{6}, Unassigned: true, CustomFields: json.RawMessage(`[{"id":1}]`)},
			"categories=4&customFields=%5B%7B%22id%22%3A1%7D%5D&search=tech&stages=1&tags=2%2C3&tiers=5&unassigned=1&users=6&view=reseller"},
	} {
		if err := tt.opts.Validate(); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := tt.opts.Values().Encode(); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestDealAndPartnershipOptionsRefuseUndocumentedValues(t *testing.T) {
	for _, tt := range []struct {
		opts interface{ Validate() error }
		want string
	}{
		{&ListDealsOptions{View: "all"}, `invalid view "all": allowed values are received, sent, reseller, campaigns`},
		{&ListDealsOptions{Phases: []string{"won"}}, `invalid stage phase "won": allowed values are discovery, negotiation, closed_won, closed_lost`},
		{&ListDealsOptions{Assigned: true, Unassigned: true}, "no deal is both"},
		{&ListPartnershipsOptions{View: "sent"}, `invalid view "sent": allowed values are all, assigned, referral, reseller`},
		{&ListPartnershipsOptions{CustomFields: json.RawMessage(`{"id":1}`)}, "want a JSON array of objects"},
	} {
		err := tt.opts.Validate()
		if err == nil || err.Error() != tt.want && !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: err = %v, want %q", tt.opts, err, tt.want)
		}
	}
}

// TestPartnerUsersShortReplyFailsLoudly: fewer users than the reply's own
// total would mean undocumented paging: an error, not a short list.
func TestPartnerUsersShortReplyFailsLoudly(t *testing.T) {
	c, script, _ := newScriptedClient(t,
		reply(200, `[{"total":3,"id":1},{"total":3,"id":2}]`),
		reply(200, `[{"total":2,"id":1},{"total":2,"id":2}]`))
	if _, err := c.ListPartnerUsers(t.Context(), 456); err == nil || !strings.Contains(err.Error(), "returned 2 users but reports a total of 3") {
		t.Fatalf("err = %v, want the short reply reported", err)
	}
	users, err := c.ListPartnerUsers(t.Context(), 456)
	if err != nil || len(users) != 2 {
		t.Fatalf("%d users, err %v; want the whole reply", len(users), err)
	}
	if got := script.requests[0].URL.Path; got != "/api/v1/partnerships/456/users" {
		t.Fatalf("path %s", got)
	}
}
