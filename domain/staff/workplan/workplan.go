// Package workplan is the department's monthly work plan (部门工作计划,
// R-S8): the plans a department must make (visits, activities, fee
// collection, …) with measurable targets, discussed with the staff,
// progress shared as the month goes, and each subordinate's own goals
// set with them.
//
// Stream: workplan-<id>, one per project and month.
//
//	drafted ─discuss─▶ discussed ─share progress / set goals─▶ …
package workplan

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

// StreamPrefix starts the stream name of every work plan.
const StreamPrefix = "workplan-"

// Stream is the stream of one plan.
func Stream(id string) string { return StreamPrefix + id }

// Stored event type names.
const (
	TypeDrafted        = "workplan.drafted.v1"
	TypeDiscussed      = "workplan.discussed.v1"
	TypeProgressShared = "workplan.progress_shared.v1"
	TypeGoalSet        = "workplan.goal_set.v1"
)

// Zone is the projects' calendar.
var Zone = time.FixedZone("CST", 8*3600)

// Areas a target can be about (Z1: 走访计划、社区文化活动计划、收费计划 …).
var Areas = []string{"visits", "activities", "collection", "return_visits", "complaints", "repairs", "training", "other"}

// Target is one measurable target of the plan, or a subordinate's own goal
// (Owner set).
type Target struct {
	TargetID    string  `json:"target_id"`
	Area        string  `json:"area"`
	Description string  `json:"description"`
	Unit        string  `json:"unit"`  // what is counted: 户, 次, 元, %
	Value       float64 `json:"value"` // the figure to reach
	Owner       string  `json:"owner,omitempty"`
}

// Drafted: the plan for a project and month.
type Drafted struct {
	PlanID  string    `json:"plan_id"`
	Project string    `json:"project"`
	Month   string    `json:"month"`
	Targets []Target  `json:"targets"`
	At      time.Time `json:"at"`
}

// Discussed: the plan was discussed with the staff (计划是否和部门人员进行研讨).
type Discussed struct {
	Attendees []string  `json:"attendees"`
	Notes     string    `json:"notes"`
	At        time.Time `json:"at"`
}

// ProgressShared: how far a target or goal has got (目标进展是否得到分享);
// Achieved is the figure so far, not an increment.
type ProgressShared struct {
	TargetID string    `json:"target_id"`
	Achieved float64   `json:"achieved"`
	Note     string    `json:"note,omitempty"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
}

// GoalSet: a subordinate's own goal, set with them (是否帮助下属制定目标).
type GoalSet struct {
	Goal Target    `json:"goal"`
	At   time.Time `json:"at"`
}

func (Drafted) EventType() string        { return TypeDrafted }
func (Discussed) EventType() string      { return TypeDiscussed }
func (ProgressShared) EventType() string { return TypeProgressShared }
func (GoalSet) EventType() string        { return TypeGoalSet }

// Decode turns a stored work-plan event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	switch eventType {
	case TypeDrafted:
		return decode[Drafted](eventType, data)
	case TypeDiscussed:
		return decode[Discussed](eventType, data)
	case TypeProgressShared:
		return decode[ProgressShared](eventType, data)
	case TypeGoalSet:
		return decode[GoalSet](eventType, data)
	}
	return nil, fmt.Errorf("workplan: unknown event type %q", eventType)
}

func decode[P event.Payload](eventType string, data []byte) (event.Payload, error) {
	var p P
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("workplan: decode %s: %w", eventType, err)
	}
	return p, nil
}

// Domain errors: each states the rule that was broken.
var (
	ErrNotDrafted        = errors.New("the work plan does not exist")
	ErrPlanIncomplete    = errors.New("a work plan names its project, its month (YYYY-MM) and at least one target")
	ErrTargetNotMeasured = errors.New("a target is measurable: an area (visits, activities, collection, return_visits, complaints, repairs, training, other), a description, a unit and a figure above 0")
	ErrDuplicateTarget   = errors.New("two targets of the plan have the same id")
	ErrDiscussionEmpty   = errors.New("a discussion names the staff who took part and what was agreed")
	ErrNotDiscussed      = errors.New("the plan is discussed with the staff before progress is shared or goals are set")
	ErrUnknownTarget     = errors.New("the plan has no such target")
	ErrProgressNegative  = errors.New("progress is a figure of 0 or more")
	ErrNotYourTarget     = errors.New("a staff member shares progress on their own goals only; the supervisor shares the plan's")
	ErrGoalNotDiscussed  = errors.New("a subordinate's goal is set with them: they take part in the plan's discussion first")
)

// Plan is the aggregate.
type Plan struct {
	id, project, month string
	targets            map[string]Target
	order              []string
	attendees          map[string]bool
	discussed          bool
	changes            []event.Payload
}

// Draft starts the plan. Targets without an id are numbered 1, 2, ….
func Draft(id, project, month string, targets []Target, now time.Time) (*Plan, error) {
	if blank(id) || blank(project) || len(targets) == 0 {
		return nil, ErrPlanIncomplete
	}
	if t, err := time.ParseInLocation("2006-01", month, Zone); err != nil || len(month) != 7 || t.IsZero() {
		return nil, ErrPlanIncomplete
	}
	out := make([]Target, len(targets))
	seen := map[string]bool{}
	for i, t := range targets {
		if t.TargetID == "" {
			t.TargetID = strconv.Itoa(i + 1)
		}
		if err := measurable(t); err != nil {
			return nil, err
		}
		if seen[t.TargetID] {
			return nil, ErrDuplicateTarget
		}
		seen[t.TargetID] = true
		out[i] = t
	}
	p := &Plan{}
	p.record(Drafted{PlanID: id, Project: project, Month: month, Targets: out, At: now})
	return p, nil
}

func measurable(t Target) error {
	if !slices.Contains(Areas, t.Area) || blank(t.Description) || blank(t.Unit) || t.Value <= 0 {
		return ErrTargetNotMeasured
	}
	return nil
}

// FromHistory rebuilds a plan from its events.
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

// Discuss records the plan's discussion with the staff.
func (p *Plan) Discuss(attendees []string, notes string, now time.Time) error {
	var names []string
	for _, a := range attendees {
		if a = strings.TrimSpace(a); a != "" && !slices.Contains(names, a) {
			names = append(names, a)
		}
	}
	if len(names) == 0 || blank(notes) {
		return ErrDiscussionEmpty
	}
	p.record(Discussed{Attendees: names, Notes: notes, At: now})
	return nil
}

// ShareProgress records how far a target has got. by is who shares it;
// lead says they lead the department (supervisor, project manager), who
// share any target; anyone else shares only the goals they own.
func (p *Plan) ShareProgress(targetID string, achieved float64, note, by string, lead bool, now time.Time) error {
	if !p.discussed {
		return ErrNotDiscussed
	}
	t, ok := p.targets[targetID]
	if !ok {
		return ErrUnknownTarget
	}
	if achieved < 0 {
		return ErrProgressNegative
	}
	if !lead && (t.Owner == "" || t.Owner != by) {
		return ErrNotYourTarget
	}
	p.record(ProgressShared{TargetID: targetID, Achieved: achieved, Note: note, By: by, At: now})
	return nil
}

// SetGoal records a subordinate's own goal, set with them: they took
// part in the plan's discussion. A goal without an id is g1, g2, ….
func (p *Plan) SetGoal(g Target, now time.Time) error {
	if !p.discussed {
		return ErrNotDiscussed
	}
	if blank(g.Owner) {
		return ErrTargetNotMeasured
	}
	if !p.attendees[g.Owner] {
		return ErrGoalNotDiscussed
	}
	if g.TargetID == "" {
		n := 1
		for p.targets["g"+strconv.Itoa(n)].TargetID != "" {
			n++
		}
		g.TargetID = "g" + strconv.Itoa(n)
	}
	if err := measurable(g); err != nil {
		return err
	}
	if _, dup := p.targets[g.TargetID]; dup {
		return ErrDuplicateTarget
	}
	p.record(GoalSet{Goal: g, At: now})
	return nil
}

// Accessors.
func (p *Plan) ID() string               { return p.id }
func (p *Plan) Project() string          { return p.project }
func (p *Plan) District() string         { return "" }
func (p *Plan) Month() string            { return p.month }
func (p *Plan) Changes() []event.Payload { return p.changes }

func (p *Plan) record(e event.Payload) {
	_ = p.apply(e)
	p.changes = append(p.changes, e)
}

func (p *Plan) apply(e event.Payload) error {
	switch e := e.(type) {
	case Drafted:
		p.id, p.project, p.month = e.PlanID, e.Project, e.Month
		p.targets, p.attendees = map[string]Target{}, map[string]bool{}
		for _, t := range e.Targets {
			p.targets[t.TargetID] = t
			p.order = append(p.order, t.TargetID)
		}
	case Discussed:
		p.discussed = true
		for _, a := range e.Attendees {
			p.attendees[a] = true
		}
	case ProgressShared:
	case GoalSet:
		p.targets[e.Goal.TargetID] = e.Goal
		p.order = append(p.order, e.Goal.TargetID)
	default:
		return fmt.Errorf("workplan: cannot apply %T", e)
	}
	return nil
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
