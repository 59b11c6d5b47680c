package commands

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/butler-pm/butler/domain/apperr"
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

func updateWorkPlan(ctx context.Context, d handlerDeps, m Meta, id string, roles []string,
	act func(p *workplan.Plan, now time.Time) error) (Result, error) {
	if bad := missing("plan_id", id); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return update(ctx, d, m, id, workplan.Stream(id), roles, workplan.Decode, workplan.FromHistory, workPlanCodes, act)
}
