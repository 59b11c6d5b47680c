package commands

import (
	"context"
	"fmt"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/renovation"
)

// UnitRenovations finds the renovations of a unit (R-R5). The server's is
// the renovations read model (cmd/butler/app); the occupancy check then
// reads each renovation it names from the event store, so a renovation's
// status is exact. Only a renovation filed in the read model's last moment
// (under a second) can be missed, and a renovation just filed has not
// started, which would not block occupancy anyway.
type UnitRenovations interface {
	RenovationsOfUnit(ctx context.Context, project, unit string) ([]string, error)
}

// checkNoOpenRenovation is R-R5 at occupancy: a unit is not occupied
// (move-in occupied, vacant unit occupied) while a renovation of it has
// started and is not closed: in progress, waiting for engineering's
// completion inspection (竣工验收), or with its problems not all fixed.
// Without a UnitRenovations there is nothing to check (the demo generator
// answers from its own records).
func checkNoOpenRenovation(ctx context.Context, d handlerDeps, units UnitRenovations, project, unit string) error {
	if units == nil || unit == "" {
		return nil
	}
	ids, err := units.RenovationsOfUnit(ctx, project, unit)
	if err != nil {
		return fmt.Errorf("finding the renovations of %s: %w", unit, err)
	}
	for _, id := range ids {
		h, err := d.readHistory(ctx, renovation.Stream(id), renovation.Decode)
		if err != nil {
			return err
		}
		if !h.exists {
			continue
		}
		r, err := renovation.FromHistory(h.payloads)
		if err != nil {
			return fmt.Errorf("rebuild %s: %w", renovation.Stream(id), err)
		}
		if r.Project() != project || r.Unit() != unit || !r.BlocksOccupancy() {
			continue
		}
		return &apperr.Error{Kind: apperr.Unprocessable, Code: renovationCodes[renovation.ErrUnitUnderRenovation],
			Message: fmt.Sprintf("%s: renovation %s is %s with %d completion-inspection problems unfixed", renovation.ErrUnitUnderRenovation.Error(),
				id, r.Status(), r.UnfixedFindings()), Err: renovation.ErrUnitUnderRenovation}
	}
	return nil
}

// UseUnitRenovations makes occupancy (move-in occupied, vacant unit
// occupied) check the unit's renovations (R-R5).
func (h *Handlers) UseUnitRenovations(u UnitRenovations) {
	h.MoveIn.RecordOccupied.renovations = u
	h.Vacant.Occupy.renovations = u
}
