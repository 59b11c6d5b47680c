package commands

import (
	"context"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/patrol"
)

// RecordPatrol records the caller's public-area patrol today (R-V4).
type RecordPatrol struct {
	Areas    []string `json:"areas"`
	Findings []string `json:"findings,omitempty"`
	District string   `json:"district,omitempty"`
}

type RecordPatrolHandler struct{ d handlerDeps }

func NewRecordPatrolHandler(store EventStore, clock Clock, ids IDGenerator) RecordPatrolHandler {
	return RecordPatrolHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordPatrolHandler) Handle(ctx context.Context, m Meta, cmd RecordPatrol) (Result, error) {
	var bad map[string]string
	if len(cmd.Areas) == 0 {
		bad = map[string]string{"areas": "required"}
	}
	if bad = districtField(m.Principal, cmd.District, bad); len(bad) > 0 {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, patrolRoles...); err != nil {
		return Result{}, err
	}
	return createRecord(ctx, h.d, m, cmd.District, patrol.Stream, patrolCodes, func(r newRecord) (changer, error) {
		return patrol.Record(r.ID, r.Project, r.District, m.Principal.StaffID, cmd.Areas, cmd.Findings, r.Now)
	})
}
