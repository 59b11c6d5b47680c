package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/visit"
)

// RectifyOpinion records what was done about opinion Opinion (0-based).
type RectifyOpinion struct {
	VisitID string `json:"-"`
	Opinion int    `json:"opinion"`
	Action  string `json:"action"`
}

type RectifyOpinionHandler struct{ d handlerDeps }

func NewRectifyOpinionHandler(store EventStore, clock Clock, ids IDGenerator) RectifyOpinionHandler {
	return RectifyOpinionHandler{newHandlerDeps(store, clock, ids)}
}

func (h RectifyOpinionHandler) Handle(ctx context.Context, m Meta, cmd RectifyOpinion) (Result, error) {
	return updateVisit(ctx, h.d, m, cmd.VisitID, func(v *visit.Visit, now time.Time) error {
		return v.Rectify(cmd.Opinion, cmd.Action, now)
	})
}
