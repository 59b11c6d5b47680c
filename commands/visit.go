package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/visit"
)

// Visit roles (R-H1…R-H5):
//
//	command                               butler supervisor project_manager
//	visit plan                              x        x
//	visit record, opinions, warning         x        x            x
//	key-client visit                                 x  (the domain checks)
//	misfortune, satisfy a return visit      x        x            x
//	policies (open due, overdue)          system actor
var (
	visitPlanRoles = []string{RoleButler, RoleSupervisor}
	visitRoles     = []string{RoleButler, RoleSupervisor, RoleProjectManager}
)

// visitCodes are the stable error codes of refused visit rules.
var visitCodes = map[error]string{
	visit.ErrPlanIncomplete:        "plan_incomplete",
	visit.ErrHouseholdCountMissing: "units_not_registered",
	visit.ErrUnregisteredUnit:      "unregistered_unit",
	visit.ErrVacantUnit:            "vacant_unit",
	visit.ErrNotAKeyClient:         "not_a_key_client",
	visit.ErrSatisfaction:          "invalid_satisfaction",
	visit.ErrDuplicateHousehold:    "duplicate_household",
	visit.ErrCoverageTooLow:        "coverage_too_low",
	visit.ErrNotPlanned:            "plan_not_found",
	visit.ErrVisitIncomplete:       "visit_incomplete",
	visit.ErrUnknownKind:           "unknown_visit_kind",
	visit.ErrKeyClientBySupervisor: "key_client_by_supervisor",
	visit.ErrNotVisited:            "visit_not_recorded",
	visit.ErrUnknownOpinion:        "unknown_opinion",
	visit.ErrActionMissing:         "action_missing",
	visit.ErrAlreadyRectified:      "already_rectified",
	visit.ErrNotRectified:          "not_rectified",
	visit.ErrAlreadyFedBack:        "already_fed_back",
	visit.ErrFeedbackChannel:       "feedback_channel",
	visit.ErrProblemMissing:        "problem_missing",
	visit.ErrUnknownReason:         "unknown_reason",
	visit.ErrDueIncomplete:         "due_incomplete",
	visit.ErrNotDue:                "return_visit_not_due",
	visit.ErrDueDone:               "return_visit_done",
	visit.ErrWrongHousehold:        "wrong_household",
	visit.ErrVisitBeforeDue:        "visit_before_due",
}

func updateVisit(ctx context.Context, d handlerDeps, m Meta, id string, act func(v *visit.Visit, now time.Time) error) (Result, error) {
	if bad := missing("visit_id", id); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return update(ctx, d, m, id, visit.Stream(id), visitRoles, visit.Decode, visit.VisitFromHistory, visitCodes, act)
}

// VisitHandlers are the visit module's command handlers.
type VisitHandlers struct {
	Plan                    PlanVisitsHandler
	Record                  RecordVisitHandler
	RectifyOpinion          RectifyOpinionHandler
	FeedBackOpinion         FeedBackOpinionHandler
	WarnCommonProblem       WarnCommonProblemHandler
	RecordMisfortune        RecordMisfortuneHandler
	SatisfyReturnVisit      SatisfyReturnVisitHandler
	OpenRequiredReturnVisit OpenRequiredReturnVisitHandler
	MarkReturnVisitOverdue  MarkReturnVisitOverdueHandler
}

func newVisitHandlers(d handlerDeps) VisitHandlers {
	return VisitHandlers{
		Plan:                    PlanVisitsHandler{d},
		Record:                  RecordVisitHandler{d},
		RectifyOpinion:          RectifyOpinionHandler{d},
		FeedBackOpinion:         FeedBackOpinionHandler{d},
		WarnCommonProblem:       WarnCommonProblemHandler{d},
		RecordMisfortune:        RecordMisfortuneHandler{d},
		SatisfyReturnVisit:      SatisfyReturnVisitHandler{d},
		OpenRequiredReturnVisit: NewOpenRequiredReturnVisitHandler(d.store, d.clock, d.ids),
		MarkReturnVisitOverdue:  MarkReturnVisitOverdueHandler{d},
	}
}
