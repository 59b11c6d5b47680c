package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/complaint"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/fee"
	"github.com/butler-pm/butler/domain/visit"
	"github.com/butler-pm/butler/domain/workorder"
)

// Deadlines of required return visits (R-H3). The seed gives 24 h for an
// urgent repair and "after the first rain" for a leak; for a handled
// complaint and a family misfortune it says only "visit", so we allow
// three days, the same horizon as the repair SLA.
const (
	ComplaintReturnVisitWithin  = 72 * time.Hour
	MisfortuneReturnVisitWithin = 72 * time.Hour
	// A bill in arrears is chased in person (催收物业服务费用时上门拜访)
	// within a week of falling into arrears.
	FeeCollectionVisitWithin = 7 * 24 * time.Hour
)

// RecordMisfortune records a family misfortune (重大不幸) in a household:
// a return visit to comfort and help becomes due (R-H3).
type RecordMisfortune struct {
	Household string `json:"household"`
	Note      string `json:"note"`
	District  string `json:"district,omitempty"`
}

type RecordMisfortuneHandler struct{ d handlerDeps }

func NewRecordMisfortuneHandler(store EventStore, clock Clock, ids IDGenerator) RecordMisfortuneHandler {
	return RecordMisfortuneHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordMisfortuneHandler) Handle(ctx context.Context, m Meta, cmd RecordMisfortune) (Result, error) {
	bad := missing("household", cmd.Household, "note", cmd.Note)
	if bad = districtField(m.Principal, cmd.District, bad); len(bad) > 0 {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, visitRoles...); err != nil {
		return Result{}, err
	}
	project, district, err := registrationScope(m.Principal, cmd.District)
	if err != nil {
		return Result{}, err
	}
	id, err := h.d.ids()
	if err != nil {
		return Result{}, err
	}
	now := h.d.clock.Now()
	d, err := visit.OpenDue(visit.DueOpened{DueID: id, Project: project, District: district, Household: cmd.Household,
		Reason: visit.ReasonMisfortune, Source: cmd.Note, Since: now, DueBy: now.Add(MisfortuneReturnVisitWithin), At: now})
	if err != nil {
		return Result{}, domainError(err, visitCodes)
	}
	rev, err := h.d.appendChanges(ctx, visit.DueStream(id), event.NoStream(), m.Principal.Actor(), project, district, m.CorrelationID, now, d.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}

// SatisfyReturnVisit marks a required return visit done by the visit that
// satisfied it (same household, after the need arose).
type SatisfyReturnVisit struct {
	DueID   string `json:"-"`
	VisitID string `json:"visit_id"`
}

type SatisfyReturnVisitHandler struct{ d handlerDeps }

func NewSatisfyReturnVisitHandler(store EventStore, clock Clock, ids IDGenerator) SatisfyReturnVisitHandler {
	return SatisfyReturnVisitHandler{newHandlerDeps(store, clock, ids)}
}

func (h SatisfyReturnVisitHandler) Handle(ctx context.Context, m Meta, cmd SatisfyReturnVisit) (Result, error) {
	if bad := missing("return_visit_id", cmd.DueID, "visit_id", cmd.VisitID); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	vh, err := h.d.readHistory(ctx, visit.Stream(cmd.VisitID), visit.Decode)
	if err != nil {
		return Result{}, err
	}
	if !vh.exists {
		return Result{}, apperr.Errorf(apperr.NotFound, "not_found", "visit %s does not exist", cmd.VisitID)
	}
	v, err := visit.VisitFromHistory(vh.payloads)
	if err != nil {
		return Result{}, fmt.Errorf("rebuild visit %s: %w", cmd.VisitID, err)
	}
	return update(ctx, h.d, m, cmd.DueID, visit.DueStream(cmd.DueID), visitRoles, visit.Decode, visit.DueFromHistory, visitCodes,
		func(d *visit.Due, now time.Time) error {
			if v.Project() != d.Project() {
				return forbiddenScope()
			}
			return d.Satisfy(v, now)
		})
}

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
	open := func(now time.Time) (*visit.Due, bool, error) {
		due, ok, err := h.dueFor(ctx, cmd)
		if err != nil || !ok {
			return nil, false, err
		}
		due.At = now
		d, err := visit.OpenDue(due)
		return d, err == nil, err
	}
	// An item already open has nothing more to record; a new one has its opening.
	return recordAsSystem(ctx, h.d, m, dueStream(cmd.ID, open),
		func(d *visit.Due, _ time.Time) (bool, error) { return len(d.Changes()) > 0, nil })
}

// dueStream is a required return visit's stream for the system path.
func dueStream(id string, open func(time.Time) (*visit.Due, bool, error)) systemStream[*visit.Due] {
	return systemStream[*visit.Due]{id: id, name: visit.DueStream(id), decode: visit.Decode, rebuild: visit.DueFromHistory,
		codes: visitCodes, open: open}
}

// dueFor reads the source record and says what return visit it needs.
func (h OpenRequiredReturnVisitHandler) dueFor(ctx context.Context, cmd OpenRequiredReturnVisit) (visit.DueOpened, bool, error) {
	due := visit.DueOpened{DueID: cmd.ID}
	switch cmd.Source {
	case "workorder":
		hist, err := h.d.readHistory(ctx, workorder.Stream(cmd.ID), workorder.Decode)
		if err != nil || !hist.exists {
			return due, false, err
		}
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
			return due, false, err
		}
		for _, p := range hist.payloads {
			switch e := p.(type) {
			case complaint.Registered:
				due.Project, due.District, due.Household, due.Source = e.Project, e.District, e.Unit, complaint.Stream(cmd.ID)
				due.Reason = visit.ReasonComplaint
			case complaint.Resolved:
				due.Since, due.DueBy = e.At, e.At.Add(ComplaintReturnVisitWithin)
			}
		}
	case "fee":
		hist, err := h.d.readHistory(ctx, fee.Stream(cmd.ID), fee.Decode)
		if err != nil || !hist.exists {
			return due, false, err
		}
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
		return due, false, fmt.Errorf("unknown return-visit source %q", cmd.Source)
	}
	// Only finished urgent or leak repairs, resolved complaints and bills in arrears of a household need one.
	return due, due.Reason != "" && !due.Since.IsZero() && due.Household != "", nil
}

// MarkReturnVisitOverdue is the R-H3 deadline policy on one due item.
type MarkReturnVisitOverdue struct{ DueID string }

type MarkReturnVisitOverdueHandler struct{ d handlerDeps }

func NewMarkReturnVisitOverdueHandler(store EventStore, clock Clock, ids IDGenerator) MarkReturnVisitOverdueHandler {
	return MarkReturnVisitOverdueHandler{newHandlerDeps(store, clock, ids)}
}

func (h MarkReturnVisitOverdueHandler) Handle(ctx context.Context, m Meta, cmd MarkReturnVisitOverdue) (PolicyResult, error) {
	return recordAsSystem(ctx, h.d, m, dueStream(cmd.DueID, nil),
		func(d *visit.Due, now time.Time) (bool, error) { return d.MarkOverdue(now), nil })
}
