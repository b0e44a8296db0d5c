package api

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"
)

// TestDocumentedExamplesSurviveDecoding decodes each endpoint's documented
// example reply into the client's type and encodes it again: every key of
// the example must come back with the same value, so a misspelt JSON tag or
// a lossy field type fails here. Keys the example omits (it is trimmed)
// come back as null, which is what the tables show for them.
func TestDocumentedExamplesSurviveDecoding(t *testing.T) {
	cases := []struct {
		file      string
		roundTrip func(path string, body []byte) ([]byte, error)
		path      string
	}{
		{"leads.json", roundTrip[Lead], LeadsPath},
		{"users.json", roundTrip[User], UsersPath},
		{"lead-deal-stages.json", roundTrip[LeadDealStage], LeadDealStagesPath},
		{"partner-stages.json", roundTrip[PartnerStage], PartnerStagesPath},
		{"tags.json", roundTrip[Tag], TagsPath},
		{"custom-fields.json", roundTrip[CustomField], CustomFieldsPath},
		{"tiers.json", roundTrip[Tier], TiersPath},
		{"categories.json", roundTrip[Category], CategoriesPath},
		{"notes.json", roundTrip[Note], leadNotesPath(789)},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			example, err := os.ReadFile("testdata/reference/" + c.file)
			if err != nil {
				t.Fatal(err)
			}
			again, err := c.roundTrip(c.path, example)
			if err != nil {
				t.Fatalf("the documented example does not decode: %v", err)
			}
			assertKeysSurvive(t, example, again)
		})
	}
}

// roundTrip decodes a list reply as the client does and encodes it again.
func roundTrip[T any](path string, body []byte) ([]byte, error) {
	var items []T
	if err := decodeBody(path, body, &items); err != nil {
		return nil, err
	}
	return json.Marshal(items)
}

// assertKeysSurvive checks that every key of every item of the example is
// in the re-encoded list with an equal value.
func assertKeysSurvive(t *testing.T, example, again []byte) {
	t.Helper()
	var want, got []map[string]any
	if err := json.Unmarshal(example, &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(again, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d items after decoding, the example has %d", len(got), len(want))
	}
	for i := range want {
		for key, value := range want[i] {
			if gotValue, ok := got[i][key]; !ok {
				t.Errorf("item %d: key %q is lost in decoding", i, key)
			} else if !reflect.DeepEqual(gotValue, value) {
				t.Errorf("item %d: key %q = %v after decoding, the example has %v", i, key, gotValue, value)
			}
		}
	}
}
