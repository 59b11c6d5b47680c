package commands

import (
	"context"
	"maps"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/movein"
)

// FlagMoveInRisk records a group-complaint risk point at the hand-over
// site; the recorded movein.risk_flagged.v1 is a warning in the project
// manager's inbox (R-M4). Butler or supervisor.
type FlagMoveInRisk struct {
	MoveInID string `json:"-"`
	Reason   string `json:"reason"`
}

type FlagMoveInRiskHandler struct{ d handlerDeps }

func NewFlagMoveInRiskHandler(store EventStore, clock Clock, ids IDGenerator) FlagMoveInRiskHandler {
	return FlagMoveInRiskHandler{newHandlerDeps(store, clock, ids)}
}

// moveInRiskCodes are the codes of refused risk flags (domain/movein/risks.go).
var moveInRiskCodes = map[error]string{movein.ErrRiskReasonMissing: "reason_missing"}

func (h FlagMoveInRiskHandler) Handle(ctx context.Context, m Meta, cmd FlagMoveInRisk) (Result, error) {
	if bad := missing("move_in_id", cmd.MoveInID, "reason", cmd.Reason); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	codes := maps.Clone(moveInCodes)
	maps.Copy(codes, moveInRiskCodes)
	return update(ctx, h.d, m, cmd.MoveInID, movein.Stream(cmd.MoveInID), moveInRoles, movein.Decode, movein.FromHistory, codes,
		func(mi *movein.MoveIn, now time.Time) error { return mi.FlagRisk(cmd.Reason, now) })
}
