package app

import (
	"context"

	"github.com/butler-pm/butler/domain/key/reconcile"
	"github.com/butler-pm/butler/projections"
)

// keyRegister is the key register the daily reconciliation takes its
// ledger from (R-K3): the key read model.
type keyRegister struct{ store projections.SearchStore }

func (r keyRegister) CountKeys(ctx context.Context, project string) (reconcile.Register, error) {
	return projections.CountKeys(ctx, r.store, project)
}
