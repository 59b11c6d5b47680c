// Package rainyday keeps the rainy days of one project (stream
// rainyday-<project>). A leak repair's return visit waits for the first
// rainy day after the repair (R-W5, 房屋渗漏水项目维修后的第一个雨天后回访),
// so someone has to write the rainy days down.
//
// A rainy day is a calendar date without an hour, held as "YYYY-MM-DD";
// the caller turns it into a time in the project's zone.
package rainyday

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// TypeRecorded is the stored type name of a recorded rainy day.
const TypeRecorded = "rainyday.recorded.v1"

// TypeSpecialWeatherRecorded is the stored type name of special weather.
const TypeSpecialWeatherRecorded = "rainyday.special_weather_recorded.v1"

// SpecialWeathers are the kinds of special weather that call for extra
// service of vacant units (R-V2: 连续下雨、大风; typhoon, snow and heat too).
var SpecialWeathers = []string{"long_rain", "strong_wind", "typhoon", "snow", "heat"}

// SpecialWeatherRecorded: the project had special weather on Date
// (YYYY-MM-DD): every vacant unit then needs extra service (R-V2).
type SpecialWeatherRecorded struct {
	Project string    `json:"project"`
	Date    string    `json:"date"`
	Kind    string    `json:"kind"`
	At      time.Time `json:"at"`
}

func (SpecialWeatherRecorded) EventType() string { return TypeSpecialWeatherRecorded }

// Weather is one day of special weather.
type Weather struct{ Date, Kind string }

// Recorded: it rained in the project on Date (YYYY-MM-DD).
type Recorded struct {
	Project string    `json:"project"`
	Date    string    `json:"date"`
	At      time.Time `json:"at"`
}

func (Recorded) EventType() string { return TypeRecorded }

// Decode turns a stored rainy-day event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	switch eventType {
	case TypeRecorded:
		var p Recorded
		if err := json.Unmarshal(data, &p); err != nil {
			return nil, fmt.Errorf("rainyday: decode %s: %w", eventType, err)
		}
		return p, nil
	case TypeSpecialWeatherRecorded:
		var p SpecialWeatherRecorded
		if err := json.Unmarshal(data, &p); err != nil {
			return nil, fmt.Errorf("rainyday: decode %s: %w", eventType, err)
		}
		return p, nil
	}
	return nil, fmt.Errorf("rainyday: unknown event type %q", eventType)
}

// Domain errors: each states the rule that was broken.
var (
	ErrProjectMissing   = errors.New("a rainy day belongs to a project")
	ErrDuplicateDate    = errors.New("this rainy day is already recorded for the project")
	ErrFutureDate       = errors.New("a rainy day is recorded once it has rained: the date cannot be in the future")
	ErrUnknownWeather   = errors.New("special weather is long_rain, strong_wind, typhoon, snow or heat (R-V2)")
	ErrDuplicateWeather = errors.New("this special weather is already recorded for the day")
)

// Calendar is the rainy days of one project. The zero value (via New) is
// a project with none recorded yet.
type Calendar struct {
	project string
	days    map[string]time.Time // date → when it was recorded
	weather []Weather

	changes []event.Payload
}

// New starts an empty calendar for project.
func New(project string) *Calendar {
	return &Calendar{project: project, days: map[string]time.Time{}}
}

// FromHistory rebuilds a project's calendar from its stored events.
func FromHistory(project string, history []event.Payload) (*Calendar, error) {
	c := New(project)
	for _, p := range history {
		if err := c.apply(p); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// RecordRainyDay records that it rained on date's calendar day (read in
// date's own location). A date recorded before is refused, so a rainy
// day is in the stream once; a date after now's day (in date's location)
// is refused.
func (c *Calendar) RecordRainyDay(date, now time.Time) error {
	if strings.TrimSpace(c.project) == "" {
		return ErrProjectMissing
	}
	day := date.Format(time.DateOnly)
	if day > now.In(date.Location()).Format(time.DateOnly) {
		return ErrFutureDate
	}
	if _, ok := c.days[day]; ok {
		return ErrDuplicateDate
	}
	c.record(Recorded{Project: c.project, Date: day, At: now})
	return nil
}

// RecordSpecialWeather records special weather of kind on date's calendar
// day (R-V2); like a rainy day, not in the future and once a day and kind.
func (c *Calendar) RecordSpecialWeather(date time.Time, kind string, now time.Time) error {
	if strings.TrimSpace(c.project) == "" {
		return ErrProjectMissing
	}
	if !slices.Contains(SpecialWeathers, kind) {
		return ErrUnknownWeather
	}
	day := date.Format(time.DateOnly)
	if day > now.In(date.Location()).Format(time.DateOnly) {
		return ErrFutureDate
	}
	if slices.Contains(c.weather, Weather{Date: day, Kind: kind}) {
		return ErrDuplicateWeather
	}
	c.record(SpecialWeatherRecorded{Project: c.project, Date: day, Kind: kind, At: now})
	return nil
}

// SpecialWeatherSince lists the special weather on or after day
// (YYYY-MM-DD), in the order recorded.
func (c *Calendar) SpecialWeatherSince(day string) []Weather {
	var out []Weather
	for _, w := range c.weather {
		if w.Date >= day {
			out = append(out, w)
		}
	}
	return out
}

// Days lists the recorded dates (YYYY-MM-DD), oldest first.
func (c *Calendar) Days() []string {
	out := make([]string, 0, len(c.days))
	for d := range c.days {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

// DaysIn lists the recorded dates as midnights in loc, oldest first.
func (c *Calendar) DaysIn(loc *time.Location) []time.Time {
	out := make([]time.Time, 0, len(c.days))
	for _, d := range c.Days() {
		// Days holds only dates this package formatted, so parsing succeeds.
		if t, err := time.ParseInLocation(time.DateOnly, d, loc); err == nil {
			out = append(out, t)
		}
	}
	return out
}

// Entry is a recorded rainy day: the midnight starting it in some zone,
// and when it was recorded.
type Entry struct {
	Date       time.Time
	RecordedAt time.Time
}

// EntriesIn lists the recorded days as midnights in loc with the time each
// was recorded, oldest first: a day dated the day a repair was completed
// counts as rain after the repair only if recorded after it (R-W5).
func (c *Calendar) EntriesIn(loc *time.Location) []Entry {
	days := c.DaysIn(loc)
	out := make([]Entry, len(days))
	for i, d := range days {
		out[i] = Entry{Date: d, RecordedAt: c.days[d.Format(time.DateOnly)]}
	}
	return out
}

// Project is the calendar's project.
func (c *Calendar) Project() string { return c.project }

// Changes returns the events recorded since the calendar was built.
func (c *Calendar) Changes() []event.Payload { return c.changes }

func (c *Calendar) record(p event.Payload) {
	_ = c.apply(p)
	c.changes = append(c.changes, p)
}

func (c *Calendar) apply(p event.Payload) error {
	switch e := p.(type) {
	case Recorded:
		c.days[e.Date] = e.At
	case SpecialWeatherRecorded:
		c.weather = append(c.weather, Weather{Date: e.Date, Kind: e.Kind})
	default:
		return fmt.Errorf("rainyday: cannot apply %T", p)
	}
	return nil
}
