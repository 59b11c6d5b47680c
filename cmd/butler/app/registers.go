package app

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/fee/ledger"
	"github.com/butler-pm/butler/domain/key/reconcile"
	"github.com/butler-pm/butler/projections"
)

// keyRegister is the key register the daily reconciliation takes its
// ledger from (R-K3): the key read model.
type keyRegister struct{ store projections.SearchStore }

func (r keyRegister) CountKeys(ctx context.Context, project string) (reconcile.Register, error) {
	return projections.CountKeys(ctx, r.store, project)
}

// serviceLedger is the customer-service fee ledger the weekly
// reconciliation takes its total from (R-F4): the fee-bills read model.
type serviceLedger struct{ store projections.SearchStore }

func (l serviceLedger) PaymentsBetween(ctx context.Context, project string, from, to time.Time) (ledger.Side, error) {
	return projections.ServicePayments(ctx, l.store, project, from, to)
}
