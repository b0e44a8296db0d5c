package journeybeetest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestFilters runs each documented filter over the fixture: the query
// parameters sent and the lead ids expected, in serving order.
func TestFilters(t *testing.T) {
	s := start(t, fixtureConfig())
	tests := []struct {
		name  string
		query []string
		want  []int64
	}{
		{"no filter", nil, []int64{1, 2, 3, 4, 6, 5}},

		{"search company name", []string{"search", "TechCorp"}, []int64{1}},
		{"search is case-insensitive", []string{"search", "tECHcORP sOL"}, []int64{1}},
		{"search email", []string{"search", "@cobalt"}, []int64{3}},
		{"search phone", []string{"search", "7946"}, []int64{3}},
		{"search first name", []string{"search", "emma"}, []int64{2}},
		{"search last name", []string{"search", "JONES"}, []int64{4}},
		{"search assigned user first name", []string{"search", "jane"}, []int64{1, 6}},
		{"search assigned user last name", []string{"search", "o'brien"}, []int64{5}},
		{"search assigned user full name", []string{"search", "Marcus Chen"}, []int64{2}},
		{"search assigned user email", []string{"search", "priya.patel@"}, []int64{2}},
		{"search partner sender", []string{"search", "partner corp"}, []int64{1}},
		{"search partner receiver", []string{"search", "globex"}, []int64{2}},
		{"search own company in partnerships", []string{"search", "honeycomb"}, []int64{1, 2, 5}},
		{"search is trimmed", []string{"search", "  jane  "}, []int64{1, 6}},
		{"search without match", []string{"search", "no such lead"}, []int64{}},

		{"view received", []string{"view", "received"}, []int64{1, 5}},
		{"view sent", []string{"view", "sent"}, []int64{2}},
		{"view reseller", []string{"view", "reseller"}, []int64{2, 5}},
		{"view campaigns", []string{"view", "campaigns"}, []int64{3}},

		{"assigned", []string{"assigned", "1"}, []int64{1, 2, 6, 5}},
		{"unassigned", []string{"unassigned", "1"}, []int64{3, 4}},
		{"assigned=0 is no filter", []string{"assigned", "0"}, []int64{1, 2, 3, 4, 6, 5}},
		{"assigned and unassigned", []string{"assigned", "1", "unassigned", "1"}, []int64{}},

		{"one status", []string{"status", "new"}, []int64{1, 6}},
		{"status csv is any-of", []string{"status", "new,lost"}, []int64{1, 6, 5}},
		{"status csv with spaces", []string{"status", " contacted , qualified "}, []int64{2, 3}},

		{"one tag", []string{"tags", "10"}, []int64{1, 5}},
		{"tags csv is any-of", []string{"tags", "11,12"}, []int64{2, 4}},
		{"unknown tag", []string{"tags", "99"}, []int64{}},

		{"one user", []string{"users", "456"}, []int64{1, 6}},
		{"users csv is any-of", []string{"users", "457,459"}, []int64{2, 5}},

		{"custom text is a case-insensitive substring", []string{"customFields", `[{"id":100,"value":{"text":"ENTERPRISE"}}]`}, []int64{1, 2}},
		{"custom number is JSON equality", []string{"customFields", `[{"id":101,"value":{"number":5000}}]`}, []int64{1}},
		{"custom boolean", []string{"customFields", `[{"id":102,"value":{"boolean":false}}]`}, []int64{5}},
		{"custom select", []string{"customFields", `[{"id":103,"value":{"select":"opt-b"}}]`}, []int64{2}},
		{"custom filters combine with AND", []string{"customFields", `[{"id":100,"value":{"text":"enterprise"}},{"id":101,"value":{"number":20}}]`}, []int64{2}},
		{"custom field the lead lacks", []string{"customFields", `[{"id":104,"value":{"text":""}}]`}, []int64{}},
		{"empty custom field list", []string{"customFields", `[]`}, []int64{1, 2, 3, 4, 6, 5}},

		{"sort by status ascending", []string{"sort", `[{"type":"status","asc":true}]`}, []int64{1, 6, 2, 3, 4, 5}},
		{"sort by status descending", []string{"sort", `[{"type":"status","asc":false}]`}, []int64{5, 4, 3, 2, 1, 6}},
		{"sort asc defaults to true", []string{"sort", `[{"type":"status"}]`}, []int64{1, 6, 2, 3, 4, 5}},
		{"sort with a filter", []string{"sort", `[{"type":"status","asc":false}]`, "status", "new,lost"}, []int64{5, 1, 6}},

		{"filters combine with AND", []string{"view", "received", "status", "new"}, []int64{1}},
		{"search and tags", []string{"search", "jane", "tags", "10"}, []int64{1}},
		{"view, assigned and users", []string{"view", "reseller", "assigned", "1", "users", "459"}, []int64{5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leads := getLeads(t, s, tt.query...)
			wantIDs(t, strings.Join(tt.query, " "), ids(leads), tt.want)
			for _, l := range leads {
				if l.Total != len(tt.want) {
					t.Errorf("lead %d: total %d, want %d", l.ID, l.Total, len(tt.want))
				}
			}
		})
	}
}

// TestFilterErrors lists every query the fake refuses with 400.
func TestFilterErrors(t *testing.T) {
	s := start(t, fixtureConfig())
	tests := []struct {
		name        string
		query       []string
		wantMessage string // a substring of the error
	}{
		{"unknown view", []string{"view", "all"}, "allowed values are received, sent, reseller, campaigns"},
		{"unknown status", []string{"status", "new,open"}, `invalid status "open"`},
		{"non-numeric tag", []string{"tags", "10,hot"}, "tag IDs"},
		{"non-numeric user", []string{"users", "jane"}, "user IDs"},
		{"customFields not JSON", []string{"customFields", "text=acme"}, "invalid customFields"},
		{"customFields not an array", []string{"customFields", `{"id":1,"value":{"text":"x"}}`}, "invalid customFields"},
		{"customFields without id", []string{"customFields", `[{"value":{"text":"x"}}]`}, "needs an id and a value"},
		{"customFields without value", []string{"customFields", `[{"id":100}]`}, "needs an id and a value"},
		{"customFields text not a string", []string{"customFields", `[{"id":100,"value":{"text":5}}]`}, "must be a string"},
		{"sort not JSON", []string{"sort", "status"}, "invalid sort"},
		{"sort by another type", []string{"sort", `[{"type":"created_at","asc":true}]`}, `invalid sort type "created_at"`},
		{"assigned not 1", []string{"assigned", "yes"}, "invalid assigned"},
		{"unassigned not 1", []string{"unassigned", "true"}, "invalid unassigned"},
		{"cursor not a timestamp", []string{"cursor", "yesterday"}, "invalid cursor"},
		{"cursor without zone", []string{"cursor", "2024-01-15T10:30:00"}, "invalid cursor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := get(t, s, leadsPath, leadsQuery(s, tt.query...))
			if r.status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", r.status, r.body)
			}
			var e struct{ Error string }
			if err := json.Unmarshal(r.body, &e); err != nil || !strings.Contains(e.Error, tt.wantMessage) {
				t.Errorf("body %s, want an error containing %q", r.body, tt.wantMessage)
			}
		})
	}
}

// TestFilteredPagingMatchesBruteForce walks filtered queries page by page
// over generated data and compares with filtering the dataset directly.
func TestFilteredPagingMatchesBruteForce(t *testing.T) {
	const pageSize = 37
	leads := GenerateLeads(600, 7)
	s := start(t, Config{Leads: leads, PageSize: pageSize})
	tests := []struct {
		name  string
		query []string
		keep  func(l *Lead) bool
	}{
		{"received and assigned", []string{"view", "received", "assigned", "1"}, func(l *Lead) bool {
			return viewMatches(l, "received") && len(l.AssignedUsers) > 0
		}},
		{"campaigns, new or lost", []string{"view", "campaigns", "status", "new,lost"}, func(l *Lead) bool {
			return l.CampaignID != nil && (l.Status == "new" || l.Status == "lost")
		}},
		{"tag 13", []string{"tags", "13"}, func(l *Lead) bool {
			return slices.ContainsFunc(l.Tags, func(tag Tag) bool { return tag.ID == 13 })
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var matching []Lead
			for i := range leads {
				if tt.keep(&leads[i]) {
					matching = append(matching, leads[i])
				}
			}
			var got []int64
			cursor := ""
			for page := 0; ; page++ {
				q := tt.query
				if cursor != "" {
					q = append(q[:len(q):len(q)], "cursor", cursor)
				}
				items := getLeads(t, s, q...)
				if len(items) == 0 {
					break
				}
				for _, l := range items {
					if l.Total != len(matching) {
						t.Fatalf("total %d, want %d", l.Total, len(matching))
					}
					got = append(got, l.ID)
				}
				cursor = items[len(items)-1].CreatedAt.Format(time.RFC3339Nano)
				if page > 100 {
					t.Fatal("paging does not end")
				}
			}
			wantIDs(t, tt.name, got, exclusiveWalk(matching, pageSize))
		})
	}
}

// exclusiveWalk is what paging newest-first leads with a strict created_at
// cursor yields: a lead sharing its instant with the last lead of a page is
// skipped.
func exclusiveWalk(newestFirst []Lead, pageSize int) []int64 {
	var out []int64
	for len(newestFirst) > 0 {
		page := newestFirst[:min(pageSize, len(newestFirst))]
		out = append(out, ids(page)...)
		cursor := page[len(page)-1].CreatedAt
		rest := newestFirst[len(page):]
		for len(rest) > 0 && !rest[0].CreatedAt.Before(cursor) {
			rest = rest[1:]
		}
		newestFirst = rest
	}
	return out
}
