package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/key/reconcile"
)

// CheckKeyRegister is the supervisor's weekly check of the ledger against
// the physical keys (R-K3), recorded on today's key-register day.
type CheckKeyRegister struct {
	Matches *bool  `json:"matches"`
	Note    string `json:"note"`
}

type CheckKeyRegisterHandler struct{ d handlerDeps }

func NewCheckKeyRegisterHandler(store EventStore, clock Clock, ids IDGenerator) CheckKeyRegisterHandler {
	return CheckKeyRegisterHandler{newHandlerDeps(store, clock, ids)}
}

func (h CheckKeyRegisterHandler) Handle(ctx context.Context, m Meta, cmd CheckKeyRegister) (Result, error) {
	if cmd.Matches == nil {
		return Result{}, apperr.Invalid(map[string]string{"matches": "required: whether the ledger and the keys agree"})
	}
	if err := requireRole(m.Principal, keySupervisorRoles...); err != nil {
		return Result{}, err
	}
	day := reconcile.DayOf(h.d.clock.Now())
	r, err := onKeyDay(ctx, h.d, m.Principal.Actor(), m.chain(), m.Principal.Project, day, m.IfMatch, func(kd *reconcile.Day, now time.Time) (bool, error) {
		return true, kd.SupervisorCheck(*cmd.Matches, cmd.Note, now)
	})
	return r.Result, err
}
