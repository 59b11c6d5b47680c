package projections

import (
	"slices"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff/workplan"
)

// WorkPlansIndex is the department work plans' read model (R-S8).
const WorkPlansIndex = "work_plans"

// WorkPlan is one project's plan for a month: its targets and the
// subordinates' goals with the progress shared on each, and its discussion.
type WorkPlan struct {
	ID          string           `json:"id"`
	Project     string           `json:"project"`
	District    string           `json:"district"`
	Month       string           `json:"month"`
	DraftedBy   string           `json:"drafted_by"`
	DraftedAt   time.Time        `json:"drafted_at"`
	Discussed   bool             `json:"discussed"`
	Discussions []WorkPlanTalk   `json:"discussions"`
	Attendees   []string         `json:"attendees"`
	Targets     []WorkPlanTarget `json:"targets"`
	Owners      []string         `json:"owners"`
	TargetsMet  int              `json:"targets_met"`
	Stamped
}

// WorkPlanTalk is one discussion of the plan with the staff.
type WorkPlanTalk struct {
	Attendees []string  `json:"attendees"`
	Notes     string    `json:"notes"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
}

// WorkPlanTarget is a target, or a subordinate's goal (owner set), with
// the figure reached so far.
type WorkPlanTarget struct {
	workplan.Target
	Achieved float64            `json:"achieved"`
	Met      bool               `json:"met"`
	Progress []WorkPlanProgress `json:"progress"`
}

// WorkPlanProgress is one progress report.
type WorkPlanProgress struct {
	Achieved float64   `json:"achieved"`
	Note     string    `json:"note,omitempty"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
}

// WorkPlans projects work-plan streams.
var WorkPlans = StreamModel[WorkPlan]{Index: WorkPlansIndex, Prefix: workplan.StreamPrefix, Decode: workplan.Decode,
	Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "month": Keyword, "drafted_by": Keyword, "attendees": Keyword,
		"owners": Keyword, "drafted_at": Date, "updated_at": Date, "discussed": Bool, "targets_met": Number,
	},
	Fold: foldWorkPlan,
}

func foldWorkPlan(d *WorkPlan, id string, p event.Payload, e event.Recorded) {
	switch p := p.(type) {
	case workplan.Drafted:
		*d = WorkPlan{ID: id, Project: p.Project, Month: p.Month, DraftedBy: e.Meta.Actor.StaffID, DraftedAt: p.At,
			Discussions: []WorkPlanTalk{}, Attendees: []string{}, Targets: []WorkPlanTarget{}, Owners: []string{}}
		for _, t := range p.Targets {
			d.addTarget(t)
		}
		d.UpdatedAt = p.At
	case workplan.Discussed:
		d.Discussed = true
		d.Discussions = append(d.Discussions, WorkPlanTalk{Attendees: p.Attendees, Notes: p.Notes, By: e.Meta.Actor.StaffID, At: p.At})
		for _, a := range p.Attendees {
			if !slices.Contains(d.Attendees, a) {
				d.Attendees = append(d.Attendees, a)
			}
		}
	case workplan.GoalSet:
		d.addTarget(p.Goal)
	case workplan.ProgressShared:
		d.TargetsMet = 0
		for i := range d.Targets {
			t := &d.Targets[i]
			if t.TargetID == p.TargetID {
				t.Achieved, t.Met = p.Achieved, p.Achieved >= t.Value
				t.Progress = append(t.Progress, WorkPlanProgress{Achieved: p.Achieved, Note: p.Note, By: p.By, At: p.At})
			}
			if t.Met {
				d.TargetsMet++
			}
		}
	}
}

func (d *WorkPlan) addTarget(t workplan.Target) {
	d.Targets = append(d.Targets, WorkPlanTarget{Target: t, Progress: []WorkPlanProgress{}})
	if t.Owner != "" && !slices.Contains(d.Owners, t.Owner) {
		d.Owners = append(d.Owners, t.Owner)
	}
}
