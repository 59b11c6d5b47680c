package commands

import (
	"context"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/visit"
)

// RecordMisfortune records a family misfortune (重大不幸) in a household:
// a return visit to comfort and help becomes due (R-H3).
type RecordMisfortune struct {
	Household string `json:"household"`
	Note      string `json:"note"`
	District  string `json:"district,omitempty"`
}

type RecordMisfortuneHandler struct{ d handlerDeps }

func NewRecordMisfortuneHandler(store EventStore, clock Clock, ids IDGenerator) RecordMisfortuneHandler {
	return RecordMisfortuneHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordMisfortuneHandler) Handle(ctx context.Context, m Meta, cmd RecordMisfortune) (Result, error) {
	bad := missing("household", cmd.Household, "note", cmd.Note)
	if bad = districtField(m.Principal, cmd.District, bad); len(bad) > 0 {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, visitRoles...); err != nil {
		return Result{}, err
	}
	project, district, err := registrationScope(m.Principal, cmd.District)
	if err != nil {
		return Result{}, err
	}
	id, err := h.d.ids()
	if err != nil {
		return Result{}, err
	}
	now := h.d.clock.Now()
	d, err := visit.OpenDue(visit.DueOpened{DueID: id, Project: project, District: district, Household: cmd.Household,
		Reason: visit.ReasonMisfortune, Source: cmd.Note, Since: now, DueBy: now.Add(MisfortuneReturnVisitWithin), At: now})
	if err != nil {
		return Result{}, domainError(err, visitCodes)
	}
	rev, err := h.d.appendChanges(ctx, visit.DueStream(id), event.NoStream(), m.Principal.Actor(), project, district, m.CorrelationID, now, d.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}
