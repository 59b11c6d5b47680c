// Package training is the training plan (培训计划, R-S3): a plan per
// project and period (a year, 2026, or a month, 2026-03) listing the
// sessions planned (topic, type, planned date, audience roles), approved
// by a supervisor or the quality department, and the sessions held
// recorded against it. Attendance and assessment results stay on each
// staff member's record (package staff); a plan's session id is what
// attendance names as its session.
//
// Stream: trainingplan-<id>, one per project and period.
//
//	drafted ─approve─▶ approved ─hold each session─▶ (all held)
package training

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// Stored event type names.
const (
	TypeDrafted     = "trainingplan.drafted.v1"
	TypeApproved    = "trainingplan.approved.v1"
	TypeSessionHeld = "trainingplan.session_held.v1"
)

// Zone is the projects' calendar: planned and held dates are days in China.
var Zone = time.FixedZone("CST", 8*3600)

// Session types: how a session is taught and assessed (R-S3).
var SessionTypes = []string{"written", "practical", "simulation"}

// ApproverRoles may approve a plan.
var ApproverRoles = []string{"supervisor", "quality"}

// PlannedSession is one session of the plan.
type PlannedSession struct {
	SessionID string   `json:"session_id"`
	Topic     string   `json:"topic"`
	Type      string   `json:"type"`
	PlannedOn string   `json:"planned_on"` // YYYY-MM-DD
	Audience  []string `json:"audience"`   // roles
}

// Drafted: the plan for a project and period.
type Drafted struct {
	PlanID   string           `json:"plan_id"`
	Project  string           `json:"project"`
	Period   string           `json:"period"`
	Sessions []PlannedSession `json:"sessions"`
	At       time.Time        `json:"at"`
}

// Approved: a supervisor or the quality department approved the plan.
type Approved struct {
	By   string    `json:"by"`
	Role string    `json:"role"`
	At   time.Time `json:"at"`
}

// SessionHeld: a planned session took place.
type SessionHeld struct {
	SessionID string    `json:"session_id"`
	HeldOn    string    `json:"held_on"` // YYYY-MM-DD
	Trainer   string    `json:"trainer"`
	Attendees []string  `json:"attendees"` // staff ids
	Note      string    `json:"note,omitempty"`
	At        time.Time `json:"at"`
}

func (Drafted) EventType() string     { return TypeDrafted }
func (Approved) EventType() string    { return TypeApproved }
func (SessionHeld) EventType() string { return TypeSessionHeld }

// Decode turns a stored plan event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	switch eventType {
	case TypeDrafted:
		return decode[Drafted](eventType, data)
	case TypeApproved:
		return decode[Approved](eventType, data)
	case TypeSessionHeld:
		return decode[SessionHeld](eventType, data)
	}
	return nil, fmt.Errorf("training: unknown event type %q", eventType)
}

func decode[P event.Payload](eventType string, data []byte) (event.Payload, error) {
	var p P
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("training: decode %s: %w", eventType, err)
	}
	return p, nil
}

// Domain errors: each states the rule that was broken.
var (
	ErrNotDrafted        = errors.New("the training plan has not been drafted")
	ErrPlanIncomplete    = errors.New("a training plan names its project, its period (YYYY or YYYY-MM) and at least one session")
	ErrSessionIncomplete = errors.New("a planned session names its topic, its type (written, practical or simulation), its date and its audience roles")
	ErrOutsidePeriod     = errors.New("a planned session's date falls within the plan's period")
	ErrDuplicateSession  = errors.New("each planned session has its own id")
	ErrApproverRole      = errors.New("a training plan is approved by a supervisor or the quality department")
	ErrAlreadyApproved   = errors.New("the training plan is already approved")
	ErrNotApproved       = errors.New("sessions are recorded against an approved plan")
	ErrUnknownSession    = errors.New("the session is not in the plan")
	ErrSessionHeld       = errors.New("the session is already recorded as held")
	ErrHeldIncomplete    = errors.New("a held session names its date, its trainer and who attended")
	ErrHeldInFuture      = errors.New("a session is recorded as held on or before today")
)

// Plan is the aggregate. Build one with Draft or FromHistory.
type Plan struct {
	id, project, period string
	sessions            map[string]bool // planned session → held
	approved            bool

	changes []event.Payload
}

// Draft records a new plan. Sessions without an id are numbered 1, 2, …
// in the order given.
func Draft(id, project, period string, sessions []PlannedSession, now time.Time) (*Plan, error) {
	if blank(id) || blank(project) || len(sessions) == 0 {
		return nil, ErrPlanIncomplete
	}
	from, to, ok := PeriodBounds(period)
	if !ok {
		return nil, ErrPlanIncomplete
	}
	out := make([]PlannedSession, len(sessions))
	seen := map[string]bool{}
	for i, s := range sessions {
		if blank(s.SessionID) {
			s.SessionID = strconv.Itoa(i + 1)
		}
		if seen[s.SessionID] {
			return nil, ErrDuplicateSession
		}
		seen[s.SessionID] = true
		if blank(s.Topic) || !slices.Contains(SessionTypes, s.Type) || len(s.Audience) == 0 || slices.ContainsFunc(s.Audience, blank) {
			return nil, ErrSessionIncomplete
		}
		day, err := time.ParseInLocation(time.DateOnly, s.PlannedOn, Zone)
		if err != nil {
			return nil, ErrSessionIncomplete
		}
		if day.Before(from) || !day.Before(to) {
			return nil, ErrOutsidePeriod
		}
		s.Audience = slices.Clone(s.Audience)
		out[i] = s
	}
	p := &Plan{}
	p.record(Drafted{PlanID: id, Project: project, Period: period, Sessions: out, At: now})
	return p, nil
}

// FromHistory rebuilds a plan from its stored events.
func FromHistory(history []event.Payload) (*Plan, error) {
	p := &Plan{}
	for _, e := range history {
		if err := p.apply(e); err != nil {
			return nil, err
		}
	}
	if p.id == "" {
		return nil, ErrNotDrafted
	}
	return p, nil
}

// Approve is the approval by a supervisor or the quality department.
func (p *Plan) Approve(by, role string, now time.Time) error {
	if !slices.Contains(ApproverRoles, role) || blank(by) {
		return ErrApproverRole
	}
	if p.approved {
		return ErrAlreadyApproved
	}
	p.record(Approved{By: by, Role: role, At: now})
	return nil
}

// RecordSession records a planned session as held, on a day up to today,
// with its trainer and attendees.
func (p *Plan) RecordSession(sessionID, heldOn, trainer string, attendees []string, note string, now time.Time) error {
	if !p.approved {
		return ErrNotApproved
	}
	held, planned := p.sessions[sessionID]
	if !planned {
		return ErrUnknownSession
	}
	if held {
		return ErrSessionHeld
	}
	day, err := time.ParseInLocation(time.DateOnly, heldOn, Zone)
	if err != nil || blank(trainer) || len(attendees) == 0 || slices.ContainsFunc(attendees, blank) {
		return ErrHeldIncomplete
	}
	if day.After(now.In(Zone)) {
		return ErrHeldInFuture
	}
	p.record(SessionHeld{SessionID: sessionID, HeldOn: heldOn, Trainer: trainer, Attendees: slices.Clone(attendees), Note: note, At: now})
	return nil
}

// PeriodBounds is the period's first day and the day after its last: a
// year (2026) or a month (2026-03), in the projects' calendar.
func PeriodBounds(period string) (from, to time.Time, ok bool) {
	if t, err := time.ParseInLocation("2006", period, Zone); err == nil && len(period) == 4 {
		return t, t.AddDate(1, 0, 0), true
	}
	if t, err := time.ParseInLocation("2006-01", period, Zone); err == nil && len(period) == 7 {
		return t, t.AddDate(0, 1, 0), true
	}
	return time.Time{}, time.Time{}, false
}

// Accessors.
func (p *Plan) ID() string               { return p.id }
func (p *Plan) Project() string          { return p.project }
func (p *Plan) District() string         { return "" } // a plan is the project's
func (p *Plan) Period() string           { return p.period }
func (p *Plan) Approved() bool           { return p.approved }
func (p *Plan) Changes() []event.Payload { return p.changes }

func (p *Plan) record(e event.Payload) {
	// apply cannot fail for payloads this package builds itself.
	_ = p.apply(e)
	p.changes = append(p.changes, e)
}

func (p *Plan) apply(e event.Payload) error {
	if _, first := e.(Drafted); first != (p.id == "") {
		return fmt.Errorf("training: %s out of order: %w", e.EventType(), ErrNotDrafted)
	}
	switch e := e.(type) {
	case Drafted:
		p.id, p.project, p.period, p.sessions = e.PlanID, e.Project, e.Period, map[string]bool{}
		for _, s := range e.Sessions {
			p.sessions[s.SessionID] = false
		}
	case Approved:
		p.approved = true
	case SessionHeld:
		p.sessions[e.SessionID] = true
	default:
		return fmt.Errorf("training: cannot apply %T", e)
	}
	return nil
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
