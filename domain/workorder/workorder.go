// Package workorder is the repair work-order aggregate (报修, R-W1…R-W8):
// register, dispatch, start, follow up, complete, sign-off, return
// visits and close, the supervisor's verification of return visits, the
// filing of its forms into the owner's archive, plus the time rules that
// policies check with the current time (3-day SLA, urgent 24 h return
// visit, leak return visit within days of the first rain).
//
// Status machine (any other move is refused with a domain error):
//
//	registered ─dispatch─▶ dispatched ─start─▶ in_progress ─complete─▶ completed ─return visits─▶ visited ─close─▶ closed
//	            (dispatched may be dispatched again to reassign)
//
// Sign-off is a flag, allowed once the repair is completed, and needed
// before the return visit and closing (R-W4, 维修后由业主签字): an in-home
// (unit) repair is signed by the owner; a public-area repair, which has no
// owner to sign, is signed off by the district's butler or a supervisor,
// who answer for the area, never by whoever did the repair.
//
// Required return visits (R-W5, R-H3: 急修项目维修后24小时内回访；房屋渗漏水
// 项目维修后的第一个雨天后回访): an urgent repair needs an urgent_24h visit,
// a leak repair an after_rain visit, an urgent leak repair both (the first
// checks the repair at once, the second that the leak is really fixed once
// it has rained), any other repair one standard visit. The work order is
// visited once every required visit is made. A return visit names its
// kind, or, without one, makes every outstanding visit it can: the urgent
// one always, the after-rain one once it has rained after the repair.
package workorder

import (
	"fmt"
	"slices"
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

// AfterRainVisitWithinDays is how many days after the first rainy day
// following a leak repair its after-rain return visit may come: by the end
// of the third day after the rain (R-W5; the seed says "after the first
// rainy day" and sets no limit, so the company's limit is ours).
const AfterRainVisitWithinDays = 3

// VisitKind names a required return visit (R-W5, R-H3).
type VisitKind string

const (
	VisitStandard  VisitKind = "standard"   // every other repair's return visit (回访率100%)
	VisitUrgent24h VisitKind = "urgent_24h" // urgent repair (急修): within 24 h of completion
	VisitAfterRain VisitKind = "after_rain" // leak repair (渗漏水): after the first rain following the repair
)

// Valid reports whether k is one of the kinds.
func (k VisitKind) Valid() bool {
	return k == VisitStandard || k == VisitUrgent24h || k == VisitAfterRain
}

// RainyDay is a recorded rainy day of the project: Date is the midnight
// starting the day in the project's zone, RecordedAt when it was written
// down. Staff record rain as they see it, so a rainy day dated the day a
// repair was completed and recorded after the completion counts as rain
// after the repair.
type RainyDay struct {
	Date       time.Time
	RecordedAt time.Time
}

// Sign-off roles of a public-area repair (R-W4): the roles' names as the
// principal carries them.
const (
	SignOffButler     = "butler"
	SignOffSupervisor = "supervisor"
)

// Signer is the staff member who records a sign-off.
type Signer struct {
	StaffID, Role string
}

// VerificationMethod is how a supervisor checked a return visit (R-W7).
type VerificationMethod string

const (
	VerifyCallBack  VerificationMethod = "call_back" // called the owner back
	VerifyRecording VerificationMethod = "recording" // checked the call's recording
)

// VerificationResult is what the check found (R-W7).
type VerificationResult string

const (
	VerifiedOK         VerificationResult = "ok"          // the owner confirms the visit
	VerifiedNotReached VerificationResult = "not_reached" // the owner could not be reached
	VerifiedFalse      VerificationResult = "false"       // the visit did not happen as recorded
)

// Form is one of a repair's forms as the owner's archive files it (R-W8).
type Form struct {
	Document, Kind string
}

// Archive catalogue kinds of the forms (R-W8: 派工单、服务记录表、报修单).
const (
	FormRepairSlip    = "work_order_repair_slip"    // 报修单: the registration
	FormDispatchSlip  = "work_order_dispatch_slip"  // 派工单: who was sent
	FormServiceRecord = "work_order_service_record" // 服务记录表: the work, communications, sign-off and return visits
)

// Forms are the catalogue entries of work order id's forms: the document
// name says the form and the work order, whose history is the form's
// content.
func Forms(id string) []Form {
	return []Form{
		{Document: "报修单 " + Stream(id), Kind: FormRepairSlip},
		{Document: "派工单 " + Stream(id), Kind: FormDispatchSlip},
		{Document: "服务记录表 " + Stream(id), Kind: FormServiceRecord},
	}
}

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
	assignee              string
	status                Status
	confirmed             bool // signed off: by the owner (unit) or the butler or a supervisor (public)
	registeredAt          time.Time
	completedAt           time.Time // zero until completed
	firstContactAt        time.Time // earliest communication with the owner; zero if none
	visits                map[VisitKind]time.Time
	slaBreachRecorded     bool
	overdueRecorded       bool
	afterRainOverdue      bool
	formsFiled            bool

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

// Confirm records the repair's sign-off (R-W4, 维修后由业主签字). An
// in-home repair is signed by the owner: signedBy names who signed, sealed
// under the household's key (seal is given the name and returns the
// sealed value). A public-area repair has no owner to sign: it is signed
// off by the staff member by, who must be the district's butler or a
// supervisor and not whoever the repair was dispatched to; signedBy is
// not used.
func (w *WorkOrder) Confirm(signedBy string, by Signer, seal func(name string) (household.Sealed, error), now time.Time) error {
	if err := w.open(); err != nil {
		return err
	}
	if w.status != StatusCompleted && w.status != StatusVisited {
		return ErrNotCompleted
	}
	if w.confirmed {
		return ErrAlreadyConfirmed
	}
	if w.area != AreaUnit {
		if by.Role != SignOffButler && by.Role != SignOffSupervisor {
			return ErrPublicSignOffRole
		}
		if blank(by.StaffID) {
			return ErrSignerMissing
		}
		if by.StaffID == w.assignee {
			return ErrSignOffByRepairer
		}
		w.record(SignedOff{StaffID: by.StaffID, Role: by.Role, At: now})
		return nil
	}
	if blank(signedBy) {
		return ErrSignerMissing
	}
	sealed, err := seal(signedBy)
	if err != nil {
		return err
	}
	w.record(OwnerConfirmedV2{Signature: &sealed, At: now})
	return nil
}

// RequiredVisits are the return visits the repair needs (R-W5, R-H3).
func (w *WorkOrder) RequiredVisits() []VisitKind {
	var out []VisitKind
	if w.urgent {
		out = append(out, VisitUrgent24h)
	}
	if w.leak {
		out = append(out, VisitAfterRain)
	}
	if len(out) == 0 {
		out = append(out, VisitStandard)
	}
	return out
}

// OutstandingVisits are the required return visits not made yet.
func (w *WorkOrder) OutstandingVisits() []VisitKind {
	var out []VisitKind
	for _, k := range w.RequiredVisits() {
		if _, done := w.visits[k]; !done {
			out = append(out, k)
		}
	}
	return out
}

// RecordReturnVisit records the owner's rating of the repair (R-W5) in a
// return visit of kind ("" for every outstanding visit it can make).
// rainyDays are the project's recorded rainy days; an after_rain visit
// needs the first rain after the repair (FirstRainAfterCompletion). An
// urgent visit needs no rain, so an urgent leak repair's 24 h visit can
// always be made.
func (w *WorkOrder) RecordReturnVisit(kind VisitKind, ch Channel, satisfaction int, comment string, rainyDays []RainyDay, now time.Time) error {
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
	if err := w.signedOff(); err != nil {
		return err
	}
	if !ch.ValidForReturnVisit() {
		return ErrReturnVisitChannel
	}
	if satisfaction < 1 || satisfaction > 5 {
		return ErrSatisfactionRange
	}
	rain, rained := w.FirstRainAfterCompletion(rainyDays, now)
	var cover []VisitKind
	if kind != "" {
		if !kind.Valid() {
			return ErrUnknownVisitKind
		}
		if !slices.Contains(w.RequiredVisits(), kind) {
			return ErrVisitKindNotRequired
		}
		if _, done := w.visits[kind]; done {
			return ErrReturnVisitDone
		}
		if kind == VisitAfterRain && !rained {
			return ErrNoRainSinceCompletion
		}
		cover = []VisitKind{kind}
	} else {
		for _, k := range w.OutstandingVisits() {
			if k != VisitAfterRain || rained {
				cover = append(cover, k)
			}
		}
		if len(cover) == 0 {
			return ErrNoRainSinceCompletion
		}
	}
	e := ReturnVisitedV2{Kinds: cover, Channel: ch, Satisfaction: satisfaction, Comment: comment, At: now}
	if slices.Contains(cover, VisitAfterRain) {
		e.AfterRainyDay, e.AfterRainDueBy = rain.Date.Format(time.DateOnly), AfterRainDueBy(rain.Date)
	}
	w.record(e)
	return nil
}

// AfterRainDueBy is when an after-rain visit for rain on day's date is
// late: the end of the AfterRainVisitWithinDays-th day after it, in day's
// location.
func AfterRainDueBy(day time.Time) time.Time {
	return dayOf(day).AddDate(0, 0, AfterRainVisitWithinDays+1)
}

// FirstRainAfterCompletion picks, from the project's rainy days, the
// first one after the repair and not after now: a day dated after the
// completion date, or dated the completion date and recorded after the
// completion (R-W5).
func (w *WorkOrder) FirstRainAfterCompletion(rainyDays []RainyDay, now time.Time) (RainyDay, bool) {
	if w.completedAt.IsZero() {
		return RainyDay{}, false
	}
	days := append([]RainyDay(nil), rainyDays...)
	sort.Slice(days, func(i, j int) bool { return days[i].Date.Before(days[j].Date) })
	for _, d := range days {
		if d.Date.After(now) {
			break
		}
		day, done := dayOf(d.Date), dayOf(w.completedAt.In(d.Date.Location()))
		if day.After(done) || (day.Equal(done) && d.RecordedAt.After(w.completedAt) && !d.RecordedAt.After(now)) {
			return d, true
		}
	}
	return RainyDay{}, false
}

func (w *WorkOrder) signedOff() error {
	switch {
	case w.confirmed:
		return nil
	case w.area == AreaUnit:
		return ErrOwnerConfirmationMissing
	default:
		return ErrPublicSignOffMissing
	}
}

// VerifyReturnVisit records a supervisor's check that the return visit
// really happened (R-W7: 电话录音抽查…给客户打电话，每月一次，重点关注有偿服务):
// by calling the owner back or checking the recording, and what was found.
// A closed work order can be verified; a visit found false says why.
func (w *WorkOrder) VerifyReturnVisit(method VerificationMethod, result VerificationResult, note string, now time.Time) error {
	if w.status == StatusNew {
		return ErrNotRegistered
	}
	if len(w.visits) == 0 {
		return ErrNoReturnVisitToVerify
	}
	if method != VerifyCallBack && method != VerifyRecording {
		return ErrUnknownVerificationMethod
	}
	switch result {
	case VerifiedOK, VerifiedNotReached:
	case VerifiedFalse:
		if blank(note) {
			return ErrVerificationNoteMissing
		}
	default:
		return ErrUnknownVerificationResult
	}
	w.record(ReturnVisitVerified{Method: method, Result: result, Note: note, At: now})
	return nil
}

// FormsDue reports whether the repair's forms wait to be filed into the
// owner's archive (R-W8): an in-home repair, closed, not filed yet.
func (w *WorkOrder) FormsDue() bool {
	return w.area == AreaUnit && w.status == StatusClosed && !w.formsFiled
}

// RecordFormsFiled records that the forms were filed into the owner's
// archive archiveID (R-W8), once, as the policy that filed them.
func (w *WorkOrder) RecordFormsFiled(archiveID string, documents []string, now time.Time) error {
	if w.status == StatusNew {
		return ErrNotRegistered
	}
	if w.formsFiled {
		return ErrFormsFiled
	}
	if !w.FormsDue() || blank(archiveID) {
		return ErrFormsNotDue
	}
	w.record(FormsFiled{ArchiveID: archiveID, Documents: documents, At: now})
	return nil
}

// Close ends the work order: it needs its sign-off and every required
// return visit (R-W1, R-W4, R-W5).
func (w *WorkOrder) Close(now time.Time) error {
	if err := w.open(); err != nil {
		return err
	}
	if err := w.signedOff(); err != nil {
		return err
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
	if at, ok := w.visits[VisitUrgent24h]; ok && !at.After(due) {
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

// RecordAfterRainVisitOverdue records, once, that a leak repair got no
// after-rain return visit by AfterRainDueBy of the first rain after its
// completion (R-W5). It reports whether it recorded the event; before the
// rain, or before the days have passed, it records nothing.
func (w *WorkOrder) RecordAfterRainVisitOverdue(rainyDays []RainyDay, now time.Time) (bool, error) {
	if w.status == StatusNew {
		return false, ErrNotRegistered
	}
	if !w.leak || w.completedAt.IsZero() || w.afterRainOverdue {
		return false, nil
	}
	rain, ok := w.FirstRainAfterCompletion(rainyDays, now)
	if !ok {
		return false, nil
	}
	due := AfterRainDueBy(rain.Date)
	if now.Before(due) {
		return false, nil
	}
	if at, visited := w.visits[VisitAfterRain]; visited && !at.After(due) {
		return false, nil
	}
	w.record(AfterRainVisitOverdue{RainyDay: rain.Date.Format(time.DateOnly), Due: due, At: now})
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
func (w *WorkOrder) Assignee() string     { return w.assignee }

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
		w.status, w.assignee = StatusDispatched, e.Assignee
	case Started:
		w.status = StatusInProgress
	case CommunicationRecorded:
		if w.firstContactAt.IsZero() || e.At.Before(w.firstContactAt) {
			w.firstContactAt = e.At
		}
	case Completed:
		w.status, w.completedAt = StatusCompleted, e.At
	case OwnerConfirmed, OwnerConfirmedV2, SignedOff:
		w.confirmed = true
	case ReturnVisited:
		// One visit made every visit the repair needed.
		w.visited(w.RequiredVisits(), e.At)
	case ReturnVisitedV2:
		w.visited(e.Kinds, e.At)
	case AfterRainVisitOverdue:
		w.afterRainOverdue = true
	case ReturnVisitVerified:
	case FormsFiled:
		w.formsFiled = true
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

func (w *WorkOrder) visited(kinds []VisitKind, at time.Time) {
	if w.visits == nil {
		w.visits = map[VisitKind]time.Time{}
	}
	for _, k := range kinds {
		w.visits[k] = at
	}
	if len(w.OutstandingVisits()) == 0 {
		w.status = StatusVisited
	}
}

func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
