package sqlite

import "time"

// TimeText is how a timestamp is shown to SQLite: RFC 3339 in UTC with the
// milliseconds the JourneyBee API sends (nanoseconds when a value has
// finer digits), at a fixed width so that text sorts as time, in a form
// SQLite's date functions read.
func TimeText(t time.Time) string {
	t = t.UTC()
	if t.Nanosecond()%int(time.Millisecond) == 0 {
		return t.Format("2006-01-02T15:04:05.000Z")
	}
	return t.Format("2006-01-02T15:04:05.000000000Z")
}
