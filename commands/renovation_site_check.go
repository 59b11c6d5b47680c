package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/renovation"
)

// CheckRenovationSite records the butler's on-site check of the unit before work (R-R2).
type CheckRenovationSite struct {
	RenovationID string `json:"-"`
	Note         string `json:"note"`
}

type CheckRenovationSiteHandler struct{ d handlerDeps }

func NewCheckRenovationSiteHandler(store EventStore, clock Clock, ids IDGenerator) CheckRenovationSiteHandler {
	return CheckRenovationSiteHandler{newHandlerDeps(store, clock, ids)}
}

func (h CheckRenovationSiteHandler) Handle(ctx context.Context, m Meta, cmd CheckRenovationSite) (Result, error) {
	if bad := missing("note", cmd.Note); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return updateRenovation(ctx, h.d, m, cmd.RenovationID, renovationButlerRoles, func(r *renovation.Renovation, now time.Time) error {
		return r.CheckSite(cmd.Note, now)
	})
}
