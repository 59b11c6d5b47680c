package commands

import (
	"context"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff/quality"
)

// RecordSupervisorPatrol records the caller's weekly patrol with its
// self-inspection report (R-S4).
type RecordSupervisorPatrol struct {
	Areas    []string `json:"areas"`
	Report   string   `json:"report"`
	Problems []string `json:"problems,omitempty"`
	District string   `json:"district,omitempty"`
}

type RecordSupervisorPatrolHandler struct{ d handlerDeps }

func NewRecordSupervisorPatrolHandler(store EventStore, clock Clock, ids IDGenerator) RecordSupervisorPatrolHandler {
	return RecordSupervisorPatrolHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordSupervisorPatrolHandler) Handle(ctx context.Context, m Meta, cmd RecordSupervisorPatrol) (Result, error) {
	if bad := missing("report", cmd.Report); bad != nil || len(cmd.Areas) == 0 {
		if bad == nil {
			bad = map[string]string{}
		}
		if len(cmd.Areas) == 0 {
			bad["areas"] = "required"
		}
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, supervisorPatrolRoles...); err != nil {
		return Result{}, err
	}
	id, err := h.d.ids()
	if err != nil {
		return Result{}, err
	}
	now := h.d.clock.Now()
	p, err := quality.RecordPatrol(quality.Patrolled{PatrolID: id, Project: m.Principal.Project, District: cmd.District,
		Supervisor: m.Principal.StaffID, Areas: cmd.Areas, Report: cmd.Report, Problems: cmd.Problems, At: now})
	if err != nil {
		return Result{}, domainError(err, qualityCodes)
	}
	rev, err := h.d.appendChanges(ctx, quality.PatrolStream(id), event.NoStream(), m.Principal.Actor(), m.Principal.Project, cmd.District,
		m.chain(), now, []event.Payload{p})
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}
