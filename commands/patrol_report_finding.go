package commands

import (
	"context"
	"fmt"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/patrol"
)

// ReportPatrolFinding opens a public-area work order for a patrol finding
// (R-V4, R-W4) and links it to the patrol. The result's ID is the new
// work order's.
//
// Two records change: the work order is registered first (through the
// ordinary RegisterWorkOrder handler), then the patrol records the link
// at the revision it was read at. If the link loses a race the work order
// stays registered without the link, and the caller gets a conflict.
type ReportPatrolFinding struct {
	PatrolID string `json:"-"`
	Finding  int    `json:"finding"`
	Warranty string `json:"warranty"`
	Urgent   bool   `json:"urgent,omitempty"`
	Place    string `json:"place,omitempty"`
}

type ReportPatrolFindingHandler struct {
	d        handlerDeps
	register RegisterWorkOrderHandler
}

func NewReportPatrolFindingHandler(store EventStore, clock Clock, ids IDGenerator) ReportPatrolFindingHandler {
	return ReportPatrolFindingHandler{d: newHandlerDeps(store, clock, ids), register: NewRegisterWorkOrderHandler(store, clock, ids)}
}

func (h ReportPatrolFindingHandler) Handle(ctx context.Context, m Meta, cmd ReportPatrolFinding) (Result, error) {
	if err := requireRole(m.Principal, patrolRoles...); err != nil {
		return Result{}, err
	}
	stream := patrol.Stream(cmd.PatrolID)
	hist, err := h.d.readHistory(ctx, stream, patrol.Decode)
	if err != nil {
		return Result{}, err
	}
	if !hist.exists {
		return Result{}, notFound(stream)
	}
	p, err := patrol.FromHistory(hist.payloads)
	if err != nil {
		return Result{}, fmt.Errorf("rebuild %s: %w", stream, err)
	}
	if !m.Principal.CanAct(p.Project(), p.District()) {
		return Result{}, forbiddenScope()
	}
	if err := checkIfMatch(m, hist.revision); err != nil {
		return Result{}, err
	}
	text, err := p.Finding(cmd.Finding)
	if err != nil {
		return Result{}, domainError(err, patrolCodes)
	}
	wo, err := h.register.Handle(ctx, Meta{Principal: m.Principal, CorrelationID: m.CorrelationID, CausationID: m.CausationID}, RegisterWorkOrder{
		Unit: cmd.Place, Description: text, Area: "public", Warranty: cmd.Warranty, Urgent: cmd.Urgent, District: p.District()})
	if err != nil {
		return Result{}, err
	}
	now := h.d.clock.Now()
	if err := p.ReportFinding(cmd.Finding, wo.ID, now); err != nil {
		return Result{}, domainError(err, patrolCodes)
	}
	if _, err := h.d.appendChanges(ctx, stream, event.Exact(hist.revision), m.Principal.Actor(), p.Project(), p.District(), m.chain(), now, p.Changes()); err != nil {
		return Result{}, err
	}
	return wo, nil
}
