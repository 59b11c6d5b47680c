// Package visit is visit management (走访/拜访, R-H1…R-H5): a butler's
// monthly visit plan, the visits made with the opinions raised (each
// rectified and fed back to the owner), warnings to the project manager,
// and the required return visits that policies open and visits satisfy.
//
// Streams: visitplan-<id> (Plan), visit-<id> (Visit), returnvisit-<id>
// (Due; the id is the source record's id, so a policy opens one once).
//
// R-H1 needs the district's household count: it is taken from the
// district's register of units (domain/unit: its occupied units), never
// from the caller, and the plan records it (visitplan.planned.v2), so the
// refusal and the visit-ratio KPI use the number the plan was checked
// against. Plans recorded before the register (v1) keep the count their
// caller gave.
package visit

import (
	"fmt"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// MinCoveragePercent is R-H1's minimum share of households per month.
const MinCoveragePercent = 8

// Zone is the projects' calendar: a visit's month is its month there.
var Zone = time.FixedZone("CST", 8*3600)

// Kind is what a visit is for.
type Kind string

const (
	KindRoutine   Kind = "routine"    // planned monthly visit (R-H1)
	KindKeyClient Kind = "key_client" // supervisor's key-client visit (R-H4)
	KindReturn    Kind = "return"     // a required return visit (R-H3)
)

// Reason is why a return visit is required (R-H3).
type Reason string

const (
	ReasonUrgentRepair  Reason = "urgent_repair"
	ReasonLeakRepair    Reason = "leak_repair"
	ReasonComplaint     Reason = "complaint"
	ReasonMisfortune    Reason = "misfortune"
	ReasonFeeCollection Reason = "fee_collection"
)

// Plan is a butler's visit plan for one month.
type Plan struct {
	id, project, district string
	changes               []event.Payload
}

// Units is what a plan needs of the district's register of units
// (domain/unit.Register): its household count and which units it holds.
type Units interface {
	// Households is the district's occupied units.
	Households() int
	Has(unit string) bool
	Occupied(unit string) bool
}

// NewPlan records a monthly plan against the district's register of
// units (R-H1). It is refused, with the numbers, when a household is
// listed twice, is not a registered unit or is vacant, or the plan covers
// under 8% of the district's occupied units.
func NewPlan(id, project, district, butler, month string, households []string, units Units, now time.Time) (*Plan, error) {
	if blank(id) || blank(project) || blank(district) || blank(butler) || blank(month) || len(households) == 0 {
		return nil, ErrPlanIncomplete
	}
	districtHouseholds := 0
	if units != nil {
		districtHouseholds = units.Households()
	}
	if districtHouseholds <= 0 {
		return nil, ErrHouseholdCountMissing
	}
	households = append([]string(nil), households...)
	seen := map[string]bool{}
	var dups, unknown, vacant []string
	for i, h := range households {
		h = strings.TrimSpace(h)
		if h == "" {
			return nil, ErrPlanIncomplete
		}
		households[i] = h
		switch {
		case seen[h]:
			dups = append(dups, h)
		case !units.Has(h):
			unknown = append(unknown, h)
		case !units.Occupied(h):
			vacant = append(vacant, h)
		}
		seen[h] = true
	}
	if len(dups) > 0 {
		return nil, fmt.Errorf("%w: listed more than once: %s", ErrDuplicateHousehold, strings.Join(dups, ", "))
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("%w: not registered in district %s: %s", ErrUnregisteredUnit, district, strings.Join(unknown, ", "))
	}
	if len(vacant) > 0 {
		return nil, fmt.Errorf("%w: vacant: %s", ErrVacantUnit, strings.Join(vacant, ", "))
	}
	if len(households)*100 < MinCoveragePercent*districtHouseholds {
		need := (MinCoveragePercent*districtHouseholds + 99) / 100
		return nil, fmt.Errorf("%w: %d of %d households is %.1f%%; at least %d are needed",
			ErrCoverageTooLow, len(households), districtHouseholds, float64(len(households))*100/float64(districtHouseholds), need)
	}
	p := &Plan{id: id, project: project, district: district}
	p.changes = append(p.changes, Planned{PlanID: id, Project: project, District: district, Butler: butler, Month: month,
		Households: households, DistrictHouseholds: districtHouseholds, CountedFrom: "register", At: now})
	return p, nil
}

func (p *Plan) Project() string          { return p.project }
func (p *Plan) District() string         { return p.district }
func (p *Plan) Changes() []event.Payload { return p.changes }

// opinion is one opinion's progress.
type opinion struct{ rectified, fedBack bool }

// Visit is one visit and its opinions.
type Visit struct {
	id, project, district, household string
	at                               time.Time
	opinions                         []opinion

	changes []event.Payload
}

// Record records a visit. Key-client visits are a supervisor's, to a
// household in the key-client register (R-H4, R-H7: v.KeyClient says it
// is); the owner's satisfaction, if given, is 1–5 (R-H6).
func Record(v Visited) (*Visit, error) {
	if blank(v.VisitID) || blank(v.Project) || blank(v.District) || blank(v.Visitor) || blank(v.Household) {
		return nil, ErrVisitIncomplete
	}
	if v.Satisfaction < 0 || v.Satisfaction > 5 {
		return nil, ErrSatisfaction
	}
	switch v.Kind {
	case KindRoutine, KindReturn:
		v.Festival = false
	case KindKeyClient:
		if v.Role != "supervisor" {
			return nil, ErrKeyClientBySupervisor
		}
		if !v.KeyClient {
			return nil, ErrNotAKeyClient
		}
	default:
		return nil, ErrUnknownKind
	}
	var ops []string
	for _, o := range v.Opinions {
		if !blank(o) {
			ops = append(ops, o)
		}
	}
	v.Opinions = ops
	if v.Opinions == nil {
		v.Opinions = []string{}
	}
	x := &Visit{}
	x.record(v)
	return x, nil
}

// VisitFromHistory rebuilds a visit.
func VisitFromHistory(history []event.Payload) (*Visit, error) {
	v := &Visit{}
	for _, p := range history {
		if err := v.apply(p); err != nil {
			return nil, err
		}
	}
	if v.id == "" {
		return nil, ErrNotVisited
	}
	return v, nil
}

// Rectify records what was done about opinion i (0-based).
func (v *Visit) Rectify(i int, action string, now time.Time) error {
	if i < 0 || i >= len(v.opinions) {
		return ErrUnknownOpinion
	}
	if blank(action) {
		return ErrActionMissing
	}
	if v.opinions[i].rectified {
		return ErrAlreadyRectified
	}
	v.record(OpinionRectified{Opinion: i, Action: action, At: now})
	return nil
}

// FeedBack records that the owner was told about opinion i (R-H2).
func (v *Visit) FeedBack(i int, channel, note string, now time.Time) error {
	if i < 0 || i >= len(v.opinions) {
		return ErrUnknownOpinion
	}
	if !v.opinions[i].rectified {
		return ErrNotRectified
	}
	if v.opinions[i].fedBack {
		return ErrAlreadyFedBack
	}
	if channel != "phone" && channel != "visit" {
		return ErrFeedbackChannel
	}
	v.record(OpinionFedBack{Opinion: i, Channel: channel, Note: note, At: now})
	return nil
}

// WarnCommonProblem warns the project manager of a problem beyond the
// butler's authority (R-H5).
func (v *Visit) WarnCommonProblem(problem string, now time.Time) error {
	if blank(problem) {
		return ErrProblemMissing
	}
	v.record(CommonProblemWarned{Problem: problem, Warn: "project_manager", At: now})
	return nil
}

func (v *Visit) ID() string               { return v.id }
func (v *Visit) Project() string          { return v.project }
func (v *Visit) District() string         { return v.district }
func (v *Visit) Household() string        { return v.household }
func (v *Visit) At() time.Time            { return v.at }
func (v *Visit) Changes() []event.Payload { return v.changes }

func (v *Visit) record(p event.Payload) {
	_ = v.apply(p)
	v.changes = append(v.changes, p)
}

func (v *Visit) apply(p event.Payload) error {
	switch e := p.(type) {
	case Visited:
		v.id, v.project, v.district, v.household, v.at = e.VisitID, e.Project, e.District, e.Household, e.At
		v.opinions = make([]opinion, len(e.Opinions))
	case OpinionRectified:
		v.opinions[e.Opinion].rectified = true
	case OpinionFedBack:
		v.opinions[e.Opinion].fedBack = true
	case CommonProblemWarned:
	default:
		return fmt.Errorf("visit: cannot apply %T", p)
	}
	return nil
}

// Due is a required return visit (R-H3).
type Due struct {
	id, project, district, household string
	dueBy, openedAt                  time.Time
	done, overdue                    bool

	changes []event.Payload
}

// OpenDue records that a return visit is required. dueBy may be zero: a
// leak repair's visit waits for rain, not for a clock.
func OpenDue(d DueOpened) (*Due, error) {
	switch d.Reason {
	case ReasonUrgentRepair, ReasonLeakRepair, ReasonComplaint, ReasonMisfortune, ReasonFeeCollection:
	default:
		return nil, ErrUnknownReason
	}
	if blank(d.DueID) || blank(d.Project) || blank(d.Household) {
		return nil, ErrDueIncomplete
	}
	x := &Due{}
	x.record(d)
	return x, nil
}

// DueFromHistory rebuilds a required return visit.
func DueFromHistory(history []event.Payload) (*Due, error) {
	d := &Due{}
	for _, p := range history {
		if err := d.apply(p); err != nil {
			return nil, err
		}
	}
	if d.id == "" {
		return nil, ErrNotDue
	}
	return d, nil
}

// Satisfy marks the return visit done by visit v: same household, made
// after the need arose. On time means by the deadline (if any).
func (d *Due) Satisfy(v *Visit, now time.Time) error {
	if d.done {
		return ErrDueDone
	}
	if v.Household() != d.household {
		return ErrWrongHousehold
	}
	if v.At().Before(d.openedAt) {
		return ErrVisitBeforeDue
	}
	onTime := d.dueBy.IsZero() || !v.At().After(d.dueBy)
	d.record(DueSatisfied{VisitID: v.ID(), OnTime: onTime, At: now})
	return nil
}

// MarkOverdue records, once, that the deadline passed with no visit. It
// reports whether it recorded the event.
func (d *Due) MarkOverdue(now time.Time) bool {
	if d.done || d.overdue || d.dueBy.IsZero() || !now.After(d.dueBy) {
		return false
	}
	d.record(DueOverdue{DueBy: d.dueBy, At: now})
	return true
}

func (d *Due) Project() string          { return d.project }
func (d *Due) District() string         { return d.district }
func (d *Due) Changes() []event.Payload { return d.changes }

func (d *Due) record(p event.Payload) {
	_ = d.apply(p)
	d.changes = append(d.changes, p)
}

func (d *Due) apply(p event.Payload) error {
	switch e := p.(type) {
	case DueOpened:
		d.id, d.project, d.district, d.household, d.dueBy, d.openedAt = e.DueID, e.Project, e.District, e.Household, e.DueBy, e.Since
	case DueSatisfied:
		d.done = true
	case DueOverdue:
		d.overdue = true
	default:
		return fmt.Errorf("visit: cannot apply %T", p)
	}
	return nil
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
