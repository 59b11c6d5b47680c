package commands

import (
	"context"

	"github.com/butler-pm/butler/domain/apperr"
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
	return createRecord(ctx, h.d, m, cmd.District, visit.DueStream, visitCodes, func(r newRecord) (changer, error) {
		return visit.OpenDue(visit.DueOpened{DueID: r.ID, Project: r.Project, District: r.District, Household: cmd.Household,
			Reason: visit.ReasonMisfortune, Source: cmd.Note, Since: r.Now, DueBy: r.Now.Add(MisfortuneReturnVisitWithin), At: r.Now})
	})
}
