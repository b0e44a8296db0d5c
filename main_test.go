package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	builtPath string
	buildErr  error
)

// buildPlugin builds the plugin binary once for the tests of this file.
func buildPlugin(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "journeybee-plugin-")
		if err != nil {
			buildErr = err
			return
		}
		builtPath = filepath.Join(dir, "journeybee.plugin")
		if out, err := exec.Command("go", "build", "-o", builtPath, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtPath
}

// TestPluginBinaryHandshake builds the plugin and checks that it starts the
// way Steampipe's plugin manager expects: given the SDK's magic cookie it
// prints the go-plugin handshake line and serves gRPC.
func TestPluginBinaryHandshake(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the plugin binary")
	}
	bin := buildPlugin(t)

	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "MANTIX_PLUGIN_MAGIC_COOKIE=really-complex-permanent-string-value", "STEAMPIPE_LOG_LEVEL=WARN")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()

	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- line
	}()
	select {
	case line := <-lines:
		// core-protocol|app-protocol|network|address|protocol
		if !regexp.MustCompile(`^1\|\d+\|(unix|tcp)\|[^|]+\|grpc`).MatchString(line) {
			t.Fatalf("handshake line = %q, want go-plugin's 1|N|unix|addr|grpc", line)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the plugin printed no handshake line within 60s")
	}
}

// TestPluginBinaryRefusesDirectRun: run by hand, without the plugin
// manager's cookie, the binary explains itself instead of serving.
func TestPluginBinaryRefusesDirectRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the plugin binary")
	}
	bin := buildPlugin(t)
	out, err := exec.Command(bin).CombinedOutput()
	if err == nil {
		t.Fatalf("running the plugin without the plugin manager succeeded; output:\n%s", out)
	}
	if !regexp.MustCompile(`(?i)plugin`).Match(out) {
		t.Fatalf("no explanation printed: %s", out)
	}
}
