package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff/workplan"
)

// workPlanNamespace makes a plan's id from its project and month, so that a
// project has one department work plan a month.
var workPlanNamespace = uuid.MustParse("5d7c1e2a-8b34-4f6e-a1c9-3e0f2b7d4a61")

// WorkPlanID is the id of a project's work plan for a month.
func WorkPlanID(project, month string) string {
	return uuid.NewSHA1(workPlanNamespace, []byte(project+"\x00"+month)).String()
}

// Who leads the department's work plan (R-S8); progress on a goal is also
// shared by the goal's owner.
var (
	workPlanLeadRoles     = []string{RoleSupervisor, RoleProjectManager}
	workPlanProgressRoles = []string{RoleSupervisor, RoleProjectManager, RoleButler, RoleEngineer, RoleCleaner, RoleOperator,
		RoleCashier, RoleCustodian, RoleArchivist}
)

// workPlanCodes are the stable error codes of refused work-plan rules.
var workPlanCodes = map[error]string{
	workplan.ErrNotDrafted:        "work_plan_not_found",
	workplan.ErrPlanIncomplete:    "plan_incomplete",
	workplan.ErrTargetNotMeasured: "target_not_measurable",
	workplan.ErrDuplicateTarget:   "duplicate_target",
	workplan.ErrDiscussionEmpty:   "discussion_incomplete",
	workplan.ErrNotDiscussed:      "plan_not_discussed",
	workplan.ErrUnknownTarget:     "unknown_target",
	workplan.ErrProgressNegative:  "progress_negative",
	workplan.ErrNotYourTarget:     "not_your_goal",
	workplan.ErrGoalNotDiscussed:  "goal_not_discussed_with_owner",
}

// updateWorkPlan is update for a plan of the whole project: a member of
// any district of the project acts on it (a butler sharing progress on
// their goal), so the scope is the project alone.
func updateWorkPlan(ctx context.Context, d handlerDeps, m Meta, id string, roles []string,
	act func(p *workplan.Plan, now time.Time) error) (Result, error) {
	if bad := missing("plan_id", id); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, roles...); err != nil {
		return Result{}, err
	}
	stream := workplan.Stream(id)
	h, err := d.readHistory(ctx, stream, workplan.Decode)
	if err != nil {
		return Result{}, err
	}
	if !h.exists {
		return Result{}, notFound(stream)
	}
	p, err := workplan.FromHistory(h.payloads)
	if err != nil {
		return Result{}, fmt.Errorf("rebuild %s: %w", stream, err)
	}
	if p.Project() != m.Principal.Project {
		return Result{}, forbiddenScope()
	}
	if err := checkIfMatch(m, h.revision); err != nil {
		return Result{}, err
	}
	now := d.clock.Now()
	if err := act(p, now); err != nil {
		return Result{}, domainError(err, workPlanCodes)
	}
	rev, err := d.appendChanges(ctx, stream, event.Exact(h.revision), m.Principal.Actor(), p.Project(), "", m.chain(), now, p.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}
