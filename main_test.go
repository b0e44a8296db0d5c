package main

import (
	"bufio"
	"cmp"
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

// builtBin is the directory of the binaries make build made (make test sets
// JOURNEYBEE_BIN after running it), or "" when the tests build their own.
func builtBin() string { return os.Getenv("JOURNEYBEE_BIN") }

// buildPlugin builds the plugin binary once for the tests of this file, or
// takes the one in JOURNEYBEE_BIN.
func buildPlugin(t *testing.T) string {
	t.Helper()
	if dir := builtBin(); dir != "" {
		return filepath.Join(dir, "journeybee.plugin")
	}
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

// TestMakeInstall runs `make install` into a scratch Steampipe directory
// (STEAMPIPE_INSTALL_DIR): the plugin lands
// where Steampipe looks for local plugins and answers the handshake, the
// sample config is installed once and an existing one is never replaced.
func TestMakeInstall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds every binary")
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Fatal("make is required")
	}
	home := t.TempDir()
	// Under make test the binaries make build made are current: make
	// install finds them up to date instead of linking them again.
	bin := cmp.Or(builtBin(), filepath.Join(home, "bin"))
	install := func() string {
		cmd := exec.Command("make", "install", "STEAMPIPE_INSTALL_DIR="+filepath.Join(home, ".steampipe"), "BIN="+bin)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("make install: %v\n%s", err, out)
		}
		return string(out)
	}
	install()
	plugin := filepath.Join(home, ".steampipe/plugins/local/journeybee/journeybee.plugin")
	if info, err := os.Stat(plugin); err != nil || info.Mode()&0o111 == 0 {
		t.Fatalf("no executable plugin at %s: %v", plugin, err)
	}
	spc := filepath.Join(home, ".steampipe/config/journeybee.spc")
	sample, _ := os.ReadFile("config/journeybee.spc")
	if got, err := os.ReadFile(spc); err != nil || string(got) != string(sample) {
		t.Fatalf("the sample config was not installed at %s: %v", spc, err)
	}

	mine := []byte("connection \"journeybee\" {\n  plugin = \"local/journeybee\"\n  user_id = 1\n}\n")
	if err := os.WriteFile(spc, mine, 0o600); err != nil {
		t.Fatal(err)
	}
	if out := install(); !regexp.MustCompile(`kept existing`).MatchString(out) {
		t.Fatalf("second install did not say it kept the config:\n%s", out)
	}
	if got, _ := os.ReadFile(spc); string(got) != string(mine) {
		t.Fatal("make install replaced an existing journeybee.spc")
	}

	cmd := exec.Command(plugin)
	cmd.Env = append(os.Environ(), "MANTIX_PLUGIN_MAGIC_COOKIE=really-complex-permanent-string-value")
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if !regexp.MustCompile(`^1\|\d+\|(unix|tcp)\|[^|]+\|grpc`).MatchString(line) {
		t.Fatalf("the installed plugin's handshake line = %q", line)
	}
}
