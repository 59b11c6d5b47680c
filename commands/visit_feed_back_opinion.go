package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/visit"
)

// FeedBackOpinion records that the owner was told (R-H2).
type FeedBackOpinion struct {
	VisitID string `json:"-"`
	Opinion int    `json:"opinion"`
	Channel string `json:"channel"`
	Note    string `json:"note,omitempty"`
}

type FeedBackOpinionHandler struct{ d handlerDeps }

func NewFeedBackOpinionHandler(store EventStore, clock Clock, ids IDGenerator) FeedBackOpinionHandler {
	return FeedBackOpinionHandler{newHandlerDeps(store, clock, ids)}
}

func (h FeedBackOpinionHandler) Handle(ctx context.Context, m Meta, cmd FeedBackOpinion) (Result, error) {
	return updateVisit(ctx, h.d, m, cmd.VisitID, func(v *visit.Visit, now time.Time) error {
		return v.FeedBack(cmd.Opinion, cmd.Channel, cmd.Note, now)
	})
}
