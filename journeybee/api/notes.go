package api

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// leadNotesPath is GET /leads/{leadId}/notes (unpaged; no /companies
// prefix, unlike the single lead).
func leadNotesPath(leadID int64) string {
	return "/api/v1/leads/" + strconv.FormatInt(leadID, 10) + "/notes"
}

// Note is an item of GET /leads/{leadId}/notes: a rich-text note on a lead.
type Note struct {
	// LeadID is the lead the note was listed for; the API does not send it.
	LeadID int64 `json:"-"`
	ID     int64 `json:"id"`
	// Content is a ProseMirror document, as the API sent it.
	Content   json.RawMessage `json:"content"`
	CreatedAt *time.Time      `json:"created_at"`
	UpdatedAt *time.Time      `json:"updated_at"`
	// CreatedBy is the author, {id, first_name, last_name}.
	CreatedBy RawObject[NoteAuthor] `json:"created_by"`
	// Attachments and Mentions are kept verbatim: the reference does not
	// document their items.
	Attachments json.RawMessage `json:"attachments"`
	Mentions    json.RawMessage `json:"mentions"`
}

// NoteAuthor is the part of a note's created_by the plugin inspects.
type NoteAuthor struct {
	ID *int64 `json:"id"`
}

// ListLeadNotes returns the notes on one lead, each carrying LeadID.
func (c *Client) ListLeadNotes(ctx context.Context, leadID int64) ([]Note, error) {
	notes, err := GetList[Note](ctx, c, leadNotesPath(leadID), nil)
	for i := range notes {
		notes[i].LeadID = leadID
	}
	return notes, err
}

// proseNode is the part of a ProseMirror node plain text needs.
type proseNode struct {
	Type    string      `json:"type"`
	Text    string      `json:"text"`
	Content []proseNode `json:"content"`
}

// PlainText is the note's text without formatting: the text of each block
// (paragraph, heading, list item…) on a line of its own, hard breaks as
// newlines. It is nil when the content is null or not a document.
func (n Note) PlainText() *string {
	var doc proseNode
	if len(n.Content) == 0 || json.Unmarshal(n.Content, &doc) != nil || doc.Type == "" {
		return nil
	}
	var lines []string
	doc.appendLines(&lines)
	text := strings.Join(lines, "\n")
	return &text
}

// appendLines adds one line per text block under n. A block is a node whose
// children are inline (text, hard breaks), or an empty paragraph or heading:
// the blank lines a writer left stay blank lines.
func (n proseNode) appendLines(lines *[]string) {
	if n.isTextBlock() {
		var line strings.Builder
		for _, c := range n.Content {
			if c.Type == "hard_break" || c.Type == "hardBreak" {
				line.WriteString("\n")
			}
			line.WriteString(c.Text)
		}
		*lines = append(*lines, line.String())
		return
	}
	for _, c := range n.Content {
		c.appendLines(lines)
	}
}

func (n proseNode) isTextBlock() bool {
	if len(n.Content) == 0 {
		return n.Type == "paragraph" || n.Type == "heading"
	}
	for _, c := range n.Content {
		if c.Type == "text" || c.Type == "hard_break" || c.Type == "hardBreak" {
			return true
		}
	}
	return false
}
