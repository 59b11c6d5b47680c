package commands

import (
	"context"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/commandcentre"
	cc "github.com/butler-pm/butler/domain/commandcentre"
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
	return createRecord(ctx, h.d, m, cmd.District, commandcentre.EmergencyStream, commandCentreCodes, func(r newRecord) (changer, error) {
		return cc.ReportEmergency(r.ID, r.Project, r.District, cmd.Type, cmd.Location, r.Now)
	})
}
