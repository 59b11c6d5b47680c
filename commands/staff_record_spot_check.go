package commands

import (
	"context"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff/quality"
	"github.com/butler-pm/butler/domain/workorder"
)

// RecordSpotCheck records a spot check of one work order's paper and
// electronic records (R-W6); a mismatch names the problem.
type RecordSpotCheck struct {
	WorkOrderID string `json:"work_order_id"`
	Matches     bool   `json:"matches"`
	Problem     string `json:"problem,omitempty"`
}

type RecordSpotCheckHandler struct{ d handlerDeps }

func NewRecordSpotCheckHandler(store EventStore, clock Clock, ids IDGenerator) RecordSpotCheckHandler {
	return RecordSpotCheckHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordSpotCheckHandler) Handle(ctx context.Context, m Meta, cmd RecordSpotCheck) (Result, error) {
	if bad := missing("work_order_id", cmd.WorkOrderID); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, spotCheckRoles...); err != nil {
		return Result{}, err
	}
	hist, err := h.d.readHistory(ctx, workorder.Stream(cmd.WorkOrderID), workorder.Decode)
	if err != nil {
		return Result{}, err
	}
	var reg workorder.Registered
	for _, p := range hist.payloads {
		if r, ok := p.(workorder.Registered); ok {
			reg = r
		}
	}
	if !hist.exists || reg.WorkOrderID == "" {
		return Result{}, apperr.Errorf(apperr.NotFound, "not_found", "work order %s does not exist", cmd.WorkOrderID)
	}
	if !m.Principal.CanAct(reg.Project, reg.District) {
		return Result{}, forbiddenScope()
	}
	id, err := h.d.ids()
	if err != nil {
		return Result{}, err
	}
	now := h.d.clock.Now()
	s, err := quality.Check(quality.SpotChecked{CheckID: id, Project: reg.Project, District: reg.District, WorkOrderID: cmd.WorkOrderID,
		Month: reg.At.In(now.Location()).Format("2006-01"), Matches: cmd.Matches, Problem: cmd.Problem, At: now})
	if err != nil {
		return Result{}, domainError(err, qualityCodes)
	}
	rev, err := h.d.appendChanges(ctx, quality.SpotCheckStream(id), event.NoStream(), m.Principal.Actor(), reg.Project, reg.District, m.chain(), now, s.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}
