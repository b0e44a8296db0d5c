package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/journeybeetest"
)

// syncBuffer is a bytes.Buffer safe to write from the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdoutR, stdoutW := io.Pipe()
	stderr := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-leads", "50", "-page-size", "20", "-api-key", "k", "-v"}, stdoutW, stderr)
		stdoutW.Close()
	}()

	line, err := bufio.NewReader(stdoutR).ReadString('\n')
	if err != nil {
		t.Fatalf("no ready line: %v (stderr: %s)", err, stderr)
	}
	base, ok := strings.CutPrefix(strings.TrimSpace(line), "JOURNEYBEE_BASE_URL=")
	if !ok || !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("ready line %q", line)
	}
	go io.Copy(io.Discard, stdoutR) // nothing more is expected; keep the pipe drained

	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/leads?userId=456", nil)
	req.Header.Set("Authorization", "Bearer k")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var leads []journeybeetest.Lead
	err = json.NewDecoder(resp.Body).Decode(&leads)
	resp.Body.Close()
	if err != nil || len(leads) != 20 || leads[0].Total != 50 {
		t.Fatalf("got %d leads (err %v), want a page of 20 out of 50", len(leads), err)
	}
	// The other endpoints serve the same generated account.
	req, _ = http.NewRequest(http.MethodGet, base+"/api/v1/lead-deals", nil)
	req.Header.Set("Authorization", "Bearer k")
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	var deals []journeybeetest.LeadDeal
	err = json.NewDecoder(resp.Body).Decode(&deals)
	resp.Body.Close()
	if err != nil || len(deals) == 0 || deals[0].LeadID == 0 {
		t.Fatalf("got %d deals (err %v), want the generated account's", len(deals), err)
	}
	if !strings.Contains(stderr.String(), "GET /api/v1/leads?userId=456 -> 200") {
		t.Errorf("-v did not log the request: %q", stderr)
	}
	if strings.Contains(stderr.String(), "Bearer") {
		t.Error("the log shows the API key")
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run returned %v after cancel, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run did not stop after cancel")
	}
}

func TestRefusesNonLoopbackAddresses(t *testing.T) {
	for _, addr := range []string{":8787", "0.0.0.0:8787", "[::]:8787", "192.168.1.10:8787", "example.com:80", "nonsense"} {
		err := run(context.Background(), []string{"-addr", addr}, io.Discard, io.Discard)
		if err == nil {
			t.Errorf("-addr %s was accepted", addr)
		}
	}
	for _, addr := range []string{"127.0.0.1:1", "localhost:1", "[::1]:1"} {
		if err := checkLoopback(addr); err != nil {
			t.Errorf("-addr %s refused: %v", addr, err)
		}
	}
}

func TestRejectsBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-leads", "-1"}, {"-page-size", "0"}, {"-paging", "sideways"}, {"extra"}, {"-unknown"}} {
		if err := run(context.Background(), append([]string{"-addr", "127.0.0.1:0"}, args...), io.Discard, io.Discard); err == nil {
			t.Errorf("%v was accepted", args)
		}
	}
}
