package journeybee

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

// journeybeeConfig is the body of a `connection` block in journeybee.spc.
type journeybeeConfig struct {
	APIKey                *string `hcl:"api_key"`
	UserID                *int64  `hcl:"user_id"`
	BaseURL               *string `hcl:"base_url"`
	RequestTimeout        *int    `hcl:"request_timeout"`
	MaxErrorRetryAttempts *int    `hcl:"max_error_retry_attempts"`
	MinErrorRetryDelay    *int    `hcl:"min_error_retry_delay"`
	CompanyID             *int64  `hcl:"company_id"`
	MaxRequestsPerMinute  *int    `hcl:"max_requests_per_minute"`
	CacheTTL              *int    `hcl:"cache_ttl"`
	StateDir              *string `hcl:"state_dir"`
}

func configInstance() any {
	return &journeybeeConfig{}
}

// Environment variables read when the .spc file leaves an argument unset.
const (
	envAPIKey  = "JOURNEYBEE_API_KEY"
	envUserID  = "JOURNEYBEE_USER_ID"
	envBaseURL = "JOURNEYBEE_BASE_URL"
	// envStateDir is read only when the connection sets no state_dir.
	envStateDir = "JOURNEYBEE_STATE_DIR"
)

// DefaultCacheTTL is how long API replies are reused unless cache_ttl says
// otherwise, under every host: the one the docs promise.
const DefaultCacheTTL = 300 * time.Second

// stateDirNone turns the state directory off: pace and replies stay in
// the process, nothing is written to disk.
const stateDirNone = "none"

// stateDirName is the state directory inside the user's cache directory.
const stateDirName = "steampipe-plugin-journeybee"

// settings are the resolved connection arguments.
type settings struct {
	apiKey  string
	userID  int64
	baseURL string
	timeout time.Duration
	retry   api.RetryPolicy
	// companyID is the user's company (0: discover it, see companyID).
	companyID int64
	// requestsPerMinute caps API requests in any 60 s window.
	requestsPerMinute int
	// cacheTTL is how long API replies are reused; 0 keeps none.
	cacheTTL time.Duration
	// stateDir is where the pace and replies are shared with the other
	// processes using the key; "" keeps them in the process.
	stateDir   string
	cacheKeyID string // identifies the settings without revealing the key
}

// resolveSettings applies the precedence .spc argument > environment variable
// > default, and names both places in any error.
func resolveSettings(cfg journeybeeConfig, getenv func(string) string) (settings, error) {
	s := settings{baseURL: api.DefaultBaseURL, timeout: 30 * time.Second, retry: api.DefaultRetryPolicy, requestsPerMinute: api.DefaultRequestsPerMinute, cacheTTL: DefaultCacheTTL}

	s.apiKey = strings.TrimSpace(getenv(envAPIKey))
	if cfg.APIKey != nil {
		s.apiKey = strings.TrimSpace(*cfg.APIKey)
	}
	if s.apiKey == "" {
		return s, missingSetting("api_key", envAPIKey)
	}

	if cfg.UserID != nil {
		s.userID = *cfg.UserID
	} else if raw := strings.TrimSpace(getenv(envUserID)); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return s, fmt.Errorf("%s must be a whole number (the JourneyBee user id that owns the API key), got %q", envUserID, raw)
		}
		s.userID = id
	}
	if s.userID == 0 {
		return s, missingSetting("user_id", envUserID)
	}
	if s.userID < 0 {
		return s, fmt.Errorf("user_id must be a positive number (the JourneyBee user id that owns the API key), got %d", s.userID)
	}

	if raw := strings.TrimSpace(getenv(envBaseURL)); raw != "" {
		s.baseURL = raw
	}
	if cfg.BaseURL != nil {
		s.baseURL = strings.TrimSpace(*cfg.BaseURL)
	}
	if _, err := api.ParseBaseURL(s.baseURL); err != nil {
		return s, fmt.Errorf("base_url (or %s): %w", envBaseURL, err)
	}

	if cfg.RequestTimeout != nil {
		if *cfg.RequestTimeout < 1 {
			return s, fmt.Errorf("request_timeout must be at least 1 (seconds), got %d", *cfg.RequestTimeout)
		}
		s.timeout = time.Duration(*cfg.RequestTimeout) * time.Second
	}
	if cfg.MaxErrorRetryAttempts != nil {
		if *cfg.MaxErrorRetryAttempts < 0 || *cfg.MaxErrorRetryAttempts > 20 {
			return s, fmt.Errorf("max_error_retry_attempts must be between 0 and 20, got %d", *cfg.MaxErrorRetryAttempts)
		}
		s.retry.MaxRetries = *cfg.MaxErrorRetryAttempts
	}
	if cfg.MinErrorRetryDelay != nil {
		if *cfg.MinErrorRetryDelay < 1 {
			return s, fmt.Errorf("min_error_retry_delay must be at least 1 (milliseconds), got %d", *cfg.MinErrorRetryDelay)
		}
		s.retry.MinDelay = time.Duration(*cfg.MinErrorRetryDelay) * time.Millisecond
		s.retry.MaxDelay = max(s.retry.MaxDelay, s.retry.MinDelay)
	}
	if cfg.CompanyID != nil {
		if *cfg.CompanyID < 1 {
			return s, fmt.Errorf("company_id must be a positive number (the company_id of your leads), got %d", *cfg.CompanyID)
		}
		s.companyID = *cfg.CompanyID
	}
	if cfg.MaxRequestsPerMinute != nil {
		if n := *cfg.MaxRequestsPerMinute; n < 2 || n > 100000 {
			return s, fmt.Errorf("max_requests_per_minute must be between 2 and 100000, got %d (the API allows 100 per minute per key)", n)
		}
		s.requestsPerMinute = *cfg.MaxRequestsPerMinute
	}
	if cfg.CacheTTL != nil {
		if *cfg.CacheTTL < 0 {
			return s, fmt.Errorf("cache_ttl must be 0 (no reuse) or a number of seconds, got %d", *cfg.CacheTTL)
		}
		s.cacheTTL = time.Duration(*cfg.CacheTTL) * time.Second
	}
	dir, err := resolveStateDir(cfg.StateDir, getenv)
	if err != nil {
		return s, err
	}
	s.stateDir = dir
	s.cacheKeyID = fmt.Sprintf("%d|%s|%s|%d|%s|%d|%s|%x", s.userID, s.baseURL, s.timeout, s.retry.MaxRetries, s.retry.MinDelay, s.requestsPerMinute, s.stateDir, fingerprint(s.apiKey))
	return s, nil
}

// resolveStateDir is state_dir, else JOURNEYBEE_STATE_DIR, else
// steampipe-plugin-journeybee in the user's cache directory (under the
// standalone FDW, the postgres user's). "none" keeps everything in the
// process. A test binary defaults to none: it starts many fake servers with
// one key on ports that get reused, whose replies must not mix, and it has
// no business writing into the developer's cache; tests of sharing set
// state_dir.
func resolveStateDir(arg *string, getenv func(string) string) (string, error) {
	dir, from := strings.TrimSpace(getenv(envStateDir)), envStateDir
	if arg != nil {
		dir, from = strings.TrimSpace(*arg), "state_dir"
	}
	switch {
	case dir == stateDirNone:
		return "", nil
	case dir != "":
		if !filepath.IsAbs(dir) {
			return "", fmt.Errorf("%s must be an absolute directory path, or %q to share nothing between processes; got %q", from, stateDirNone, dir)
		}
		return filepath.Clean(dir), nil
	case testing.Testing():
		return "", nil
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		// Said in the log once the client is built: no shared pace.
		return "", nil
	}
	return filepath.Join(cache, stateDirName), nil
}

// missingSetting is the error for a required argument set nowhere. It names
// every place the connection config can come from: the connection block of
// journeybee.spc under Steampipe, the foreign server's `config` option under
// the standalone Postgres FDW, and the environment variable.
func missingSetting(arg, env string) error {
	return fmt.Errorf("%[1]s is not set: set %[1]s in the journeybee connection config "+
		"(the connection block in journeybee.spc under Steampipe; the `config` option of the foreign server, "+
		"CREATE SERVER ... OPTIONS (config '%[1]s = ...'), under the standalone Postgres FDW) "+
		"or the %[2]s environment variable", arg, env)
}

// fingerprint tells keys apart in a cache key without storing them there.
func fingerprint(secret string) uint64 {
	var h uint64 = 14695981039346656037 // FNV-1a
	for i := 0; i < len(secret); i++ {
		h ^= uint64(secret[i])
		h *= 1099511628211
	}
	return h
}

// connectionSettings resolves the connection's arguments.
func connectionSettings(d *plugin.QueryData) (settings, error) {
	cfg := journeybeeConfig{}
	if c, ok := d.Connection.Config.(journeybeeConfig); ok {
		cfg = c
	}
	return resolveSettings(cfg, os.Getenv)
}

// connect returns the connection's API client, built once per settings so
// that its HTTP connections, rate limit and reply cache serve every query.
func connect(ctx context.Context, d *plugin.QueryData) (*api.Client, settings, error) {
	s, err := connectionSettings(d)
	if err != nil {
		return nil, s, err
	}
	state := stateOf(d.Table.Plugin)
	state.clientsMu.Lock()
	defer state.clientsMu.Unlock()
	if client, ok := state.clients[s.cacheKeyID]; ok {
		return client, s, nil
	}
	opts := []api.Option{
		api.WithBaseURL(s.baseURL),
		api.WithTimeout(s.timeout),
		api.WithRetryPolicy(s.retry),
		api.WithRateLimit(s.requestsPerMinute),
		api.WithLogger(plugin.Logger(ctx)),
		api.WithUserAgent("steampipe-plugin-journeybee"),
		api.WithStateDir(s.stateDir),
	}
	if state.transport != nil {
		opts = append(opts, api.WithTransport(state.transport))
	}
	client, err := api.NewClient(s.apiKey, s.userID, opts...)
	if err != nil {
		return nil, s, err
	}
	state.clients[s.cacheKeyID] = client
	return client, s, nil
}

// replyCacheTTL is how long this query may reuse API replies: the
// connection's cache_ttl, DefaultCacheTTL unless set. The TTL the host hands
// the query is not used: the standalone FDW hands 10 hours, and the SDK's
// query cache is off for every table (see query_cache_guard.go), so the
// host's cache settings do not reach the plugin under any host.
func replyCacheTTL(s settings) time.Duration {
	return s.cacheTTL
}
