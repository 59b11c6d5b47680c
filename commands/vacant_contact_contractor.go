package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/vacant"
)

// ContactVacantContractor records who was called to put a finding right (R-V3).
type ContactVacantContractor struct {
	UnitID     string `json:"-"`
	Finding    int    `json:"finding"`
	Contractor string `json:"contractor"`
}

type ContactVacantContractorHandler struct{ d handlerDeps }

func NewContactVacantContractorHandler(store EventStore, clock Clock, ids IDGenerator) ContactVacantContractorHandler {
	return ContactVacantContractorHandler{newHandlerDeps(store, clock, ids)}
}

func (h ContactVacantContractorHandler) Handle(ctx context.Context, m Meta, cmd ContactVacantContractor) (Result, error) {
	return updateVacant(ctx, h.d, m, cmd.UnitID, vacantFindingRoles, func(u *vacant.Unit, now time.Time) error {
		return u.ContactContractor(cmd.Finding, cmd.Contractor, now)
	})
}
