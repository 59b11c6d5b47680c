package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/renovation"
)

// AssignRenovation gives a renovation's area to a staff member, who follows
// it from now on (R-R7: renovation areas divided among staff).
type AssignRenovation struct {
	RenovationID string `json:"-"`
	Area         string `json:"area"`
	Butler       string `json:"butler"`
}

type AssignRenovationHandler struct{ d handlerDeps }

func NewAssignRenovationHandler(store EventStore, clock Clock, ids IDGenerator) AssignRenovationHandler {
	return AssignRenovationHandler{newHandlerDeps(store, clock, ids)}
}

func (h AssignRenovationHandler) Handle(ctx context.Context, m Meta, cmd AssignRenovation) (Result, error) {
	if bad := missing("area", cmd.Area, "butler", cmd.Butler); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return updateRenovation(ctx, h.d, m, cmd.RenovationID, renovationAssignRoles, func(r *renovation.Renovation, now time.Time) error {
		return r.Assign(cmd.Area, cmd.Butler, now)
	})
}

// TalkWithRenovatingOwner records the butler's talk with the renovating
// owner (R-R7), on site, by phone or on a visit.
type TalkWithRenovatingOwner struct {
	RenovationID string `json:"-"`
	Channel      string `json:"channel"`
	Note         string `json:"note"`
}

type TalkWithRenovatingOwnerHandler struct{ d handlerDeps }

func NewTalkWithRenovatingOwnerHandler(store EventStore, clock Clock, ids IDGenerator) TalkWithRenovatingOwnerHandler {
	return TalkWithRenovatingOwnerHandler{newHandlerDeps(store, clock, ids)}
}

func (h TalkWithRenovatingOwnerHandler) Handle(ctx context.Context, m Meta, cmd TalkWithRenovatingOwner) (Result, error) {
	if bad := missing("channel", cmd.Channel, "note", cmd.Note); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return updateRenovation(ctx, h.d, m, cmd.RenovationID, renovationButlerRoles, func(r *renovation.Renovation, now time.Time) error {
		return r.TalkWithOwner(m.Principal.StaffID, cmd.Channel, cmd.Note, now)
	})
}

// RecordRenovationTalkOverdue is the R-R7 policy command: work that went on
// a week without a talk with the owner gets renovation.owner_talk_overdue.v1
// once per gap.
type RecordRenovationTalkOverdue struct {
	RenovationID string `json:"renovation_id"`
}

type RecordRenovationTalkOverdueHandler struct{ d handlerDeps }

func NewRecordRenovationTalkOverdueHandler(store EventStore, clock Clock, ids IDGenerator) RecordRenovationTalkOverdueHandler {
	return RecordRenovationTalkOverdueHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordRenovationTalkOverdueHandler) Handle(ctx context.Context, m Meta, cmd RecordRenovationTalkOverdue) (PolicyResult, error) {
	if bad := missing("renovation_id", cmd.RenovationID); bad != nil {
		return PolicyResult{}, apperr.Invalid(bad)
	}
	return recordAsSystem(ctx, h.d, m, systemStream[*renovation.Renovation]{id: cmd.RenovationID,
		name: renovation.Stream(cmd.RenovationID), decode: renovation.Decode, rebuild: renovation.FromHistory, codes: renovationCodes},
		func(r *renovation.Renovation, now time.Time) (bool, error) { return r.RecordTalkOverdue(now) })
}

// RecordRenovationTalkOverdue runs the R-R7 policy on one renovation; it
// reports whether an overdue talk was recorded now.
func (h *Handlers) RecordRenovationTalkOverdue(ctx context.Context, renovationID string) (bool, error) {
	r, err := h.Renovation.RecordTalkOverdue.Handle(ctx, Meta{}, RecordRenovationTalkOverdue{RenovationID: renovationID})
	return r.Recorded, err
}
