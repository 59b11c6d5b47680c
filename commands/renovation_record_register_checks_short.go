package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/renovation/register"
)

// RecordRegisterChecksShort is the R-R6 policy command: a project's week
// that ended with fewer than two register checks is recorded short, once.
type RecordRegisterChecksShort struct {
	Project string `json:"project"`
	Week    string `json:"week"`
}

type RecordRegisterChecksShortHandler struct{ d handlerDeps }

func NewRecordRegisterChecksShortHandler(store EventStore, clock Clock, ids IDGenerator) RecordRegisterChecksShortHandler {
	return RecordRegisterChecksShortHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordRegisterChecksShortHandler) Handle(ctx context.Context, m Meta, cmd RecordRegisterChecksShort) (PolicyResult, error) {
	if bad := missing("project", cmd.Project, "week", cmd.Week); bad != nil {
		return PolicyResult{}, apperr.Invalid(bad)
	}
	id := RenovationRegisterWeekID(cmd.Project, cmd.Week)
	return recordAsSystem(ctx, h.d, m, systemStream[*register.Week]{id: id, name: register.Stream(id),
		decode: register.Decode, rebuild: register.FromHistory, codes: renovationRegisterCodes,
		open: func(time.Time) (*register.Week, eventRef, bool, error) {
			return opened(register.Open(cmd.Project, cmd.Week))
		}},
		func(w *register.Week, now time.Time) (bool, error) { return w.RecordShort(now) })
}
