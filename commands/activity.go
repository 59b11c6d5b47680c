package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/activity"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
)

// Activity roles (R-A1…R-A4):
//
//	command                              butler supervisor project_manager operations quality
//	plan survey, draft                              x            x              x
//	plan approval                                                               x
//	propose, hold, survey, summarise       x        x            x              x
//	approve a proposal                                                          x          x
var (
	activityPlanRoles    = []string{RoleSupervisor, RoleProjectManager, RoleOperations}
	activityApproveRoles = []string{RoleOperations, RoleQuality}
	// Only operations approves the year's plan (R-A1).
	activityPlanApproveRoles = []string{RoleOperations}
	activityRoles            = []string{RoleButler, RoleSupervisor, RoleProjectManager, RoleOperations}
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
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, activityRoles...); err != nil {
		return Result{}, err
	}
	return createRecord(ctx, h.d, m, cmd.District, activity.Stream, activityCodes, func(r newRecord) (changer, error) {
		return activity.Propose(activity.Proposed{ActivityID: r.ID, Project: r.Project, District: r.District, Title: cmd.Title, Date: date,
			Organisation: cmd.Organisation, Content: cmd.Content, Publicity: cmd.Publicity, BudgetFen: cmd.BudgetFen, Risks: cmd.Risks,
			Large: cmd.Large, At: r.Now})
	})
}

// updateActivity runs one domain method on an existing activity.
func updateActivity(ctx context.Context, d handlerDeps, m Meta, id string, roles []string,
	act func(a *activity.Activity, now time.Time) error) (Result, error) {
	if bad := missing("activity_id", id); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return update(ctx, d, m, id, activity.Stream(id), roles, activity.Decode, activity.FromHistory, activityCodes, act)
}

// updateActivityPlan runs one domain method on the caller's project's
// plan for year, creating the plan's stream on its first step. The
// result's ID is the plan's stream name.
func updateActivityPlan(ctx context.Context, d handlerDeps, m Meta, year int, roles []string,
	act func(p *activity.Plan, now time.Time) error) (Result, error) {
	if year < 2000 || year > 2200 {
		return Result{}, apperr.Invalid(map[string]string{"year": "a year such as 2027"})
	}
	if err := requireRole(m.Principal, roles...); err != nil {
		return Result{}, err
	}
	project := m.Principal.Project
	if project == "" {
		return Result{}, forbiddenScope()
	}
	stream := activity.PlanStream(project, year)
	hist, err := d.readHistory(ctx, stream, activity.Decode)
	if err != nil {
		return Result{}, err
	}
	expected := event.NoStream()
	if hist.exists {
		expected = event.Exact(hist.revision)
	}
	if m.IfMatch != nil && (!hist.exists || *m.IfMatch != hist.revision) {
		return Result{}, apperr.Errorf(apperr.PreconditionFailed, "precondition_failed", "the plan is not at revision %d", *m.IfMatch)
	}
	p, err := activity.PlanFromHistory(project, year, hist.payloads)
	if err != nil {
		return Result{}, fmt.Errorf("rebuild %s: %w", stream, err)
	}
	now := d.clock.Now()
	if err := act(p, now); err != nil {
		return Result{}, domainError(err, activityCodes)
	}
	rev, err := d.appendChanges(ctx, stream, expected, m.Principal.Actor(), project, "", m.chain(), now, p.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: stream, Revision: rev}, nil
}

// ActivityHandlers are the activity module's command handlers.
type ActivityHandlers struct {
	SurveyPlan  SurveyActivityPlanHandler
	DraftPlan   DraftActivityPlanHandler
	ApprovePlan ApproveActivityPlanHandler
	Propose     ProposeActivityHandler
	Approve     ApproveActivityHandler
	Hold        HoldActivityHandler
	Survey      SurveyActivityHandler
	Summarise   SummariseActivityHandler
	// RecordSummaryOverdue is the R-A4 time rule's command.
	RecordSummaryOverdue RecordActivitySummaryOverdueHandler
}

func newActivityHandlers(d handlerDeps) ActivityHandlers {
	return ActivityHandlers{
		RecordSummaryOverdue: RecordActivitySummaryOverdueHandler{d},
		SurveyPlan:           SurveyActivityPlanHandler{d},
		DraftPlan:            DraftActivityPlanHandler{d},
		ApprovePlan:          NewApproveActivityPlanHandler(d.store, d.clock, d.ids),
		Propose:              ProposeActivityHandler{d},
		Approve:              ApproveActivityHandler{d},
		Hold:                 HoldActivityHandler{d},
		Survey:               SurveyActivityHandler{d},
		Summarise:            SummariseActivityHandler{d},
	}
}
