package complaint

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// Stored event type names. They are part of the history: never rename one;
// add a .v2 and upcast instead.
const (
	// TypeRegistered is the registration as recorded before owners' data
	// moved to households: it carries the owner's name and phone in plain
	// text. Still decoded; never recorded any more.
	TypeRegistered = "complaint.registered.v1"
	// TypeRegisteredV2 is the registration without personal data: the
	// owner is the household of the unit (domain/household).
	TypeRegisteredV2          = "complaint.registered.v2"
	TypeDispatched            = "complaint.dispatched.v1"
	TypeCommunicationRecorded = "complaint.communication_recorded.v1"
	TypeDelayExplained        = "complaint.delay_explained.v1"
	// TypeResolved is a resolution recorded before validity was judged
	// (R-C7); decoded as Resolved, counted valid, never recorded any more.
	TypeResolved = "complaint.resolved.v1"
	// TypeResolvedV2 carries the validity judgement (有效投诉, R-C7).
	TypeResolvedV2         = "complaint.resolved.v2"
	TypeReturnVisited      = "complaint.return_visited.v1"
	TypeClosed             = "complaint.closed.v1"
	TypeEscalated          = "complaint.escalated.v1"
	TypeRiskFlagged        = "complaint.risk_flagged.v1"
	TypeOverdue            = "complaint.overdue.v1"
	TypeMarkedImportant    = "complaint.marked_important.v1"
	TypeSupervisorReviewed = "complaint.supervisor_reviewed.v1"
	TypeReviewMissed       = "complaint.review_missed.v1"
	TypeRecordFiled        = "complaint.record_filed.v1"
)

// Registered: the owner was soothed and the complaint written down (R-C1),
// with the owner's name and phone in plain text: the shape of registrations
// recorded before households. Decoded, never recorded any more.
type Registered struct {
	ComplaintID string    `json:"complaint_id"`
	Project     string    `json:"project"`
	District    string    `json:"district"`
	Unit        string    `json:"unit"`
	Owner       string    `json:"owner"`
	Phone       string    `json:"phone"`
	Category    string    `json:"category"`
	Description string    `json:"description"`
	Soothing    string    `json:"soothing"`
	At          time.Time `json:"at"`
}

// RegisteredV2: the owner was soothed and the complaint written down
// (R-C1). The owner is the household of Unit; their name and phone are in
// the household's sealed contact, never here (R-D3).
type RegisteredV2 struct {
	ComplaintID string    `json:"complaint_id"`
	Project     string    `json:"project"`
	District    string    `json:"district"`
	Unit        string    `json:"unit"`
	Category    string    `json:"category"`
	Description string    `json:"description"`
	Soothing    string    `json:"soothing"`
	At          time.Time `json:"at"`
}

// Dispatched: an order was created for someone to handle the complaint.
type Dispatched struct {
	Assignee string    `json:"assignee"`
	At       time.Time `json:"at"`
}

// CommunicationRecorded: a call, visit or message with the owner (R-C6).
type CommunicationRecorded struct {
	Channel Channel   `json:"channel"`
	Note    string    `json:"note"`
	At      time.Time `json:"at"`
}

// DelayExplained: the owner was told why the complaint cannot be solved in
// time and when it is expected to be (R-C2).
type DelayExplained struct {
	Reason     string    `json:"reason"`
	ExpectedBy time.Time `json:"expected_by"`
	At         time.Time `json:"at"`
}

// Resolved: the complaint was handled, and judged valid or not (有效投诉)
// with the reason (R-C7). Recorded as v2; a v1 resolution (before the
// judgement) is read as valid with no reason, as it was counted then.
type Resolved struct {
	Resolution     string    `json:"resolution"`
	Valid          bool      `json:"valid"`
	ValidityReason string    `json:"validity_reason"`
	At             time.Time `json:"at"`
}

// ReturnVisited: the owner was visited or called and rated the handling (R-C3).
type ReturnVisited struct {
	Channel      Channel   `json:"channel"`
	Satisfaction int       `json:"satisfaction"`
	Comment      string    `json:"comment,omitempty"`
	At           time.Time `json:"at"`
}

// Closed: nothing is left to do.
type Closed struct {
	At time.Time `json:"at"`
}

// Escalated: the complaint now belongs to a higher level (R-C5).
type Escalated struct {
	Level  Level     `json:"level"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// RiskFlagged: a group-complaint risk (群诉风险) was found; the event is the
// warning, addressed to the project manager role (R-C4).
type RiskFlagged struct {
	Reason string    `json:"reason"`
	Warn   string    `json:"warn"`
	At     time.Time `json:"at"`
}

// Overdue: the complaint's deadline passed before it was resolved (R-C2),
// recorded by the time rule. Explained says whether the owner had been
// told why and by when (explain-delay) before the deadline.
type Overdue struct {
	Deadline  time.Time `json:"deadline"`
	Explained bool      `json:"explained"`
	At        time.Time `json:"at"`
}

// MarkedImportant: the complaint is important (重要投诉) and so handled by
// the supervisor personally (R-C5).
type MarkedImportant struct {
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// SupervisorReviewed: a supervisor looked at the complaint's progress on
// Day (the project's local date), with a note; Channel, when set, says the
// supervisor spoke with the owner (R-C8).
type SupervisorReviewed struct {
	Day     string    `json:"day"`
	Note    string    `json:"note"`
	Channel Channel   `json:"channel,omitempty"`
	At      time.Time `json:"at"`
}

// ReviewMissed: no supervisor looked at the unresolved complaint on Day
// (R-C8), recorded by the time rule after the day ended.
type ReviewMissed struct {
	Day string    `json:"day"`
	At  time.Time `json:"at"`
}

// RecordFiled: communication record Entry (a call, visit, message, the
// return visit or a supervisor's contact) is in the owner's archive as
// Document (R-C6), filed by the time rule.
type RecordFiled struct {
	Entry     int       `json:"entry"`
	ArchiveID string    `json:"archive_id"`
	Document  string    `json:"document"`
	At        time.Time `json:"at"`
}

// WarnedRole is who a risk flag warns.
const WarnedRole = "project_manager"

func (Registered) EventType() string            { return TypeRegistered }
func (RegisteredV2) EventType() string          { return TypeRegisteredV2 }
func (Dispatched) EventType() string            { return TypeDispatched }
func (CommunicationRecorded) EventType() string { return TypeCommunicationRecorded }
func (DelayExplained) EventType() string        { return TypeDelayExplained }
func (Resolved) EventType() string              { return TypeResolvedV2 }
func (ReturnVisited) EventType() string         { return TypeReturnVisited }
func (Closed) EventType() string                { return TypeClosed }
func (Escalated) EventType() string             { return TypeEscalated }
func (RiskFlagged) EventType() string           { return TypeRiskFlagged }
func (Overdue) EventType() string               { return TypeOverdue }
func (MarkedImportant) EventType() string       { return TypeMarkedImportant }
func (SupervisorReviewed) EventType() string    { return TypeSupervisorReviewed }
func (ReviewMissed) EventType() string          { return TypeReviewMissed }
func (RecordFiled) EventType() string           { return TypeRecordFiled }

// Decode turns a stored complaint event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	switch eventType {
	case TypeRegistered:
		return decode[Registered](eventType, data)
	case TypeRegisteredV2:
		return decode[RegisteredV2](eventType, data)
	case TypeDispatched:
		return decode[Dispatched](eventType, data)
	case TypeCommunicationRecorded:
		return decode[CommunicationRecorded](eventType, data)
	case TypeDelayExplained:
		return decode[DelayExplained](eventType, data)
	case TypeResolved:
		p, err := decode[Resolved](eventType, data)
		if err != nil {
			return nil, err
		}
		// Upcast: before R-C7 every resolved complaint counted as valid.
		r := p.(Resolved)
		r.Valid = true
		return r, nil
	case TypeResolvedV2:
		return decode[Resolved](eventType, data)
	case TypeReturnVisited:
		return decode[ReturnVisited](eventType, data)
	case TypeClosed:
		return decode[Closed](eventType, data)
	case TypeEscalated:
		return decode[Escalated](eventType, data)
	case TypeRiskFlagged:
		return decode[RiskFlagged](eventType, data)
	case TypeOverdue:
		return decode[Overdue](eventType, data)
	case TypeMarkedImportant:
		return decode[MarkedImportant](eventType, data)
	case TypeSupervisorReviewed:
		return decode[SupervisorReviewed](eventType, data)
	case TypeReviewMissed:
		return decode[ReviewMissed](eventType, data)
	case TypeRecordFiled:
		return decode[RecordFiled](eventType, data)
	}
	return nil, fmt.Errorf("complaint: unknown event type %q", eventType)
}

func decode[P event.Payload](eventType string, data []byte) (event.Payload, error) {
	var p P
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("complaint: decode %s: %w", eventType, err)
	}
	return p, nil
}
