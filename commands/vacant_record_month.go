package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/vacant"
)

// RecordVacantMonth is the R-V1 month-end policy on one unit and month.
type RecordVacantMonth struct {
	UnitID string
	Month  string
}

type RecordVacantMonthHandler struct{ d handlerDeps }

func NewRecordVacantMonthHandler(store EventStore, clock Clock, ids IDGenerator) RecordVacantMonthHandler {
	return RecordVacantMonthHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordVacantMonthHandler) Handle(ctx context.Context, m Meta, cmd RecordVacantMonth) (PolicyResult, error) {
	return recordAsSystem(ctx, h.d, m, systemStream[*vacant.Unit]{id: cmd.UnitID, name: vacant.Stream(cmd.UnitID),
		decode: vacant.Decode, rebuild: vacant.FromHistory, codes: vacantCodes},
		func(u *vacant.Unit, now time.Time) (bool, error) { return u.RecordMonth(cmd.Month, now) })
}
