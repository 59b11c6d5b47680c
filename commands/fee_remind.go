package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/fee"
)

// RemindArrears records an attempt to collect an overdue bill by phone,
// visit, bill or sms (R-F3).
type RemindArrears struct {
	BillID  string `json:"-"`
	Channel string `json:"channel"`
	Note    string `json:"note"`
}

type RemindArrearsHandler struct{ d handlerDeps }

func NewRemindArrearsHandler(store EventStore, clock Clock, ids IDGenerator) RemindArrearsHandler {
	return RemindArrearsHandler{newHandlerDeps(store, clock, ids)}
}

func (h RemindArrearsHandler) Handle(ctx context.Context, m Meta, cmd RemindArrears) (Result, error) {
	return updateBill(ctx, h.d, m, cmd.BillID, feeReminderRoles, func(b *fee.Bill, now time.Time) error {
		return b.Remind(fee.Channel(cmd.Channel), cmd.Note, now)
	})
}
