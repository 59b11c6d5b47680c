package visit

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// Stored event type names.
const (
	// TypePlanned carried the household count the caller gave; decoded,
	// never recorded any more.
	TypePlanned = "visitplan.planned.v1"
	// TypePlannedV2 carries the count taken from the register of units.
	TypePlannedV2 = "visitplan.planned.v2"
	// TypeVisited had neither the rating nor the key-client flag; decoded
	// as Visited without them, never recorded any more.
	TypeVisited = "visit.recorded.v1"
	// TypeVisitedV2 carries the owner's satisfaction (R-H6) and whether
	// the household was a registered key client (R-H7).
	TypeVisitedV2        = "visit.recorded.v2"
	TypeOpinionRectified = "visit.opinion_rectified.v1"
	TypeOpinionFedBack   = "visit.opinion_fed_back.v1"
	TypeProblemWarned    = "visit.common_problem_warned.v1"
	TypeDueOpened        = "returnvisit.due.v1"
	TypeDueSatisfied     = "returnvisit.satisfied.v1"
	TypeDueOverdue       = "returnvisit.overdue.v1"
)

// Planned: a butler's visit plan for a month (R-H1).
type Planned struct {
	PlanID             string   `json:"plan_id"`
	Project            string   `json:"project"`
	District           string   `json:"district"`
	Butler             string   `json:"butler"`
	Month              string   `json:"month"`
	Households         []string `json:"households"`
	DistrictHouseholds int      `json:"district_households"`
	// CountedFrom is "register" when DistrictHouseholds is the district's
	// occupied units in the register of units (v2); empty in v1, where the
	// caller gave the count.
	CountedFrom string    `json:"counted_from,omitempty"`
	At          time.Time `json:"at"`
}

// Visited: a visit made, with the opinions the household raised (R-H2).
type Visited struct {
	VisitID   string   `json:"visit_id"`
	Project   string   `json:"project"`
	District  string   `json:"district"`
	Visitor   string   `json:"visitor"`
	Role      string   `json:"role"`
	Household string   `json:"household"`
	Kind      Kind     `json:"kind"`
	PlanID    string   `json:"plan_id,omitempty"`
	Festival  bool     `json:"festival,omitempty"`
	Notes     string   `json:"notes,omitempty"`
	Opinions  []string `json:"opinions"`
	// Satisfaction is the owner's rating of the service, 1–5; 0 when the
	// owner gave none (and in every v1 visit) (R-H6).
	Satisfaction int `json:"satisfaction,omitempty"`
	// KeyClient: the household was in the key-client register when the
	// visit was made (R-H7); false in every v1 visit.
	KeyClient bool      `json:"key_client,omitempty"`
	At        time.Time `json:"at"`
}

// IsPlanned reports whether eventType is a plan (any version).
func IsPlanned(eventType string) bool { return eventType == TypePlanned || eventType == TypePlannedV2 }

// IsVisited reports whether eventType is a recorded visit (any version).
func IsVisited(eventType string) bool { return eventType == TypeVisited || eventType == TypeVisitedV2 }

// OpinionRectified: an opinion acted on.
type OpinionRectified struct {
	Opinion int       `json:"opinion"`
	Action  string    `json:"action"`
	At      time.Time `json:"at"`
}

// OpinionFedBack: the owner was told what was done (R-H2).
type OpinionFedBack struct {
	Opinion int       `json:"opinion"`
	Channel string    `json:"channel"`
	Note    string    `json:"note,omitempty"`
	At      time.Time `json:"at"`
}

// CommonProblemWarned: a problem beyond the butler's authority, reported
// to the project manager at once (R-H5).
type CommonProblemWarned struct {
	Problem string    `json:"problem"`
	Warn    string    `json:"warn"`
	At      time.Time `json:"at"`
}

// DueOpened: a required return visit (R-H3).
type DueOpened struct {
	DueID     string `json:"due_id"`
	Project   string `json:"project"`
	District  string `json:"district"`
	Household string `json:"household"`
	Reason    Reason `json:"reason"`
	Source    string `json:"source,omitempty"`
	// Since is when the need arose (a repair's completion, a complaint's
	// resolution): a visit from then on satisfies it.
	Since time.Time `json:"since"`
	DueBy time.Time `json:"due_by,omitzero"`
	At    time.Time `json:"at"`
}

// DueSatisfied: the visit that satisfied a required return visit.
type DueSatisfied struct {
	VisitID string    `json:"visit_id"`
	OnTime  bool      `json:"on_time"`
	At      time.Time `json:"at"`
}

// DueOverdue: the deadline passed with no visit.
type DueOverdue struct {
	DueBy time.Time `json:"due_by"`
	At    time.Time `json:"at"`
}

func (Planned) EventType() string             { return TypePlannedV2 }
func (Visited) EventType() string             { return TypeVisitedV2 }
func (OpinionRectified) EventType() string    { return TypeOpinionRectified }
func (OpinionFedBack) EventType() string      { return TypeOpinionFedBack }
func (CommonProblemWarned) EventType() string { return TypeProblemWarned }
func (DueOpened) EventType() string           { return TypeDueOpened }
func (DueSatisfied) EventType() string        { return TypeDueSatisfied }
func (DueOverdue) EventType() string          { return TypeDueOverdue }

// Decode turns a stored visit event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	switch eventType {
	case TypePlanned, TypePlannedV2:
		return decode[Planned](eventType, data)
	case TypeVisited, TypeVisitedV2:
		return decode[Visited](eventType, data)
	case TypeOpinionRectified:
		return decode[OpinionRectified](eventType, data)
	case TypeOpinionFedBack:
		return decode[OpinionFedBack](eventType, data)
	case TypeProblemWarned:
		return decode[CommonProblemWarned](eventType, data)
	case TypeDueOpened:
		return decode[DueOpened](eventType, data)
	case TypeDueSatisfied:
		return decode[DueSatisfied](eventType, data)
	case TypeDueOverdue:
		return decode[DueOverdue](eventType, data)
	}
	return nil, fmt.Errorf("visit: unknown event type %q", eventType)
}

func decode[P event.Payload](eventType string, data []byte) (event.Payload, error) {
	var p P
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("visit: decode %s: %w", eventType, err)
	}
	return p, nil
}
