package httpapi

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zone database in the test binary: no host database needed
)

func TestTimeParam(t *testing.T) {
	t.Parallel()
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	day := func(h, m, s, ns int) time.Time { return time.Date(2026, 11, 29, h, m, s, ns, shanghai) }
	for _, tc := range []struct {
		name, param, value string
		want               time.Time
		// wantErr is a part of the error's message.
		wantErr string
	}{
		{"a date alone as_of is the last instant of that day in Shanghai", "as_of", "2026-11-29", day(23, 59, 59, 999999999), ""},
		{"a date alone from is the first instant of that day", "from", "2026-11-29", day(0, 0, 0, 0), ""},
		{"a date alone to is the next day's first instant (to is exclusive)", "to", "2026-11-29", day(24, 0, 0, 0), ""},
		{"an RFC 3339 offset is kept", "as_of", "2026-11-29T10:00:00+08:00", day(10, 0, 0, 0), ""},
		{"UTC", "to", "2026-11-29T02:00:00Z", day(10, 0, 0, 0), ""},
		{"fractions of a second", "as_of", "2026-11-29T02:00:00.123456789Z", day(10, 0, 0, 123456789), ""},
		{"a + sent unencoded arrives as a space", "as_of", "2026-11-29T10:00:00 08:00", time.Time{}, "send it encoded as %2B, e.g. 2026-11-29T10:00:00%2B08:00"},
		{"a time without offset", "as_of", "2026-11-29T10:00:00", time.Time{}, "RFC 3339 time with its offset"},
		{"garbage", "from", "yesterday", time.Time{}, "a date (YYYY-MM-DD, a day in Asia/Shanghai)"},
		{"not a day", "to", "2026-02-30", time.Time{}, "a date (YYYY-MM-DD"},
	} {
		got, err := timeParam(tc.param, tc.value, shanghai)
		switch {
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s: %s=%q gave %v, %v; want an error saying %q", tc.name, tc.param, tc.value, got, err, tc.wantErr)
		case tc.wantErr == "" && (err != nil || !got.Equal(tc.want)):
			t.Errorf("%s: %s=%q gave %v, %v; want %v", tc.name, tc.param, tc.value, got, err, tc.want)
		}
	}
}
