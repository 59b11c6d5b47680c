// Package fastroute is the fee-collection fast route (直通车, R-F6): an
// obstacle to collection that is the property's own duty (a repair not
// done, a cleaning or security complaint) is raised with the department
// that owns it, resolved first, and tracked to resolution, so that the
// owner has no reason left not to pay.
//
//	raised ─resolve─▶ resolved
package fastroute

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// ResolveWithin is how long the fast route takes (decided): an obstacle
// raised is resolved within 3 days, the repairs' communication SLA (R-W3).
const ResolveWithin = 3 * 24 * time.Hour

// Departments are the property's duties an obstacle can belong to.
var Departments = []string{"engineering", "cleaning", "security", "landscaping", "customer_service"}

// Stored event type names.
const (
	TypeRaised   = "fastroute.raised.v1"
	TypeResolved = "fastroute.resolved.v1"
)

// Raised: a collection obstacle within the property's duty was put on the
// fast route to Department, due by DueBy (R-F6).
type Raised struct {
	ObstacleID string    `json:"obstacle_id"`
	Project    string    `json:"project"`
	District   string    `json:"district"`
	Unit       string    `json:"unit"`
	BillID     string    `json:"bill_id,omitempty"`
	Department string    `json:"department"`
	Obstacle   string    `json:"obstacle"`
	DueBy      time.Time `json:"due_by"`
	At         time.Time `json:"at"`
}

// Resolved: the department resolved the obstacle.
type Resolved struct {
	Resolution string    `json:"resolution"`
	At         time.Time `json:"at"`
}

func (Raised) EventType() string   { return TypeRaised }
func (Resolved) EventType() string { return TypeResolved }

// Decode turns a stored fast-route event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	switch eventType {
	case TypeRaised:
		return decode[Raised](eventType, data)
	case TypeResolved:
		return decode[Resolved](eventType, data)
	}
	return nil, fmt.Errorf("fastroute: unknown event type %q", eventType)
}

func decode[P event.Payload](eventType string, data []byte) (event.Payload, error) {
	var p P
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("fastroute: decode %s: %w", eventType, err)
	}
	return p, nil
}

// Domain errors.
var (
	ErrNotRaised         = errors.New("the obstacle has not been raised")
	ErrRaiseIncomplete   = errors.New("a fast-route obstacle names its unit, the department whose duty it is (engineering, cleaning, security, landscaping, customer_service) and what stands in the way (R-F6)")
	ErrResolutionMissing = errors.New("a resolution says what was done")
	ErrAlreadyResolved   = errors.New("the obstacle is already resolved")
)

// Spec is what raises an obstacle.
type Spec struct{ Project, District, Unit, BillID, Department, Obstacle string }

// Obstacle is the aggregate.
type Obstacle struct {
	id, project, district string
	resolved              bool

	changes []event.Payload
}

// Raise puts an obstacle on the fast route.
func Raise(id string, s Spec, now time.Time) (*Obstacle, error) {
	for _, v := range []string{id, s.Project, s.District, s.Unit, s.Obstacle} {
		if strings.TrimSpace(v) == "" {
			return nil, ErrRaiseIncomplete
		}
	}
	if !slices.Contains(Departments, s.Department) {
		return nil, ErrRaiseIncomplete
	}
	o := &Obstacle{}
	o.record(Raised{ObstacleID: id, Project: s.Project, District: s.District, Unit: strings.TrimSpace(s.Unit), BillID: strings.TrimSpace(s.BillID),
		Department: s.Department, Obstacle: strings.TrimSpace(s.Obstacle), DueBy: now.Add(ResolveWithin), At: now})
	return o, nil
}

// FromHistory rebuilds an obstacle.
func FromHistory(history []event.Payload) (*Obstacle, error) {
	o := &Obstacle{}
	for _, p := range history {
		if err := o.apply(p); err != nil {
			return nil, err
		}
	}
	if o.id == "" {
		return nil, ErrNotRaised
	}
	return o, nil
}

// Resolve records that the department resolved the obstacle.
func (o *Obstacle) Resolve(resolution string, now time.Time) error {
	if o.resolved {
		return ErrAlreadyResolved
	}
	if strings.TrimSpace(resolution) == "" {
		return ErrResolutionMissing
	}
	o.record(Resolved{Resolution: strings.TrimSpace(resolution), At: now})
	return nil
}

func (o *Obstacle) ID() string               { return o.id }
func (o *Obstacle) Project() string          { return o.project }
func (o *Obstacle) District() string         { return o.district }
func (o *Obstacle) Changes() []event.Payload { return o.changes }

func (o *Obstacle) record(p event.Payload) {
	_ = o.apply(p)
	o.changes = append(o.changes, p)
}

func (o *Obstacle) apply(p event.Payload) error {
	switch e := p.(type) {
	case Raised:
		o.id, o.project, o.district = e.ObstacleID, e.Project, e.District
	case Resolved:
		if o.id == "" {
			return ErrNotRaised
		}
		o.resolved = true
	default:
		return fmt.Errorf("fastroute: cannot apply %T", p)
	}
	return nil
}
