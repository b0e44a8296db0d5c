connection "journeybee" {
  plugin = "local/journeybee"

  # Your JourneyBee API key (Settings → API keys; it needs read access).
  # Can also be set with the JOURNEYBEE_API_KEY environment variable.
  # api_key = "8f14e45f-ceea-467f-a8c2-93f7c6d0a1b2"

  # The id of the JourneyBee user the API key belongs to.
  # Can also be set with the JOURNEYBEE_USER_ID environment variable.
  # user_id = 456

  # The API host. Must be https:// (http:// only for loopback test servers).
  # Can also be set with the JOURNEYBEE_BASE_URL environment variable.
  # Defaults to https://app.journeybee.io
  # base_url = "https://app.journeybee.io"

  # Seconds one API request may take, body included, before it is retried.
  # Defaults to 30.
  # request_timeout = 30

  # How many times a request failing with 429, 5xx or a network error is
  # retried (with exponential backoff, honouring Retry-After). Defaults to 5.
  # max_error_retry_attempts = 5

  # The first retry's delay in milliseconds; each retry doubles it (up to 30s).
  # Defaults to 500.
  # min_error_retry_delay = 500

  # The id of your JourneyBee company: the company_id every lead carries.
  # Looking up one lead or deal by id (where id = …) needs it. Without it the
  # plugin reads it off your newest lead once per connection (one request).
  # company_id = 123

  # The most API requests in any 60 s window for this API key on this
  # machine, shared by every process that uses the key. Defaults to 90.
  # max_requests_per_minute = 90

  # How long, in seconds, API replies may be reused: identical panels of a
  # dashboard share one scan, and a repeat within the time costs no request.
  # Defaults to 300 under every host; 0 turns reuse off (nothing on disk).
  # cache_ttl = 300

  # Where the processes using the key (a Steampipe service, each Postgres
  # connection of the standalone FDW, journeybee-query jobs) share the rate
  # limit and API replies. Replies hold lead data: the directory is 0700,
  # its files 0600, replies are deleted after cache_ttl. "none" shares
  # nothing and writes nothing. Can also be set with JOURNEYBEE_STATE_DIR.
  # Defaults to steampipe-plugin-journeybee in the user's cache directory.
  # state_dir = "/home/me/.cache/steampipe-plugin-journeybee"
}

# The plugin keeps every API key under JourneyBee's limit of 100 requests
# per minute per key: max_requests_per_minute caps the requests in any 60 s
# window, every request included (pages, retries, id lookups), across every
# process on the machine using the key. If the key is also used from
# another machine, split the budget between them. Default:
# 90 requests a minute: a burst of 5, then one request every 0.71 s.
# Steampipe limiter blocks apply to every request as well, e.g.:
#
# plugin "local/journeybee" {
#   limiter "journeybee_shared_key" {
#     bucket_size = 5
#     fill_rate   = 0.75
#     scope       = ["connection"]
#   }
# }
