package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/movein"
)

// Who may run which move-in command (R-M1…R-M3). The district butler takes
// the owner through the steps; the cashier may record the fees collected;
// defects are handed to the developer and tracked by the butler,
// supervisor or engineering.
//
//	command                      butler supervisor cashier engineer
//	open, steps, occupancy         x        x
//	fees collected                 x        x         x
//	defect hand-over / resolve     x        x                  x
var (
	moveInRoles       = []string{RoleButler, RoleSupervisor}
	moveInFeeRoles    = []string{RoleButler, RoleSupervisor, RoleCashier}
	moveInDefectRoles = []string{RoleButler, RoleSupervisor, RoleEngineer}
)

var moveInCodes = map[error]string{
	movein.ErrReceiptNotBilled:    "receipt_not_billed",
	movein.ErrNothingToFile:       "nothing_to_file",
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
		return Result{}, apperr.Invalid(bad)
	}
	return update(ctx, d, m, id, movein.Stream(id), roles, movein.Decode, movein.FromHistory, moveInCodes, act)
}

// MoveInHandlers are the move-in module's command handlers.
type MoveInHandlers struct {
	Open                  OpenMoveInHandler
	ReviewDocuments       ReviewMoveInDocumentsHandler
	CollectFees           CollectMoveInFeesHandler
	SignAgreements        SignMoveInAgreementsHandler
	FillForms             FillMoveInFormsHandler
	InspectUnit           InspectMoveInUnitHandler
	HandOverKeys          HandOverMoveInKeysHandler
	HandDefectToDeveloper HandMoveInDefectToDeveloperHandler
	ResolveDefect         ResolveMoveInDefectHandler
	RecordOccupied        RecordMoveInOccupiedHandler
	FlagRisk              FlagMoveInRiskHandler // R-M4
	FileDocuments         FileMoveInDocumentsHandler
}

func newMoveInHandlers(d handlerDeps) MoveInHandlers {
	return MoveInHandlers{
		Open:                  OpenMoveInHandler{d},
		ReviewDocuments:       ReviewMoveInDocumentsHandler{d},
		CollectFees:           CollectMoveInFeesHandler{d: d},
		SignAgreements:        SignMoveInAgreementsHandler{d},
		FillForms:             FillMoveInFormsHandler{d},
		InspectUnit:           InspectMoveInUnitHandler{d},
		HandOverKeys:          HandOverMoveInKeysHandler{d},
		HandDefectToDeveloper: NewHandMoveInDefectToDeveloperHandler(d.store, d.clock, d.ids),
		ResolveDefect:         ResolveMoveInDefectHandler{d},
		RecordOccupied:        RecordMoveInOccupiedHandler{d: d},
		FileDocuments:         FileMoveInDocumentsHandler{d},
		FlagRisk:              FlagMoveInRiskHandler{d},
	}
}
