package workorder

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/household"
)

// Stored event type names. They are part of the history: never rename one;
// add a .v2 and upcast instead.
const (
	TypeRegistered            = "workorder.registered.v1"
	TypeDispatched            = "workorder.dispatched.v1"
	TypeStarted               = "workorder.started.v1"
	TypeCommunicationRecorded = "workorder.communication_recorded.v1"
	TypeCompleted             = "workorder.completed.v1"
	// TypeOwnerConfirmed carries the signer's name in plain text: the shape
	// recorded before households. Decoded, never recorded any more.
	TypeOwnerConfirmed = "workorder.owner_confirmed.v1"
	// TypeOwnerConfirmedV2 seals the signer's name under the household's key.
	TypeOwnerConfirmedV2   = "workorder.owner_confirmed.v2"
	TypeReturnVisited      = "workorder.return_visited.v1"
	TypeClosed             = "workorder.closed.v1"
	TypeSLABreached        = "workorder.sla_breached.v1"
	TypeReturnVisitOverdue = "workorder.return_visit_overdue.v1"
	// TypeReturnVisitedV2 names the required visits a return visit made
	// (an urgent leak repair has two). A v1 visit made them all.
	TypeReturnVisitedV2       = "workorder.return_visited.v2"
	TypeAfterRainVisitOverdue = "workorder.after_rain_visit_overdue.v1"
	TypeSignedOff             = "workorder.signed_off.v1"
	TypeReturnVisitVerified   = "workorder.return_visit_verified.v1"
	TypeFormsFiled            = "workorder.forms_filed.v1"
)

// Registered: a repair request was written down (R-W1, R-W2).
type Registered struct {
	WorkOrderID string    `json:"work_order_id"`
	Project     string    `json:"project"`
	District    string    `json:"district"`
	Unit        string    `json:"unit,omitempty"`
	Description string    `json:"description"`
	Area        Area      `json:"area"`
	Warranty    Warranty  `json:"warranty"`
	Paid        bool      `json:"paid"`
	Urgent      bool      `json:"urgent"`
	Leak        bool      `json:"leak"`
	At          time.Time `json:"at"`
}

// Dispatched: the repair was handed to someone (派工).
type Dispatched struct {
	Assignee string    `json:"assignee"`
	At       time.Time `json:"at"`
}

// Started: work began.
type Started struct {
	At time.Time `json:"at"`
}

// CommunicationRecorded: a call, visit or message with the owner; within
// three days of registration it keeps an unfinished repair within the SLA
// (R-W3).
type CommunicationRecorded struct {
	Channel Channel   `json:"channel"`
	Note    string    `json:"note"`
	At      time.Time `json:"at"`
}

// Completed: the repair is done.
type Completed struct {
	Result string    `json:"result"`
	At     time.Time `json:"at"`
}

// OwnerConfirmed: the owner signed the repair off (R-W4).
type OwnerConfirmed struct {
	SignedBy string    `json:"signed_by"`
	At       time.Time `json:"at"`
}

// OwnerConfirmedV2: the repair was signed off (R-W4). An in-home repair's
// signer (the owner or someone of the household) is personal data: sealed
// under the household's key (Signature), so erasing the household erases
// it. A public-area repair, which has no household, names its signer in
// SignedBy.
type OwnerConfirmedV2 struct {
	Signature *household.Sealed `json:"signature,omitempty"`
	SignedBy  string            `json:"signed_by,omitempty"`
	At        time.Time         `json:"at"`
}

// ReturnVisited: the owner rated the repair (R-W5). AfterRainyDay is the
// rainy day (YYYY-MM-DD) a leak repair's visit waited for. The shape of
// the time when a repair had one return visit, which made every visit it
// needed: decoded, never recorded any more (ReturnVisitedV2).
type ReturnVisited struct {
	Channel       Channel   `json:"channel"`
	Satisfaction  int       `json:"satisfaction"`
	Comment       string    `json:"comment,omitempty"`
	AfterRainyDay string    `json:"after_rainy_day,omitempty"`
	At            time.Time `json:"at"`
}

// ReturnVisitedV2: the owner rated the repair (R-W5) in a return visit
// that made the required visits Kinds. AfterRainyDay (YYYY-MM-DD) is the
// first rainy day after completion an after_rain visit waited for, and
// AfterRainDueBy the end of the days it had for it.
type ReturnVisitedV2 struct {
	Kinds          []VisitKind `json:"kinds"`
	Channel        Channel     `json:"channel"`
	Satisfaction   int         `json:"satisfaction"`
	Comment        string      `json:"comment,omitempty"`
	AfterRainyDay  string      `json:"after_rainy_day,omitempty"`
	AfterRainDueBy time.Time   `json:"after_rain_due_by,omitzero"`
	At             time.Time   `json:"at"`
}

// AfterRainVisitOverdue: a leak repair got no return visit within
// AfterRainVisitWithinDays days of the first rainy day after its
// completion (R-W5). Recorded by a policy.
type AfterRainVisitOverdue struct {
	RainyDay string    `json:"rainy_day"`
	Due      time.Time `json:"due"`
	At       time.Time `json:"at"`
}

// SignedOff: a public-area repair was signed off after repair (R-W4) by
// the staff member StaffID in Role (the district's butler or a
// supervisor, never whoever did the repair).
type SignedOff struct {
	StaffID string    `json:"staff_id"`
	Role    string    `json:"role"`
	At      time.Time `json:"at"`
}

// ReturnVisitVerified: a supervisor checked that the return visit really
// happened (R-W7), by calling the owner back or checking the recording,
// and what was found. The supervisor is the event's actor.
type ReturnVisitVerified struct {
	Method VerificationMethod `json:"method"`
	Result VerificationResult `json:"result"`
	Note   string             `json:"note,omitempty"`
	At     time.Time          `json:"at"`
}

// FormsFiled: the repair slip, dispatch slip and service record of an
// in-home repair were filed into the owner's archive ArchiveID as
// Documents (R-W8). Recorded by a policy.
type FormsFiled struct {
	ArchiveID string    `json:"archive_id"`
	Documents []string  `json:"documents"`
	At        time.Time `json:"at"`
}

// Closed: nothing is left to do.
type Closed struct {
	At time.Time `json:"at"`
}

// SLABreached: the repair was not completed within three days of
// registration and nobody recorded a communication with the owner in
// those three days (R-W3). Recorded by a policy.
type SLABreached struct {
	Deadline time.Time `json:"deadline"`
	At       time.Time `json:"at"`
}

// ReturnVisitOverdue: an urgent repair got no return visit within 24 h of
// completion (R-W5). Recorded by a policy.
type ReturnVisitOverdue struct {
	Due time.Time `json:"due"`
	At  time.Time `json:"at"`
}

func (Registered) EventType() string            { return TypeRegistered }
func (Dispatched) EventType() string            { return TypeDispatched }
func (Started) EventType() string               { return TypeStarted }
func (CommunicationRecorded) EventType() string { return TypeCommunicationRecorded }
func (Completed) EventType() string             { return TypeCompleted }
func (OwnerConfirmed) EventType() string        { return TypeOwnerConfirmed }
func (OwnerConfirmedV2) EventType() string      { return TypeOwnerConfirmedV2 }
func (ReturnVisited) EventType() string         { return TypeReturnVisited }
func (Closed) EventType() string                { return TypeClosed }
func (SLABreached) EventType() string           { return TypeSLABreached }
func (ReturnVisitOverdue) EventType() string    { return TypeReturnVisitOverdue }
func (ReturnVisitedV2) EventType() string       { return TypeReturnVisitedV2 }
func (AfterRainVisitOverdue) EventType() string { return TypeAfterRainVisitOverdue }
func (SignedOff) EventType() string             { return TypeSignedOff }
func (ReturnVisitVerified) EventType() string   { return TypeReturnVisitVerified }
func (FormsFiled) EventType() string            { return TypeFormsFiled }

// Decode turns a stored work-order event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	switch eventType {
	case TypeRegistered:
		return decode[Registered](eventType, data)
	case TypeDispatched:
		return decode[Dispatched](eventType, data)
	case TypeStarted:
		return decode[Started](eventType, data)
	case TypeCommunicationRecorded:
		return decode[CommunicationRecorded](eventType, data)
	case TypeCompleted:
		return decode[Completed](eventType, data)
	case TypeOwnerConfirmed:
		return decode[OwnerConfirmed](eventType, data)
	case TypeOwnerConfirmedV2:
		return decode[OwnerConfirmedV2](eventType, data)
	case TypeReturnVisited:
		return decode[ReturnVisited](eventType, data)
	case TypeClosed:
		return decode[Closed](eventType, data)
	case TypeSLABreached:
		return decode[SLABreached](eventType, data)
	case TypeReturnVisitOverdue:
		return decode[ReturnVisitOverdue](eventType, data)
	case TypeReturnVisitedV2:
		return decode[ReturnVisitedV2](eventType, data)
	case TypeAfterRainVisitOverdue:
		return decode[AfterRainVisitOverdue](eventType, data)
	case TypeSignedOff:
		return decode[SignedOff](eventType, data)
	case TypeReturnVisitVerified:
		return decode[ReturnVisitVerified](eventType, data)
	case TypeFormsFiled:
		return decode[FormsFiled](eventType, data)
	}
	return nil, fmt.Errorf("workorder: unknown event type %q", eventType)
}

func decode[P event.Payload](eventType string, data []byte) (event.Payload, error) {
	var p P
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("workorder: decode %s: %w", eventType, err)
	}
	return p, nil
}
