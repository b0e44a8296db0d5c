package journeybeetest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"
)

// BenchmarkServeAllPages walks 100k leads at 100 a page over HTTP, decoding
// only each page's created_at values, to measure the fake.
func BenchmarkServeAllPages(b *testing.B) {
	s := NewServer(Config{Leads: GenerateLeads(100_000, 1)})
	defer s.Close()
	for b.Loop() {
		s.ResetRequests()
		cursor := ""
		for {
			q := url.Values{"userId": {"456"}}
			if cursor != "" {
				q.Set("cursor", cursor)
			}
			req, _ := http.NewRequest(http.MethodGet, s.URL+leadsPath+"?"+q.Encode(), nil)
			req.Header.Set("Authorization", "Bearer "+s.APIKey())
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if len(body) <= 2 {
				break
			}
			cursor = lastCreatedAt(b, body)
		}
		if n := s.RequestCount(); n != 1001 {
			b.Fatalf("%d requests, want 1001", n)
		}
	}
}

// lastCreatedAt is the next cursor: the page's last created_at, as sent.
func lastCreatedAt(b *testing.B, body []byte) string {
	var page []struct {
		CreatedAt string `json:"created_at"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		b.Fatal(err)
	}
	return page[len(page)-1].CreatedAt
}

func BenchmarkGenerateLeads100k(b *testing.B) {
	for b.Loop() {
		GenerateLeads(100_000, 1)
	}
}
