// Package staff is the staff record aggregate (员工管理, R-S1…R-S5): who a
// staff member is (role, district), the training they attended, the
// assessments they took, behaviour-norm checks (pre-shift and mystery
// customer), the supervisor's monthly one-to-ones, and published rewards
// and penalties.
//
// One stream per staff member: staff-<staff id>, the same id their token
// carries, so that a dispatch can look the assignee up directly.
//
// R-S2: a staff member goes on duty only after passing the onboarding
// assessment; Assignable reports that, and the dispatch commands consult
// it.
package staff

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/localtime"
)

// Stored event type names.
const (
	TypeRegistered        = "staff.registered.v1"
	TypeTrainingAttended  = "staff.training_attended.v1"
	TypeAssessed          = "staff.assessed.v1"
	TypeBehaviourChecked  = "staff.behaviour_checked.v1"
	TypeOneToOneHeld      = "staff.one_to_one_held.v1"
	TypeSanctionPublished = "staff.sanction_published.v1"
)

// PassMark is the lowest passing assessment score (of 100).
const PassMark = 60

// One-to-one length bounds (R-S4: 10–15 minutes).
const (
	OneToOneMinMinutes = 10
	OneToOneMaxMinutes = 15
)

// Registered: a staff member joined with a role, in a project and (for
// district roles) a district.
type Registered struct {
	StaffID  string    `json:"staff_id"`
	Name     string    `json:"name"`
	Role     string    `json:"role"`
	Project  string    `json:"project"`
	District string    `json:"district,omitempty"`
	At       time.Time `json:"at"`
}

// TrainingAttended: the staff member attended a training session (R-S3).
type TrainingAttended struct {
	Session string    `json:"session"`
	Topic   string    `json:"topic"`
	At      time.Time `json:"at"`
}

// Assessed: an assessment's result (R-S2, R-S3). Kind is written,
// practical or simulation; Onboarding marks the assessment that clears a
// new member for duty.
type Assessed struct {
	Kind       string    `json:"kind"`
	Onboarding bool      `json:"onboarding"`
	Score      int       `json:"score"`
	Passed     bool      `json:"passed"`
	At         time.Time `json:"at"`
}

// BehaviourChecked: a behaviour-norm check (R-S1) by a pre-shift check or
// a mystery customer.
type BehaviourChecked struct {
	Method string    `json:"method"`
	Passed bool      `json:"passed"`
	Notes  string    `json:"notes,omitempty"`
	At     time.Time `json:"at"`
}

// OneToOneHeld: the supervisor's monthly one-to-one (R-S4).
type OneToOneHeld struct {
	Supervisor string    `json:"supervisor"`
	Minutes    int       `json:"minutes"`
	Notes      string    `json:"notes"`
	Month      string    `json:"month"`
	At         time.Time `json:"at"`
}

// SanctionPublished: a reward or penalty, published (R-S5: fair and public).
type SanctionPublished struct {
	Kind   string    `json:"kind"`
	Reason string    `json:"reason"`
	Amount int       `json:"amount,omitempty"`
	At     time.Time `json:"at"`
}

func (Registered) EventType() string        { return TypeRegistered }
func (TrainingAttended) EventType() string  { return TypeTrainingAttended }
func (Assessed) EventType() string          { return TypeAssessed }
func (BehaviourChecked) EventType() string  { return TypeBehaviourChecked }
func (OneToOneHeld) EventType() string      { return TypeOneToOneHeld }
func (SanctionPublished) EventType() string { return TypeSanctionPublished }

// Decode turns a stored staff event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	switch eventType {
	case TypeRegistered:
		return decode[Registered](eventType, data)
	case TypeTrainingAttended:
		return decode[TrainingAttended](eventType, data)
	case TypeAssessed:
		return decode[Assessed](eventType, data)
	case TypeBehaviourChecked:
		return decode[BehaviourChecked](eventType, data)
	case TypeOneToOneHeld:
		return decode[OneToOneHeld](eventType, data)
	case TypeSanctionPublished:
		return decode[SanctionPublished](eventType, data)
	}
	return nil, fmt.Errorf("staff: unknown event type %q", eventType)
}

func decode[P event.Payload](eventType string, data []byte) (event.Payload, error) {
	var p P
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("staff: decode %s: %w", eventType, err)
	}
	return p, nil
}

// Domain errors: each states the rule that was broken.
var (
	ErrNotRegistered          = errors.New("the staff member is not registered")
	ErrRegistrationIncomplete = errors.New("a staff record needs an id, a name, a role and a project")
	ErrDistrictMissing        = errors.New("a butler or cleaner works in a named district")
	ErrSessionMissing         = errors.New("training attendance names the session and its topic")
	ErrUnknownAssessment      = errors.New("an assessment is written, practical or simulation")
	ErrScoreRange             = errors.New("an assessment score is from 0 to 100")
	ErrNotTrained             = errors.New("the onboarding assessment comes after training: no training attended yet")
	ErrUnknownCheckMethod     = errors.New("a behaviour-norm check is a pre_shift check or a mystery_customer visit")
	ErrOneToOneLength         = errors.New("a one-to-one lasts 10 to 15 minutes")
	ErrNotesMissing           = errors.New("a one-to-one records what was discussed and who held it")
	ErrOneToOneThisMonth      = errors.New("this month's one-to-one is already recorded")
	ErrUnknownSanction        = errors.New("a sanction is a reward or a penalty, with a reason")
	ErrNotOnboarded           = errors.New("this staff member has not passed the onboarding assessment and cannot be assigned work")
)

// Staff is the aggregate. Build one with Register or FromHistory.
type Staff struct {
	id, project, district, role string
	trained                     bool
	onboarded                   bool
	oneToOneMonths              map[string]bool

	changes []event.Payload
}

// Registration is what is written down when someone joins.
type Registration struct {
	StaffID, Name, Role, Project, District string
	// DistrictBound says the role works in one district (butler, cleaner).
	DistrictBound bool
}

// Register records a new staff member.
func Register(r Registration, now time.Time) (*Staff, error) {
	for _, s := range []string{r.StaffID, r.Name, r.Role, r.Project} {
		if blank(s) {
			return nil, ErrRegistrationIncomplete
		}
	}
	if r.DistrictBound && blank(r.District) {
		return nil, ErrDistrictMissing
	}
	s := &Staff{}
	s.record(Registered{StaffID: r.StaffID, Name: r.Name, Role: r.Role, Project: r.Project, District: r.District, At: now})
	return s, nil
}

// FromHistory rebuilds a staff record from its stored events.
func FromHistory(history []event.Payload) (*Staff, error) {
	s := &Staff{}
	for _, p := range history {
		if err := s.apply(p); err != nil {
			return nil, err
		}
	}
	if s.id == "" {
		return nil, ErrNotRegistered
	}
	return s, nil
}

// AttendTraining records attendance at a session (R-S3).
func (s *Staff) AttendTraining(session, topic string, now time.Time) error {
	if blank(session) || blank(topic) {
		return ErrSessionMissing
	}
	s.record(TrainingAttended{Session: session, Topic: topic, At: now})
	return nil
}

// Assess records an assessment. The onboarding assessment needs training
// first (R-S2: 新员工上岗前是否经过培训，考核).
func (s *Staff) Assess(kind string, onboarding bool, score int, now time.Time) error {
	switch kind {
	case "written", "practical", "simulation":
	default:
		return ErrUnknownAssessment
	}
	if score < 0 || score > 100 {
		return ErrScoreRange
	}
	if onboarding && !s.trained {
		return ErrNotTrained
	}
	s.record(Assessed{Kind: kind, Onboarding: onboarding, Score: score, Passed: score >= PassMark, At: now})
	return nil
}

// CheckBehaviour records a behaviour-norm check (R-S1).
func (s *Staff) CheckBehaviour(method string, passed bool, notes string, now time.Time) error {
	if method != "pre_shift" && method != "mystery_customer" {
		return ErrUnknownCheckMethod
	}
	s.record(BehaviourChecked{Method: method, Passed: passed, Notes: notes, At: now})
	return nil
}

// HoldOneToOne records the supervisor's monthly one-to-one (R-S4): 10–15
// minutes, once a month.
func (s *Staff) HoldOneToOne(supervisor string, minutes int, notes string, now time.Time) error {
	if blank(supervisor) || blank(notes) {
		return ErrNotesMissing
	}
	if minutes < OneToOneMinMinutes || minutes > OneToOneMaxMinutes {
		return ErrOneToOneLength
	}
	month := localtime.Month(now)
	if s.oneToOneMonths[month] {
		return ErrOneToOneThisMonth
	}
	s.record(OneToOneHeld{Supervisor: supervisor, Minutes: minutes, Notes: notes, Month: month, At: now})
	return nil
}

// PublishSanction records a published reward or penalty (R-S5).
func (s *Staff) PublishSanction(kind, reason string, amount int, now time.Time) error {
	if (kind != "reward" && kind != "penalty") || blank(reason) || amount < 0 {
		return ErrUnknownSanction
	}
	s.record(SanctionPublished{Kind: kind, Reason: reason, Amount: amount, At: now})
	return nil
}

// Assignable is nil when the member may be given work (R-S2).
func (s *Staff) Assignable() error {
	if !s.onboarded {
		return ErrNotOnboarded
	}
	return nil
}

// Accessors.
func (s *Staff) ID() string               { return s.id }
func (s *Staff) Project() string          { return s.project }
func (s *Staff) District() string         { return s.district }
func (s *Staff) Role() string             { return s.role }
func (s *Staff) Onboarded() bool          { return s.onboarded }
func (s *Staff) Trained() bool            { return s.trained }
func (s *Staff) Changes() []event.Payload { return s.changes }

func (s *Staff) record(p event.Payload) {
	_ = s.apply(p)
	s.changes = append(s.changes, p)
}

func (s *Staff) apply(p event.Payload) error {
	switch e := p.(type) {
	case Registered:
		s.id, s.project, s.district, s.role = e.StaffID, e.Project, e.District, e.Role
		s.oneToOneMonths = map[string]bool{}
	case TrainingAttended:
		s.trained = true
	case Assessed:
		if e.Onboarding && e.Passed {
			s.onboarded = true
		}
	case BehaviourChecked, SanctionPublished:
	case OneToOneHeld:
		s.oneToOneMonths[e.Month] = true
	default:
		return fmt.Errorf("staff: cannot apply %T", p)
	}
	return nil
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
