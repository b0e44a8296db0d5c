package journeybee

import (
	"context"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

//// TABLE DEFINITION

func tableJourneyBeeLeadNote(_ context.Context) *plugin.Table {
	return &plugin.Table{
		Name:        "journeybee_lead_note",
		Description: "Notes on JourneyBee leads: the rich-text notes written on a lead, with their author. lead_id is required (= or IN, or a join on journeybee_lead); each lead costs one API call.",
		List:        unpagedList("journeybee_lead_note.listLeadNotes", leadIDKeyColumns(), requestedLeadIDs, listLeadNotes),
		Columns: []*plugin.Column{
			intColumn("lead_id", "Identifier of the lead the note is on (journeybee_lead.id). Required: filter with = or IN, or join on journeybee_lead; one API call per lead, an unknown lead has no notes.", func(n *api.Note) any { return n.LeadID }),
			intColumn("id", "Unique identifier of the note.", func(n *api.Note) any { return n.ID }),
			stringColumn("content_text", "The note's text without formatting: each paragraph (or heading, list item) on its own line. NULL when the note has no content.", func(n *api.Note) any { return opt(n.PlainText()) }),
			jsonColumn("content", "The note's rich-text document in ProseMirror format ({type: doc, content: [...]}), as the API sent it.", func(n *api.Note) any { return rawJSON(n.Content) }),
			timestampColumn("created_at", "When the note was written. The first note's created_at is a lead's first recorded contact.", func(n *api.Note) any { return opt(n.CreatedAt) }),
			timestampColumn("updated_at", "When the note was last edited.", func(n *api.Note) any { return opt(n.UpdatedAt) }),
			intColumn("created_by_id", "Identifier of the note's author (journeybee_user.id), from created_by.", func(n *api.Note) any { return noteAuthorID(n) }),
			jsonColumn("created_by", "The note's author, {id, first_name, last_name}, as the API sent it.", func(n *api.Note) any { return rawJSON(n.CreatedBy.Raw) }),
			jsonColumn("attachments", "The note's file attachments, as the API sent them (their shape is not documented).", func(n *api.Note) any { return rawJSON(n.Attachments) }),
			jsonColumn("mentions", "The users mentioned in the note, as the API sent them (their shape is not documented).", func(n *api.Note) any { return rawJSON(n.Mentions) }),
		},
	}
}

//// LIST FUNCTION

// listLeadNotes lists one lead's notes; an unknown lead (404) has none, as
// a WHERE on an id that does not exist returns no rows.
func listLeadNotes(c *api.Client, ctx context.Context, leadID int64) ([]api.Note, error) {
	notes, err := c.ListLeadNotes(ctx, leadID)
	if api.IsNotFound(err) {
		return nil, nil
	}
	return notes, err
}

//// TRANSFORM FUNCTIONS

func noteAuthorID(n *api.Note) any {
	if n.CreatedBy.Value == nil {
		return nil
	}
	return opt(n.CreatedBy.Value.ID)
}
