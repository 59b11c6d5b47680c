// Package plan is the monthly fee-collection plan (收费计划, R-F1): a
// project's targets for one month, split per butler, in integer fen. One
// aggregate per project and month; a revision replaces the targets.
package plan

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// Domain errors.
var (
	ErrNotSet           = errors.New("the collection plan has not been set")
	ErrPlanIncomplete   = errors.New("a collection plan names its project and month (YYYY-MM)")
	ErrNoTargets        = errors.New("a collection plan splits its target per butler: at least one target (R-F1)")
	ErrTargetInvalid    = errors.New("each target names a butler and district and is a whole number of fen above zero")
	ErrButlerTwice      = errors.New("a butler has one target per month")
	ErrRevisionNoReason = errors.New("a revised plan says why it changed")
)

// Stored event type names.
const (
	TypeSet     = "feeplan.set.v1"
	TypeRevised = "feeplan.revised.v1"
)

// Target is one butler's collection target for the month.
type Target struct {
	Butler    string `json:"butler"`
	District  string `json:"district"`
	TargetFen int64  `json:"target_fen"`
}

// Set: the month's plan was made.
type Set struct {
	PlanID  string    `json:"plan_id"`
	Project string    `json:"project"`
	Month   string    `json:"month"`
	Targets []Target  `json:"targets"`
	At      time.Time `json:"at"`
}

// Revised: the targets were replaced.
type Revised struct {
	Targets []Target  `json:"targets"`
	Reason  string    `json:"reason"`
	At      time.Time `json:"at"`
}

func (Set) EventType() string     { return TypeSet }
func (Revised) EventType() string { return TypeRevised }

// Decode turns a stored plan event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	var p event.Payload
	var err error
	switch eventType {
	case TypeSet:
		var e Set
		err = json.Unmarshal(data, &e)
		p = e
	case TypeRevised:
		var e Revised
		err = json.Unmarshal(data, &e)
		p = e
	default:
		return nil, fmt.Errorf("plan: unknown event type %q", eventType)
	}
	if err != nil {
		return nil, fmt.Errorf("plan: decode %s: %w", eventType, err)
	}
	return p, nil
}

// Plan is the aggregate.
type Plan struct {
	id, project, month string
	targets            []Target

	changes []event.Payload
}

// New sets a month's plan.
func New(id, project, month string, targets []Target, now time.Time) (*Plan, error) {
	if strings.TrimSpace(id) == "" || strings.TrimSpace(project) == "" {
		return nil, ErrPlanIncomplete
	}
	if _, err := time.Parse("2006-01", month); err != nil {
		return nil, ErrPlanIncomplete
	}
	if err := checkTargets(targets); err != nil {
		return nil, err
	}
	p := &Plan{}
	p.record(Set{PlanID: id, Project: project, Month: month, Targets: append([]Target(nil), targets...), At: now})
	return p, nil
}

// FromHistory rebuilds a plan.
func FromHistory(history []event.Payload) (*Plan, error) {
	p := &Plan{}
	for _, e := range history {
		if err := p.apply(e); err != nil {
			return nil, err
		}
	}
	if p.id == "" {
		return nil, ErrNotSet
	}
	return p, nil
}

// Revise replaces the targets, saying why.
func (p *Plan) Revise(targets []Target, reason string, now time.Time) error {
	if err := checkTargets(targets); err != nil {
		return err
	}
	if strings.TrimSpace(reason) == "" {
		return ErrRevisionNoReason
	}
	p.record(Revised{Targets: append([]Target(nil), targets...), Reason: reason, At: now})
	return nil
}

func checkTargets(targets []Target) error {
	if len(targets) == 0 {
		return ErrNoTargets
	}
	seen := map[string]bool{}
	for _, t := range targets {
		if strings.TrimSpace(t.Butler) == "" || strings.TrimSpace(t.District) == "" || t.TargetFen <= 0 {
			return ErrTargetInvalid
		}
		if seen[t.Butler] {
			return ErrButlerTwice
		}
		seen[t.Butler] = true
	}
	return nil
}

// Accessors.
func (p *Plan) ID() string        { return p.id }
func (p *Plan) Project() string   { return p.project }
func (p *Plan) District() string  { return "" } // a plan is the project's
func (p *Plan) Month() string     { return p.month }
func (p *Plan) Targets() []Target { return p.targets }

// Changes returns the events recorded since the plan was built.
func (p *Plan) Changes() []event.Payload { return p.changes }

func (p *Plan) record(e event.Payload) {
	_ = p.apply(e)
	p.changes = append(p.changes, e)
}

func (p *Plan) apply(e event.Payload) error {
	if _, first := e.(Set); first != (p.id == "") {
		return fmt.Errorf("plan: %s out of order: %w", e.EventType(), ErrNotSet)
	}
	switch e := e.(type) {
	case Set:
		p.id, p.project, p.month, p.targets = e.PlanID, e.Project, e.Month, e.Targets
	case Revised:
		p.targets = e.Targets
	default:
		return fmt.Errorf("plan: cannot apply %T", e)
	}
	return nil
}
