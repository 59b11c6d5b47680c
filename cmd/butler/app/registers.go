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

// unitRenovations finds a unit's renovations for the occupancy check
// (R-R5): the renovations read model.
type unitRenovations struct{ store projections.SearchStore }

func (u unitRenovations) RenovationsOfUnit(ctx context.Context, project, unit string) ([]string, error) {
	return projections.RenovationsOfUnit(ctx, u.store, project, unit)
}

// serviceLedger is the customer-service fee ledger the weekly
// reconciliation takes its total from (R-F4): the fee-bills read model.
type serviceLedger struct{ store projections.SearchStore }

func (l serviceLedger) PaymentsBetween(ctx context.Context, project string, from, to time.Time) (ledger.Side, error) {
	return projections.ServicePayments(ctx, l.store, project, from, to)
}

// receiptBills finds the bills of a move-in's fee receipts (R-M3): the
// fee-bills read model.
type receiptBills struct{ store projections.SearchStore }

func (r receiptBills) BillsOfReceipts(ctx context.Context, project, unit string, receipts []string) (map[string]string, error) {
	return projections.BillsOfReceipts(ctx, r.store, project, unit, receipts)
}
