package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/staff/lostproperty"
)

// Who registers and keeps found property (R-S9: 拾遗上交). Any staff member
// who works registers what they found; the service centre's keepers
// (supervisor, project manager, operators, the key custodian) receive it
// and give it back; the project manager decides a disposal.
var (
	foundPropertyFinderRoles = []string{RoleButler, RoleSupervisor, RoleProjectManager, RoleCashier, RoleCustodian, RoleArchivist,
		RoleEngineer, RoleCleaner, RoleOperator, RoleOperations, RoleQuality}
	foundPropertyKeeperRoles  = []string{RoleSupervisor, RoleProjectManager, RoleOperator, RoleCustodian}
	foundPropertyDisposeRoles = []string{RoleProjectManager}
)

// foundPropertyCodes are the stable error codes of refused found-property rules.
var foundPropertyCodes = map[error]string{
	lostproperty.ErrNotFound:           "found_item_not_found",
	lostproperty.ErrFindIncomplete:     "find_incomplete",
	lostproperty.ErrFoundInFuture:      "found_in_future",
	lostproperty.ErrKeeperIsFinder:     "keeper_is_finder",
	lostproperty.ErrNotHeld:            "item_not_held",
	lostproperty.ErrAlreadyHandedIn:    "already_handed_in",
	lostproperty.ErrReturnIncomplete:   "return_incomplete",
	lostproperty.ErrHeldTooShort:       "held_too_short",
	lostproperty.ErrDisposalIncomplete: "disposal_incomplete",
}

func updateFoundProperty(ctx context.Context, d handlerDeps, m Meta, id string, roles []string,
	act func(it *lostproperty.Item, now time.Time) error) (Result, error) {
	if bad := missing("item_id", id); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return update(ctx, d, m, id, lostproperty.Stream(id), roles, lostproperty.Decode, lostproperty.FromHistory, foundPropertyCodes, act)
}
