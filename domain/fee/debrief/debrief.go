// Package debrief is the collection team's daily debrief (收费日碰头会,
// R-F6): once a day the team meets, says who attended and which
// collection obstacles were discussed, and what was decided. One aggregate
// per project and calendar day.
package debrief

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/localtime"
)

// TypeHeld is the stored type name of a debrief.
const TypeHeld = "feedebrief.held.v1"

// Obstacle is one collection obstacle discussed: the unit (or bill) it
// concerns and what stands in the way.
type Obstacle struct {
	Unit        string `json:"unit,omitempty"`
	BillID      string `json:"bill_id,omitempty"`
	Description string `json:"description"`
	// FastRouteID: the obstacle was put on the fast route (直通车).
	FastRouteID string `json:"fast_route_id,omitempty"`
}

// Held: the collection team met (R-F6).
type Held struct {
	Project   string     `json:"project"`
	Day       string     `json:"day"`
	Attendees []string   `json:"attendees"`
	Obstacles []Obstacle `json:"obstacles"`
	Decisions string     `json:"decisions"`
	At        time.Time  `json:"at"`
}

func (Held) EventType() string { return TypeHeld }

// Decode turns a stored debrief event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	if eventType != TypeHeld {
		return nil, fmt.Errorf("debrief: unknown event type %q", eventType)
	}
	var p Held
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("debrief: decode %s: %w", eventType, err)
	}
	return p, nil
}

// Domain errors.
var (
	ErrDayInvalid        = errors.New("a debrief names its project and day")
	ErrDebriefIncomplete = errors.New("a debrief names who attended, the obstacles discussed (each described) and what was decided (R-F6)")
	ErrAlreadyHeld       = errors.New("today's debrief is already recorded")
)

// Day is one project's collection-team day.
type Day struct {
	project, day string
	held         bool

	changes []event.Payload
}

// Open starts a day with nothing recorded.
func Open(project, day string) (*Day, error) {
	if strings.TrimSpace(project) == "" || len(day) != len(time.DateOnly) {
		return nil, ErrDayInvalid
	}
	return &Day{project: project, day: day}, nil
}

// FromHistory rebuilds a day.
func FromHistory(history []event.Payload) (*Day, error) {
	d := &Day{}
	for _, p := range history {
		if err := d.apply(p); err != nil {
			return nil, err
		}
	}
	if d.project == "" {
		return nil, ErrDayInvalid
	}
	return d, nil
}

// Hold records today's debrief (R-F6): who attended, the obstacles
// discussed, what was decided. A day with no obstacle is recorded with an
// empty list: the meeting still happened.
func (d *Day) Hold(attendees []string, obstacles []Obstacle, decisions string, now time.Time) error {
	if localtime.Day(now) != d.day {
		return ErrDayInvalid
	}
	if d.held {
		return ErrAlreadyHeld
	}
	var who []string
	for _, a := range attendees {
		if a = strings.TrimSpace(a); a != "" {
			who = append(who, a)
		}
	}
	obs := []Obstacle{}
	for _, o := range obstacles {
		if strings.TrimSpace(o.Description) == "" {
			return ErrDebriefIncomplete
		}
		o.Description = strings.TrimSpace(o.Description)
		obs = append(obs, o)
	}
	if len(who) == 0 || strings.TrimSpace(decisions) == "" {
		return ErrDebriefIncomplete
	}
	d.record(Held{Project: d.project, Day: d.day, Attendees: who, Obstacles: obs, Decisions: strings.TrimSpace(decisions), At: now})
	return nil
}

func (d *Day) Project() string          { return d.project }
func (d *Day) District() string         { return "" } // the collection team is the project's
func (d *Day) Changes() []event.Payload { return d.changes }

func (d *Day) record(p event.Payload) {
	_ = d.apply(p)
	d.changes = append(d.changes, p)
}

func (d *Day) apply(p event.Payload) error {
	switch e := p.(type) {
	case Held:
		d.project, d.day, d.held = e.Project, e.Day, true
	default:
		return fmt.Errorf("debrief: cannot apply %T", p)
	}
	return nil
}
