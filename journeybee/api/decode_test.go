package api_test

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

// assertDecodesLikeEncodingJSON: decodeLeads returns what json.Unmarshal
// returns, error or not, and whenever the direct decoder accepts a body,
// json.Unmarshal accepts it too with the same leads.
func assertDecodesLikeEncodingJSON(t *testing.T, body []byte) {
	t.Helper()
	want := make([]api.Lead, 0)
	wantErr := json.Unmarshal(body, &want)
	got, gotErr := api.DecodeLeads(body, make([]api.Lead, 0, 3))
	if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
		t.Fatalf("decodeLeads error %v, json.Unmarshal error %v\nbody %.300s", gotErr, wantErr, body)
	}
	if gotErr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("decodeLeads and json.Unmarshal differ\n got %+v\nwant %+v\nbody %.300s", got, want, body)
	}
	if direct, ok := api.DecodeLeadsDirect(body); ok {
		if wantErr != nil {
			t.Fatalf("the direct decoder accepted a body json.Unmarshal rejects (%v): %.300s", wantErr, body)
		}
		if !reflect.DeepEqual(direct, want) {
			t.Fatalf("the direct decoder and json.Unmarshal differ\n got %+v\nwant %+v\nbody %.300s", direct, want, body)
		}
	}
}

// TestDecodeLeadsGenerated: the fake's data, pages as the fake and the
// reference write them, all take the direct path and decode as
// encoding/json does.
func TestDecodeLeadsGenerated(t *testing.T) {
	example, err := os.ReadFile("testdata/reference/leads.json")
	if err != nil {
		t.Fatal(err)
	}
	pages := [][]byte{example}
	for _, seed := range []int64{1, 2, 3} {
		leads := journeybeetest.GenerateLeads(1000, seed)
		for start := 0; start < len(leads); start += 100 {
			compact, _ := json.Marshal(leads[start : start+100])
			indented, _ := json.MarshalIndent(leads[start:start+100], "", "  ")
			pages = append(pages, compact, indented)
		}
	}
	for _, page := range pages {
		assertDecodesLikeEncodingJSON(t, page)
		if _, ok := api.DecodeLeadsDirect(page); !ok {
			t.Fatalf("the direct decoder gave up on a page of the documented shape: %.300s", page)
		}
	}
}

// TestDecodeLeadsEdges: shapes off the documented path decode exactly as
// encoding/json decodes them (mostly by being handed to it).
func TestDecodeLeadsEdges(t *testing.T) {
	lead := func(fields string) string {
		return `[{"total":1,"id":7,"created_at":"2024-01-15T10:30:00Z"` + fields + `}]`
	}
	bodies := []string{
		``, `null`, `[]`, ` [ ] `, `{}`, `[null]`, `[1]`, `[{}]`, `[{}, {}]`, `[{"id":1}] x`, `[{"id":1}`, `[{"id":1},]`,
		lead(``),
		lead(`,"ID":8`), lead(`,"Total":2`), lead(`,"id":9`), lead(`,"tags":[{"id":1}],"tags":[{"label":"x"}]`),
		lead(`,"unknown":{"a":["]","}",{"b":"\"}"}],"c":null}`), lead(`,"ſource":"x"`), lead(`,"\u0069d":3`),
		lead(`,"uuid":"a\"b\\c\u00e9\ud83d\ude00"`), lead(`,"uuid":"` + "\xff\xfe" + `"`), lead(`,"uuid":"日本"`),
		lead(`,"uuid":null,"source":null,"company_name":null,"email":"","phone_number":null,"status":null`),
		lead(`,"uuid":5`), lead(`,"uuid":true`), lead(`,"uuid":{}`), lead(`,"uuid":[]`),
		lead(`,"id":1.0`), lead(`,"id":1e2`), lead(`,"id":-0`), lead(`,"id":9223372036854775808`), lead(`,"id":"7"`), lead(`,"id":null`),
		lead(`,"total":null`), lead(`,"company_id":-12`),
		lead(`,"created_at":null`), lead(`,"created_at":"2024-01-15"`), lead(`,"created_at":5`), lead(`,"created_at":"2024-01-15T10:30:00.123456789+05:30"`),
		lead(`,"updated_at":null`), lead(`,"updated_at":"2024-01-15T12:45:00Z"`), lead(`,"updated_at":"nope"`),
		lead(`,"created_by_user_id":null,"campaign_id":3,"campaign_title":"c"`), lead(`,"campaign_id":"3"`),
		lead(`,"tags":null`), lead(`,"tags":[]`), lead(`,"tags":[null]`), lead(`,"tags":{}`), lead(`,"tags":[{"id":1,"label":"<b>","extra":1}]`),
		lead(`,"assigned_users":[{"id":1,"profile_image_id":null,"profile_image_uuid":null},{"id":2,"profile_image_id":3,"profile_image_uuid":"u"}]`),
		lead(`,"partnership_leads":[{"id":1,"created_at":"2024-01-15T10:30:00Z","fallback_data":null}]`),
		lead(`,"partnership_leads":[{"id":1,"fallback_data":{"a": [1, 2]}},{"id":2}]`),
		lead(`,"partnership_leads":[{"id":1,"created_at":"bad"}]`),
		lead(`,"campaign_partners":[{"id":1,"company_name":"x","z":[1]}]`), lead(`,"campaign_partners":[{"id":"x"}]`), lead(`,"campaign_partners":[null]`),
		lead(`,"lead_deals":[{"id":1,"deal_value":50000.5,"stage_series":2},{"deal_value":1e400}]`),
		lead(`,"lead_deals":[{"id":1,"deal_value":-0,"stage_series":2.5}]`), lead(`,"lead_deals":[{"deal_value":"5"}]`),
	}
	for _, b := range bodies {
		assertDecodesLikeEncodingJSON(t, []byte(b))
	}
	// Every field name in another case.
	assertDecodesLikeEncodingJSON(t, []byte(strings.ToUpper(lead(`,"tags":[{"id":1}]`))))
}

// TestDecodeLeadsMalformed: every truncation of a page, and every one-byte
// change to it from a set of JSON's structural characters, decodes (or
// fails) exactly as with encoding/json.
func TestDecodeLeadsMalformed(t *testing.T) {
	example, err := os.ReadFile("testdata/reference/leads.json")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := json.Marshal(journeybeetest.GenerateLeads(1, 4))
	extra := []byte(`[{"id":1,"x":{"a":[true,false,null,-1.5e+3,"\u00e9\n"]},"uuid":"a\"b","tags":[]}]`)
	for _, tc := range []struct {
		body    []byte
		changes string
	}{
		{example, ""}, // truncations only: the page below holds the same shapes
		{page, "\"\\,:}] x0.\x01"},
		{extra, "\"\\,:{}[] x0-+.eEun\x01\xff"},
	} {
		for i := range tc.body {
			assertDecodesLikeEncodingJSON(t, tc.body[:i])
			for _, c := range []byte(tc.changes) {
				changed := append([]byte(nil), tc.body...)
				changed[i] = c
				assertDecodesLikeEncodingJSON(t, changed)
			}
		}
	}
}

func FuzzDecodeLeads(f *testing.F) {
	example, _ := os.ReadFile("testdata/reference/leads.json")
	f.Add(example)
	page, _ := json.Marshal(journeybeetest.GenerateLeads(5, 9))
	f.Add(page)
	f.Add([]byte(`[{"id":1,"tags":[{"id":2,"label":"a\u0041"}],"created_at":"2024-01-15T10:30:00Z","x":{"y":[]}}]`))
	f.Add([]byte(`[{"id":-0,"x":[1.5e+3,true,false,null,{"a":"\n"}],"lead_deals":[{"deal_value":1E2}]}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		assertDecodesLikeEncodingJSON(t, body)
	})
}

// BenchmarkDecodeLeads compares decodeLeads with json.Unmarshal on a page of
// 100 generated leads.
func BenchmarkDecodeLeads(b *testing.B) {
	page, err := json.Marshal(journeybeetest.GenerateLeads(100, 1))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("decodeLeads", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			if _, err := api.DecodeLeads(page, make([]api.Lead, 0, 100)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json.Unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			leads := make([]api.Lead, 0, 100)
			if err := json.Unmarshal(page, &leads); err != nil {
				b.Fatal(err)
			}
		}
	})
}
