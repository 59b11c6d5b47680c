package rainyday_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/rainyday"
)

func TestRecordRainyDay(t *testing.T) {
	t.Parallel()
	cst := time.FixedZone("CST", 8*3600)
	// 2026-07-03 01:00 in CST is still 2026-07-02 in UTC.
	now := time.Date(2026, 7, 2, 17, 0, 0, 0, time.UTC)
	day := func(s string) time.Time {
		d, _ := time.ParseInLocation(time.DateOnly, s, cst)
		return d
	}
	given := []event.Payload{rainyday.Recorded{Project: "p1", Date: "2026-07-01", At: now}}
	tests := []struct {
		name string
		date time.Time
		then []event.Payload
		err  error
	}{
		{"a new rainy day", day("2026-07-02"), []event.Payload{rainyday.Recorded{Project: "p1", Date: "2026-07-02", At: now}}, nil},
		{"today in the project's zone", day("2026-07-03"), []event.Payload{rainyday.Recorded{Project: "p1", Date: "2026-07-03", At: now}}, nil},
		{"a duplicate date is refused", day("2026-07-01"), nil, rainyday.ErrDuplicateDate},
		{"a future date is refused", day("2026-07-04"), nil, rainyday.ErrFutureDate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := rainyday.FromHistory("p1", given)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.RecordRainyDay(tt.date, now); !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if got := c.Changes(); !reflect.DeepEqual(got, tt.then) && !(len(got) == 0 && len(tt.then) == 0) {
				t.Fatalf("then = %#v", got)
			}
		})
	}
}

func TestDays(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 7, 9, 0, 0, 0, 0, time.UTC)
	c, err := rainyday.FromHistory("p1", []event.Payload{
		rainyday.Recorded{Project: "p1", Date: "2026-07-05", At: at},
		rainyday.Recorded{Project: "p1", Date: "2026-07-01", At: at},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Days(); !reflect.DeepEqual(got, []string{"2026-07-01", "2026-07-05"}) {
		t.Fatalf("days = %v", got)
	}
	cst := time.FixedZone("CST", 8*3600)
	in := c.DaysIn(cst)
	if len(in) != 2 || !in[0].Equal(time.Date(2026, 7, 1, 0, 0, 0, 0, cst)) {
		t.Fatalf("days in CST = %v", in)
	}
	// Each day keeps when it was recorded: rain recorded on a repair's
	// completion day counts only if recorded after the repair.
	earlier := at.Add(-48 * time.Hour)
	c2, _ := rainyday.FromHistory("p1", []event.Payload{
		rainyday.Recorded{Project: "p1", Date: "2026-07-05", At: at},
		rainyday.Recorded{Project: "p1", Date: "2026-07-01", At: earlier},
	})
	entries := c2.EntriesIn(cst)
	if len(entries) != 2 || !entries[0].Date.Equal(in[0]) || !entries[0].RecordedAt.Equal(earlier) || !entries[1].RecordedAt.Equal(at) {
		t.Fatalf("entries = %v", entries)
	}
	if err := rainyday.New("").RecordRainyDay(at, at); !errors.Is(err, rainyday.ErrProjectMissing) {
		t.Fatalf("no project: %v", err)
	}
}

func TestDecode(t *testing.T) {
	t.Parallel()
	p := rainyday.Recorded{Project: "p1", Date: "2026-07-01", At: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)}
	data, _ := json.Marshal(p)
	got, err := rainyday.Decode(rainyday.TypeRecorded, data)
	if err != nil || !reflect.DeepEqual(got, p) {
		t.Fatalf("decode = %#v, %v", got, err)
	}
	if _, err := rainyday.Decode("rainyday.other.v1", data); err == nil {
		t.Fatal("unknown type decoded")
	}
}

// R-V2: special weather is recorded by kind, once a day and kind, never ahead.
func TestSpecialWeather(t *testing.T) {
	t.Parallel()
	cst := time.FixedZone("CST", 8*3600)
	now := time.Date(2026, 3, 3, 9, 0, 0, 0, cst)
	c := rainyday.New("p1")
	if err := c.RecordSpecialWeather(now, "drizzle", now); !errors.Is(err, rainyday.ErrUnknownWeather) {
		t.Fatalf("drizzle: %v", err)
	}
	if err := c.RecordSpecialWeather(now.AddDate(0, 0, 1), "typhoon", now); !errors.Is(err, rainyday.ErrFutureDate) {
		t.Fatalf("tomorrow: %v", err)
	}
	if err := c.RecordSpecialWeather(now, "strong_wind", now); err != nil {
		t.Fatal(err)
	}
	if err := c.RecordSpecialWeather(now, "strong_wind", now); !errors.Is(err, rainyday.ErrDuplicateWeather) {
		t.Fatalf("twice: %v", err)
	}
	if got := c.SpecialWeatherSince("2026-03-03"); len(got) != 1 || got[0] != (rainyday.Weather{Date: "2026-03-03", Kind: "strong_wind"}) {
		t.Fatalf("since = %v", got)
	}
	if got := c.SpecialWeatherSince("2026-03-04"); len(got) != 0 {
		t.Fatalf("since the 4th = %v", got)
	}
}
