// Package activity is community cultural activities (社区文化活动,
// R-A1…R-A4): the annual plan (a December survey of owners, approved by
// operations), and each activity: a proposal with organisation, content,
// publicity, budget and risks, approved by operations and quality at
// least 15 days before it happens, held with a participant count,
// surveyed for satisfaction (large activities: at least 25% of
// participants) and summarised.
//
// Streams: activityplan-<project>-<year> (Plan) and activity-<id>
// (Activity).
//
// Retention (R-A4, at least two years): Butler never deletes or changes
// an event; there is no delete command for any record, and the event
// stores keep every stream forever. The read model shows each activity's
// retain_until (two years after it was held) for archivists.
package activity

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/localtime"
)

// ApprovalLead is R-A2's minimum time between approval and the activity.
const ApprovalLead = 15 * 24 * time.Hour

// MinSurveyCoveragePercent is R-A3's minimum for large activities.
const MinSurveyCoveragePercent = 25

// RetainFor is R-A4's minimum retention.
const RetainFor = 2

// Stored event type names.
const (
	TypePlanSurveyed = "activityplan.surveyed.v1"
	TypePlanDrafted  = "activityplan.drafted.v1"
	TypePlanApproved = "activityplan.approved.v1"
	TypeProposed     = "activity.proposed.v1"
	TypeApproved     = "activity.approved.v1"
	TypeHeld         = "activity.held.v1"
	TypeSurveyed     = "activity.surveyed.v1"
	TypeSummarised   = "activity.summarised.v1"
	// TypeSummaryOverdue: recorded by the time rule when a held activity
	// has no summary SummaryWithin after it was held (R-A4).
	TypeSummaryOverdue = "activity.summary_overdue.v1"
)

// SummaryWithin is how long after an activity its summary is due (R-A4
// says "after every activity"; a property company writes it within the
// week's work: three days).
const SummaryWithin = 3 * 24 * time.Hour

// PlanSurveyed: the December survey of owners for next year's plan (R-A1).
type PlanSurveyed struct {
	Project   string    `json:"project"`
	Year      int       `json:"year"`
	Responses int       `json:"responses"`
	Findings  string    `json:"findings"`
	At        time.Time `json:"at"`
}

// PlanDrafted: the year's planned activities.
type PlanDrafted struct {
	Activities []string  `json:"activities"`
	At         time.Time `json:"at"`
}

// PlanApproved: operations approved the plan (R-A1).
type PlanApproved struct {
	By string    `json:"by"`
	At time.Time `json:"at"`
}

// Proposed: an activity's proposal (R-A2).
type Proposed struct {
	ActivityID   string    `json:"activity_id"`
	Project      string    `json:"project"`
	District     string    `json:"district,omitempty"`
	Title        string    `json:"title"`
	Date         time.Time `json:"date"`
	Organisation string    `json:"organisation"`
	Content      string    `json:"content"`
	Publicity    string    `json:"publicity"`
	BudgetFen    int64     `json:"budget_fen"`
	Risks        string    `json:"risks"`
	Large        bool      `json:"large"`
	At           time.Time `json:"at"`
}

// Approved: operations or quality approved the proposal (R-A2).
type Approved struct {
	Department string    `json:"department"` // operations or quality
	By         string    `json:"by"`
	LeadDays   int       `json:"lead_days"`
	At         time.Time `json:"at"`
}

// Held: the activity took place.
type Held struct {
	Participants int       `json:"participants"`
	At           time.Time `json:"at"`
}

// Surveyed: satisfaction survey responses collected (R-A3).
type Surveyed struct {
	Responses int       `json:"responses"`
	Satisfied int       `json:"satisfied"`
	At        time.Time `json:"at"`
}

// Summarised: the summary after the activity (R-A4).
type Summarised struct {
	Summary string    `json:"summary"`
	At      time.Time `json:"at"`
}

// SummaryOverdue: the activity was held SummaryWithin ago and has no
// summary yet (R-A4); a later summary is still recorded.
type SummaryOverdue struct {
	HeldAt time.Time `json:"held_at"`
	At     time.Time `json:"at"`
}

func (SummaryOverdue) EventType() string { return TypeSummaryOverdue }
func (PlanSurveyed) EventType() string   { return TypePlanSurveyed }
func (PlanDrafted) EventType() string    { return TypePlanDrafted }
func (PlanApproved) EventType() string   { return TypePlanApproved }
func (Proposed) EventType() string       { return TypeProposed }
func (Approved) EventType() string       { return TypeApproved }
func (Held) EventType() string           { return TypeHeld }
func (Surveyed) EventType() string       { return TypeSurveyed }
func (Summarised) EventType() string     { return TypeSummarised }

// Decode turns a stored activity event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	switch eventType {
	case TypePlanSurveyed:
		return decode[PlanSurveyed](eventType, data)
	case TypePlanDrafted:
		return decode[PlanDrafted](eventType, data)
	case TypePlanApproved:
		return decode[PlanApproved](eventType, data)
	case TypeProposed:
		return decode[Proposed](eventType, data)
	case TypeApproved:
		return decode[Approved](eventType, data)
	case TypeHeld:
		return decode[Held](eventType, data)
	case TypeSurveyed:
		return decode[Surveyed](eventType, data)
	case TypeSummarised:
		return decode[Summarised](eventType, data)
	case TypeSummaryOverdue:
		return decode[SummaryOverdue](eventType, data)
	}
	return nil, fmt.Errorf("activity: unknown event type %q", eventType)
}

func decode[P event.Payload](eventType string, data []byte) (event.Payload, error) {
	var p P
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("activity: decode %s: %w", eventType, err)
	}
	return p, nil
}

// Domain errors: each states the rule that was broken.
var (
	ErrSurveyNotDecember   = errors.New("the annual plan's survey is made in the December before the year")
	ErrSurveyIncomplete    = errors.New("the survey records how many owners answered and what they asked for")
	ErrNoSurvey            = errors.New("the annual plan follows the December survey")
	ErrPlanEmpty           = errors.New("the annual plan lists its activities")
	ErrPlanNotDrafted      = errors.New("there is no plan to approve yet")
	ErrPlanApproved        = errors.New("the annual plan is already approved")
	ErrPlanApprover        = errors.New("the annual plan is approved by operations")
	ErrProposalIncomplete  = errors.New("a proposal states its title, date, organisation, content, publicity, budget and risks")
	ErrDateInPast          = errors.New("an activity is proposed for a future date")
	ErrNotProposed         = errors.New("the activity has not been proposed")
	ErrUnknownDepartment   = errors.New("activities are approved by operations and by quality")
	ErrAlreadyApproved     = errors.New("this department has already approved the activity")
	ErrApprovalTooLate     = errors.New("an activity is approved at least 15 days before it happens")
	ErrNotApproved         = errors.New("the activity needs the approval of operations and of quality before it is held")
	ErrNotYet              = errors.New("the activity is held on its date, not before")
	ErrAlreadyHeld         = errors.New("the activity has already been held")
	ErrParticipantsMissing = errors.New("a held activity records how many took part")
	ErrNotHeld             = errors.New("the activity has not been held yet")
	ErrSurveyCounts        = errors.New("survey responses are counted, satisfied ones among them, and no more than the participants")
	ErrSurveyCoverage      = errors.New("a large activity's satisfaction survey covers at least 25% of participants before the summary")
	ErrSummaryMissing      = errors.New("the summary says how the activity went")
	ErrSummarised          = errors.New("the activity is already summarised")
)

// Plan is a project's annual activity plan.
type Plan struct {
	project           string
	year              int
	surveyed, drafted bool
	approved          bool
	changes           []event.Payload
}

// PlanFromHistory rebuilds a plan; an empty history is a year with nothing yet.
func PlanFromHistory(project string, year int, history []event.Payload) (*Plan, error) {
	p := &Plan{project: project, year: year}
	for _, e := range history {
		if err := p.apply(e); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Survey records the owners' survey, made in December of the year before (R-A1).
func (p *Plan) Survey(responses int, findings string, now time.Time) error {
	now = localtime.In(now) // December in the project's calendar
	if now.Month() != time.December || now.Year() != p.year-1 {
		return fmt.Errorf("%w: the %d plan's survey is made in December %d, not %s", ErrSurveyNotDecember, p.year, p.year-1, now.Format("2006-01"))
	}
	if responses < 1 || blank(findings) {
		return ErrSurveyIncomplete
	}
	p.record(PlanSurveyed{Project: p.project, Year: p.year, Responses: responses, Findings: findings, At: now})
	return nil
}

// Draft lists the year's activities; it follows the survey.
func (p *Plan) Draft(activities []string, now time.Time) error {
	if !p.surveyed {
		return ErrNoSurvey
	}
	if p.approved {
		return ErrPlanApproved
	}
	if len(activities) == 0 {
		return ErrPlanEmpty
	}
	p.record(PlanDrafted{Activities: activities, At: now})
	return nil
}

// Approve records operations' approval of the plan (R-A1).
func (p *Plan) Approve(by, role string, now time.Time) error {
	if role != "operations" {
		return ErrPlanApprover
	}
	if !p.drafted {
		return ErrPlanNotDrafted
	}
	if p.approved {
		return ErrPlanApproved
	}
	p.record(PlanApproved{By: by, At: now})
	return nil
}

func (p *Plan) Project() string          { return p.project }
func (p *Plan) District() string         { return "" }
func (p *Plan) Changes() []event.Payload { return p.changes }

func (p *Plan) record(e event.Payload) {
	_ = p.apply(e)
	p.changes = append(p.changes, e)
}

func (p *Plan) apply(e event.Payload) error {
	switch e.(type) {
	case PlanSurveyed:
		p.surveyed = true
	case PlanDrafted:
		p.drafted = true
	case PlanApproved:
		p.approved = true
	default:
		return fmt.Errorf("activity: cannot apply %T to a plan", e)
	}
	return nil
}

// Activity is one community activity.
type Activity struct {
	id, project, district string
	date                  time.Time
	large                 bool
	approvals             map[string]bool
	participants          int
	held, summarised      bool
	heldAt                time.Time
	summaryOverdue        bool
	responses             int

	changes []event.Payload
}

// Propose records an activity's proposal (R-A2).
func Propose(p Proposed) (*Activity, error) {
	for _, s := range []string{p.ActivityID, p.Project, p.Title, p.Organisation, p.Content, p.Publicity, p.Risks} {
		if blank(s) {
			return nil, ErrProposalIncomplete
		}
	}
	if p.BudgetFen < 0 || p.Date.IsZero() {
		return nil, ErrProposalIncomplete
	}
	if !p.Date.After(p.At) {
		return nil, ErrDateInPast
	}
	a := &Activity{}
	a.record(p)
	return a, nil
}

// FromHistory rebuilds an activity.
func FromHistory(history []event.Payload) (*Activity, error) {
	a := &Activity{}
	for _, e := range history {
		if err := a.apply(e); err != nil {
			return nil, err
		}
	}
	if a.id == "" {
		return nil, ErrNotProposed
	}
	return a, nil
}

// Approve records operations' or quality's approval; one given less than
// 15 days before the activity is refused, with the numbers (R-A2).
func (a *Activity) Approve(department, by string, now time.Time) error {
	if department != "operations" && department != "quality" {
		return ErrUnknownDepartment
	}
	if a.approvals[department] {
		return ErrAlreadyApproved
	}
	lead := a.date.Sub(now)
	if lead < ApprovalLead {
		return fmt.Errorf("%w: the activity is on %s, %.1f days away", ErrApprovalTooLate, a.date.Format(time.DateOnly), lead.Hours()/24)
	}
	a.record(Approved{Department: department, By: by, LeadDays: int(lead.Hours() / 24), At: now})
	return nil
}

// Hold records that the activity took place, on or after its date.
func (a *Activity) Hold(participants int, now time.Time) error {
	if a.held {
		return ErrAlreadyHeld
	}
	if !a.approvals["operations"] || !a.approvals["quality"] {
		return ErrNotApproved
	}
	if now.Before(dayStart(a.date)) {
		return ErrNotYet
	}
	if participants < 1 {
		return ErrParticipantsMissing
	}
	a.record(Held{Participants: participants, At: now})
	return nil
}

// Survey adds satisfaction survey responses (R-A3).
func (a *Activity) Survey(responses, satisfied int, now time.Time) error {
	if !a.held {
		return ErrNotHeld
	}
	if responses < 1 || satisfied < 0 || satisfied > responses || a.responses+responses > a.participants {
		return ErrSurveyCounts
	}
	a.record(Surveyed{Responses: responses, Satisfied: satisfied, At: now})
	return nil
}

// Summarise records the summary (R-A4); a large activity needs its
// survey to cover at least 25% of participants first (R-A3).
func (a *Activity) Summarise(summary string, now time.Time) error {
	if !a.held {
		return ErrNotHeld
	}
	if a.summarised {
		return ErrSummarised
	}
	if a.large && a.responses*100 < MinSurveyCoveragePercent*a.participants {
		return fmt.Errorf("%w: %d responses of %d participants", ErrSurveyCoverage, a.responses, a.participants)
	}
	if blank(summary) {
		return ErrSummaryMissing
	}
	a.record(Summarised{Summary: summary, At: now})
	return nil
}

func (a *Activity) ID() string               { return a.id }
func (a *Activity) Project() string          { return a.project }
func (a *Activity) District() string         { return a.district }
func (a *Activity) Changes() []event.Payload { return a.changes }

// RecordSummaryOverdue records, once, that a held activity has gone
// SummaryWithin without its summary (R-A4); it reports whether it did.
func (a *Activity) RecordSummaryOverdue(now time.Time) (bool, error) {
	if !a.held {
		return false, ErrNotHeld
	}
	if a.summarised || a.summaryOverdue || now.Before(a.heldAt.Add(SummaryWithin)) {
		return false, nil
	}
	a.record(SummaryOverdue{HeldAt: a.heldAt, At: now})
	return true, nil
}

func (a *Activity) record(e event.Payload) {
	_ = a.apply(e)
	a.changes = append(a.changes, e)
}

func (a *Activity) apply(e event.Payload) error {
	switch x := e.(type) {
	case Proposed:
		a.id, a.project, a.district, a.date, a.large = x.ActivityID, x.Project, x.District, x.Date, x.Large
		a.approvals = map[string]bool{}
	case Approved:
		a.approvals[x.Department] = true
	case Held:
		a.held, a.participants, a.heldAt = true, x.Participants, x.At
	case Surveyed:
		a.responses += x.Responses
	case Summarised:
		a.summarised = true
	case SummaryOverdue:
		a.summaryOverdue = true
	default:
		return fmt.Errorf("activity: cannot apply %T", e)
	}
	return nil
}

func dayStart(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
