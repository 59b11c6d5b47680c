// Package workorder is the repair work-order aggregate (报修, R-W1…R-W5):
// register, dispatch, start, follow up, complete, owner confirmation,
// return visit and close, plus the time rules that policies check with
// the current time (3-day SLA, urgent 24 h return visit) and the leak
// rule (return visit only after a rainy day following the repair).
//
// Status machine (any other move is refused with a domain error):
//
//	registered ─dispatch─▶ dispatched ─start─▶ in_progress ─complete─▶ completed ─return visit─▶ visited ─close─▶ closed
//	            (dispatched may be dispatched again to reassign)
//
// Owner confirmation is a flag, allowed once the repair is completed; an
// in-home (unit) repair needs it before its return visit and closing
// (R-W4); a public-area repair may be signed but need not be.
package workorder

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/household"
)

// SLA is how long a repair may stay unfinished without a recorded
// communication with the owner (R-W3: 三天未完成留有沟通记录).
const SLA = 72 * time.Hour

// UrgentReturnVisitWithin is the return-visit window of an urgent repair (R-W5).
const UrgentReturnVisitWithin = 24 * time.Hour

// Status is where a work order stands in its flow.
type Status string

const (
	StatusNew        Status = "" // not registered yet
	StatusRegistered Status = "registered"
	StatusDispatched Status = "dispatched"
	StatusInProgress Status = "in_progress"
	StatusCompleted  Status = "completed"
	StatusVisited    Status = "visited"
	StatusClosed     Status = "closed"
)

// Area says whose space is repaired (R-W2).
type Area string

const (
	AreaUnit   Area = "unit"   // in the owner's home
	AreaPublic Area = "public" // public area, often found on patrol
)

// Warranty says whether the repair is under warranty (R-W2).
type Warranty string

const (
	WarrantyIn  Warranty = "in"
	WarrantyOut Warranty = "out"
)

// Channel is how staff spoke with the owner: phone (电话), visit (上门),
// service_desk (the owner at the service centre), wechat, sms (短信). The
// set is closed so that KPIs can count calls and visits.
type Channel string

const (
	ChannelPhone       Channel = "phone"
	ChannelVisit       Channel = "visit"
	ChannelServiceDesk Channel = "service_desk"
	ChannelWeChat      Channel = "wechat"
	ChannelSMS         Channel = "sms"
)

// Valid reports whether c is in the closed set of channels.
func (c Channel) Valid() bool {
	switch c {
	case ChannelPhone, ChannelVisit, ChannelServiceDesk, ChannelWeChat, ChannelSMS:
		return true
	}
	return false
}

// ValidForReturnVisit: the seed asks for a return visit 电话或上门 (by
// phone or in person), so a message does not count.
func (c Channel) ValidForReturnVisit() bool { return c == ChannelPhone || c == ChannelVisit }

// Registration is what is written down when a repair is reported.
type Registration struct {
	Project, District string
	// Unit is required for in-home repairs; for a public area it may name
	// the place.
	Unit        string
	Description string
	Area        Area
	Warranty    Warranty
	Paid        bool // paid service (有偿服务), spot-checked by supervisors
	Urgent      bool // urgent repair (急修): return visit within 24 h
	Leak        bool // leak repair (渗漏水): return visit after the first rain
}

// WorkOrder is the aggregate. Build one with Register or FromHistory.
type WorkOrder struct {
	id, project, district string
	unit                  string
	area                  Area
	urgent, leak          bool
	status                Status
	confirmed             bool
	registeredAt          time.Time
	completedAt           time.Time // zero until completed
	firstContactAt        time.Time // earliest communication with the owner; zero if none
	visitedAt             time.Time // zero until the return visit
	slaBreachRecorded     bool
	overdueRecorded       bool

	changes []event.Payload
}

// Register records a new work order.
func Register(id string, r Registration, now time.Time) (*WorkOrder, error) {
	for _, s := range []string{id, r.Project, r.District, r.Description} {
		if blank(s) {
			return nil, ErrRegistrationIncomplete
		}
	}
	switch r.Area {
	case AreaUnit:
		if blank(r.Unit) {
			return nil, ErrUnitMissing
		}
	case AreaPublic:
	default:
		return nil, ErrUnknownArea
	}
	if r.Warranty != WarrantyIn && r.Warranty != WarrantyOut {
		return nil, ErrUnknownWarranty
	}
	w := &WorkOrder{}
	w.record(Registered{
		WorkOrderID: id, Project: r.Project, District: r.District, Unit: r.Unit,
		Description: r.Description, Area: r.Area, Warranty: r.Warranty,
		Paid: r.Paid, Urgent: r.Urgent, Leak: r.Leak, At: now,
	})
	return w, nil
}

// FromHistory rebuilds a work order from its stored events, oldest first.
func FromHistory(history []event.Payload) (*WorkOrder, error) {
	w := &WorkOrder{}
	for _, p := range history {
		if err := w.apply(p); err != nil {
			return nil, err
		}
	}
	if w.status == StatusNew {
		return nil, ErrNotRegistered
	}
	return w, nil
}

// Dispatch hands the repair to an assignee; dispatching again before work
// starts reassigns it.
func (w *WorkOrder) Dispatch(assignee string, now time.Time) error {
	if err := w.open(); err != nil {
		return err
	}
	if w.status != StatusRegistered && w.status != StatusDispatched {
		return ErrAlreadyStarted
	}
	if blank(assignee) {
		return ErrAssigneeMissing
	}
	w.record(Dispatched{Assignee: assignee, At: now})
	return nil
}

// Start records that work began.
func (w *WorkOrder) Start(now time.Time) error {
	if err := w.open(); err != nil {
		return err
	}
	switch w.status {
	case StatusRegistered:
		return ErrNotDispatched
	case StatusDispatched:
	default:
		return ErrAlreadyStarted
	}
	w.record(Started{At: now})
	return nil
}

// RecordCommunication keeps a call, visit or message with the owner.
func (w *WorkOrder) RecordCommunication(ch Channel, note string, now time.Time) error {
	if err := w.open(); err != nil {
		return err
	}
	if !ch.Valid() {
		return ErrUnknownChannel
	}
	if blank(note) {
		return ErrNoteMissing
	}
	w.record(CommunicationRecorded{Channel: ch, Note: note, At: now})
	return nil
}

// Complete records the repair's result.
func (w *WorkOrder) Complete(result string, now time.Time) error {
	if err := w.open(); err != nil {
		return err
	}
	switch w.status {
	case StatusRegistered, StatusDispatched:
		return ErrNotStarted
	case StatusInProgress:
	default:
		return ErrAlreadyCompleted
	}
	if blank(result) {
		return ErrResultMissing
	}
	w.record(Completed{Result: result, At: now})
	return nil
}

// ConfirmByOwner records the owner's signature on the completed repair
// (R-W4): an in-home repair's signer sealed under the household's key
// (seal is given the name and returns the sealed value), a public-area
// repair's signer by name.
func (w *WorkOrder) ConfirmByOwner(signedBy string, seal func(name string) (household.Sealed, error), now time.Time) error {
	if err := w.open(); err != nil {
		return err
	}
	if w.status != StatusCompleted && w.status != StatusVisited {
		return ErrNotCompleted
	}
	if w.confirmed {
		return ErrAlreadyConfirmed
	}
	if blank(signedBy) {
		return ErrSignerMissing
	}
	if w.area != AreaUnit {
		w.record(OwnerConfirmedV2{SignedBy: signedBy, At: now})
		return nil
	}
	sealed, err := seal(signedBy)
	if err != nil {
		return err
	}
	w.record(OwnerConfirmedV2{Signature: &sealed, At: now})
	return nil
}

// RecordReturnVisit records the owner's rating of the repair (R-W5).
// rainyDays are the project's recorded rainy days, each the midnight that
// starts the day in the project's time zone; a leak repair's visit needs
// one dated after the completion date (a rainy day has no hour, so only a
// later date is surely after the repair) and not after now.
func (w *WorkOrder) RecordReturnVisit(ch Channel, satisfaction int, comment string, rainyDays []time.Time, now time.Time) error {
	if err := w.open(); err != nil {
		return err
	}
	switch w.status {
	case StatusCompleted:
	case StatusVisited:
		return ErrReturnVisitDone
	default:
		return ErrNotCompleted
	}
	if w.area == AreaUnit && !w.confirmed {
		return ErrOwnerConfirmationMissing
	}
	if !ch.ValidForReturnVisit() {
		return ErrReturnVisitChannel
	}
	if satisfaction < 1 || satisfaction > 5 {
		return ErrSatisfactionRange
	}
	var after string
	if w.leak {
		day, ok := w.FirstRainyDayAfterCompletion(rainyDays, now)
		if !ok {
			return ErrNoRainSinceCompletion
		}
		after = day.Format(time.DateOnly)
	}
	w.record(ReturnVisited{Channel: ch, Satisfaction: satisfaction, Comment: comment, AfterRainyDay: after, At: now})
	return nil
}

// FirstRainyDayAfterCompletion picks, from the project's rainy days, the
// first one dated after the completion date and not after now.
func (w *WorkOrder) FirstRainyDayAfterCompletion(rainyDays []time.Time, now time.Time) (time.Time, bool) {
	if w.completedAt.IsZero() {
		return time.Time{}, false
	}
	days := append([]time.Time(nil), rainyDays...)
	sort.Slice(days, func(i, j int) bool { return days[i].Before(days[j]) })
	for _, d := range days {
		if dayOf(d).After(dayOf(w.completedAt.In(d.Location()))) && !d.After(now) {
			return d, true
		}
	}
	return time.Time{}, false
}

// Close ends the work order: it needs the return visit and, for an
// in-home repair, the owner's confirmation (R-W1, R-W4, R-W5).
func (w *WorkOrder) Close(now time.Time) error {
	if err := w.open(); err != nil {
		return err
	}
	if w.area == AreaUnit && !w.confirmed {
		return ErrOwnerConfirmationMissing
	}
	if w.status != StatusVisited {
		return ErrReturnVisitMissing
	}
	w.record(Closed{At: now})
	return nil
}

// DueForSLACheck returns when the 3-day SLA check falls due and true while
// a breach is still possible: no breach recorded yet, not completed within
// the three days and no communication with the owner within them.
func (w *WorkOrder) DueForSLACheck() (time.Time, bool) {
	if w.status == StatusNew || w.slaBreachRecorded {
		return time.Time{}, false
	}
	deadline := w.registeredAt.Add(SLA)
	if !w.completedAt.IsZero() && !w.completedAt.After(deadline) {
		return time.Time{}, false
	}
	if !w.firstContactAt.IsZero() && !w.firstContactAt.After(deadline) {
		return time.Time{}, false
	}
	return deadline, true
}

// RecordSLABreach records the 3-day SLA breach (R-W3) once the deadline has
// passed, if there is one. It reports whether it recorded the event; a
// second call records nothing. A breach is a fact about the first three
// days, so it is recorded even on a closed work order.
func (w *WorkOrder) RecordSLABreach(now time.Time) (bool, error) {
	if w.status == StatusNew {
		return false, ErrNotRegistered
	}
	deadline, ok := w.DueForSLACheck()
	if !ok || now.Before(deadline) {
		return false, nil
	}
	w.record(SLABreached{Deadline: deadline, At: now})
	return true, nil
}

// DueForReturnVisitCheck returns when an urgent repair's return visit falls
// due and true while it can still become overdue: urgent, completed, no
// visit within 24 h so far and nothing recorded yet.
func (w *WorkOrder) DueForReturnVisitCheck() (time.Time, bool) {
	if !w.urgent || w.completedAt.IsZero() || w.overdueRecorded {
		return time.Time{}, false
	}
	due := w.completedAt.Add(UrgentReturnVisitWithin)
	if !w.visitedAt.IsZero() && !w.visitedAt.After(due) {
		return time.Time{}, false
	}
	return due, true
}

// RecordReturnVisitOverdue records that an urgent repair got no return
// visit within 24 h of completion (R-W5), once. It reports whether it
// recorded the event.
func (w *WorkOrder) RecordReturnVisitOverdue(now time.Time) (bool, error) {
	if w.status == StatusNew {
		return false, ErrNotRegistered
	}
	due, ok := w.DueForReturnVisitCheck()
	if !ok || now.Before(due) {
		return false, nil
	}
	w.record(ReturnVisitOverdue{Due: due, At: now})
	return true, nil
}

// Accessors for command handlers and policies.
func (w *WorkOrder) ID() string           { return w.id }
func (w *WorkOrder) Project() string      { return w.project }
func (w *WorkOrder) District() string     { return w.district }
func (w *WorkOrder) Status() Status       { return w.status }
func (w *WorkOrder) Area() Area           { return w.area }
func (w *WorkOrder) Urgent() bool         { return w.urgent }
func (w *WorkOrder) Leak() bool           { return w.leak }
func (w *WorkOrder) OwnerConfirmed() bool { return w.confirmed }

// Unit is the unit of an in-home repair ("" for a public-area one).
func (w *WorkOrder) Unit() string            { return w.unit }
func (w *WorkOrder) RegisteredAt() time.Time { return w.registeredAt }

// CompletedAt is when the repair was completed; false before completion.
func (w *WorkOrder) CompletedAt() (time.Time, bool) { return w.completedAt, !w.completedAt.IsZero() }

// Changes returns the events recorded since the work order was built, to
// be appended to its stream.
func (w *WorkOrder) Changes() []event.Payload { return w.changes }

func (w *WorkOrder) open() error {
	switch w.status {
	case StatusNew:
		return ErrNotRegistered
	case StatusClosed:
		return ErrClosed
	}
	return nil
}

func (w *WorkOrder) record(p event.Payload) {
	// apply cannot fail for payloads this package builds itself.
	_ = w.apply(p)
	w.changes = append(w.changes, p)
}

// apply is the one place state changes, for new and replayed events alike.
func (w *WorkOrder) apply(p event.Payload) error {
	if _, first := p.(Registered); first != (w.status == StatusNew) {
		return fmt.Errorf("workorder: %s out of order: %w", p.EventType(), ErrNotRegistered)
	}
	switch e := p.(type) {
	case Registered:
		w.id, w.project, w.district, w.unit = e.WorkOrderID, e.Project, e.District, e.Unit
		w.area, w.urgent, w.leak = e.Area, e.Urgent, e.Leak
		w.status, w.registeredAt = StatusRegistered, e.At
	case Dispatched:
		w.status = StatusDispatched
	case Started:
		w.status = StatusInProgress
	case CommunicationRecorded:
		if w.firstContactAt.IsZero() || e.At.Before(w.firstContactAt) {
			w.firstContactAt = e.At
		}
	case Completed:
		w.status, w.completedAt = StatusCompleted, e.At
	case OwnerConfirmed, OwnerConfirmedV2:
		w.confirmed = true
	case ReturnVisited:
		w.status, w.visitedAt = StatusVisited, e.At
	case Closed:
		w.status = StatusClosed
	case SLABreached:
		w.slaBreachRecorded = true
	case ReturnVisitOverdue:
		w.overdueRecorded = true
	default:
		return fmt.Errorf("workorder: cannot apply %T", p)
	}
	return nil
}

func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
