package api

import (
	"context"
	"testing"
	"time"
)

// A repeated scan answered by the reply cache reads the old pages: the
// items it records keep the first scan's age, so a lookup past the TTL of
// those pages asks the API, as a list request would.
func TestARepeatedScanDoesNotMakeOldItemsLookNew(t *testing.T) {
	c, script, _ := newScriptedClient(t, reply(200, `[{"total":1,"id":7,"created_at":"2024-01-15T10:30:00Z"}]`), reply(200, `{"id":7,"created_at":"2024-01-15T10:30:00Z"}`))
	now := time.Now()
	c.cache.now = func() time.Time { return now }
	c.index.now = func() time.Time { return now }
	ctx := WithCacheTTL(context.Background(), time.Minute)
	if _, err := c.AllLeads(ctx, ListLeadsOptions{}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(40 * time.Second)
	if _, err := c.AllLeads(ctx, ListLeadsOptions{}); err != nil || script.count() != 1 {
		t.Fatalf("the repeated scan made %d requests (%v), want it answered by the reply cache", script.count(), err)
	}
	if _, err := c.LookupLead(ctx, 1, 7); err != nil || script.count() != 1 {
		t.Fatalf("a lookup 40 s after the scan made %d requests (%v), want none", script.count(), err)
	}
	now = now.Add(30 * time.Second)
	if _, err := c.LookupLead(ctx, 1, 7); err != nil || script.count() != 2 {
		t.Fatalf("a lookup 70 s after the pages were fetched made %d requests in all (%v), want a fresh one under a 60 s TTL", script.count(), err)
	}
}

// The index holds at most maxIndexedItems, the oldest recordings going.
func TestScanIndexIsBounded(t *testing.T) {
	x := newScanIndex()
	ids := make([]int64, maxIndexedItems+10)
	items := make([]any, len(ids))
	for i := range ids {
		ids[i], items[i] = int64(i), i
	}
	x.record("/p", time.Minute, ids[:10], items[:10])
	x.record("/p", time.Minute, ids[10:], items[10:])
	if len(x.items) != maxIndexedItems {
		t.Fatalf("%d items kept, want %d", len(x.items), maxIndexedItems)
	}
	if _, ok := x.lookup("/p", 0, time.Minute); ok {
		t.Fatal("the oldest item survived eviction")
	}
	if v, ok := x.lookup("/p", int64(maxIndexedItems+9), time.Minute); !ok || v != maxIndexedItems+9 {
		t.Fatalf("the newest item: %v, %v", v, ok)
	}
}
