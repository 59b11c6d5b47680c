// Package renovation is the renovation aggregate (装修管理, R-R1…R-R5):
// filing with its documents, approval, the butler's pre-start site check
// and rules briefing, daily inspections against the checklist, violations
// (stopped, evidenced, reported, open until rectified and closed),
// completion, engineering's acceptance inspection with its findings fixed,
// and closing, after which the owner may move in.
//
//	filed ─approve─▶ approved ─start (site check + briefing)─▶ in_progress ─complete─▶ completed
//	      ─acceptance─▶ accepting ─all findings fixed, close─▶ closed
package renovation

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/household"
	"github.com/butler-pm/butler/domain/localtime"
)

// Zone was the projects' calendar, fixed at China time.
//
// Deprecated: days are the project's (domain/localtime, --timezone); DayOf uses it.
var Zone = time.FixedZone("CST", 8*3600)

// DayOf is t's calendar day (YYYY-MM-DD) in the project's time zone.
func DayOf(t time.Time) string { return localtime.Day(t) }

// dayStart is the first instant of day in Zone.
func dayStart(day string) time.Time {
	t, _ := time.ParseInLocation(time.DateOnly, day, localtime.Zone())
	return t
}

// Status is where a renovation stands.
type Status string

const (
	StatusNew        Status = ""
	StatusFiled      Status = "filed"
	StatusApproved   Status = "approved"
	StatusInProgress Status = "in_progress"
	StatusCompleted  Status = "completed"
	StatusAccepting  Status = "accepting" // acceptance inspected, findings being fixed
	StatusClosed     Status = "closed"
)

// DocumentKind is one of the filing documents R-R1 asks for.
type DocumentKind string

const (
	DocApplication         DocumentKind = "application"          // 装修申请
	DocQualityConfirmation DocumentKind = "quality_confirmation" // 装修前质量确认单
	DocAgreement           DocumentKind = "agreement"            // 装修协议
	DocFees                DocumentKind = "fees"                 // 费用收取
	DocDepartmentReview    DocumentKind = "department_review"    // 其他部门审核
)

// RequiredDocuments are every document approval needs (R-R1).
var RequiredDocuments = []DocumentKind{DocApplication, DocQualityConfirmation, DocAgreement, DocFees, DocDepartmentReview}

// Checklist are the items every daily inspection covers (R-R3): 成品保护,
// 垃圾堆放, 装修时间, 墙体, 防水, 防护栏, 露台及阳台拆改.
var Checklist = []string{"finished_product_protection", "rubbish", "working_hours", "walls", "waterproofing", "guard_rails", "terrace_balcony"}

// Filing is what the owner applies with.
type Filing struct {
	Project, District, Unit, Contractor, Butler, Description string
	Documents                                                []Document
}

type violation struct {
	rectified, closed bool
}

// Renovation is the aggregate. Build one with File or FromHistory.
type Renovation struct {
	id, project, district string
	unit, butler          string
	status                Status
	docs                  map[DocumentKind]bool
	siteChecked, briefed  bool
	startedDay            string
	completedDay          string
	accounted             map[string]bool // days inspected or recorded missed
	violations            map[string]*violation
	findings              []bool // fixed?
	area                  string
	startedAt, lastTalkAt time.Time
	talkOverdueSince      time.Time // Since of the last talk_overdue recorded

	changes []event.Payload
}

// File records a renovation application with the documents that came with it.
func File(id string, f Filing, now time.Time) (*Renovation, error) {
	for _, s := range []string{id, f.Project, f.District, f.Unit, f.Contractor, f.Butler, f.Description} {
		if blank(s) {
			return nil, ErrFilingIncomplete
		}
	}
	for _, d := range f.Documents {
		if err := checkDocument(d); err != nil {
			return nil, err
		}
	}
	r := &Renovation{}
	r.record(FiledV2{RenovationID: id, Project: f.Project, District: f.District, Unit: f.Unit,
		Contractor: f.Contractor, Butler: f.Butler, Description: f.Description, Documents: f.Documents, At: now})
	return r, nil
}

func (r *Renovation) filed(e Filed) {
	r.id, r.project, r.district, r.status = e.RenovationID, e.Project, e.District, StatusFiled
	r.unit, r.butler = e.Unit, e.Butler
	r.docs, r.accounted, r.violations = map[DocumentKind]bool{}, map[string]bool{}, map[string]*violation{}
	for _, d := range e.Documents {
		r.docs[d.Kind] = true
	}
}

// Unit is the renovated unit.
func (r *Renovation) Unit() string { return r.unit }

// FromHistory rebuilds a renovation from its stored events, oldest first.
func FromHistory(history []event.Payload) (*Renovation, error) {
	r := &Renovation{}
	for _, p := range history {
		if err := r.apply(p); err != nil {
			return nil, err
		}
	}
	if r.status == StatusNew {
		return nil, ErrNotFiled
	}
	return r, nil
}

func checkDocument(d Document) error {
	if !slices.Contains(RequiredDocuments, d.Kind) {
		return ErrUnknownDocument
	}
	if blank(d.Ref) {
		return ErrDocumentRefMissing
	}
	return nil
}

// FileDocument adds a filing document (R-R1).
func (r *Renovation) FileDocument(d Document, now time.Time) error {
	if err := r.open(); err != nil {
		return err
	}
	if err := checkDocument(d); err != nil {
		return err
	}
	r.record(DocumentFiled{Document: d, At: now})
	return nil
}

// MissingDocuments lists the filing documents not yet filed.
func (r *Renovation) MissingDocuments() []DocumentKind {
	var out []DocumentKind
	for _, k := range RequiredDocuments {
		if !r.docs[k] {
			out = append(out, k)
		}
	}
	return out
}

// Approve approves the filing once every document is there (R-R1).
func (r *Renovation) Approve(now time.Time) error {
	if err := r.open(); err != nil {
		return err
	}
	if r.status != StatusFiled {
		return ErrAlreadyApproved
	}
	if len(r.MissingDocuments()) > 0 {
		return fmt.Errorf("%w: missing %v", ErrDocumentsIncomplete, r.MissingDocuments())
	}
	r.record(Approved{At: now})
	return nil
}

// CheckSite records the butler's on-site check before work (R-R2).
func (r *Renovation) CheckSite(note string, now time.Time) error {
	if err := r.beforeStart(); err != nil {
		return err
	}
	r.record(SiteChecked{Note: note, At: now})
	return nil
}

// BriefRules records that owner and contractor were briefed (R-R2); seal
// seals the owner's name under the household's key.
func (r *Renovation) BriefRules(owner, contractor string, seal func(name string) (household.Sealed, error), now time.Time) error {
	if err := r.beforeStart(); err != nil {
		return err
	}
	if blank(owner) || blank(contractor) {
		return ErrBriefingAttendees
	}
	sealed, err := seal(owner)
	if err != nil {
		return err
	}
	r.record(RulesBriefedV2{Owner: sealed, Contractor: contractor, At: now})
	return nil
}

func (r *Renovation) beforeStart() error {
	if err := r.open(); err != nil {
		return err
	}
	switch r.status {
	case StatusFiled:
		return ErrNotApproved
	case StatusApproved:
		return nil
	}
	return ErrAlreadyStarted
}

// Start records that work began: only after approval, the site check and
// the briefing (R-R2).
func (r *Renovation) Start(now time.Time) error {
	if err := r.beforeStart(); err != nil {
		return err
	}
	if !r.siteChecked {
		return ErrSiteCheckMissing
	}
	if !r.briefed {
		return ErrBriefingMissing
	}
	r.record(WorkStarted{At: now})
	return nil
}

// Inspect records today's inspection with every checklist item (R-R3).
func (r *Renovation) Inspect(checklist map[string]bool, note string, now time.Time) error {
	if err := r.open(); err != nil {
		return err
	}
	if r.status != StatusInProgress {
		return ErrNotInProgress
	}
	for item := range checklist {
		if !slices.Contains(Checklist, item) {
			return fmt.Errorf("%w: %q", ErrUnknownChecklistItem, item)
		}
	}
	for _, item := range Checklist {
		if _, ok := checklist[item]; !ok {
			return ErrChecklistIncomplete
		}
	}
	r.record(Inspected{Day: DayOf(now), Butler: r.butler, Checklist: checklist, Note: note, At: now})
	return nil
}

// RecordMissedInspections records inspection_missed for every ended day of
// work (from the start day to the completion day, both included: R-R3 asks
// one inspection per day of work, and work was done on the day it
// completed) with no inspection and nothing recorded yet. It returns how
// many it recorded.
func (r *Renovation) RecordMissedInspections(now time.Time) (int, error) {
	if r.status == StatusNew {
		return 0, ErrNotFiled
	}
	if r.startedDay == "" {
		return 0, nil
	}
	today := DayOf(now)
	n := 0
	for d := dayStart(r.startedDay); ; d = d.AddDate(0, 0, 1) {
		day := d.Format(time.DateOnly)
		if day >= today || (r.completedDay != "" && day > r.completedDay) {
			return n, nil
		}
		if !r.accounted[day] {
			r.record(InspectionMissed{Day: day, Butler: r.butler, At: now})
			n++
		}
	}
}

// RecordViolation stops a violation at once, with its evidence, reported
// to the supervisor (R-R4).
func (r *Renovation) RecordViolation(violationID, description string, evidence []string, reportedTo string, now time.Time) error {
	if err := r.open(); err != nil {
		return err
	}
	if r.status != StatusInProgress {
		return ErrNotInProgress
	}
	var ev []string
	for _, e := range evidence {
		if !blank(e) {
			ev = append(ev, strings.TrimSpace(e))
		}
	}
	if blank(violationID) || blank(description) || len(ev) == 0 || blank(reportedTo) {
		return ErrViolationIncomplete
	}
	r.record(ViolationRecorded{ViolationID: violationID, Unit: r.unit, Butler: r.butler, Description: description, Evidence: ev, ReportedTo: reportedTo, StopOrdered: true, At: now})
	return nil
}

// RectifyViolation records that a violation was put right.
func (r *Renovation) RectifyViolation(violationID, note string, now time.Time) error {
	v, err := r.violation(violationID)
	if err != nil {
		return err
	}
	if v.closed {
		return ErrViolationClosed
	}
	r.record(ViolationRectified{ViolationID: violationID, Note: note, At: now})
	return nil
}

// CloseViolation closes a rectified violation (R-R4: open until rectified).
func (r *Renovation) CloseViolation(violationID string, now time.Time) error {
	v, err := r.violation(violationID)
	if err != nil {
		return err
	}
	if v.closed {
		return ErrViolationClosed
	}
	if !v.rectified {
		return ErrViolationNotRectified
	}
	r.record(ViolationClosed{ViolationID: violationID, At: now})
	return nil
}

func (r *Renovation) violation(id string) (*violation, error) {
	if err := r.open(); err != nil {
		return nil, err
	}
	v, ok := r.violations[id]
	if !ok {
		return nil, ErrUnknownViolation
	}
	return v, nil
}

// OpenViolations counts violations not yet closed.
func (r *Renovation) OpenViolations() int {
	n := 0
	for _, v := range r.violations {
		if !v.closed {
			n++
		}
	}
	return n
}

// Complete records that work finished; open violations must be closed first.
func (r *Renovation) Complete(now time.Time) error {
	if err := r.open(); err != nil {
		return err
	}
	if r.status != StatusInProgress {
		return ErrNotInProgress
	}
	if r.OpenViolations() > 0 {
		return ErrViolationsOpen
	}
	r.record(WorkCompleted{At: now})
	return nil
}

// InspectForAcceptance records engineering's completion inspection and
// its findings (R-R5); none means accepted as is.
func (r *Renovation) InspectForAcceptance(findings []string, now time.Time) error {
	if err := r.open(); err != nil {
		return err
	}
	if r.status != StatusCompleted && r.status != StatusAccepting {
		return ErrNotCompleted
	}
	var fs []string
	for _, f := range findings {
		if !blank(f) {
			fs = append(fs, strings.TrimSpace(f))
		}
	}
	if fs == nil {
		fs = []string{}
	}
	r.record(AcceptanceInspected{Findings: fs, At: now})
	return nil
}

// FixFinding records that acceptance finding i (0-based) was fixed.
func (r *Renovation) FixFinding(i int, note string, now time.Time) error {
	if err := r.open(); err != nil {
		return err
	}
	if r.status != StatusAccepting || i < 0 || i >= len(r.findings) || r.findings[i] {
		return ErrUnknownFinding
	}
	r.record(FindingFixed{Finding: i, Note: note, At: now})
	return nil
}

// Close ends the renovation: the owner may move in only after the
// acceptance inspection with every finding fixed (R-R5).
func (r *Renovation) Close(now time.Time) error {
	if err := r.open(); err != nil {
		return err
	}
	if r.status != StatusAccepting || slices.Contains(r.findings, false) {
		return ErrNotAccepted
	}
	r.record(Closed{At: now})
	return nil
}

// TalkInterval is how long work may go on without a talk with the owner
// (R-R7: "regularly", decided as weekly, the seed's rhythm for talks).
const TalkInterval = 7 * 24 * time.Hour

// TalkChannels are how a butler talks with a renovating owner.
var TalkChannels = []string{"on_site", "phone", "visit"}

// Assign gives the renovation's area to a staff member, who follows it
// (inspections, talks) from now on (R-R7).
func (r *Renovation) Assign(area, butler string, now time.Time) error {
	if err := r.open(); err != nil {
		return err
	}
	if blank(area) || blank(butler) {
		return ErrAssignmentIncomplete
	}
	r.record(Assigned{Area: strings.TrimSpace(area), Butler: strings.TrimSpace(butler), At: now})
	return nil
}

// TalkWithOwner records a talk with the renovating owner (R-R7).
func (r *Renovation) TalkWithOwner(butler, channel, note string, now time.Time) error {
	if err := r.open(); err != nil {
		return err
	}
	if !slices.Contains(TalkChannels, channel) || blank(note) || blank(butler) {
		return ErrTalkIncomplete
	}
	r.record(OwnerTalked{Butler: butler, Channel: channel, Note: strings.TrimSpace(note), At: now})
	return nil
}

// TalkDueAt is when the next talk with the owner is due while work goes
// on: TalkInterval after the start or the last talk; zero when work is not
// in progress.
func (r *Renovation) TalkDueAt() time.Time {
	if r.status != StatusInProgress {
		return time.Time{}
	}
	since := r.startedAt
	if r.lastTalkAt.After(since) {
		since = r.lastTalkAt
	}
	return since.Add(TalkInterval)
}

// RecordTalkOverdue records, once per gap, that work went on TalkInterval
// without a talk with the owner (R-R7). It reports whether it recorded.
func (r *Renovation) RecordTalkOverdue(now time.Time) (bool, error) {
	if r.status == StatusNew {
		return false, ErrNotFiled
	}
	due := r.TalkDueAt()
	if due.IsZero() || now.Before(due) {
		return false, nil
	}
	since := due.Add(-TalkInterval)
	if r.talkOverdueSince.Equal(since) {
		return false, nil
	}
	r.record(OwnerTalkOverdue{Butler: r.butler, Since: since, At: now})
	return true, nil
}

// BlocksOccupancy reports whether the unit may not be occupied because of
// this renovation (R-R5): work has started and the renovation is not
// closed (in progress, completed and waiting for engineering's completion
// inspection, or accepting with problems to fix). A renovation filed or
// approved but not started does not: nothing has been built yet.
func (r *Renovation) BlocksOccupancy() bool {
	switch r.status {
	case StatusInProgress, StatusCompleted, StatusAccepting:
		return true
	}
	return false
}

// UnfixedFindings counts the completion inspection's problems not yet fixed.
func (r *Renovation) UnfixedFindings() int {
	n := 0
	for _, fixed := range r.findings {
		if !fixed {
			n++
		}
	}
	return n
}

// Accessors.
func (r *Renovation) ID() string       { return r.id }
func (r *Renovation) Project() string  { return r.project }
func (r *Renovation) District() string { return r.district }
func (r *Renovation) Status() Status   { return r.status }

// Changes returns the events recorded since the renovation was built.
func (r *Renovation) Changes() []event.Payload { return r.changes }

func (r *Renovation) open() error {
	switch r.status {
	case StatusNew:
		return ErrNotFiled
	case StatusClosed:
		return ErrClosed
	}
	return nil
}

func (r *Renovation) record(p event.Payload) {
	// apply cannot fail for payloads this package builds itself.
	_ = r.apply(p)
	r.changes = append(r.changes, p)
}

// apply is the one place state changes, for new and replayed events alike.
func (r *Renovation) apply(p event.Payload) error {
	_, v1 := p.(Filed)
	_, v2 := p.(FiledV2)
	if first := v1 || v2; first != (r.status == StatusNew) {
		return fmt.Errorf("renovation: %s out of order: %w", p.EventType(), ErrNotFiled)
	}
	switch e := p.(type) {
	case Filed:
		r.filed(e)
	case DocumentFiled:
		r.docs[e.Kind] = true
	case Approved:
		r.status = StatusApproved
	case SiteChecked:
		r.siteChecked = true
	case RulesBriefed, RulesBriefedV2:
		r.briefed = true
	case FiledV2:
		r.filed(Filed{RenovationID: e.RenovationID, Project: e.Project, District: e.District, Unit: e.Unit,
			Contractor: e.Contractor, Butler: e.Butler, Description: e.Description, Documents: e.Documents, At: e.At})
	case WorkStarted:
		r.status, r.startedDay, r.startedAt = StatusInProgress, DayOf(e.At), e.At
	case Assigned:
		r.area, r.butler = e.Area, e.Butler
	case OwnerTalked:
		r.lastTalkAt = e.At
	case OwnerTalkOverdue:
		r.talkOverdueSince = e.Since
	case Inspected:
		r.accounted[e.Day] = true
	case InspectionMissed:
		r.accounted[e.Day] = true
	case ViolationRecorded:
		r.violations[e.ViolationID] = &violation{}
	case ViolationRectified:
		v, ok := r.violations[e.ViolationID]
		if !ok {
			return fmt.Errorf("renovation: rectified %q: %w", e.ViolationID, ErrUnknownViolation)
		}
		v.rectified = true
	case ViolationClosed:
		v, ok := r.violations[e.ViolationID]
		if !ok {
			return fmt.Errorf("renovation: closed %q: %w", e.ViolationID, ErrUnknownViolation)
		}
		v.closed = true
	case WorkCompleted:
		r.status, r.completedDay = StatusCompleted, DayOf(e.At)
	case AcceptanceInspected:
		r.status, r.findings = StatusAccepting, make([]bool, len(e.Findings))
	case FindingFixed:
		if e.Finding < 0 || e.Finding >= len(r.findings) {
			return fmt.Errorf("renovation: finding %d: %w", e.Finding, ErrUnknownFinding)
		}
		r.findings[e.Finding] = true
	case Closed:
		r.status = StatusClosed
	default:
		return fmt.Errorf("renovation: cannot apply %T", p)
	}
	return nil
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// NextViolationID is the id the next violation gets: v1, v2, … in order.
func (r *Renovation) NextViolationID() string { return fmt.Sprintf("v%d", len(r.violations)+1) }
