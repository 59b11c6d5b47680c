package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/staff/quality"
)

// CorrectSpotCheck records the corrective action of a mismatch (R-S4).
type CorrectSpotCheck struct {
	CheckID string `json:"-"`
	Action  string `json:"action"`
}

type CorrectSpotCheckHandler struct{ d handlerDeps }

func NewCorrectSpotCheckHandler(store EventStore, clock Clock, ids IDGenerator) CorrectSpotCheckHandler {
	return CorrectSpotCheckHandler{newHandlerDeps(store, clock, ids)}
}

func (h CorrectSpotCheckHandler) Handle(ctx context.Context, m Meta, cmd CorrectSpotCheck) (Result, error) {
	if bad := missing("spot_check_id", cmd.CheckID); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return update(ctx, h.d, m, cmd.CheckID, quality.SpotCheckStream(cmd.CheckID), spotCheckRoles, quality.Decode, quality.FromHistory, qualityCodes,
		func(s *quality.SpotCheck, now time.Time) error { return s.Correct(cmd.Action, now) })
}
