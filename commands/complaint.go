package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/complaint"
)

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
}

// updateComplaint runs one domain method on an existing complaint.
func updateComplaint(ctx context.Context, d handlerDeps, m Meta, id string, roles []string,
	act func(c *complaint.Complaint, now time.Time) error) (Result, error) {
	if bad := missing("complaint_id", id); bad != nil {
		return Result{}, Invalid(bad)
	}
	return update(ctx, d, m, id, complaint.Stream(id), roles, complaint.Decode, complaint.FromHistory, complaintCodes, act)
}
