package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/renovation"
)

// RecordRenovationViolation stops a violation at once, with evidence
// references, reported to the supervisor (R-R4). The violation gets the
// next id on the renovation (v1, v2, …), shown in the read model.
type RecordRenovationViolation struct {
	RenovationID string   `json:"-"`
	Description  string   `json:"description"`
	Evidence     []string `json:"evidence"`
	ReportedTo   string   `json:"reported_to"`
}

type RecordRenovationViolationHandler struct{ d handlerDeps }

func NewRecordRenovationViolationHandler(store EventStore, clock Clock, ids IDGenerator) RecordRenovationViolationHandler {
	return RecordRenovationViolationHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordRenovationViolationHandler) Handle(ctx context.Context, m Meta, cmd RecordRenovationViolation) (Result, error) {
	bad := missing("description", cmd.Description, "reported_to", cmd.ReportedTo)
	if len(cmd.Evidence) == 0 {
		if bad == nil {
			bad = map[string]string{}
		}
		bad["evidence"] = "at least one evidence reference (photo, video, form)"
	}
	if bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return updateRenovation(ctx, h.d, m, cmd.RenovationID, renovationButlerRoles, func(r *renovation.Renovation, now time.Time) error {
		return r.RecordViolation(r.NextViolationID(), cmd.Description, cmd.Evidence, cmd.ReportedTo, now)
	})
}
