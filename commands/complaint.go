package commands

import (
	"context"
	"errors"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/complaint"
)

// Who may run which complaint command, from DOMAIN.md and the seed (the
// butler 录入信息系统: registers, dispatches, records handling and follow-up,
// makes the return visit; supervisors handle important complaints; the
// project manager receives what supervisors cannot handle). Scope
// (project/district) is checked separately with Principal.CanAct.
//
//	command                      butler supervisor project_manager operator
//	complaint register             x        x            x             x
//	complaint dispatch             x        x            x
//	complaint follow-up            x        x            x
//	complaint explain-delay        x        x            x
//	complaint resolve              x        x            x
//	complaint return-visit         x        x            x
//	complaint close                x        x            x
//	complaint escalate             x*       x
//	complaint flag-risk            x        x            x
//	complaint mark-important                x            x
//	complaint review                        x            x
//
// * a butler escalates to the supervisor; only a supervisor escalates on
// to the project manager (R-C5). Resolve and close are further limited by
// the complaint (R-C5): an important one is the supervisor's, and one
// escalated to a level is not resolved below it (403).
var (
	complaintRegisterRoles = []string{RoleButler, RoleSupervisor, RoleProjectManager, RoleOperator}
	complaintHandleRoles   = []string{RoleButler, RoleSupervisor, RoleProjectManager}
	complaintEscalateRoles = []string{RoleButler, RoleSupervisor}
	complaintToPMRoles     = []string{RoleSupervisor}
	// R-C5, R-C8: marking important and the daily look are the supervisor's
	// (and the project manager's, above them).
	complaintSupervisorRoles = []string{RoleSupervisor, RoleProjectManager}
)

// complaintLevel is the level a caller handles complaints at (R-C5).
func complaintLevel(role string) complaint.Level {
	switch role {
	case RoleSupervisor:
		return complaint.LevelSupervisor
	case RoleProjectManager:
		return complaint.LevelProjectManager
	case RoleButler:
		return complaint.LevelButler
	}
	return ""
}

// complaintHandling turns R-C5's refusals of who handles into 403s with a
// stable code: the caller is not the one to do it.
func complaintHandling(err error) error {
	for target, code := range map[error]string{
		complaint.ErrImportantNeedsSupervisor: "important_complaint_supervisor_only",
		complaint.ErrEscalatedAboveCaller:     "escalated_above_caller",
	} {
		if errors.Is(err, target) {
			return &apperr.Error{Kind: apperr.Forbidden, Code: code, Message: err.Error(), Err: err}
		}
	}
	return err
}

// complaintCodes are the stable error codes of refused complaint rules.
var complaintCodes = map[error]string{
	complaint.ErrNotRegistered:          "not_registered",
	complaint.ErrRegistrationIncomplete: "registration_incomplete",
	complaint.ErrSoothingMissing:        "soothing_missing",
	complaint.ErrAssigneeMissing:        "assignee_missing",
	complaint.ErrNoteMissing:            "note_missing",
	complaint.ErrUnknownChannel:         "unknown_channel",
	complaint.ErrReturnVisitChannel:     "return_visit_channel",
	complaint.ErrReasonMissing:          "reason_missing",
	complaint.ErrExpectedByNotFuture:    "expected_by_not_future",
	complaint.ErrResolutionMissing:      "resolution_missing",
	complaint.ErrNotDispatched:          "not_dispatched",
	complaint.ErrAlreadyResolved:        "already_resolved",
	complaint.ErrNotResolved:            "not_resolved",
	complaint.ErrSatisfactionRange:      "satisfaction_out_of_range",
	complaint.ErrReturnVisitDone:        "return_visit_already_recorded",
	complaint.ErrReturnVisitMissing:     "return_visit_missing",
	complaint.ErrClosed:                 "closed",
	complaint.ErrTopLevel:               "already_at_top_level",
	complaint.ErrRiskAlreadyFlagged:     "risk_already_flagged",
	complaint.ErrValidityReasonMissing:  "validity_reason_missing",
	complaint.ErrAlreadyImportant:       "already_important",
	// R-C5's two are answered 403 by complaintHandling; here for completeness.
	complaint.ErrImportantNeedsSupervisor: "important_complaint_supervisor_only",
	complaint.ErrEscalatedAboveCaller:     "escalated_above_caller",
	complaint.ErrUnknownEntry:             "unknown_entry",
	complaint.ErrEntryFiled:               "entry_already_filed",
}

// updateComplaint runs one domain method on an existing complaint.
func updateComplaint(ctx context.Context, d handlerDeps, m Meta, id string, roles []string,
	act func(c *complaint.Complaint, now time.Time) error) (Result, error) {
	if bad := missing("complaint_id", id); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return update(ctx, d, m, id, complaint.Stream(id), roles, complaint.Decode, complaint.FromHistory, complaintCodes, act)
}

// ComplaintHandlers are the complaint module's command handlers.
type ComplaintHandlers struct {
	Register     RegisterComplaintHandler
	Dispatch     DispatchComplaintHandler
	FollowUp     FollowUpComplaintHandler
	ExplainDelay ExplainComplaintDelayHandler
	Resolve      ResolveComplaintHandler
	ReturnVisit  ReturnVisitComplaintHandler
	Close        CloseComplaintHandler
	Escalate     EscalateComplaintHandler
	FlagRisk     FlagComplaintRiskHandler
	// R-C5, R-C8, and the time rules of R-C2, R-C8 and R-C6.
	MarkImportant       MarkComplaintImportantHandler
	Review              ReviewComplaintHandler
	RecordOverdue       RecordComplaintOverdueHandler
	RecordMissedReviews RecordMissedComplaintReviewsHandler
	FileRecords         FileComplaintRecordsHandler
}

func newComplaintHandlers(d handlerDeps) ComplaintHandlers {
	return ComplaintHandlers{
		Register:     RegisterComplaintHandler{d},
		Dispatch:     NewDispatchComplaintHandler(d.store, d.clock, d.ids).WithStaff(NewEventStaffDirectory(d.store)),
		FollowUp:     FollowUpComplaintHandler{d},
		ExplainDelay: NewExplainComplaintDelayHandler(d.store, d.clock, d.ids),
		Resolve:      ResolveComplaintHandler{d},
		ReturnVisit:  ReturnVisitComplaintHandler{d},
		Close:        CloseComplaintHandler{d},
		Escalate:     EscalateComplaintHandler{d},
		FlagRisk:     FlagComplaintRiskHandler{d},

		MarkImportant:       MarkComplaintImportantHandler{d},
		Review:              ReviewComplaintHandler{d},
		RecordOverdue:       RecordComplaintOverdueHandler{d},
		RecordMissedReviews: RecordMissedComplaintReviewsHandler{d},
		FileRecords:         FileComplaintRecordsHandler{d},
	}
}
