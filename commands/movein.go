package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/movein"
)

var moveInCodes = map[error]string{
	movein.ErrNotOpened:           "not_opened",
	movein.ErrOpenIncomplete:      "open_incomplete",
	movein.ErrStepDone:            "step_done",
	movein.ErrNoteMissing:         "note_missing",
	movein.ErrReceiptsMissing:     "receipts_missing",
	movein.ErrAgreementMissing:    "agreement_missing",
	movein.ErrFormsMissing:        "forms_missing",
	movein.ErrStepsIncomplete:     "steps_incomplete",
	movein.ErrKeysMissing:         "keys_missing",
	movein.ErrUnknownDefect:       "unknown_defect",
	movein.ErrDefectHandedOver:    "defect_handed_over",
	movein.ErrDeveloperRef:        "developer_ref_missing",
	movein.ErrDefectNotHandedOver: "defect_not_handed_over",
	movein.ErrDefectResolved:      "defect_resolved",
	movein.ErrNotCompleted:        "not_completed",
	movein.ErrAlreadyOccupied:     "already_occupied",
}

func updateMoveIn(ctx context.Context, d handlerDeps, m Meta, id string, roles []string, act func(mi *movein.MoveIn, now time.Time) error) (Result, error) {
	if bad := missing("move_in_id", id); bad != nil {
		return Result{}, Invalid(bad)
	}
	return update(ctx, d, m, id, movein.Stream(id), roles, movein.Decode, movein.FromHistory, moveInCodes, act)
}
