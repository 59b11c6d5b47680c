package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/movein"
)

// HandMoveInDefectToDeveloper hands an inspection defect to the developer with its reference (移交房产, R-M2).
type HandMoveInDefectToDeveloper struct {
	MoveInID     string `json:"-"`
	DefectID     string `json:"defect_id"`
	DeveloperRef string `json:"developer_ref"`
}

type HandMoveInDefectToDeveloperHandler struct{ d handlerDeps }

func NewHandMoveInDefectToDeveloperHandler(store EventStore, clock Clock, ids IDGenerator) HandMoveInDefectToDeveloperHandler {
	return HandMoveInDefectToDeveloperHandler{newHandlerDeps(store, clock, ids)}
}

func (h HandMoveInDefectToDeveloperHandler) Handle(ctx context.Context, m Meta, cmd HandMoveInDefectToDeveloper) (Result, error) {
	return updateMoveIn(ctx, h.d, m, cmd.MoveInID, moveInDefectRoles, func(mi *movein.MoveIn, now time.Time) error {
		return mi.HandDefectToDeveloper(cmd.DefectID, cmd.DeveloperRef, now)
	})
}
