package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff/quality"
	"github.com/butler-pm/butler/domain/workorder"
)

var (
	supervisorPatrolRoles = []string{RoleSupervisor}
	spotCheckRoles        = []string{RoleSupervisor, RoleQuality}
)

// qualityCodes are the stable error codes of refused quality rules.
var qualityCodes = map[error]string{
	quality.ErrPatrolIncomplete: "patrol_incomplete",
	quality.ErrCheckIncomplete:  "check_incomplete",
	quality.ErrProblemMissing:   "problem_missing",
	quality.ErrNotChecked:       "spot_check_not_found",
	quality.ErrNothingToCorrect: "nothing_to_correct",
	quality.ErrAlreadyCorrected: "already_corrected",
	quality.ErrActionMissing:    "action_missing",
}

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
		m.CorrelationID, now, []event.Payload{p})
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}

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
	rev, err := h.d.appendChanges(ctx, quality.SpotCheckStream(id), event.NoStream(), m.Principal.Actor(), reg.Project, reg.District, m.CorrelationID, now, s.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}

// CorrectSpotCheck records the corrective action of a mismatch (R-S4).
type CorrectSpotCheck struct {
	CheckID string `json:"-"`
	Action  string `json:"action"`
}

type CorrectSpotCheckHandler struct{ d handlerDeps }

func NewCorrectSpotCheckHandler(store EventStore, clock Clock, ids IDGenerator) CorrectSpotCheckHandler {
	return CorrectSpotCheckHandler{newHandlerDeps(store, clock, ids)}
}

func (h CorrectSpotCheckHandler) Handle(ctx context.Context, m Meta, cmd CorrectSpotCheck) (Result, error) {
	if bad := missing("spot_check_id", cmd.CheckID); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return update(ctx, h.d, m, cmd.CheckID, quality.SpotCheckStream(cmd.CheckID), spotCheckRoles, quality.Decode, quality.FromHistory, qualityCodes,
		func(s *quality.SpotCheck, now time.Time) error { return s.Correct(cmd.Action, now) })
}
