// Package vacant is the vacant-unit register (空房巡检, R-V1…R-V3): each
// vacant unit is inspected, ventilated and cleaned every month, gets
// extra service in special weather, and anything abnormal found inside is
// followed with the contractor until closed. At month end a policy
// records, per unit, which of the three monthly services were missed.
//
// One stream per unit on the register: vacant-<id>.
package vacant

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/localtime"
)

// Stored event type names.
const (
	// TypeRegistered could name the owner in plain text (before
	// households); it is decoded as Registered without the owner, and never
	// recorded any more.
	TypeRegistered           = "vacant.registered.v1"
	TypeRegisteredV2         = "vacant.registered.v2"
	TypeServiced             = "vacant.serviced.v1"
	TypeWeatherServiced      = "vacant.weather_serviced.v1"
	TypeFindingOpened        = "vacant.finding_opened.v1"
	TypeContractorContacted  = "vacant.contractor_contacted.v1"
	TypeFindingClosed        = "vacant.finding_closed.v1"
	TypeOccupied             = "vacant.occupied.v1"
	TypeMonthMissed          = "vacant.month_missed.v1"
	TypeWeatherServiceDue    = "vacant.weather_service_due.v1"
	TypeWeatherServiceMissed = "vacant.weather_service_missed.v1"
)

// WeatherServiceDays is how long a vacant unit's extra service after
// special weather may take (R-V2, decided): by the end of the day after
// the weather's day, in the project's calendar.
const WeatherServiceDays = 2

// WeatherDueBy is when the extra service after special weather on day
// (YYYY-MM-DD) is due; false if day is not a date.
func WeatherDueBy(day string) (time.Time, bool) {
	d, err := time.ParseInLocation(time.DateOnly, day, localtime.Zone())
	if err != nil {
		return time.Time{}, false
	}
	return d.AddDate(0, 0, WeatherServiceDays), true
}

// WeatherServiceDue: special weather on Date made an extra service of this
// vacant unit due by DueBy (R-V2). Recorded by a policy.
// ServedAt is set when the unit had its extra service since the weather's
// day began, before the policy opened the due: it is answered already.
type WeatherServiceDue struct {
	Weather  string     `json:"weather"`
	Date     string     `json:"date"`
	DueBy    time.Time  `json:"due_by"`
	ServedAt *time.Time `json:"served_at,omitempty"`
	At       time.Time  `json:"at"`
}

// WeatherServiceMissed: the extra service was not done by DueBy (R-V2).
// Recorded by a policy.
type WeatherServiceMissed struct {
	Weather string    `json:"weather"`
	Date    string    `json:"date"`
	DueBy   time.Time `json:"due_by"`
	At      time.Time `json:"at"`
}

func (WeatherServiceDue) EventType() string    { return TypeWeatherServiceDue }
func (WeatherServiceMissed) EventType() string { return TypeWeatherServiceMissed }

// The monthly services (R-V1).
const (
	Inspection  = "inspection"
	Ventilation = "ventilation"
	Cleaning    = "cleaning"
)

// MonthlyServices are the three services every vacant unit needs each month.
var MonthlyServices = []string{Inspection, Ventilation, Cleaning}

// Registered: a unit is on the vacant-unit register. Its owner is the
// household of Unit (domain/household): no personal data here.
type Registered struct {
	UnitID   string    `json:"unit_id"`
	Project  string    `json:"project"`
	District string    `json:"district"`
	Unit     string    `json:"unit"`
	At       time.Time `json:"at"`
}

// Serviced: one monthly service done (R-V1).
type Serviced struct {
	Service string    `json:"service"`
	Month   string    `json:"month"`
	Notes   string    `json:"notes,omitempty"`
	At      time.Time `json:"at"`
}

// WeatherServiced: extra service for special weather (R-V2).
type WeatherServiced struct {
	Weather string    `json:"weather"`
	Notes   string    `json:"notes"`
	At      time.Time `json:"at"`
}

// FindingOpened: something abnormal found inside (R-V3).
type FindingOpened struct {
	Finding     int       `json:"finding"`
	Description string    `json:"description"`
	At          time.Time `json:"at"`
}

// ContractorContacted: the contractor was told (R-V3: at once).
type ContractorContacted struct {
	Finding    int       `json:"finding"`
	Contractor string    `json:"contractor"`
	At         time.Time `json:"at"`
}

// FindingClosed: followed to the end.
type FindingClosed struct {
	Finding int       `json:"finding"`
	Result  string    `json:"result"`
	At      time.Time `json:"at"`
}

// Occupied: the unit left the register (sold, moved in).
type Occupied struct {
	At time.Time `json:"at"`
}

// MonthMissed: at month end, the monthly services not done (R-V1).
type MonthMissed struct {
	Month   string    `json:"month"`
	Missing []string  `json:"missing"`
	At      time.Time `json:"at"`
}

func (Registered) EventType() string          { return TypeRegisteredV2 }
func (Serviced) EventType() string            { return TypeServiced }
func (WeatherServiced) EventType() string     { return TypeWeatherServiced }
func (FindingOpened) EventType() string       { return TypeFindingOpened }
func (ContractorContacted) EventType() string { return TypeContractorContacted }
func (FindingClosed) EventType() string       { return TypeFindingClosed }
func (Occupied) EventType() string            { return TypeOccupied }
func (MonthMissed) EventType() string         { return TypeMonthMissed }

// Decode turns a stored vacant-unit event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	switch eventType {
	case TypeRegistered, TypeRegisteredV2: // v1's owner is dropped: upcast to v2
		return decode[Registered](eventType, data)
	case TypeServiced:
		return decode[Serviced](eventType, data)
	case TypeWeatherServiced:
		return decode[WeatherServiced](eventType, data)
	case TypeFindingOpened:
		return decode[FindingOpened](eventType, data)
	case TypeContractorContacted:
		return decode[ContractorContacted](eventType, data)
	case TypeFindingClosed:
		return decode[FindingClosed](eventType, data)
	case TypeOccupied:
		return decode[Occupied](eventType, data)
	case TypeMonthMissed:
		return decode[MonthMissed](eventType, data)
	case TypeWeatherServiceDue:
		return decode[WeatherServiceDue](eventType, data)
	case TypeWeatherServiceMissed:
		return decode[WeatherServiceMissed](eventType, data)
	}
	return nil, fmt.Errorf("vacant: unknown event type %q", eventType)
}

func decode[P event.Payload](eventType string, data []byte) (event.Payload, error) {
	var p P
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("vacant: decode %s: %w", eventType, err)
	}
	return p, nil
}

// Domain errors: each states the rule that was broken.
var (
	ErrNotRegistered          = errors.New("the unit is not on the vacant-unit register")
	ErrRegistrationIncomplete = errors.New("a vacant unit names its project, district and unit")
	ErrOccupied               = errors.New("the unit is no longer vacant")
	ErrUnknownService         = errors.New("a monthly service is inspection, ventilation or cleaning")
	ErrUnknownWeather         = errors.New("special weather is long_rain, strong_wind, typhoon, snow or heat")
	ErrNotesMissing           = errors.New("the record says what was done or found")
	ErrUnknownFinding         = errors.New("no such finding on this unit")
	ErrContractorMissing      = errors.New("the contractor is named")
	ErrContractorNotContacted = errors.New("a finding is closed only after the contractor was contacted")
	ErrFindingClosed          = errors.New("the finding is already closed")
	ErrFindingsOpen           = errors.New("the unit leaves the register only when every finding is closed")
	ErrMonthNotOver           = errors.New("a month's misses are recorded after the month ends")
)

// Weathers that trigger extra service (R-V2).
var Weathers = []string{"long_rain", "strong_wind", "typhoon", "snow", "heat"}

type finding struct{ contacted, closed bool }

type weatherDue struct {
	weather, date string
	dueBy         time.Time
	closed        bool
}

func weatherKey(date, weather string) string { return date + "|" + weather }

// Unit is one vacant unit.
type Unit struct {
	id, project, district string
	unit                  string
	registeredAt          time.Time
	occupiedAt            time.Time
	services              map[string]map[string]bool // month → service → done
	findings              []finding
	monthsChecked         map[string]bool
	weatherDues           map[string]*weatherDue // date|weather
	lastWeatherService    time.Time

	changes []event.Payload
}

// Register puts a unit on the vacant-unit register.
func Register(r Registered) (*Unit, error) {
	if blank(r.UnitID) || blank(r.Project) || blank(r.District) || blank(r.Unit) {
		return nil, ErrRegistrationIncomplete
	}
	u := &Unit{}
	u.record(r)
	return u, nil
}

// FromHistory rebuilds a unit.
func FromHistory(history []event.Payload) (*Unit, error) {
	u := &Unit{}
	for _, p := range history {
		if err := u.apply(p); err != nil {
			return nil, err
		}
	}
	if u.id == "" {
		return nil, ErrNotRegistered
	}
	return u, nil
}

// Service records one monthly service (R-V1), in now's month.
func (u *Unit) Service(service, notes string, now time.Time) error {
	if err := u.vacant(); err != nil {
		return err
	}
	if !slices.Contains(MonthlyServices, service) {
		return ErrUnknownService
	}
	u.record(Serviced{Service: service, Month: localtime.Month(now), Notes: notes, At: now})
	return nil
}

// ServiceForWeather records extra service in special weather (R-V2).
func (u *Unit) ServiceForWeather(weather, notes string, now time.Time) error {
	if err := u.vacant(); err != nil {
		return err
	}
	if !slices.Contains(Weathers, weather) {
		return ErrUnknownWeather
	}
	if blank(notes) {
		return ErrNotesMissing
	}
	u.record(WeatherServiced{Weather: weather, Notes: notes, At: now})
	return nil
}

// OpenWeatherService makes an extra service due after special weather on
// date (R-V2), once per date and weather, for a unit on the register and
// vacant by the end of that day. It reports whether it recorded.
func (u *Unit) OpenWeatherService(weather, date string, now time.Time) (bool, error) {
	if !slices.Contains(Weathers, weather) {
		return false, ErrUnknownWeather
	}
	dueBy, ok := WeatherDueBy(date)
	if !ok {
		return false, ErrUnknownWeather
	}
	dayEnd := dueBy.AddDate(0, 0, 1-WeatherServiceDays)
	if !u.occupiedAt.IsZero() || !u.registeredAt.Before(dayEnd) || u.weatherDues[weatherKey(date, weather)] != nil {
		return false, nil
	}
	due := WeatherServiceDue{Weather: weather, Date: date, DueBy: dueBy, At: now}
	if dayStart := dueBy.AddDate(0, 0, -WeatherServiceDays); !u.lastWeatherService.Before(dayStart) {
		served := u.lastWeatherService
		due.ServedAt = &served
	}
	u.record(due)
	return true, nil
}

// RecordWeatherServicesMissed records every extra service due by now and
// not done (R-V2), once each. It returns how many it recorded.
func (u *Unit) RecordWeatherServicesMissed(now time.Time) int {
	var missed []WeatherServiceMissed
	for _, d := range u.weatherDues {
		if !d.closed && !now.Before(d.dueBy) {
			missed = append(missed, WeatherServiceMissed{Weather: d.weather, Date: d.date, DueBy: d.dueBy, At: now})
		}
	}
	slices.SortFunc(missed, func(a, b WeatherServiceMissed) int {
		return strings.Compare(weatherKey(a.Date, a.Weather), weatherKey(b.Date, b.Weather))
	})
	for _, m := range missed {
		u.record(m)
	}
	return len(missed)
}

// OpenFinding records something abnormal found inside (R-V3).
func (u *Unit) OpenFinding(description string, now time.Time) error {
	if err := u.vacant(); err != nil {
		return err
	}
	if blank(description) {
		return ErrNotesMissing
	}
	u.record(FindingOpened{Finding: len(u.findings), Description: description, At: now})
	return nil
}

// ContactContractor records that the contractor was told of finding i.
func (u *Unit) ContactContractor(i int, contractor string, now time.Time) error {
	if i < 0 || i >= len(u.findings) {
		return ErrUnknownFinding
	}
	if u.findings[i].closed {
		return ErrFindingClosed
	}
	if blank(contractor) {
		return ErrContractorMissing
	}
	u.record(ContractorContacted{Finding: i, Contractor: contractor, At: now})
	return nil
}

// CloseFinding closes finding i once the contractor was contacted (R-V3).
func (u *Unit) CloseFinding(i int, result string, now time.Time) error {
	if i < 0 || i >= len(u.findings) {
		return ErrUnknownFinding
	}
	f := u.findings[i]
	if f.closed {
		return ErrFindingClosed
	}
	if !f.contacted {
		return ErrContractorNotContacted
	}
	if blank(result) {
		return ErrNotesMissing
	}
	u.record(FindingClosed{Finding: i, Result: result, At: now})
	return nil
}

// Occupy takes the unit off the register; open findings must be closed first.
func (u *Unit) Occupy(now time.Time) error {
	if err := u.vacant(); err != nil {
		return err
	}
	for _, f := range u.findings {
		if !f.closed {
			return ErrFindingsOpen
		}
	}
	u.record(Occupied{At: now})
	return nil
}

// RecordMonth records, once, the monthly services a unit vacant during
// month (YYYY-MM, in the projects' zone) missed. It reports whether it recorded
// anything: nothing when all three were done, when the unit was not on the
// register for the month's end, or when the month was recorded already.
func (u *Unit) RecordMonth(month string, now time.Time) (bool, error) {
	start, err := time.ParseInLocation("2006-01", month, localtime.Zone())
	if err != nil {
		return false, ErrMonthNotOver
	}
	end := start.AddDate(0, 1, 0)
	if now.Before(end) {
		return false, ErrMonthNotOver
	}
	if u.monthsChecked[month] || !u.registeredAt.Before(end) || (!u.occupiedAt.IsZero() && u.occupiedAt.Before(end)) {
		return false, nil
	}
	var missingServices []string
	for _, s := range MonthlyServices {
		if !u.services[month][s] {
			missingServices = append(missingServices, s)
		}
	}
	if len(missingServices) == 0 {
		return false, nil
	}
	u.record(MonthMissed{Month: month, Missing: missingServices, At: now})
	return true, nil
}

func (u *Unit) ID() string               { return u.id }
func (u *Unit) Project() string          { return u.project }
func (u *Unit) District() string         { return u.district }
func (u *Unit) Unit() string             { return u.unit }
func (u *Unit) Changes() []event.Payload { return u.changes }

func (u *Unit) vacant() error {
	if !u.occupiedAt.IsZero() {
		return ErrOccupied
	}
	return nil
}

func (u *Unit) record(p event.Payload) {
	_ = u.apply(p)
	u.changes = append(u.changes, p)
}

func (u *Unit) apply(p event.Payload) error {
	switch e := p.(type) {
	case Registered:
		u.id, u.project, u.district, u.unit, u.registeredAt = e.UnitID, e.Project, e.District, e.Unit, e.At
		u.services, u.monthsChecked, u.weatherDues = map[string]map[string]bool{}, map[string]bool{}, map[string]*weatherDue{}
	case Serviced:
		if u.services[e.Month] == nil {
			u.services[e.Month] = map[string]bool{}
		}
		u.services[e.Month][e.Service] = true
	case WeatherServiced:
		// An extra service answers every extra service due and open (R-V2).
		u.lastWeatherService = e.At
		for _, d := range u.weatherDues {
			d.closed = true
		}
	case WeatherServiceDue:
		u.weatherDues[weatherKey(e.Date, e.Weather)] = &weatherDue{weather: e.Weather, date: e.Date, dueBy: e.DueBy, closed: e.ServedAt != nil}
	case WeatherServiceMissed:
		if d := u.weatherDues[weatherKey(e.Date, e.Weather)]; d != nil {
			d.closed = true
		}
	case FindingOpened:
		u.findings = append(u.findings, finding{})
	case ContractorContacted:
		u.findings[e.Finding].contacted = true
	case FindingClosed:
		u.findings[e.Finding].closed = true
	case Occupied:
		u.occupiedAt = e.At
	case MonthMissed:
		u.monthsChecked[e.Month] = true
	default:
		return fmt.Errorf("vacant: cannot apply %T", p)
	}
	return nil
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
