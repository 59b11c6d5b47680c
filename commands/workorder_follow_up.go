package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/workorder"
)

// FollowUpWorkOrder keeps a call, visit or message with the owner; one
// within three days of registration keeps an unfinished repair within the
// SLA (R-W3). Channel is one of phone, visit, service_desk, wechat, sms.
type FollowUpWorkOrder struct {
	WorkOrderID string `json:"-"`
	Channel     string `json:"channel"`
	Note        string `json:"note"`
}

type FollowUpWorkOrderHandler struct{ d handlerDeps }

func NewFollowUpWorkOrderHandler(store EventStore, clock Clock, ids IDGenerator) FollowUpWorkOrderHandler {
	return FollowUpWorkOrderHandler{newHandlerDeps(store, clock, ids)}
}

func (h FollowUpWorkOrderHandler) Handle(ctx context.Context, m Meta, cmd FollowUpWorkOrder) (Result, error) {
	bad := missing("channel", cmd.Channel, "note", cmd.Note)
	if bad == nil && !workorder.Channel(cmd.Channel).Valid() {
		bad = map[string]string{"channel": "must be one of phone, visit, service_desk, wechat, sms"}
	}
	if bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return updateWorkOrder(ctx, h.d, m, cmd.WorkOrderID, workOrderFollowRoles, func(w *workorder.WorkOrder, now time.Time) error {
		return w.RecordCommunication(workorder.Channel(cmd.Channel), cmd.Note, now)
	})
}
