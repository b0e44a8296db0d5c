//go:build sqlite_vtable

package docs_test

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

func init() {
	// journeybee_lead_note needs lead_id: Postgres gets the notes of every
	// lead.
	postgresLoaders["journeybee_lead_note"] = loadEveryLead("journeybee_lead_note")

	registerCheck("First contact time per lead", func(t *testing.T, a *account, rows []row) {
		var leads []journeybeetest.Lead
		for _, l := range a.leads {
			if inStatus(&l, "new", "contacted") && len(a.config.Notes[l.ID]) > 0 {
				leads = append(leads, l)
			}
		}
		hours := func(l journeybeetest.Lead) int64 {
			return int64(math.Round(firstNote(a, l.ID).Sub(l.CreatedAt).Hours()))
		}
		var want [][]any
		for _, l := range sortedBy(leads, func(l journeybeetest.Lead) any { return -hours(l) }, func(l journeybeetest.Lead) any { return l.ID }) {
			want = append(want, []any{l.ID, l.CreatedAt, firstNote(a, l.ID), hours(l)})
		}
		assertRows(t, rows, []string{"id", "created_at", "first_contact_at", "hours_to_first_contact"}, want)
	})
	registerCheck("Notes on the newest leads", func(t *testing.T, a *account, rows []row) {
		newest := firstWithTies(newestFirst(a.leads), 5, columnInts(rows, "lead_id"))
		author := map[int64]string{}
		for _, u := range a.config.Users {
			author[u.ID] = journeybeetest.Deref(u.FirstName) + " " + journeybeetest.Deref(u.LastName)
		}
		var notes []noteOnLead
		for _, l := range newest {
			for _, n := range a.config.Notes[l.ID] {
				notes = append(notes, noteOnLead{l.ID, n})
			}
		}
		var want [][]any
		for _, n := range sortedBy(notes, func(n noteOnLead) any { return n.leadID }, func(n noteOnLead) any { return n.CreatedAt }) {
			want = append(want, []any{n.leadID, n.CreatedAt, author[n.CreatedBy.ID], noteText(t, n.Content)})
		}
		assertRows(t, rows, []string{"lead_id", "created_at", "author", "content_text"}, want)
	})
}

type noteOnLead struct {
	leadID int64
	journeybeetest.Note
}

// firstNote is when the first note on the lead was written.
func firstNote(a *account, leadID int64) (first time.Time) {
	for i, n := range a.config.Notes[leadID] {
		if i == 0 || n.CreatedAt.Before(first) {
			first = *n.CreatedAt
		}
	}
	return first
}

// noteText is the text of a generated note: one paragraph of one text node.
func noteText(t *testing.T, content json.RawMessage) string {
	var doc struct {
		Content []struct{ Content []struct{ Text string } }
	}
	if err := json.Unmarshal(content, &doc); err != nil || len(doc.Content) != 1 || len(doc.Content[0].Content) != 1 {
		t.Fatalf("not a one-paragraph note: %s", content)
	}
	return doc.Content[0].Content[0].Text
}
