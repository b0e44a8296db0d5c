//go:build !race

package journeybee

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/internal/pluginhost"
	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

// notesConfig is a generated account plus a lead whose note has a nested
// null, two paragraphs, an author without names and no timestamps.
func notesConfig() (journeybeetest.Config, int64) {
	cfg := trimmedAccountConfig()
	lead := cfg.Leads[3].ID
	cfg.Notes[lead] = append(cfg.Notes[lead], journeybeetest.Note{ID: 99001,
		Content:   json.RawMessage(`{"type":"doc","content":[{"type":"heading","attrs":{"level":null},"content":[{"type":"text","text":"Kickoff"}]},{"type":"paragraph","content":[{"type":"text","text":"Budget "},{"type":"text","marks":[{"type":"bold"}],"text":"approved"}]}]}`),
		CreatedBy: &journeybeetest.NoteAuthor{ID: 457}})
	return cfg, lead
}

func TestLeadNotesOneCallPerLead(t *testing.T) {
	cfg, trimmedLead := notesConfig()
	var withNotes []int64
	for id := range cfg.Notes {
		if id != trimmedLead {
			withNotes = append(withNotes, id)
		}
	}
	slices.Sort(withNotes)
	withoutNotes := slices.IndexFunc(cfg.Leads, func(l journeybeetest.Lead) bool { return cfg.Notes[l.ID] == nil })
	asked := []any{withNotes[0], trimmedLead, cfg.Leads[withoutNotes].ID, int64(424242)} // the last lead does not exist
	f := newFixture(t, cfg)

	rows, err := f.queryTable("journeybee_lead_note", nil, 0, in("lead_id", asked...))
	if err != nil {
		t.Fatalf("an unknown lead must be no rows, not an error: %v", err)
	}
	var wantPaths []string
	for _, id := range asked {
		wantPaths = append(wantPaths, fmt.Sprintf("/api/v1/leads/%d/notes", id))
	}
	slices.Sort(wantPaths)
	if got := f.requestsTo(); !slices.Equal(got, wantPaths) {
		t.Fatalf("requests = %v, want one per lead %v", got, wantPaths)
	}

	var want []journeybeetest.Note
	leadOf := map[int64]int64{}
	for _, id := range []int64{withNotes[0], trimmedLead} {
		for _, n := range cfg.Notes[id] {
			want = append(want, n)
			leadOf[n.ID] = id
		}
	}
	assertRowsAreItems(t, rows, want, map[string]string{"lead_id": "", "content_text": "", "created_by_id": ""})
	for _, row := range rows {
		id := pluginhost.Value(row["id"]).(int64)
		if got := pluginhost.Value(row["lead_id"]); got != leadOf[id] {
			t.Errorf("note %d: lead_id = %v, want %d", id, got, leadOf[id])
		}
	}
	byID := map[int64]pluginhost.Row{}
	for _, row := range rows {
		byID[pluginhost.Value(row["id"]).(int64)] = row
	}
	trimmed := byID[99001]
	if got := pluginhost.Value(trimmed["content_text"]); got != "Kickoff\nBudget approved" {
		t.Errorf("content_text = %q, want the two blocks on two lines", got)
	}
	if got := pluginhost.Value(trimmed["created_by"]); got != `{"id":457,"first_name":null,"last_name":null}` {
		t.Errorf("created_by = %v, want the API's bytes with their nulls", got)
	}
	if got := pluginhost.Value(trimmed["created_by_id"]); got != int64(457) {
		t.Errorf("created_by_id = %v, want 457", got)
	}
	if got := pluginhost.Value(trimmed["created_at"]); got != nil {
		t.Errorf("created_at = %v, want NULL", got)
	}
	first := cfg.Notes[withNotes[0]][0]
	if got := pluginhost.Value(byID[first.ID]["created_by_id"]); got != first.CreatedBy.ID {
		t.Errorf("created_by_id = %v, want %d", got, first.CreatedBy.ID)
	}
	if got, want := pluginhost.Value(byID[first.ID]["content_text"]), proseText(t, first.Content); got != want {
		t.Errorf("content_text = %q, want %q", got, want)
	}
	if got, ok := pluginhost.Value(byID[first.ID]["created_at"]).(time.Time); !ok || !got.Equal(*first.CreatedAt) {
		t.Errorf("created_at = %v, want %v", got, first.CreatedAt)
	}
}

// proseText is the text of a generated one-paragraph note.
func proseText(t *testing.T, content json.RawMessage) string {
	var doc struct {
		Content []struct {
			Content []struct{ Text string }
		}
	}
	if err := json.Unmarshal(content, &doc); err != nil || len(doc.Content) != 1 || len(doc.Content[0].Content) != 1 {
		t.Fatalf("not a one-paragraph note: %s", content)
	}
	return doc.Content[0].Content[0].Text
}

func TestLeadNotesNeedALead(t *testing.T) {
	f := newFixture(t, trimmedAccountConfig())
	_, err := f.queryTable("journeybee_lead_note", nil, 0)
	if err == nil || !strings.Contains(err.Error(), "lead_id") {
		t.Fatalf("error = %v, want one naming lead_id", err)
	}
	t.Logf("without lead_id: %v", err)
	if n := f.srv.RequestCount(); n != 0 {
		t.Fatalf("%d requests without lead_id", n)
	}
}
