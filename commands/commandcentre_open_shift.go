package commands

import (
	"context"
	"fmt"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/commandcentre"
	cc "github.com/butler-pm/butler/domain/commandcentre"
	"github.com/butler-pm/butler/domain/event"
)

// OpenShift starts the caller's duty shift. Previous names the shift
// before, whose handed-over messages this shift takes on (R-N1).
type OpenShift struct {
	Night    bool   `json:"night"`
	Previous string `json:"previous,omitempty"`
}

type OpenShiftHandler struct{ d handlerDeps }

func NewOpenShiftHandler(store EventStore, clock Clock, ids IDGenerator) OpenShiftHandler {
	return OpenShiftHandler{newHandlerDeps(store, clock, ids)}
}

func (h OpenShiftHandler) Handle(ctx context.Context, m Meta, cmd OpenShift) (Result, error) {
	if err := requireRole(m.Principal, shiftRoles...); err != nil {
		return Result{}, err
	}
	var previous *cc.Shift
	if cmd.Previous != "" {
		hist, err := h.d.readHistory(ctx, commandcentre.ShiftStream(cmd.Previous), cc.Decode)
		if err != nil {
			return Result{}, err
		}
		if !hist.exists {
			return Result{}, apperr.Errorf(apperr.NotFound, "not_found", "shift %s does not exist", cmd.Previous)
		}
		if previous, err = cc.ShiftFromHistory(hist.payloads); err != nil {
			return Result{}, fmt.Errorf("rebuild shift %s: %w", cmd.Previous, err)
		}
		if previous.Project() != m.Principal.Project {
			return Result{}, forbiddenScope()
		}
	}
	id, err := h.d.ids()
	if err != nil {
		return Result{}, err
	}
	now := h.d.clock.Now()
	s, err := cc.OpenShift(id, m.Principal.Project, m.Principal.StaffID, cmd.Night, previous, now)
	if err != nil {
		return Result{}, domainError(err, commandCentreCodes)
	}
	rev, err := h.d.appendChanges(ctx, commandcentre.ShiftStream(id), event.NoStream(), m.Principal.Actor(), s.Project(), "", m.chain(), now, s.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}
