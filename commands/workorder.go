package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/workorder"
)

// Who may run which work-order command (engineers repair; the butler
// takes the report and makes the return visit).
//
//	command                      butler supervisor project_manager operator engineer
//	work order register            x        x            x             x
//	work order dispatch            x        x            x             x
//	work order start               x        x                                   x
//	work order follow-up           x        x            x                      x
//	work order complete            x        x                                   x
//	work order confirm (sign-off)  x        x                                   x
//	work order return-visit        x        x            x
//	work order close               x        x            x
//	work order verify-return-visit          x
//	policies (SLA, overdue, forms) system actor, no principal checks
//
// R-W4: an engineer records the owner's signature on an in-home repair;
// a public-area repair is signed off by the district's butler or a
// supervisor (the domain refuses the engineer and whoever did the work).
// R-W7: the supervisor verifies return visits.
var (
	workOrderIntakeRoles = []string{RoleButler, RoleSupervisor, RoleProjectManager, RoleOperator}
	workOrderRepairRoles = []string{RoleButler, RoleSupervisor, RoleEngineer}
	workOrderFollowRoles = []string{RoleButler, RoleSupervisor, RoleProjectManager, RoleEngineer}
	workOrderVisitRoles  = []string{RoleButler, RoleSupervisor, RoleProjectManager}
	workOrderVerifyRoles = []string{RoleSupervisor}
)

// workOrderCodes are the stable error codes of refused work-order rules.
var workOrderCodes = map[error]string{
	workorder.ErrNotRegistered:             "not_registered",
	workorder.ErrRegistrationIncomplete:    "registration_incomplete",
	workorder.ErrUnitMissing:               "unit_missing",
	workorder.ErrUnknownArea:               "unknown_area",
	workorder.ErrUnknownWarranty:           "unknown_warranty",
	workorder.ErrAssigneeMissing:           "assignee_missing",
	workorder.ErrNotDispatched:             "not_dispatched",
	workorder.ErrAlreadyStarted:            "already_started",
	workorder.ErrNotStarted:                "not_started",
	workorder.ErrResultMissing:             "result_missing",
	workorder.ErrAlreadyCompleted:          "already_completed",
	workorder.ErrNotCompleted:              "not_completed",
	workorder.ErrSignerMissing:             "signer_missing",
	workorder.ErrAlreadyConfirmed:          "already_confirmed",
	workorder.ErrOwnerConfirmationMissing:  "owner_confirmation_missing",
	workorder.ErrUnknownChannel:            "unknown_channel",
	workorder.ErrReturnVisitChannel:        "return_visit_channel",
	workorder.ErrNoteMissing:               "note_missing",
	workorder.ErrSatisfactionRange:         "satisfaction_out_of_range",
	workorder.ErrNoRainSinceCompletion:     "no_rain_since_completion",
	workorder.ErrReturnVisitDone:           "return_visit_already_recorded",
	workorder.ErrReturnVisitMissing:        "return_visit_missing",
	workorder.ErrClosed:                    "closed",
	workorder.ErrUnknownVisitKind:          "unknown_visit_kind",
	workorder.ErrVisitKindNotRequired:      "visit_kind_not_required",
	workorder.ErrPublicSignOffMissing:      "public_signoff_missing",
	workorder.ErrPublicSignOffRole:         "public_signoff_role",
	workorder.ErrSignOffByRepairer:         "signoff_by_repairer",
	workorder.ErrNoReturnVisitToVerify:     "no_return_visit_to_verify",
	workorder.ErrUnknownVerificationMethod: "unknown_verification_method",
	workorder.ErrUnknownVerificationResult: "unknown_verification_result",
	workorder.ErrVerificationNoteMissing:   "verification_note_missing",
	workorder.ErrFormsNotDue:               "forms_not_due",
	workorder.ErrFormsFiled:                "forms_already_filed",
}

// updateWorkOrder runs one domain method on an existing work order.
func updateWorkOrder(ctx context.Context, d handlerDeps, m Meta, id string, roles []string,
	act func(w *workorder.WorkOrder, now time.Time) error) (Result, error) {
	if bad := missing("work_order_id", id); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return update(ctx, d, m, id, workorder.Stream(id), roles, workorder.Decode, workorder.FromHistory, workOrderCodes, act)
}

// recordWorkOrderPolicy runs a time rule on a work order as the system.
func recordWorkOrderPolicy(ctx context.Context, d handlerDeps, m Meta, id string,
	act func(w *workorder.WorkOrder, now time.Time) (bool, error)) (PolicyResult, error) {
	if bad := missing("work_order_id", id); bad != nil {
		return PolicyResult{}, apperr.Invalid(bad)
	}
	return recordAsSystem(ctx, d, m, systemStream[*workorder.WorkOrder]{id: id, name: workorder.Stream(id),
		decode: workorder.Decode, rebuild: workorder.FromHistory, codes: workOrderCodes}, act)
}

// WorkOrderHandlers are the work-order module's command handlers.
type WorkOrderHandlers struct {
	Register                 RegisterWorkOrderHandler
	Dispatch                 DispatchWorkOrderHandler
	Start                    StartWorkOrderHandler
	FollowUp                 FollowUpWorkOrderHandler
	Complete                 CompleteWorkOrderHandler
	Confirm                  ConfirmWorkOrderHandler
	ReturnVisit              ReturnVisitWorkOrderHandler
	Close                    CloseWorkOrderHandler
	RecordSLABreach          RecordSLABreachHandler
	RecordReturnVisitOverdue RecordReturnVisitOverdueHandler
	VerifyReturnVisit        VerifyWorkOrderReturnVisitHandler
	RecordAfterRainOverdue   RecordAfterRainVisitOverdueHandler
	FileForms                FileWorkOrderFormsHandler
}

func newWorkOrderHandlers(d handlerDeps) WorkOrderHandlers {
	return WorkOrderHandlers{
		Register:                 RegisterWorkOrderHandler{d},
		Dispatch:                 NewDispatchWorkOrderHandler(d.store, d.clock, d.ids).WithStaff(NewEventStaffDirectory(d.store)),
		Start:                    StartWorkOrderHandler{d},
		FollowUp:                 FollowUpWorkOrderHandler{d},
		Complete:                 CompleteWorkOrderHandler{d},
		Confirm:                  ConfirmWorkOrderHandler{d},
		ReturnVisit:              ReturnVisitWorkOrderHandler{d},
		Close:                    CloseWorkOrderHandler{d},
		RecordSLABreach:          RecordSLABreachHandler{d},
		RecordReturnVisitOverdue: NewRecordReturnVisitOverdueHandler(d.store, d.clock, d.ids),
		VerifyReturnVisit:        VerifyWorkOrderReturnVisitHandler{d},
		RecordAfterRainOverdue:   NewRecordAfterRainVisitOverdueHandler(d.store, d.clock, d.ids),
		FileForms:                NewFileWorkOrderFormsHandler(d.store, d.clock, d.ids),
	}
}

// RecordAfterRainVisitOverdue runs the R-W5 leak policy on one work
// order; it reports whether the overdue after-rain visit was recorded now.
func (h *Handlers) RecordAfterRainVisitOverdue(ctx context.Context, workOrderID string) (bool, error) {
	r, err := h.WorkOrder.RecordAfterRainOverdue.Handle(ctx, Meta{}, RecordAfterRainVisitOverdue{WorkOrderID: workOrderID})
	return r.Recorded, err
}

// FileWorkOrderForms runs the R-W8 filing rule on one work order and the
// archive of its unit; it reports whether the filing was recorded now.
func (h *Handlers) FileWorkOrderForms(ctx context.Context, workOrderID, archiveID string) (bool, error) {
	r, err := h.WorkOrder.FileForms.Handle(ctx, Meta{}, FileWorkOrderForms{WorkOrderID: workOrderID, ArchiveID: archiveID})
	return r.Recorded, err
}
