package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/visit"
)

// SatisfyReturnVisit marks a required return visit done by the visit that
// satisfied it (same household, after the need arose).
type SatisfyReturnVisit struct {
	DueID   string `json:"-"`
	VisitID string `json:"visit_id"`
}

type SatisfyReturnVisitHandler struct{ d handlerDeps }

func NewSatisfyReturnVisitHandler(store EventStore, clock Clock, ids IDGenerator) SatisfyReturnVisitHandler {
	return SatisfyReturnVisitHandler{newHandlerDeps(store, clock, ids)}
}

func (h SatisfyReturnVisitHandler) Handle(ctx context.Context, m Meta, cmd SatisfyReturnVisit) (Result, error) {
	if bad := missing("return_visit_id", cmd.DueID, "visit_id", cmd.VisitID); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	vh, err := h.d.readHistory(ctx, visit.Stream(cmd.VisitID), visit.Decode)
	if err != nil {
		return Result{}, err
	}
	if !vh.exists {
		return Result{}, apperr.Errorf(apperr.NotFound, "not_found", "visit %s does not exist", cmd.VisitID)
	}
	v, err := visit.VisitFromHistory(vh.payloads)
	if err != nil {
		return Result{}, fmt.Errorf("rebuild visit %s: %w", cmd.VisitID, err)
	}
	return update(ctx, h.d, m, cmd.DueID, visit.DueStream(cmd.DueID), visitRoles, visit.Decode, visit.DueFromHistory, visitCodes,
		func(d *visit.Due, now time.Time) error {
			if v.Project() != d.Project() {
				return forbiddenScope()
			}
			return d.Satisfy(v, now)
		})
}
