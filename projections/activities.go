package projections

import (
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/activity"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/localtime"
)

// Activity read models (R-A1…R-A4).
const (
	ActivitiesIndex    = "activities"
	ActivityPlansIndex = "activity_plans"
)

// Activity is one community activity.
type Activity struct {
	ID           string    `json:"id"`
	Project      string    `json:"project"`
	District     string    `json:"district"`
	Title        string    `json:"title"`
	Date         time.Time `json:"date"`
	Month        string    `json:"month"` // of the activity's date
	Organisation string    `json:"organisation"`
	Content      string    `json:"content"`
	Publicity    string    `json:"publicity"`
	BudgetFen    int64     `json:"budget_fen"`
	Risks        string    `json:"risks"`
	Large        bool      `json:"large"`
	Status       string    `json:"status"` // proposed, approved, held, summarised
	Approvals    []string  `json:"approvals"`
	// LeadDays is the shortest lead of the approvals given.
	LeadDays int `json:"lead_days,omitempty"`
	// ApprovedInTime: operations and quality both approved, each at least
	// 15 days ahead (R-A2).
	ApprovedInTime bool       `json:"approved_in_time"`
	Participants   int        `json:"participants,omitempty"`
	Responses      int        `json:"responses"`
	Satisfied      int        `json:"satisfied"`
	Coverage       float64    `json:"coverage"`
	CoverageMet    bool       `json:"coverage_met"`
	Summary        string     `json:"summary,omitempty"`
	HeldAt         *time.Time `json:"held_at,omitempty"`
	// SummaryDueAt is when the summary falls due (R-A4, held + 3 days);
	// SummaryOverdue is set by the time rule when it came due without one,
	// SummaryInTime when the summary came by then.
	SummaryDueAt   *time.Time `json:"summary_due_at,omitempty"`
	SummaryOverdue bool       `json:"summary_overdue"`
	SummaryInTime  bool       `json:"summary_in_time"`
	// RetainUntil is the earliest date the records may be discarded
	// (R-A4); Butler itself never deletes them.
	RetainUntil *time.Time `json:"retain_until,omitempty"`
	ProposedBy  string     `json:"butler"`
	Versioned
}

// Activities projects activity streams.
var Activities = StreamModel[Activity]{Index: ActivitiesIndex, Prefix: activity.StreamPrefix, Decode: activity.Decode,
	Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "month": Keyword, "status": Keyword, "approvals": Keyword, "butler": Keyword,
		"title": Text, "content": Text, "organisation": Text, "publicity": Text, "risks": Text, "summary": Text,
		"date": Date, "held_at": Date, "retain_until": Date, "summary_due_at": Date,
		"lead_days": Number, "participants": Number, "coverage": Number, "budget_fen": Number,
		"large": Bool, "approved_in_time": Bool, "coverage_met": Bool, "summary_overdue": Bool, "summary_in_time": Bool,
	},
	Fold: func(d *Activity, id string, p event.Payload, e event.Recorded) {
		switch p := p.(type) {
		case activity.Proposed:
			*d = Activity{ID: id, Project: p.Project, District: p.District, Title: p.Title, Date: p.Date, Month: localtime.Month(p.Date),
				Organisation: p.Organisation, Content: p.Content, Publicity: p.Publicity, BudgetFen: p.BudgetFen, Risks: p.Risks,
				Large: p.Large, Status: "proposed", Approvals: []string{}, ProposedBy: e.Meta.Actor.StaffID}
		case activity.Approved:
			d.Approvals = append(d.Approvals, p.Department)
			if d.LeadDays == 0 || p.LeadDays < d.LeadDays {
				d.LeadDays = p.LeadDays
			}
			if len(d.Approvals) == 2 {
				d.Status, d.ApprovedInTime = "approved", true
			}
		case activity.Held:
			t, until, due := p.At, p.At.AddDate(activity.RetainFor, 0, 0), p.At.Add(activity.SummaryWithin)
			d.Status, d.Participants, d.HeldAt, d.RetainUntil, d.SummaryDueAt = "held", p.Participants, &t, &until, &due
		case activity.Surveyed:
			d.Responses += p.Responses
			d.Satisfied += p.Satisfied
		case activity.Summarised:
			d.Status, d.Summary = "summarised", p.Summary
			d.SummaryInTime = d.SummaryDueAt != nil && !p.At.After(*d.SummaryDueAt)
		case activity.SummaryOverdue:
			d.SummaryOverdue = true
		}
		if d.Participants > 0 {
			d.Coverage = float64(d.Responses) / float64(d.Participants)
			d.CoverageMet = d.Responses*100 >= activity.MinSurveyCoveragePercent*d.Participants
		}
	},
}

// ActivityPlan is a project's annual plan.
type ActivityPlan struct {
	ID         string     `json:"id"`
	Project    string     `json:"project"`
	District   string     `json:"district"`
	Year       string     `json:"year"`
	Responses  int        `json:"survey_responses"`
	Findings   string     `json:"survey_findings,omitempty"`
	SurveyedAt *time.Time `json:"surveyed_at,omitempty"`
	Activities []string   `json:"activities"`
	Status     string     `json:"status"` // surveyed, drafted, approved
	ApprovedBy string     `json:"approved_by,omitempty"`
	Versioned
}

// ActivityPlans projects annual plans.
var ActivityPlans = StreamModel[ActivityPlan]{Index: ActivityPlansIndex, Prefix: activity.PlanStreamPrefix, Decode: activity.Decode,
	Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "year": Keyword, "status": Keyword,
		"survey_findings": Text, "activities": Text, "surveyed_at": Date,
	},
	Fold: func(d *ActivityPlan, id string, p event.Payload, e event.Recorded) {
		switch p := p.(type) {
		case activity.PlanSurveyed:
			t := p.At
			*d = ActivityPlan{ID: id, Project: p.Project, Year: id[strings.LastIndex(id, "-")+1:], Responses: p.Responses,
				Findings: p.Findings, SurveyedAt: &t, Activities: []string{}, Status: "surveyed"}
		case activity.PlanDrafted:
			d.Activities, d.Status = p.Activities, "drafted"
		case activity.PlanApproved:
			d.Status, d.ApprovedBy = "approved", p.By
		}
	},
}
