package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/fee"
)

// RecordFeePayment records money received against a bill, in fen, with
// its receipt number (R-F2: refused without one).
type RecordFeePayment struct {
	BillID    string `json:"-"`
	AmountFen int64  `json:"amount_fen"`
	ReceiptNo string `json:"receipt_no"`
	Method    string `json:"method"`
}

type RecordFeePaymentHandler struct{ d handlerDeps }

func NewRecordFeePaymentHandler(store EventStore, clock Clock, ids IDGenerator) RecordFeePaymentHandler {
	return RecordFeePaymentHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordFeePaymentHandler) Handle(ctx context.Context, m Meta, cmd RecordFeePayment) (Result, error) {
	return updateBill(ctx, h.d, m, cmd.BillID, feePaymentRoles, func(b *fee.Bill, now time.Time) error {
		return b.RecordPayment(fee.Payment{AmountFen: cmd.AmountFen, ReceiptNo: cmd.ReceiptNo, Method: cmd.Method}, now)
	})
}
