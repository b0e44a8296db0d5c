package journeybee

import (
	"strings"
	"testing"
	"time"
)

func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestResolveSettingsPrecedence(t *testing.T) {
	env := envOf(map[string]string{envAPIKey: "env-key", envUserID: "77", envBaseURL: "https://env.example.com"})

	s, err := resolveSettings(journeybeeConfig{}, env)
	if err != nil {
		t.Fatal(err)
	}
	if s.apiKey != "env-key" || s.userID != 77 || s.baseURL != "https://env.example.com" {
		t.Fatalf("env fallback: %+v", s)
	}

	s, err = resolveSettings(journeybeeConfig{APIKey: new("spc-key"), UserID: new(int64(5)), BaseURL: new("https://spc.example.com")}, env)
	if err != nil {
		t.Fatal(err)
	}
	if s.apiKey != "spc-key" || s.userID != 5 || s.baseURL != "https://spc.example.com" {
		t.Fatalf(".spc must override env: %+v", s)
	}

	s, err = resolveSettings(journeybeeConfig{APIKey: new("k"), UserID: new(int64(1))}, envOf(nil))
	if err != nil || s.baseURL != "https://app.journeybee.io" || s.timeout != 30*time.Second || s.retry.MaxRetries != 5 {
		t.Fatalf("defaults: %+v %v", s, err)
	}

	s, err = resolveSettings(journeybeeConfig{APIKey: new("k"), UserID: new(int64(1)), RequestTimeout: new(5), MaxErrorRetryAttempts: new(0), MinErrorRetryDelay: new(10)}, envOf(nil))
	if err != nil || s.timeout != 5*time.Second || s.retry.MaxRetries != 0 || s.retry.MinDelay != 10*time.Millisecond {
		t.Fatalf("tuning arguments: %+v %v", s, err)
	}
}

func TestResolveSettingsErrorsNameArgumentAndEnv(t *testing.T) {
	for _, tt := range []struct {
		name string
		cfg  journeybeeConfig
		env  map[string]string
		want []string
	}{
		{"no key", journeybeeConfig{UserID: new(int64(1))}, nil, []string{"api_key is not set", "JOURNEYBEE_API_KEY",
			"journeybee.spc", "`config` option of the foreign server", "standalone Postgres FDW"}},
		{"blank key", journeybeeConfig{APIKey: new("  "), UserID: new(int64(1))}, map[string]string{envAPIKey: "env-key"}, []string{"api_key is not set"}},
		{"no user", journeybeeConfig{APIKey: new("k")}, nil, []string{"user_id is not set", "JOURNEYBEE_USER_ID",
			// Steampipe reads the .spc file, the standalone FDW its server's config option.
			"journeybee.spc", "`config` option of the foreign server", "standalone Postgres FDW", "OPTIONS (config 'user_id = ...')"}},
		{"bad env user", journeybeeConfig{APIKey: new("k")}, map[string]string{envUserID: "jane"}, []string{"JOURNEYBEE_USER_ID must be a whole number", `"jane"`}},
		{"negative user", journeybeeConfig{APIKey: new("k"), UserID: new(int64(-3))}, nil, []string{"user_id must be a positive number"}},
		{"plain http", journeybeeConfig{APIKey: new("k"), UserID: new(int64(1)), BaseURL: new("http://app.journeybee.io")}, nil, []string{"base_url (or JOURNEYBEE_BASE_URL)", "must be https://"}},
		{"timeout", journeybeeConfig{APIKey: new("k"), UserID: new(int64(1)), RequestTimeout: new(0)}, nil, []string{"request_timeout must be at least 1"}},
		{"retries", journeybeeConfig{APIKey: new("k"), UserID: new(int64(1)), MaxErrorRetryAttempts: new(99)}, nil, []string{"max_error_retry_attempts must be between 0 and 20"}},
		{"retry delay", journeybeeConfig{APIKey: new("k"), UserID: new(int64(1)), MinErrorRetryDelay: new(0)}, nil, []string{"min_error_retry_delay must be at least 1"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := resolveSettings(tt.cfg, envOf(tt.env))
			if err == nil {
				t.Fatal("want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Fatalf("err = %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

func TestResolveSettingsCacheKeyHidesTheKey(t *testing.T) {
	s, err := resolveSettings(journeybeeConfig{APIKey: new("super-secret-key"), UserID: new(int64(1))}, envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(s.cacheKeyID, "super-secret-key") {
		t.Fatal("the API key is part of the cache key")
	}
	other, _ := resolveSettings(journeybeeConfig{APIKey: new("another-key"), UserID: new(int64(1))}, envOf(nil))
	if other.cacheKeyID == s.cacheKeyID {
		t.Fatal("two keys share a cache key: a rotated key would keep the old client")
	}
}

// The reply TTL is the documented 300 s unless cache_ttl says otherwise,
// whatever the host: the standalone FDW hands queries a 10-hour TTL, which
// used to become the reply cache's (a repeat 315 s later made no request).
func TestReplyCacheTTLIsTheDocumentedOne(t *testing.T) {
	for _, tt := range []struct {
		cacheTTL *int
		want     time.Duration
	}{
		{nil, 300 * time.Second},
		{new(600), 600 * time.Second}, // longer than Steampipe's own default: cache_ttl decides
		{new(30), 30 * time.Second},
		{new(0), 0},
	} {
		s, err := resolveSettings(journeybeeConfig{APIKey: new("k"), UserID: new(int64(1)), CacheTTL: tt.cacheTTL}, envOf(nil))
		if err != nil {
			t.Fatal(err)
		}
		if got := replyCacheTTL(s); got != tt.want {
			t.Errorf("cache_ttl %v: reply TTL %s, want %s", tt.cacheTTL, got, tt.want)
		}
	}
}

func TestStateDirSetting(t *testing.T) {
	cfg := journeybeeConfig{APIKey: new("k"), UserID: new(int64(1))}
	for _, tt := range []struct {
		arg     *string
		env     string
		want    string
		wantErr string
	}{
		// A test binary shares nothing unless told to (see resolveStateDir).
		{nil, "", "", ""},
		{nil, "/var/lib/jb", "/var/lib/jb", ""},
		{new("/srv/jb/"), "/var/lib/jb", "/srv/jb", ""},
		{new("none"), "/var/lib/jb", "", ""},
		{nil, "none", "", ""},
		{new("state"), "", "", `state_dir must be an absolute directory path, or "none" to share nothing between processes; got "state"`},
		{nil, "~/jb", "", `JOURNEYBEE_STATE_DIR must be an absolute directory path`},
	} {
		cfg.StateDir = tt.arg
		s, err := resolveSettings(cfg, envOf(map[string]string{envStateDir: tt.env}))
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("state_dir %v, env %q: err %v, want %q", tt.arg, tt.env, err, tt.wantErr)
			}
			continue
		}
		if err != nil || s.stateDir != tt.want {
			t.Errorf("state_dir %v, env %q: %q %v, want %q", tt.arg, tt.env, s.stateDir, err, tt.want)
		}
	}
}
