package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/activity"
	"github.com/butler-pm/butler/domain/event"
)

// activityCodes are the stable error codes of refused activity rules.
var activityCodes = map[error]string{
	activity.ErrSurveyNotDecember:   "survey_not_december",
	activity.ErrSurveyIncomplete:    "survey_incomplete",
	activity.ErrNoSurvey:            "plan_survey_missing",
	activity.ErrPlanEmpty:           "plan_empty",
	activity.ErrPlanNotDrafted:      "plan_not_drafted",
	activity.ErrPlanApproved:        "plan_already_approved",
	activity.ErrPlanApprover:        "plan_approver",
	activity.ErrProposalIncomplete:  "proposal_incomplete",
	activity.ErrDateInPast:          "date_in_past",
	activity.ErrNotProposed:         "activity_not_proposed",
	activity.ErrUnknownDepartment:   "unknown_department",
	activity.ErrAlreadyApproved:     "already_approved",
	activity.ErrApprovalTooLate:     "approval_too_late",
	activity.ErrNotApproved:         "not_approved",
	activity.ErrNotYet:              "activity_not_yet",
	activity.ErrAlreadyHeld:         "already_held",
	activity.ErrParticipantsMissing: "participants_missing",
	activity.ErrNotHeld:             "not_held",
	activity.ErrSurveyCounts:        "survey_counts",
	activity.ErrSurveyCoverage:      "survey_coverage",
	activity.ErrSummaryMissing:      "summary_missing",
	activity.ErrSummarised:          "already_summarised",
}

// ActivityPlan acts on the caller's project's annual plan for Year:
// Action is survey (Responses, Findings), draft (Activities) or approve.
// The result's ID is the plan's stream name.
type ActivityPlan struct {
	Action     string   `json:"-"`
	Year       int      `json:"year"`
	Responses  int      `json:"responses,omitempty"`
	Findings   string   `json:"findings,omitempty"`
	Activities []string `json:"activities,omitempty"`
}

type ActivityPlanHandler struct{ d handlerDeps }

func NewActivityPlanHandler(store EventStore, clock Clock, ids IDGenerator) ActivityPlanHandler {
	return ActivityPlanHandler{newHandlerDeps(store, clock, ids)}
}

func (h ActivityPlanHandler) Handle(ctx context.Context, m Meta, cmd ActivityPlan) (Result, error) {
	if cmd.Year < 2000 || cmd.Year > 2200 {
		return Result{}, Invalid(map[string]string{"year": "a year such as 2027"})
	}
	roles := activityPlanRoles
	if cmd.Action == "approve" {
		roles = []string{RoleOperations}
	}
	if err := requireRole(m.Principal, roles...); err != nil {
		return Result{}, err
	}
	project := m.Principal.Project
	if project == "" {
		return Result{}, forbiddenScope()
	}
	stream := activity.PlanStream(project, cmd.Year)
	hist, err := h.d.readHistory(ctx, stream, activity.Decode)
	if err != nil {
		return Result{}, err
	}
	expected := event.NoStream()
	if hist.exists {
		expected = event.Exact(hist.revision)
	}
	if m.IfMatch != nil && (!hist.exists || *m.IfMatch != hist.revision) {
		return Result{}, Errorf(KindConflict, "precondition_failed", "the plan is not at revision %d", *m.IfMatch)
	}
	p, err := activity.PlanFromHistory(project, cmd.Year, hist.payloads)
	if err != nil {
		return Result{}, fmt.Errorf("rebuild %s: %w", stream, err)
	}
	now := h.d.clock.Now()
	switch cmd.Action {
	case "survey":
		err = p.Survey(cmd.Responses, cmd.Findings, now)
	case "draft":
		err = p.Draft(cmd.Activities, now)
	case "approve":
		err = p.Approve(m.Principal.StaffID, m.Principal.Role, now)
	default:
		return Result{}, fmt.Errorf("unknown plan action %q", cmd.Action)
	}
	if err != nil {
		return Result{}, domainError(err, activityCodes)
	}
	rev, err := h.d.appendChanges(ctx, stream, expected, m.Principal.Actor(), project, "", m.CorrelationID, now, p.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: stream, Revision: rev}, nil
}

// ProposeActivity records an activity's proposal (R-A2). Date is
// YYYY-MM-DD (the day's start, in the clock's zone) or RFC 3339.
type ProposeActivity struct {
	Title        string `json:"title"`
	Date         string `json:"date"`
	Organisation string `json:"organisation"`
	Content      string `json:"content"`
	Publicity    string `json:"publicity"`
	BudgetFen    int64  `json:"budget_fen"`
	Risks        string `json:"risks"`
	Large        bool   `json:"large"`
	District     string `json:"district,omitempty"`
}

type ProposeActivityHandler struct{ d handlerDeps }

func NewProposeActivityHandler(store EventStore, clock Clock, ids IDGenerator) ProposeActivityHandler {
	return ProposeActivityHandler{newHandlerDeps(store, clock, ids)}
}

func (h ProposeActivityHandler) Handle(ctx context.Context, m Meta, cmd ProposeActivity) (Result, error) {
	bad := missing("title", cmd.Title, "organisation", cmd.Organisation, "content", cmd.Content, "publicity", cmd.Publicity, "risks", cmd.Risks)
	now := h.d.clock.Now()
	date, err := time.Parse(time.RFC3339, cmd.Date)
	if err != nil {
		date, err = time.ParseInLocation(time.DateOnly, cmd.Date, now.Location())
	}
	if err != nil {
		if bad == nil {
			bad = map[string]string{}
		}
		bad["date"] = "a date YYYY-MM-DD or an RFC 3339 time"
	}
	if len(bad) > 0 {
		return Result{}, Invalid(bad)
	}
	if err := requireRole(m.Principal, activityRoles...); err != nil {
		return Result{}, err
	}
	project, district, err := registrationScope(m.Principal, cmd.District)
	if err != nil {
		return Result{}, err
	}
	id, err := h.d.ids()
	if err != nil {
		return Result{}, err
	}
	a, err := activity.Propose(activity.Proposed{ActivityID: id, Project: project, District: district, Title: cmd.Title, Date: date,
		Organisation: cmd.Organisation, Content: cmd.Content, Publicity: cmd.Publicity, BudgetFen: cmd.BudgetFen, Risks: cmd.Risks,
		Large: cmd.Large, At: now})
	if err != nil {
		return Result{}, domainError(err, activityCodes)
	}
	rev, err := h.d.appendChanges(ctx, activity.Stream(id), event.NoStream(), m.Principal.Actor(), project, district, m.CorrelationID, now, a.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}

// ActOnActivity is one step of an existing activity: Action is approve
// (the caller's department: operations or quality), hold (Participants),
// survey (Responses, Satisfied) or summarise (Summary).
type ActOnActivity struct {
	ActivityID   string `json:"-"`
	Action       string `json:"-"`
	Participants int    `json:"participants,omitempty"`
	Responses    int    `json:"responses,omitempty"`
	Satisfied    int    `json:"satisfied,omitempty"`
	Summary      string `json:"summary,omitempty"`
}

type ActOnActivityHandler struct{ d handlerDeps }

func NewActOnActivityHandler(store EventStore, clock Clock, ids IDGenerator) ActOnActivityHandler {
	return ActOnActivityHandler{newHandlerDeps(store, clock, ids)}
}

func (h ActOnActivityHandler) Handle(ctx context.Context, m Meta, cmd ActOnActivity) (Result, error) {
	if bad := missing("activity_id", cmd.ActivityID); bad != nil {
		return Result{}, Invalid(bad)
	}
	roles := activityRoles
	if cmd.Action == "approve" {
		roles = activityApproveRoles
	}
	return update(ctx, h.d, m, cmd.ActivityID, activity.Stream(cmd.ActivityID), roles, activity.Decode, activity.FromHistory, activityCodes,
		func(a *activity.Activity, now time.Time) error {
			switch cmd.Action {
			case "approve":
				return a.Approve(m.Principal.Role, m.Principal.StaffID, now)
			case "hold":
				return a.Hold(cmd.Participants, now)
			case "survey":
				return a.Survey(cmd.Responses, cmd.Satisfied, now)
			case "summarise":
				return a.Summarise(cmd.Summary, now)
			}
			return fmt.Errorf("unknown activity action %q", cmd.Action)
		})
}
