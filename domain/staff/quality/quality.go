// Package quality is the supervisors' quality work (R-S4, R-W6): weekly
// patrols with a self-inspection report, and spot checks of a month's
// work orders (paper against electronic record) with corrective actions.
//
// Streams: supervisorpatrol-<id> (Patrol) and spotcheck-<id> (SpotCheck).
package quality

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// SpotCheckShare is R-W6's share of a month's work orders to spot-check.
const SpotCheckShare = 0.20

// Stored event type names.
const (
	TypePatrolled   = "supervisorpatrol.recorded.v1"
	TypeSpotChecked = "spotcheck.recorded.v1"
	TypeCorrected   = "spotcheck.corrected.v1"
)

// Patrolled: a supervisor's weekly patrol with its self-inspection report.
type Patrolled struct {
	PatrolID   string    `json:"patrol_id"`
	Project    string    `json:"project"`
	District   string    `json:"district,omitempty"`
	Supervisor string    `json:"supervisor"`
	Week       string    `json:"week"` // ISO week, 2026-W10
	Areas      []string  `json:"areas"`
	Report     string    `json:"report"`
	Problems   []string  `json:"problems"`
	At         time.Time `json:"at"`
}

// SpotChecked: one work order's records compared (R-W6).
type SpotChecked struct {
	CheckID     string    `json:"check_id"`
	Project     string    `json:"project"`
	District    string    `json:"district"`
	WorkOrderID string    `json:"work_order_id"`
	Month       string    `json:"month"` // the work order's month
	Matches     bool      `json:"matches"`
	Problem     string    `json:"problem,omitempty"`
	At          time.Time `json:"at"`
}

// Corrected: the corrective action for a mismatch.
type Corrected struct {
	Action string    `json:"action"`
	At     time.Time `json:"at"`
}

func (Patrolled) EventType() string   { return TypePatrolled }
func (SpotChecked) EventType() string { return TypeSpotChecked }
func (Corrected) EventType() string   { return TypeCorrected }

// Decode turns a stored quality event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	var p event.Payload
	var err error
	switch eventType {
	case TypePatrolled:
		var x Patrolled
		err = json.Unmarshal(data, &x)
		p = x
	case TypeSpotChecked:
		var x SpotChecked
		err = json.Unmarshal(data, &x)
		p = x
	case TypeCorrected:
		var x Corrected
		err = json.Unmarshal(data, &x)
		p = x
	default:
		return nil, fmt.Errorf("quality: unknown event type %q", eventType)
	}
	if err != nil {
		return nil, fmt.Errorf("quality: decode %s: %w", eventType, err)
	}
	return p, nil
}

// Domain errors: each states the rule that was broken.
var (
	ErrPatrolIncomplete = errors.New("a weekly patrol names the areas walked and carries a self-inspection report")
	ErrCheckIncomplete  = errors.New("a spot check names the work order and its month")
	ErrProblemMissing   = errors.New("a mismatch says what did not match")
	ErrNotChecked       = errors.New("the spot check does not exist")
	ErrNothingToCorrect = errors.New("the records matched: there is nothing to correct")
	ErrAlreadyCorrected = errors.New("the corrective action is already recorded")
	ErrActionMissing    = errors.New("a corrective action says what was done")
)

// RecordPatrol records a supervisor's weekly patrol (R-S4).
func RecordPatrol(p Patrolled) (Patrolled, error) {
	if strings.TrimSpace(p.PatrolID) == "" || strings.TrimSpace(p.Project) == "" || strings.TrimSpace(p.Supervisor) == "" ||
		len(p.Areas) == 0 || strings.TrimSpace(p.Report) == "" {
		return Patrolled{}, ErrPatrolIncomplete
	}
	y, w := p.At.ISOWeek()
	p.Week = fmt.Sprintf("%04d-W%02d", y, w)
	if p.Problems == nil {
		p.Problems = []string{}
	}
	return p, nil
}

// SpotCheck is one spot check.
type SpotCheck struct {
	id, project, district string
	matches, corrected    bool
	changes               []event.Payload
}

// Check records a spot check; a mismatch needs the problem (R-W6).
func Check(c SpotChecked) (*SpotCheck, error) {
	if strings.TrimSpace(c.CheckID) == "" || strings.TrimSpace(c.WorkOrderID) == "" || strings.TrimSpace(c.Month) == "" {
		return nil, ErrCheckIncomplete
	}
	if !c.Matches && strings.TrimSpace(c.Problem) == "" {
		return nil, ErrProblemMissing
	}
	s := &SpotCheck{}
	s.record(c)
	return s, nil
}

// FromHistory rebuilds a spot check.
func FromHistory(history []event.Payload) (*SpotCheck, error) {
	s := &SpotCheck{}
	for _, p := range history {
		if err := s.apply(p); err != nil {
			return nil, err
		}
	}
	if s.id == "" {
		return nil, ErrNotChecked
	}
	return s, nil
}

// Correct records the corrective action of a mismatch (R-S4).
func (s *SpotCheck) Correct(action string, now time.Time) error {
	if s.matches {
		return ErrNothingToCorrect
	}
	if s.corrected {
		return ErrAlreadyCorrected
	}
	if strings.TrimSpace(action) == "" {
		return ErrActionMissing
	}
	s.record(Corrected{Action: action, At: now})
	return nil
}

func (s *SpotCheck) Project() string          { return s.project }
func (s *SpotCheck) District() string         { return s.district }
func (s *SpotCheck) Changes() []event.Payload { return s.changes }

func (s *SpotCheck) record(p event.Payload) {
	_ = s.apply(p)
	s.changes = append(s.changes, p)
}

func (s *SpotCheck) apply(p event.Payload) error {
	switch e := p.(type) {
	case SpotChecked:
		s.id, s.project, s.district, s.matches = e.CheckID, e.Project, e.District, e.Matches
	case Corrected:
		s.corrected = true
	default:
		return fmt.Errorf("quality: cannot apply %T", p)
	}
	return nil
}
