// Package duty is the record of write attempts refused because the caller
// was not on duty (R-S2: 新员工上岗前是否经过培训，考核（合格后方可上岗)):
// once a project's staff register is in force, a token whose staff
// member is not registered, or has not passed the onboarding assessment,
// may not record anything; each refused attempt is kept here, so that
// "untrained staff on duty" counts the attempts and not only dispatches.
//
// One stream per project, staff member and day (dutyrefusal-<id>); at
// most MaxPerDay attempts are kept a day (the first ones: the day is
// already on record).
package duty

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// StreamPrefix starts the stream name of every staff member's day.
const StreamPrefix = "dutyrefusal-"

// Stream is the stream of one staff member's day.
func Stream(id string) string { return StreamPrefix + id }

// TypeRefused is the stored event type name.
const TypeRefused = "staff.duty_refused.v1"

// MaxPerDay is how many refused attempts of one member a day are kept.
const MaxPerDay = 20

// Reasons a caller is not on duty.
const (
	ReasonNotRegistered = "not_registered"
	ReasonOtherProject  = "other_project"
	ReasonWrongRole     = "wrong_role"
	ReasonWrongDistrict = "wrong_district"
	ReasonNotOnboarded  = "not_onboarded"
)

// Untrained reports whether a reason means the caller has no passed
// onboarding assessment in the project: unregistered, or registered and
// not onboarded (a wrong role or district is a token's mistake, not an
// untrained member).
func Untrained(reason string) bool {
	return reason == ReasonNotRegistered || reason == ReasonNotOnboarded
}

// Refused: a write attempt refused because the caller was not on duty.
// Attempt is the method and route ("POST /api/v1/work-orders"), never
// the body.
type Refused struct {
	Project   string    `json:"project"`
	District  string    `json:"district,omitempty"`
	StaffID   string    `json:"staff_id"`
	Role      string    `json:"role"`
	Day       string    `json:"day"` // YYYY-MM-DD, China
	Reason    string    `json:"reason"`
	Untrained bool      `json:"untrained"`
	Attempt   string    `json:"attempt"`
	At        time.Time `json:"at"`
}

func (Refused) EventType() string { return TypeRefused }

// Decode turns a stored event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	if eventType != TypeRefused {
		return nil, fmt.Errorf("duty: unknown event type %q", eventType)
	}
	var r Refused
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("duty: decode %s: %w", eventType, err)
	}
	return r, nil
}

// ErrIncomplete: a refusal names the project, the staff member and why.
var ErrIncomplete = errors.New("a refused attempt names the project, the staff member and the reason")

// Day is one staff member's refused attempts of one day.
type Day struct {
	project, district string
	n                 int
	changes           []event.Payload
}

// FromHistory rebuilds a day from its events.
func FromHistory(history []event.Payload) (*Day, error) {
	d := &Day{}
	for _, p := range history {
		r, ok := p.(Refused)
		if !ok {
			return nil, fmt.Errorf("duty: cannot apply %T", p)
		}
		d.project, d.district = r.Project, r.District
		d.n++
	}
	return d, nil
}

// Refuse keeps a refused attempt; false once the day holds MaxPerDay.
func (d *Day) Refuse(r Refused) (bool, error) {
	if strings.TrimSpace(r.Project) == "" || strings.TrimSpace(r.StaffID) == "" || r.Reason == "" {
		return false, ErrIncomplete
	}
	if d.n >= MaxPerDay {
		return false, nil
	}
	r.Untrained = Untrained(r.Reason)
	d.project, d.district = r.Project, r.District
	d.n++
	d.changes = append(d.changes, r)
	return true, nil
}

// Accessors.
func (d *Day) Project() string          { return d.project }
func (d *Day) District() string         { return d.district }
func (d *Day) Changes() []event.Payload { return d.changes }
