package renovation

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/household"
)

// Stored event type names. Never rename one; add a .v2 and upcast.
const (
	// TypeFiled and TypeRulesBriefed carry the owner's name in plain text:
	// the shapes recorded before households. Decoded, never recorded any more.
	TypeFiled               = "renovation.filed.v1"
	TypeFiledV2             = "renovation.filed.v2"
	TypeRulesBriefedV2      = "renovation.rules_briefed.v2"
	TypeDocumentFiled       = "renovation.document_filed.v1"
	TypeApproved            = "renovation.approved.v1"
	TypeSiteChecked         = "renovation.site_checked.v1"
	TypeRulesBriefed        = "renovation.rules_briefed.v1"
	TypeWorkStarted         = "renovation.work_started.v1"
	TypeInspected           = "renovation.inspected.v1"
	TypeInspectionMissed    = "renovation.inspection_missed.v1"
	TypeViolationRecorded   = "renovation.violation_recorded.v1"
	TypeViolationRectified  = "renovation.violation_rectified.v1"
	TypeViolationClosed     = "renovation.violation_closed.v1"
	TypeWorkCompleted       = "renovation.work_completed.v1"
	TypeAcceptanceInspected = "renovation.acceptance_inspected.v1"
	TypeFindingFixed        = "renovation.finding_fixed.v1"
	TypeClosed              = "renovation.closed.v1"
	TypeAssigned            = "renovation.assigned.v1"
	TypeOwnerTalked         = "renovation.owner_talked.v1"
	TypeOwnerTalkOverdue    = "renovation.owner_talk_overdue.v1"
)

// Assigned: the renovation's area was given to a staff member, who follows
// it from now on (R-R7: renovation areas are divided among staff).
type Assigned struct {
	Area   string    `json:"area"`
	Butler string    `json:"butler"`
	At     time.Time `json:"at"`
}

// OwnerTalked: the butler talked with the renovating owner to head off
// violations (R-R7). Who the owner is stays with the unit's household.
type OwnerTalked struct {
	Butler  string    `json:"butler"`
	Channel string    `json:"channel"`
	Note    string    `json:"note"`
	At      time.Time `json:"at"`
}

// OwnerTalkOverdue: work went on TalkInterval since Since (the start or
// the last talk) without a talk with the owner (R-R7). Recorded by a policy.
type OwnerTalkOverdue struct {
	Butler string    `json:"butler"`
	Since  time.Time `json:"since"`
	At     time.Time `json:"at"`
}

func (Assigned) EventType() string         { return TypeAssigned }
func (OwnerTalked) EventType() string      { return TypeOwnerTalked }
func (OwnerTalkOverdue) EventType() string { return TypeOwnerTalkOverdue }

// Document is one filing document (R-R1).
type Document struct {
	Kind DocumentKind `json:"kind"`
	Ref  string       `json:"ref"`
}

// Filed: the owner applied to renovate (R-R1).
type Filed struct {
	RenovationID string     `json:"renovation_id"`
	Project      string     `json:"project"`
	District     string     `json:"district"`
	Unit         string     `json:"unit"`
	Owner        string     `json:"owner"`
	Contractor   string     `json:"contractor"`
	Butler       string     `json:"butler"`
	Description  string     `json:"description"`
	Documents    []Document `json:"documents,omitempty"`
	At           time.Time  `json:"at"`
}

// FiledV2: the owner applied to renovate (R-R1). The owner is the
// household of Unit (domain/household): no personal data here.
type FiledV2 struct {
	RenovationID string     `json:"renovation_id"`
	Project      string     `json:"project"`
	District     string     `json:"district"`
	Unit         string     `json:"unit"`
	Contractor   string     `json:"contractor"`
	Butler       string     `json:"butler"`
	Description  string     `json:"description"`
	Documents    []Document `json:"documents,omitempty"`
	At           time.Time  `json:"at"`
}

// DocumentFiled: a filing document was added (R-R1).
type DocumentFiled struct {
	Document
	At time.Time `json:"at"`
}

// Approved: the filing was approved.
type Approved struct {
	At time.Time `json:"at"`
}

// SiteChecked: the butler checked the unit on site before work (R-R2).
type SiteChecked struct {
	Note string    `json:"note"`
	At   time.Time `json:"at"`
}

// RulesBriefed: owner and contractor were told the rules and forbidden acts (R-R2).
type RulesBriefed struct {
	Owner      string    `json:"owner"`
	Contractor string    `json:"contractor"`
	At         time.Time `json:"at"`
}

// RulesBriefedV2: owner and contractor were told the rules (R-R2); the
// name of who was briefed for the household is sealed under its key.
type RulesBriefedV2 struct {
	Owner      household.Sealed `json:"owner"`
	Contractor string           `json:"contractor"`
	At         time.Time        `json:"at"`
}

// WorkStarted: renovation work began.
type WorkStarted struct {
	At time.Time `json:"at"`
}

// Inspected: the day's inspection, item by item (R-R3). Day is the
// calendar day (China time) it covers; Butler is the renovation's butler,
// whose compliance it counts for.
type Inspected struct {
	Day       string          `json:"day"`
	Butler    string          `json:"butler"`
	Checklist map[string]bool `json:"checklist"` // item → in order
	Note      string          `json:"note,omitempty"`
	At        time.Time       `json:"at"`
}

// InspectionMissed: a day of work went by without an inspection (R-R3). Recorded by a policy.
type InspectionMissed struct {
	Day    string    `json:"day"`
	Butler string    `json:"butler"`
	At     time.Time `json:"at"`
}

// ViolationRecorded: a violation was stopped at once, evidenced and
// reported to the supervisor (R-R4).
type ViolationRecorded struct {
	ViolationID string    `json:"violation_id"`
	Unit        string    `json:"unit"`
	Butler      string    `json:"butler"`
	Description string    `json:"description"`
	Evidence    []string  `json:"evidence"`
	ReportedTo  string    `json:"reported_to"`
	StopOrdered bool      `json:"stop_ordered"`
	At          time.Time `json:"at"`
}

// ViolationRectified: the violation was put right.
type ViolationRectified struct {
	ViolationID string    `json:"violation_id"`
	Note        string    `json:"note"`
	At          time.Time `json:"at"`
}

// ViolationClosed: the rectification was checked and the violation closed.
type ViolationClosed struct {
	ViolationID string    `json:"violation_id"`
	At          time.Time `json:"at"`
}

// WorkCompleted: the contractor finished.
type WorkCompleted struct {
	At time.Time `json:"at"`
}

// AcceptanceInspected: engineering's completion inspection (竣工验收, R-R5).
type AcceptanceInspected struct {
	Findings []string  `json:"findings"`
	At       time.Time `json:"at"`
}

// FindingFixed: an acceptance finding was fixed (by index in Findings).
type FindingFixed struct {
	Finding int       `json:"finding"`
	Note    string    `json:"note,omitempty"`
	At      time.Time `json:"at"`
}

// Closed: accepted with every finding fixed; the owner may move in (R-R5).
type Closed struct {
	At time.Time `json:"at"`
}

func (FiledV2) EventType() string             { return TypeFiledV2 }
func (RulesBriefedV2) EventType() string      { return TypeRulesBriefedV2 }
func (Filed) EventType() string               { return TypeFiled }
func (DocumentFiled) EventType() string       { return TypeDocumentFiled }
func (Approved) EventType() string            { return TypeApproved }
func (SiteChecked) EventType() string         { return TypeSiteChecked }
func (RulesBriefed) EventType() string        { return TypeRulesBriefed }
func (WorkStarted) EventType() string         { return TypeWorkStarted }
func (Inspected) EventType() string           { return TypeInspected }
func (InspectionMissed) EventType() string    { return TypeInspectionMissed }
func (ViolationRecorded) EventType() string   { return TypeViolationRecorded }
func (ViolationRectified) EventType() string  { return TypeViolationRectified }
func (ViolationClosed) EventType() string     { return TypeViolationClosed }
func (WorkCompleted) EventType() string       { return TypeWorkCompleted }
func (AcceptanceInspected) EventType() string { return TypeAcceptanceInspected }
func (FindingFixed) EventType() string        { return TypeFindingFixed }
func (Closed) EventType() string              { return TypeClosed }

// Decode turns a stored renovation event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	switch eventType {
	case TypeFiled:
		return decode[Filed](eventType, data)
	case TypeFiledV2:
		return decode[FiledV2](eventType, data)
	case TypeRulesBriefedV2:
		return decode[RulesBriefedV2](eventType, data)
	case TypeDocumentFiled:
		return decode[DocumentFiled](eventType, data)
	case TypeApproved:
		return decode[Approved](eventType, data)
	case TypeSiteChecked:
		return decode[SiteChecked](eventType, data)
	case TypeRulesBriefed:
		return decode[RulesBriefed](eventType, data)
	case TypeWorkStarted:
		return decode[WorkStarted](eventType, data)
	case TypeInspected:
		return decode[Inspected](eventType, data)
	case TypeInspectionMissed:
		return decode[InspectionMissed](eventType, data)
	case TypeViolationRecorded:
		return decode[ViolationRecorded](eventType, data)
	case TypeViolationRectified:
		return decode[ViolationRectified](eventType, data)
	case TypeViolationClosed:
		return decode[ViolationClosed](eventType, data)
	case TypeWorkCompleted:
		return decode[WorkCompleted](eventType, data)
	case TypeAcceptanceInspected:
		return decode[AcceptanceInspected](eventType, data)
	case TypeFindingFixed:
		return decode[FindingFixed](eventType, data)
	case TypeClosed:
		return decode[Closed](eventType, data)
	case TypeAssigned:
		return decode[Assigned](eventType, data)
	case TypeOwnerTalked:
		return decode[OwnerTalked](eventType, data)
	case TypeOwnerTalkOverdue:
		return decode[OwnerTalkOverdue](eventType, data)
	}
	return nil, fmt.Errorf("renovation: unknown event type %q", eventType)
}

func decode[P event.Payload](eventType string, data []byte) (event.Payload, error) {
	var p P
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("renovation: decode %s: %w", eventType, err)
	}
	return p, nil
}
