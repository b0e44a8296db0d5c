package journeybee

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/journeybee/steampipe-plugin-journeybee/journeybee/api"
	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"
)

// Retries happen in the api client, per request, with backoff and
// Retry-After: the SDK's own list retry would restart a whole scan and only
// before its first row. So the plugin declares no SDK retry or ignore rules.

// explainError adds what the user can do about an API failure. The API's
// own message stays first.
func explainError(err error) error {
	var hint string
	switch api.StatusCode(err) {
	case http.StatusUnauthorized:
		hint = "check api_key (or " + envAPIKey + "): the key is wrong, revoked or expired"
	case http.StatusForbidden:
		hint = "the API key needs read access: create a key with read permission in JourneyBee"
	case http.StatusNotFound:
		hint = "check user_id (or " + envUserID + "): it must be the id of the user the API key belongs to"
	case http.StatusTooManyRequests:
		hint = "the API allows 100 requests per minute per key: lower max_requests_per_minute if other clients share the key, or retry later"
	}
	var pagingErr *api.PagingError
	if errors.As(err, &pagingErr) {
		hint = "the query failed rather than return a possibly incomplete result; please report this so the plugin can follow the API's paging"
	}
	if hint == "" {
		return err
	}
	return fmt.Errorf("%w (%s)", err, hint)
}

// logAndReturn logs err at ERROR level before returning it: the SDK can drop
// an error raised after rows started streaming, and the log must still show it.
func logAndReturn(ctx context.Context, where string, err error) error {
	if err == nil || errors.Is(err, context.Canceled) {
		return err
	}
	plugin.Logger(ctx).Error(where, "error", err.Error())
	return err
}
