package commands

import "context"

// Handlers holds every command handler, grouped by module
// (h.Complaint.Register, h.Key.Lend), all built on one store, clock and
// id generator: what the HTTP API, the time policies and the demo call.
type Handlers struct {
	deps          handlerDeps
	District      DistrictHandlers
	Complaint     ComplaintHandlers
	WorkOrder     WorkOrderHandlers
	RainyDay      RainyDayHandlers
	Staff         StaffHandlers
	CommandCentre CommandCentreHandlers
	Visit         VisitHandlers
	Vacant        VacantHandlers
	Activity      ActivityHandlers
	Archive       ArchiveHandlers
	Key           KeyHandlers
	Fee           FeeHandlers
	Renovation    RenovationHandlers
	MoveIn        MoveInHandlers
	Token         TokenHandlers
	Household     HouseholdHandlers
	Unit          UnitHandlers
	Warning       WarningHandlers
}

// NewHandlers builds every handler; ids nil means UUIDv7. keys seals
// owners' personal data into their households (infra/personal.Sealer).
func NewHandlers(store EventStore, clock Clock, ids IDGenerator, keys PersonalKeys) *Handlers {
	d := newHandlerDeps(store, clock, ids)
	d.keys = keys
	return &Handlers{
		deps:          d,
		District:      newDistrictHandlers(d),
		Complaint:     newComplaintHandlers(d),
		WorkOrder:     newWorkOrderHandlers(d),
		RainyDay:      newRainyDayHandlers(d),
		Staff:         newStaffHandlers(d),
		CommandCentre: newCommandCentreHandlers(d),
		Visit:         newVisitHandlers(d),
		Vacant:        newVacantHandlers(d),
		Activity:      newActivityHandlers(d),
		Archive:       newArchiveHandlers(d),
		Key:           newKeyHandlers(d),
		Fee:           newFeeHandlers(d),
		Renovation:    newRenovationHandlers(d),
		MoveIn:        newMoveInHandlers(d),
		Token:         newTokenHandlers(d),
		Household:     newHouseholdHandlers(d),
		Unit:          newUnitHandlers(d),
		Warning:       newWarningHandlers(d),
	}
}

// RecordSLABreach runs the R-W3 policy on one work order; it reports
// whether a breach was recorded now.
func (h *Handlers) RecordSLABreach(ctx context.Context, workOrderID string) (bool, error) {
	r, err := h.WorkOrder.RecordSLABreach.Handle(ctx, Meta{}, RecordSLABreach{WorkOrderID: workOrderID})
	return r.Recorded, err
}

// RecordReturnVisitOverdue runs the R-W5 urgent-repair policy on one work
// order; it reports whether the overdue visit was recorded now.
func (h *Handlers) RecordReturnVisitOverdue(ctx context.Context, workOrderID string) (bool, error) {
	r, err := h.WorkOrder.RecordReturnVisitOverdue.Handle(ctx, Meta{}, RecordReturnVisitOverdue{WorkOrderID: workOrderID})
	return r.Recorded, err
}
