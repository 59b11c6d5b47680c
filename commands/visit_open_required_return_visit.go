package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/complaint"
	"github.com/butler-pm/butler/domain/fee"
	"github.com/butler-pm/butler/domain/visit"
	"github.com/butler-pm/butler/domain/workorder"
)

// OpenRequiredReturnVisit is the R-H3 policy on one record: an urgent or
// leak repair once completed, a complaint once resolved. The due item's
// id is the record's id, so it is opened once.
type OpenRequiredReturnVisit struct {
	Source string // "workorder", "complaint" or "fee" (a bill in arrears)
	ID     string
}

type OpenRequiredReturnVisitHandler struct{ d handlerDeps }

func NewOpenRequiredReturnVisitHandler(store EventStore, clock Clock, ids IDGenerator) OpenRequiredReturnVisitHandler {
	return OpenRequiredReturnVisitHandler{newHandlerDeps(store, clock, ids)}
}

func (h OpenRequiredReturnVisitHandler) Handle(ctx context.Context, m Meta, cmd OpenRequiredReturnVisit) (PolicyResult, error) {
	// The due is caused by the source record's latest event, the state
	// dueFor judged (its completion, resolution or ageing, or later).
	open := func(now time.Time) (*visit.Due, eventRef, bool, error) {
		due, cause, ok, err := h.dueFor(ctx, cmd)
		if err != nil || !ok {
			return nil, cause, false, err
		}
		due.At = now
		d, err := visit.OpenDue(due)
		return d, cause, err == nil, err
	}
	// An item already open has nothing more to record; a new one has its opening.
	return recordAsSystem(ctx, h.d, m, dueStream(cmd.ID, open),
		func(d *visit.Due, _ time.Time) (bool, error) { return len(d.Changes()) > 0, nil })
}

// dueFor reads the source record and says what return visit it needs,
// and the record's latest event, which it judged.
func (h OpenRequiredReturnVisitHandler) dueFor(ctx context.Context, cmd OpenRequiredReturnVisit) (visit.DueOpened, eventRef, bool, error) {
	due := visit.DueOpened{DueID: cmd.ID}
	var cause eventRef
	switch cmd.Source {
	case "workorder":
		hist, err := h.d.readHistory(ctx, workorder.Stream(cmd.ID), workorder.Decode)
		if err != nil || !hist.exists {
			return due, eventRef{}, false, err
		}
		cause = hist.last
		for _, p := range hist.payloads {
			switch e := p.(type) {
			case workorder.Registered:
				due.Project, due.District, due.Household, due.Source = e.Project, e.District, e.Unit, workorder.Stream(cmd.ID)
				switch {
				case e.Urgent:
					due.Reason = visit.ReasonUrgentRepair
				case e.Leak:
					due.Reason = visit.ReasonLeakRepair
				}
			case workorder.Completed:
				due.Since = e.At
				if due.Reason == visit.ReasonUrgentRepair {
					due.DueBy = e.At.Add(workorder.UrgentReturnVisitWithin)
				}
			}
		}
	case "complaint":
		hist, err := h.d.readHistory(ctx, complaint.Stream(cmd.ID), complaint.Decode)
		if err != nil || !hist.exists {
			return due, eventRef{}, false, err
		}
		cause = hist.last
		for _, p := range hist.payloads {
			switch e := p.(type) {
			case complaint.Registered:
				due.Project, due.District, due.Household, due.Source = e.Project, e.District, e.Unit, complaint.Stream(cmd.ID)
				due.Reason = visit.ReasonComplaint
			case complaint.RegisteredV2:
				due.Project, due.District, due.Household, due.Source = e.Project, e.District, e.Unit, complaint.Stream(cmd.ID)
				due.Reason = visit.ReasonComplaint
			case complaint.Resolved:
				due.Since, due.DueBy = e.At, e.At.Add(ComplaintReturnVisitWithin)
			}
		}
	case "fee":
		hist, err := h.d.readHistory(ctx, fee.Stream(cmd.ID), fee.Decode)
		if err != nil || !hist.exists {
			return due, eventRef{}, false, err
		}
		cause = hist.last
		for _, p := range hist.payloads {
			switch e := p.(type) {
			case fee.Billed:
				due.Project, due.District, due.Household, due.Source = e.Project, e.District, e.Unit, fee.Stream(cmd.ID)
			case fee.ArrearsAged:
				if due.Since.IsZero() {
					due.Reason, due.Since, due.DueBy = visit.ReasonFeeCollection, e.At, e.At.Add(FeeCollectionVisitWithin)
				}
			}
		}
	default:
		return due, cause, false, fmt.Errorf("unknown return-visit source %q", cmd.Source)
	}
	// Only finished urgent or leak repairs, resolved complaints and bills in arrears of a household need one.
	return due, cause, due.Reason != "" && !due.Since.IsZero() && due.Household != "", nil
}
