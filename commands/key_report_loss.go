package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/key"
)

// ReportKeyLoss reports a key that cannot be found (R-K4).
type ReportKeyLoss struct {
	KeyID string `json:"-"`
	Note  string `json:"note"`
}

type ReportKeyLossHandler struct{ d handlerDeps }

func NewReportKeyLossHandler(store EventStore, clock Clock, ids IDGenerator) ReportKeyLossHandler {
	return ReportKeyLossHandler{newHandlerDeps(store, clock, ids)}
}

func (h ReportKeyLossHandler) Handle(ctx context.Context, m Meta, cmd ReportKeyLoss) (Result, error) {
	if bad := missing("note", cmd.Note); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return updateKey(ctx, h.d, m, cmd.KeyID, keyReportLossRoles, func(k *key.Key, now time.Time) error {
		return k.ReportLoss(cmd.Note, now)
	})
}
