package httpapi

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// A time query parameter (as_of, from, to) is an RFC 3339 time with its
// offset, or a date alone (YYYY-MM-DD), which is a day in the project's
// time zone (--timezone) and stands for the part of the day the parameter
// needs:
//
//   - from (inclusive): the day's first instant;
//   - to (exclusive): the next day's first instant, so the whole day is in;
//   - as_of (inclusive): the day's last instant, so every event recorded
//     that day is in.
//
// An RFC 3339 time is that instant for every parameter.

// Times in queries lie between these years: the search stores keep times
// as nanoseconds since 1970 (1677 to 2262), and nothing Butler records is
// older or far in the future.
const (
	minQueryYear = 1900
	maxQueryYear = 2200
)

// timeParam parses the time query parameter name (as_of, from or to).
func timeParam(name, v string, zone *time.Location) (time.Time, error) {
	t, err := parseTimeParam(name, v, zone)
	if err == nil && (t.Year() < minQueryYear || t.Year() > maxQueryYear) {
		return time.Time{}, fmt.Errorf("a time between the years %d and %d", minQueryYear, maxQueryYear)
	}
	return t, err
}

func parseTimeParam(name, v string, zone *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, nil
	}
	if day, err := time.ParseInLocation(time.DateOnly, v, zone); err == nil {
		switch name {
		case "from":
			return day, nil
		case "to":
			return day.AddDate(0, 0, 1), nil
		case "as_of":
			return day.AddDate(0, 0, 1).Add(-time.Nanosecond), nil
		}
		return time.Time{}, fmt.Errorf("%s is not a time parameter", name)
	}
	// A + in a query string is a space: an offset sent unencoded arrives
	// as "2026-11-29T10:00:00 08:00".
	if strings.Contains(v, " ") {
		if _, err := time.Parse(time.RFC3339Nano, strings.Replace(v, " ", "+", 1)); err == nil {
			return time.Time{}, fmt.Errorf("the + of the offset arrived as a space (a + in a URL query means a space): send it encoded as %%2B, e.g. %s",
				strings.Replace(v, " ", "%2B", 1))
		}
	}
	return time.Time{}, errors.New("a date (YYYY-MM-DD, a day in " + zone.String() + ") or an RFC 3339 time with its offset (2026-11-29T10:00:00Z, or 2026-11-29T10:00:00%2B08:00 with the + sent as %2B)")
}
