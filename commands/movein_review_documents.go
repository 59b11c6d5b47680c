package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/movein"
)

// ReviewMoveInDocuments records that the owner's documents were reviewed (R-M1).
type ReviewMoveInDocuments struct {
	MoveInID string `json:"-"`
	Note     string `json:"note"`
}

type ReviewMoveInDocumentsHandler struct{ d handlerDeps }

func NewReviewMoveInDocumentsHandler(store EventStore, clock Clock, ids IDGenerator) ReviewMoveInDocumentsHandler {
	return ReviewMoveInDocumentsHandler{newHandlerDeps(store, clock, ids)}
}

func (h ReviewMoveInDocumentsHandler) Handle(ctx context.Context, m Meta, cmd ReviewMoveInDocuments) (Result, error) {
	return updateMoveIn(ctx, h.d, m, cmd.MoveInID, moveInRoles, func(mi *movein.MoveIn, now time.Time) error {
		return mi.ReviewDocuments(cmd.Note, now)
	})
}
