// Package complaint is the complaint aggregate (投诉, R-C1…R-C6): soothe and
// register, dispatch, follow up, explain delays, resolve, return visit and
// close, with escalation (butler → supervisor → project manager) and
// group-complaint risk warnings on the side.
//
// Status machine (any other move is refused with a domain error):
//
//	registered ──dispatch──▶ dispatched ──resolve──▶ resolved ──return visit──▶ visited ──close──▶ closed
//	            (dispatched may be dispatched again to reassign)
//
// Follow-ups, escalation and risk flags are allowed in any status but closed;
// delays are explained only before resolution.
//
// Beside the flow: a deadline from registration (R-C2, deadline.go) that a
// time rule marks overdue; the validity judgement on resolution (R-C7); the
// important mark and who may resolve and close (R-C5); the supervisors'
// daily look (R-C8, review.go); and the filing of every communication
// record into the owner's archive (R-C6, filing.go).
package complaint

import (
	"fmt"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// Status is where a complaint stands in its flow.
type Status string

const (
	StatusNew        Status = "" // not registered yet
	StatusRegistered Status = "registered"
	StatusDispatched Status = "dispatched"
	StatusResolved   Status = "resolved"
	StatusVisited    Status = "visited"
	StatusClosed     Status = "closed"
)

// Channel is how staff spoke with the owner. The set is closed so that
// KPIs can count calls and visits: phone (电话), visit (上门, at the owner's
// home), service_desk (the owner at the service centre), wechat, sms (短信).
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

// ValidForReturnVisit: the seed asks for a return visit 上门或致电 (in person
// or by phone), so a message does not count.
func (c Channel) ValidForReturnVisit() bool { return c == ChannelPhone || c == ChannelVisit }

// Level is who is handling the complaint (R-C5).
type Level string

const (
	LevelButler         Level = "butler"
	LevelSupervisor     Level = "supervisor"
	LevelProjectManager Level = "project_manager"
)

// Registration is what is written down when a complaint is received.
type Registration struct {
	Project, District                     string
	Unit, Category, Description, Soothing string
	// Important marks the complaint important at once (R-C5), with the
	// reason; the caller checks that a supervisor decides it.
	Important       bool
	ImportantReason string
}

// Complaint is the aggregate. Build one with Register or FromHistory.
type Complaint struct {
	id          string
	project     string
	district    string
	status      Status
	assignee    string
	level       Level
	riskFlagged bool

	unit, category string
	registeredAt   time.Time
	deadline       time.Time
	// explained: the owner was told of the delay before the deadline (R-C2).
	explained, overdue bool
	important          bool
	// resolvedDay is the local day of the resolution ("" while unresolved).
	resolvedDay string
	// accounted are the local days judged for the supervisors' look
	// (R-C8): reviewed or recorded as missed.
	accounted map[string]bool
	entries   []Entry
	filed     map[int]bool

	changes []event.Payload
}

// Register records a new complaint. The owner's name and phone are the
// household's (domain/household), recorded by the caller beside it. The soothing note is part of
// registration: R-C1 puts soothing first. (A second registration under the
// same id is a conflict on the stream, not a rule here.)
func Register(id string, r Registration, now time.Time) (*Complaint, error) {
	for _, s := range []string{id, r.Project, r.District, r.Unit, r.Category, r.Description} {
		if blank(s) {
			return nil, ErrRegistrationIncomplete
		}
	}
	if blank(r.Soothing) {
		return nil, ErrSoothingMissing
	}
	if r.Important && blank(r.ImportantReason) {
		return nil, ErrReasonMissing
	}
	c := &Complaint{}
	c.record(RegisteredV2{
		ComplaintID: id, Project: r.Project, District: r.District,
		Unit: r.Unit, Category: r.Category,
		Description: r.Description, Soothing: r.Soothing, At: now,
	})
	if r.Important {
		c.record(MarkedImportant{Reason: r.ImportantReason, At: now})
	}
	return c, nil
}

// FromHistory rebuilds a complaint from its stored events, oldest first.
func FromHistory(history []event.Payload) (*Complaint, error) {
	c := &Complaint{}
	for _, p := range history {
		if err := c.apply(p); err != nil {
			return nil, err
		}
	}
	if c.status == StatusNew {
		return nil, ErrNotRegistered
	}
	return c, nil
}

// Dispatch hands the complaint to an assignee; dispatching again reassigns it.
func (c *Complaint) Dispatch(assignee string, now time.Time) error {
	if err := c.open(); err != nil {
		return err
	}
	if blank(assignee) {
		return ErrAssigneeMissing
	}
	if c.status != StatusRegistered && c.status != StatusDispatched {
		return ErrAlreadyResolved
	}
	c.record(Dispatched{Assignee: assignee, At: now})
	return nil
}

// RecordCommunication keeps a call, visit or message with the owner (R-C6).
func (c *Complaint) RecordCommunication(ch Channel, note string, now time.Time) error {
	if err := c.open(); err != nil {
		return err
	}
	if !ch.Valid() {
		return ErrUnknownChannel
	}
	if blank(note) {
		return ErrNoteMissing
	}
	c.record(CommunicationRecorded{Channel: ch, Note: note, At: now})
	return nil
}

// ExplainDelay records that the owner was told why the complaint is late
// and when it should be done (R-C2).
func (c *Complaint) ExplainDelay(reason string, expectedBy, now time.Time) error {
	if err := c.open(); err != nil {
		return err
	}
	if c.status != StatusRegistered && c.status != StatusDispatched {
		return ErrAlreadyResolved
	}
	if blank(reason) {
		return ErrReasonMissing
	}
	if !expectedBy.After(now) {
		return ErrExpectedByNotFuture
	}
	c.record(DelayExplained{Reason: reason, ExpectedBy: expectedBy, At: now})
	return nil
}

// Resolve records how the complaint was handled and whether it was a
// valid complaint (有效投诉), with the reason (R-C7). by is the level of
// whoever resolves it: an important complaint is the supervisor's, and a
// complaint escalated above by is not theirs to resolve (R-C5).
func (c *Complaint) Resolve(resolution string, valid bool, validityReason string, by Level, now time.Time) error {
	if err := c.open(); err != nil {
		return err
	}
	switch c.status {
	case StatusRegistered:
		return ErrNotDispatched
	case StatusResolved, StatusVisited:
		return ErrAlreadyResolved
	}
	if err := c.CanHandle(by); err != nil {
		return err
	}
	if blank(resolution) {
		return ErrResolutionMissing
	}
	if blank(validityReason) {
		return ErrValidityReasonMissing
	}
	c.record(Resolved{Resolution: resolution, Valid: valid, ValidityReason: validityReason, At: now})
	return nil
}

// CanHandle says whether someone at level by may resolve or close the
// complaint (R-C5): not a butler when it is important, and no one below
// the level it was escalated to.
func (c *Complaint) CanHandle(by Level) error {
	if rank(by) < rank(c.level) {
		return ErrEscalatedAboveCaller
	}
	if c.important && rank(by) < rank(LevelSupervisor) {
		return ErrImportantNeedsSupervisor
	}
	return nil
}

// MarkImportant marks the complaint important (重要投诉): from now on the
// supervisor handles it personally (R-C5).
func (c *Complaint) MarkImportant(reason string, now time.Time) error {
	if err := c.open(); err != nil {
		return err
	}
	if c.important {
		return ErrAlreadyImportant
	}
	if blank(reason) {
		return ErrReasonMissing
	}
	c.record(MarkedImportant{Reason: reason, At: now})
	return nil
}

// rank orders the levels; an unknown level ranks lowest.
func rank(l Level) int {
	switch l {
	case LevelSupervisor:
		return 2
	case LevelProjectManager:
		return 3
	case LevelButler:
		return 1
	}
	return 0
}

// RecordReturnVisit records the owner's satisfaction after handling (R-C3).
func (c *Complaint) RecordReturnVisit(ch Channel, satisfaction int, comment string, now time.Time) error {
	if err := c.open(); err != nil {
		return err
	}
	switch c.status {
	case StatusRegistered, StatusDispatched:
		return ErrNotResolved
	case StatusVisited:
		return ErrReturnVisitDone
	}
	if !ch.ValidForReturnVisit() {
		return ErrReturnVisitChannel
	}
	if satisfaction < 1 || satisfaction > 5 {
		return ErrSatisfactionRange
	}
	c.record(ReturnVisited{Channel: ch, Satisfaction: satisfaction, Comment: comment, At: now})
	return nil
}

// Close ends the complaint; without a return visit it is refused (R-C1).
// by is the closer's level, as for Resolve (R-C5).
func (c *Complaint) Close(by Level, now time.Time) error {
	if err := c.open(); err != nil {
		return err
	}
	if c.status != StatusVisited {
		return ErrReturnVisitMissing
	}
	if err := c.CanHandle(by); err != nil {
		return err
	}
	c.record(Closed{At: now})
	return nil
}

// Escalate moves the complaint one level up: butler → supervisor →
// project manager (R-C5).
func (c *Complaint) Escalate(reason string, now time.Time) error {
	if err := c.open(); err != nil {
		return err
	}
	if blank(reason) {
		return ErrReasonMissing
	}
	next, ok := c.NextLevel()
	if !ok {
		return ErrTopLevel
	}
	c.record(Escalated{Level: next, Reason: reason, At: now})
	return nil
}

// FlagRisk records a group-complaint risk and so warns the project
// manager (R-C4). A complaint carries one such warning.
func (c *Complaint) FlagRisk(reason string, now time.Time) error {
	if err := c.open(); err != nil {
		return err
	}
	if c.riskFlagged {
		return ErrRiskAlreadyFlagged
	}
	if blank(reason) {
		return ErrReasonMissing
	}
	c.record(RiskFlagged{Reason: reason, Warn: WarnedRole, At: now})
	return nil
}

// ID, Project, District, Status, Assignee, Level, RiskFlagged read the state.
func (c *Complaint) ID() string        { return c.id }
func (c *Complaint) Project() string   { return c.project }
func (c *Complaint) District() string  { return c.district }
func (c *Complaint) Status() Status    { return c.status }
func (c *Complaint) Assignee() string  { return c.assignee }
func (c *Complaint) Level() Level      { return c.level }
func (c *Complaint) RiskFlagged() bool { return c.riskFlagged }

// Important, Deadline, Overdue read the state of R-C5 and R-C2.
func (c *Complaint) Important() bool     { return c.important }
func (c *Complaint) Deadline() time.Time { return c.deadline }
func (c *Complaint) Overdue() bool       { return c.overdue }

// NextLevel is the level an escalation would move the complaint to; false
// when it is already with the project manager.
func (c *Complaint) NextLevel() (Level, bool) {
	switch c.level {
	case LevelButler:
		return LevelSupervisor, true
	case LevelSupervisor:
		return LevelProjectManager, true
	}
	return "", false
}

// Changes returns the events recorded since the complaint was built, to be
// appended to its stream.
func (c *Complaint) Changes() []event.Payload { return c.changes }

func (c *Complaint) open() error {
	switch c.status {
	case StatusNew:
		return ErrNotRegistered
	case StatusClosed:
		return ErrClosed
	}
	return nil
}

func (c *Complaint) record(p event.Payload) {
	// apply cannot fail for payloads this package builds itself.
	_ = c.apply(p)
	c.changes = append(c.changes, p)
}

// apply is the one place state changes, for new and replayed events alike.
func (c *Complaint) apply(p event.Payload) error {
	if first := isRegistration(p); first != (c.status == StatusNew) {
		return fmt.Errorf("complaint: %s out of order: %w", p.EventType(), ErrNotRegistered)
	}
	switch e := p.(type) {
	case Registered:
		c.registered(e.ComplaintID, e.Project, e.District, e.Unit, e.Category, e.At)
	case RegisteredV2:
		c.registered(e.ComplaintID, e.Project, e.District, e.Unit, e.Category, e.At)
	case Dispatched:
		c.status, c.assignee = StatusDispatched, e.Assignee
	case CommunicationRecorded:
		c.entries = append(c.entries, Entry{N: len(c.entries) + 1, Kind: EntryCommunication, Channel: e.Channel, Note: e.Note, At: e.At})
	case DelayExplained:
		if !e.At.After(c.deadline) {
			c.explained = true
		}
	case Resolved:
		c.status, c.resolvedDay = StatusResolved, DayOf(e.At)
	case ReturnVisited:
		c.status = StatusVisited
		c.entries = append(c.entries, Entry{N: len(c.entries) + 1, Kind: EntryReturnVisit, Channel: e.Channel,
			Note: returnVisitNote(e), At: e.At})
	case Overdue:
		c.overdue = true
	case MarkedImportant:
		c.important = true
	case SupervisorReviewed:
		c.accounted[e.Day] = true
		if e.Channel != "" {
			c.entries = append(c.entries, Entry{N: len(c.entries) + 1, Kind: EntrySupervisorContact, Channel: e.Channel, Note: e.Note, At: e.At})
		}
	case ReviewMissed:
		c.accounted[e.Day] = true
	case RecordFiled:
		c.filed[e.Entry] = true
	case Closed:
		c.status = StatusClosed
	case Escalated:
		c.level = e.Level
	case RiskFlagged:
		c.riskFlagged = true
	default:
		return fmt.Errorf("complaint: cannot apply %T", p)
	}
	return nil
}

func (c *Complaint) registered(id, project, district, unit, category string, at time.Time) {
	c.id, c.project, c.district, c.unit = id, project, district, unit
	c.status, c.level = StatusRegistered, LevelButler
	c.category, c.registeredAt, c.deadline = category, at, DeadlineFor(category, at)
	c.accounted, c.filed = map[string]bool{}, map[int]bool{}
}

func isRegistration(p event.Payload) bool {
	switch p.(type) {
	case Registered, RegisteredV2:
		return true
	}
	return false
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
