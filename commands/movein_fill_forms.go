package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/movein"
)

// FillMoveInForms records the forms filled (owner_information required) and photos taken (R-M1, R-M3).
type FillMoveInForms struct {
	MoveInID string   `json:"-"`
	Forms    []string `json:"forms"`
	Photos   []string `json:"photos"`
}

type FillMoveInFormsHandler struct{ d handlerDeps }

func NewFillMoveInFormsHandler(store EventStore, clock Clock, ids IDGenerator) FillMoveInFormsHandler {
	return FillMoveInFormsHandler{newHandlerDeps(store, clock, ids)}
}

func (h FillMoveInFormsHandler) Handle(ctx context.Context, m Meta, cmd FillMoveInForms) (Result, error) {
	return updateMoveIn(ctx, h.d, m, cmd.MoveInID, moveInRoles, func(mi *movein.MoveIn, now time.Time) error {
		return mi.FillForms(cmd.Forms, cmd.Photos, now)
	})
}
