package commandcentre

import (
	"fmt"
	"slices"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/localtime"
)

// Procedures are the steps each emergency type follows (R-N2), in order
// of the drill sheet; steps may be recorded in any order, since on the
// night several people act at once.
var Procedures = map[string][]string{
	"fire":                {"confirm_alarm", "dispatch_response_team", "call_fire_service", "evacuate", "report_manager"},
	"wall_climbing":       {"dispatch_guard", "review_cctv", "report_manager"},
	"elevator_entrapment": {"reassure_passengers", "call_elevator_maintenance", "dispatch_guard", "report_manager"},
	"suspicious_person":   {"dispatch_guard", "review_cctv", "question_or_escort", "report_manager"},
}

// Emergency is one emergency and its procedure.
type Emergency struct {
	id, project, district string
	steps                 []string
	done                  map[string]bool
	closed                bool

	changes []event.Payload
}

// ReportEmergency records an emergency of a known type.
func ReportEmergency(id, project, district, kind, location string, now time.Time) (*Emergency, error) {
	steps, ok := Procedures[kind]
	if !ok {
		return nil, ErrUnknownEmergency
	}
	if blank(location) {
		return nil, ErrLocationMissing
	}
	if blank(id) || blank(project) {
		return nil, ErrOpenIncomplete
	}
	e := &Emergency{}
	e.record(EmergencyReported{EmergencyID: id, Project: project, District: district, Type: kind, Location: location,
		Steps: slices.Clone(steps), At: now})
	return e, nil
}

// EmergencyFromHistory rebuilds an emergency.
func EmergencyFromHistory(history []event.Payload) (*Emergency, error) {
	e := &Emergency{}
	for _, p := range history {
		if err := e.apply(p); err != nil {
			return nil, err
		}
	}
	if e.id == "" {
		return nil, ErrNotReported
	}
	return e, nil
}

// CompleteStep records one procedure step done.
func (e *Emergency) CompleteStep(step, note string, now time.Time) error {
	if e.closed {
		return ErrEmergencyClosed
	}
	if !slices.Contains(e.steps, step) {
		return ErrUnknownStep
	}
	if e.done[step] {
		return ErrStepDone
	}
	e.record(EmergencyStepDone{Step: step, Note: note, At: now})
	return nil
}

// Close ends the emergency once every step is done.
func (e *Emergency) Close(summary string, now time.Time) error {
	if e.closed {
		return ErrEmergencyClosed
	}
	for _, s := range e.steps {
		if !e.done[s] {
			return fmt.Errorf("%w: %s", ErrStepsOutstanding, s)
		}
	}
	if blank(summary) {
		return ErrSummaryMissing
	}
	e.record(EmergencyClosed{Summary: summary, At: now})
	return nil
}

func (e *Emergency) ID() string               { return e.id }
func (e *Emergency) Project() string          { return e.project }
func (e *Emergency) District() string         { return e.district }
func (e *Emergency) Changes() []event.Payload { return e.changes }

func (e *Emergency) record(p event.Payload) {
	_ = e.apply(p)
	e.changes = append(e.changes, p)
}

func (e *Emergency) apply(p event.Payload) error {
	switch x := p.(type) {
	case EmergencyReported:
		e.id, e.project, e.district, e.steps = x.EmergencyID, x.Project, x.District, x.Steps
		e.done = map[string]bool{}
	case EmergencyStepDone:
		e.done[x.Step] = true
	case EmergencyClosed:
		e.closed = true
	default:
		return errUnknown(p)
	}
	return nil
}

func errUnknown(p event.Payload) error { return fmt.Errorf("commandcentre: cannot apply %T", p) }

// Log is the command centre's register of drills and hand-over checks,
// one per project.
type Log struct {
	project string
	changes []event.Payload
}

// LogFromHistory rebuilds the log; nothing in it constrains what comes
// next, so it only keeps the project.
func LogFromHistory(project string, history []event.Payload) (*Log, error) {
	l := &Log{project: project}
	for _, p := range history {
		switch p.(type) {
		case DrillHeld, HandoverChecked:
		default:
			return nil, errUnknown(p)
		}
	}
	return l, nil
}

// RecordDrill records an emergency drill (R-N2).
func (l *Log) RecordDrill(kind string, participants int, now time.Time) error {
	if _, ok := Procedures[kind]; !ok {
		return ErrUnknownEmergency
	}
	if participants < 1 {
		return ErrParticipantsMissing
	}
	l.changes = append(l.changes, DrillHeld{Type: kind, Participants: participants, Month: localtime.Month(now), At: now})
	return nil
}

// RecordHandoverCheck records a check of a shift's hand-over (R-N3).
func (l *Log) RecordHandoverCheck(shiftID string, passed bool, notes string, now time.Time) error {
	if blank(shiftID) {
		return ErrShiftMissing
	}
	l.changes = append(l.changes, HandoverChecked{ShiftID: shiftID, Passed: passed, Notes: notes, Month: localtime.Month(now), At: now})
	return nil
}

func (l *Log) Project() string          { return l.project }
func (l *Log) District() string         { return "" }
func (l *Log) Changes() []event.Payload { return l.changes }
