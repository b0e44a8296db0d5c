package main

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

const testSpc = `
connection "aws" {
  plugin = "aws"
  regions = ["*"]
}

connection "jb_prod" {
  plugin  = "local/journeybee"
  api_key = "prod-secret-key" # read only
  user_id = 456
}

connection "jb_test" {
  plugin   = "turbot/journeybee@latest"
  api_key  = "test-secret-key"
  base_url = "http://127.0.0.1:8787"
}
`

func TestParseConnection(t *testing.T) {
	tests := []struct {
		name       string
		connection string
		wantName   string
		wantConfig string
		secrets    []string
		usageErr   bool
	}{
		{name: "first journeybee block", wantName: "jb_prod",
			wantConfig: "api_key = \"prod-secret-key\"\nuser_id = 456\n", secrets: []string{"prod-secret-key"}},
		{name: "named block, versioned plugin", connection: "jb_test", wantName: "jb_test",
			wantConfig: "api_key  = \"test-secret-key\"\nbase_url = \"http://127.0.0.1:8787\"\n", secrets: []string{"test-secret-key"}},
		{name: "another plugin's block", connection: "aws", usageErr: true},
		{name: "no such block", connection: "jb_dev", usageErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, secrets, err := parseConnection([]byte(testSpc), "journeybee.spc", tt.connection)
			if tt.usageErr {
				if !errors.Is(err, errUsage) {
					t.Fatalf("err = %v, want a usage error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if conn.Name != tt.wantName || conn.Config != tt.wantConfig {
				t.Errorf("connection %q config %q, want %q config %q", conn.Name, conn.Config, tt.wantName, tt.wantConfig)
			}
			if !slices.Equal(secrets, tt.secrets) {
				t.Errorf("secrets = %q, want %q", secrets, tt.secrets)
			}
		})
	}
}

func TestParseConnectionErrors(t *testing.T) {
	if _, _, err := parseConnection([]byte(`connection "x" {`), "bad.spc", ""); err == nil || errors.Is(err, errUsage) {
		t.Errorf("syntax error: err = %v, want a config error", err)
	}
	if _, _, err := parseConnection([]byte(`connection "aws" { plugin = "aws" }`), "aws.spc", ""); !errors.Is(err, errUsage) {
		t.Errorf("no journeybee block: err = %v, want a usage error", err)
	}
}

func TestConnectionConfigFile(t *testing.T) {
	dir := t.TempDir()
	// The default file is optional: without it, the connection is
	// "journeybee" with an empty config.
	conn, _, err := connectionConfig(filepath.Join(dir, "journeybee.spc"), false, "")
	if err != nil || conn.Name != "journeybee" || conn.Config != "" {
		t.Errorf("missing default file: %+v, %v", conn, err)
	}
	// A file named with --config must exist.
	if _, _, err := connectionConfig(filepath.Join(dir, "nope.spc"), true, ""); !errors.Is(err, errUsage) {
		t.Errorf("missing --config file: err = %v, want a usage error", err)
	}
	path := filepath.Join(dir, "journeybee.spc")
	if err := os.WriteFile(path, []byte(testSpc), 0o600); err != nil {
		t.Fatal(err)
	}
	if conn, _, err := connectionConfig(path, false, "jb_test"); err != nil || conn.Name != "jb_test" {
		t.Errorf("existing default file: %+v, %v", conn, err)
	}
}

func TestDefaultConfigPath(t *testing.T) {
	t.Setenv("STEAMPIPE_INSTALL_DIR", "/opt/steampipe")
	if got, want := defaultConfigPath(), filepath.FromSlash("/opt/steampipe/config/journeybee.spc"); got != want {
		t.Errorf("with STEAMPIPE_INSTALL_DIR: %s, want %s", got, want)
	}
	t.Setenv("STEAMPIPE_INSTALL_DIR", "")
	t.Setenv("HOME", "/home/ann")
	if got, want := defaultConfigPath(), filepath.FromSlash("/home/ann/.steampipe/config/journeybee.spc"); got != want {
		t.Errorf("default: %s, want %s", got, want)
	}
}
