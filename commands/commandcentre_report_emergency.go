package commands

import (
	"context"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/commandcentre"
	cc "github.com/butler-pm/butler/domain/commandcentre"
	"github.com/butler-pm/butler/domain/event"
)

// ReportEmergency records an emergency: fire, wall_climbing,
// elevator_entrapment or suspicious_person, with its procedure (R-N2).
type ReportEmergency struct {
	Type     string `json:"type"`
	Location string `json:"location"`
	District string `json:"district,omitempty"`
}

type ReportEmergencyHandler struct{ d handlerDeps }

func NewReportEmergencyHandler(store EventStore, clock Clock, ids IDGenerator) ReportEmergencyHandler {
	return ReportEmergencyHandler{newHandlerDeps(store, clock, ids)}
}

func (h ReportEmergencyHandler) Handle(ctx context.Context, m Meta, cmd ReportEmergency) (Result, error) {
	if bad := missing("type", cmd.Type, "location", cmd.Location); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, emergencyRoles...); err != nil {
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
	e, err := cc.ReportEmergency(id, project, district, cmd.Type, cmd.Location, now)
	if err != nil {
		return Result{}, domainError(err, commandCentreCodes)
	}
	rev, err := h.d.appendChanges(ctx, commandcentre.EmergencyStream(id), event.NoStream(), m.Principal.Actor(), project, district, m.CorrelationID, now, e.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}
