package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/visit"
)

// MarkReturnVisitOverdue is the R-H3 deadline policy on one due item.
type MarkReturnVisitOverdue struct{ DueID string }

type MarkReturnVisitOverdueHandler struct{ d handlerDeps }

func NewMarkReturnVisitOverdueHandler(store EventStore, clock Clock, ids IDGenerator) MarkReturnVisitOverdueHandler {
	return MarkReturnVisitOverdueHandler{newHandlerDeps(store, clock, ids)}
}

func (h MarkReturnVisitOverdueHandler) Handle(ctx context.Context, m Meta, cmd MarkReturnVisitOverdue) (PolicyResult, error) {
	return recordAsSystem(ctx, h.d, m, dueStream(cmd.DueID, nil),
		func(d *visit.Due, now time.Time) (bool, error) { return d.MarkOverdue(now), nil })
}
