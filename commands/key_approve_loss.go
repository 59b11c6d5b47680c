package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/key"
)

// ApproveKeyLoss is the project manager's approval of a loss report,
// naming who is accountable (R-K4).
type ApproveKeyLoss struct {
	KeyID       string `json:"-"`
	Accountable string `json:"accountable"`
	Note        string `json:"note"`
}

type ApproveKeyLossHandler struct{ d handlerDeps }

func NewApproveKeyLossHandler(store EventStore, clock Clock, ids IDGenerator) ApproveKeyLossHandler {
	return ApproveKeyLossHandler{newHandlerDeps(store, clock, ids)}
}

func (h ApproveKeyLossHandler) Handle(ctx context.Context, m Meta, cmd ApproveKeyLoss) (Result, error) {
	if bad := missing("accountable", cmd.Accountable); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return updateKey(ctx, h.d, m, cmd.KeyID, keyApproveLossRoles, func(k *key.Key, now time.Time) error {
		return k.ApproveLoss(cmd.Accountable, cmd.Note, now)
	})
}
