// Package register is the renovation register's week (装修记录表抽查,
// R-R6): supervisors check renovation records against the register twice a
// week; a week that ends with fewer than two checks is recorded as short.
// One aggregate per project and ISO week.
package register

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/localtime"
)

// ChecksPerWeek is how often the register is checked (每周两次).
const ChecksPerWeek = 2

// Zone was the projects' calendar, fixed at China time.
//
// Deprecated: weeks are the project's (domain/localtime, --timezone); WeekOf uses it.
var Zone = time.FixedZone("CST", 8*3600)

// WeekOf is t's ISO week (2026-W10) in Zone.
func WeekOf(t time.Time) string {
	y, w := localtime.In(t).ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// WeekEnd is the first instant after the ISO week, or false if week is malformed.
func WeekEnd(week string) (time.Time, bool) {
	var y, w int
	if _, err := fmt.Sscanf(week, "%4d-W%2d", &y, &w); err != nil || len(week) != 8 || w < 1 || w > 53 {
		return time.Time{}, false
	}
	// 4 January is always in ISO week 1.
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, localtime.Zone())
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	end := monday.AddDate(0, 0, 7*w)
	if WeekOf(end.AddDate(0, 0, -1)) != week {
		return time.Time{}, false
	}
	return end, true
}

// Domain errors.
var (
	ErrWeekInvalid    = errors.New("a register week names its project and ISO week (2026-W10)")
	ErrNotOpened      = errors.New("nothing has been recorded for this register week")
	ErrNothingChecked = errors.New("a register check names the renovation records it compared")
	ErrNoteMissing    = errors.New("a check that finds the records and the register disagree says what differs")
)

// Stored event type names.
const (
	TypeChecked = "renovation.register_checked.v1"
	TypeShort   = "renovation.register_checks_short.v1"
)

// Checked: a supervisor compared renovation records with the register (R-R6).
type Checked struct {
	Project     string    `json:"project"`
	Week        string    `json:"week"`
	Renovations []string  `json:"renovations"`
	Matches     bool      `json:"matches"`
	Note        string    `json:"note,omitempty"`
	At          time.Time `json:"at"`
}

// Short: the week ended with fewer checks than ChecksPerWeek. Recorded by a policy.
type Short struct {
	Project string    `json:"project"`
	Week    string    `json:"week"`
	Checks  int       `json:"checks"`
	At      time.Time `json:"at"`
}

func (Checked) EventType() string { return TypeChecked }
func (Short) EventType() string   { return TypeShort }

// Decode turns a stored register-week event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	var p event.Payload
	var err error
	switch eventType {
	case TypeChecked:
		var e Checked
		err = json.Unmarshal(data, &e)
		p = e
	case TypeShort:
		var e Short
		err = json.Unmarshal(data, &e)
		p = e
	default:
		return nil, fmt.Errorf("register: unknown event type %q", eventType)
	}
	if err != nil {
		return nil, fmt.Errorf("register: decode %s: %w", eventType, err)
	}
	return p, nil
}

// Week is the aggregate.
type Week struct {
	project, week string
	checks        int
	short         bool

	changes []event.Payload
}

// Open starts a week with nothing recorded.
func Open(project, week string) (*Week, error) {
	if strings.TrimSpace(project) == "" {
		return nil, ErrWeekInvalid
	}
	if _, ok := WeekEnd(week); !ok {
		return nil, ErrWeekInvalid
	}
	return &Week{project: project, week: week}, nil
}

// FromHistory rebuilds a week.
func FromHistory(history []event.Payload) (*Week, error) {
	if len(history) == 0 {
		return nil, ErrNotOpened
	}
	w := &Week{}
	for _, p := range history {
		if err := w.apply(p); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// Check records a comparison of renovation records with the register.
func (w *Week) Check(renovations []string, matches bool, note string, now time.Time) error {
	var ids []string
	for _, r := range renovations {
		if strings.TrimSpace(r) != "" {
			ids = append(ids, strings.TrimSpace(r))
		}
	}
	if len(ids) == 0 {
		return ErrNothingChecked
	}
	if !matches && strings.TrimSpace(note) == "" {
		return ErrNoteMissing
	}
	w.record(Checked{Project: w.project, Week: w.week, Renovations: ids, Matches: matches, Note: note, At: now})
	return nil
}

// RecordShort records, once, that the week ended with too few checks.
func (w *Week) RecordShort(now time.Time) (bool, error) {
	end, _ := WeekEnd(w.week)
	if w.short || w.checks >= ChecksPerWeek || now.Before(end) {
		return false, nil
	}
	w.record(Short{Project: w.project, Week: w.week, Checks: w.checks, At: now})
	return true, nil
}

// Accessors.
func (w *Week) Project() string  { return w.project }
func (w *Week) District() string { return "" }
func (w *Week) Week() string     { return w.week }

// Changes returns the events recorded since the week was built.
func (w *Week) Changes() []event.Payload { return w.changes }

func (w *Week) record(p event.Payload) {
	_ = w.apply(p)
	w.changes = append(w.changes, p)
}

func (w *Week) apply(p event.Payload) error {
	switch e := p.(type) {
	case Checked:
		w.project, w.week = e.Project, e.Week
		w.checks++
	case Short:
		w.project, w.week, w.short = e.Project, e.Week, true
	default:
		return fmt.Errorf("register: cannot apply %T", p)
	}
	return nil
}
