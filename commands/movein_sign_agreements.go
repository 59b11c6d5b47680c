package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/movein"
)

// SignMoveInAgreements records the agreements signed; the preliminary property-service agreement is required (R-M1, R-M3).
type SignMoveInAgreements struct {
	MoveInID   string   `json:"-"`
	Agreements []string `json:"agreements"`
}

type SignMoveInAgreementsHandler struct{ d handlerDeps }

func NewSignMoveInAgreementsHandler(store EventStore, clock Clock, ids IDGenerator) SignMoveInAgreementsHandler {
	return SignMoveInAgreementsHandler{newHandlerDeps(store, clock, ids)}
}

func (h SignMoveInAgreementsHandler) Handle(ctx context.Context, m Meta, cmd SignMoveInAgreements) (Result, error) {
	return updateMoveIn(ctx, h.d, m, cmd.MoveInID, moveInRoles, func(mi *movein.MoveIn, now time.Time) error {
		return mi.SignAgreements(cmd.Agreements, now)
	})
}
