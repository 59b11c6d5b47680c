package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/renovation/register"
)

// CheckRenovationRegister records the supervisor's check of renovation
// records against the register, on this week's register (R-R6: twice a week).
type CheckRenovationRegister struct {
	Renovations []string `json:"renovations"`
	Matches     *bool    `json:"matches"`
	Note        string   `json:"note"`
}

type CheckRenovationRegisterHandler struct{ d handlerDeps }

func NewCheckRenovationRegisterHandler(store EventStore, clock Clock, ids IDGenerator) CheckRenovationRegisterHandler {
	return CheckRenovationRegisterHandler{newHandlerDeps(store, clock, ids)}
}

func (h CheckRenovationRegisterHandler) Handle(ctx context.Context, m Meta, cmd CheckRenovationRegister) (Result, error) {
	if cmd.Matches == nil {
		return Result{}, apperr.Invalid(map[string]string{"matches": "required: whether records and register agree"})
	}
	if err := requireRole(m.Principal, renovationRegisterRoles...); err != nil {
		return Result{}, err
	}
	week := register.WeekOf(h.d.clock.Now())
	r, err := onRegisterWeek(ctx, h.d, m.Principal.Actor(), m.chain(), m.Principal.Project, week, func(w *register.Week, now time.Time) (bool, error) {
		return true, w.Check(cmd.Renovations, *cmd.Matches, cmd.Note, now)
	})
	return r.Result, err
}
