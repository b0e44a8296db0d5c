package api

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
)

func TestNotePlainText(t *testing.T) {
	cases := []struct {
		name, content string
		want          *string
	}{
		{"the reference's example", `{"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"Initial contact made with lead"}]}]}`, new("Initial contact made with lead")},
		{"marks split a paragraph into text nodes", `{"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"Call "},{"type":"text","marks":[{"type":"bold"}],"text":"Maria"},{"type":"text","text":" today"}]}]}`, new("Call Maria today")},
		{"paragraphs are lines, an empty one a blank line", `{"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"One"}]},{"type":"paragraph"},{"type":"heading","attrs":{"level":2},"content":[{"type":"text","text":"Two"}]}]}`, new("One\n\nTwo")},
		{"list items and hard breaks", `{"type":"doc","content":[{"type":"bullet_list","content":[{"type":"list_item","content":[{"type":"paragraph","content":[{"type":"text","text":"a"},{"type":"hard_break"},{"type":"text","text":"b"}]}]},{"type":"list_item","content":[{"type":"paragraph","content":[{"type":"text","text":"c"}]}]}]}]}`, new("a\nb\nc")},
		{"an empty document", `{"type":"doc","content":[]}`, new("")},
		{"null content", `null`, nil},
		{"content that is not a document", `"plain"`, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Note{Content: json.RawMessage(c.content)}.PlainText()
			if (got == nil) != (c.want == nil) || (got != nil && *got != *c.want) {
				t.Fatalf("PlainText() = %s, want %s", show(got), show(c.want))
			}
		})
	}
}

func TestListLeadNotesNamesTheLead(t *testing.T) {
	c, script, _ := newScriptedClient(t, reply(200, `[{"id":1,"content":null,"created_by":null},{"id":2,"created_by":{"id":456,"first_name":null}}]`))
	notes, err := c.ListLeadNotes(context.Background(), 789)
	if err != nil {
		t.Fatal(err)
	}
	if got := script.requests[0].URL.Path; got != "/api/v1/leads/789/notes" {
		t.Fatalf("path = %s", got)
	}
	if len(notes) != 2 || notes[0].LeadID != 789 || notes[1].LeadID != 789 {
		t.Fatalf("notes = %+v, want two carrying lead 789", notes)
	}
	if notes[0].CreatedBy.Raw != nil || notes[0].CreatedBy.Value != nil {
		t.Fatalf("a null created_by must stay nil: %+v", notes[0].CreatedBy)
	}
	if got := string(notes[1].CreatedBy.Raw); got != `{"id":456,"first_name":null}` || *notes[1].CreatedBy.Value.ID != 456 {
		t.Fatalf("created_by = %s %+v, want the API's bytes and id 456", got, notes[1].CreatedBy.Value)
	}
}

func TestListLeadNotesOfAnUnknownLeadIsNotFound(t *testing.T) {
	c, _, _ := newScriptedClient(t, reply(404, `{"error":"Lead not found or not accessible"}`))
	_, err := c.ListLeadNotes(context.Background(), 1)
	if !IsNotFound(err) {
		t.Fatalf("err = %v, want a not-found error", err)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %T, want *APIError", err)
	}
}

func TestListUsersSendsIndirectOnlyWhenAsked(t *testing.T) {
	c, script, _ := newScriptedClient(t, reply(200, `[]`))
	for _, opts := range []ListUsersOptions{{}, {IncludeIndirect: true}} {
		if _, err := c.ListUsers(context.Background(), opts); err != nil {
			t.Fatal(err)
		}
	}
	if got := script.requests[0].URL.RawQuery; got != "" {
		t.Fatalf("default request query = %q, want none: any indirect value switches it on", got)
	}
	if got := script.requests[1].URL.RawQuery; got != "indirect=1" {
		t.Fatalf("IncludeIndirect query = %q, want indirect=1", got)
	}
}

func show(s *string) string {
	if s == nil {
		return "nil"
	}
	return `"` + *s + `"`
}
