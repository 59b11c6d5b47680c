package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/movein"
)

// ResolveMoveInDefect records that the developer fixed a handed-over defect (R-M2).
type ResolveMoveInDefect struct {
	MoveInID string `json:"-"`
	DefectID string `json:"defect_id"`
	Note     string `json:"note"`
}

type ResolveMoveInDefectHandler struct{ d handlerDeps }

func NewResolveMoveInDefectHandler(store EventStore, clock Clock, ids IDGenerator) ResolveMoveInDefectHandler {
	return ResolveMoveInDefectHandler{newHandlerDeps(store, clock, ids)}
}

func (h ResolveMoveInDefectHandler) Handle(ctx context.Context, m Meta, cmd ResolveMoveInDefect) (Result, error) {
	return updateMoveIn(ctx, h.d, m, cmd.MoveInID, moveInDefectRoles, func(mi *movein.MoveIn, now time.Time) error {
		return mi.ResolveDefect(cmd.DefectID, cmd.Note, now)
	})
}
