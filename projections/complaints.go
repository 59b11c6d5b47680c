package projections

import (
	"slices"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/complaint"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/localtime"
)

// ComplaintsIndex is the complaints read model's name.
const ComplaintsIndex = "complaints"

// Complaint is the complaints read model: one document per complaint,
// versioned by the complaint stream's revision.
type Complaint struct {
	ID       string `json:"id"`
	Project  string `json:"project"`
	District string `json:"district"`
	// Unit names the household; the owner's name and phone are the
	// household's (Households), joined at read time, never stored here.
	Unit        string `json:"unit"`
	Category    string `json:"category"`
	Description string `json:"description"`
	Soothing    string `json:"soothing"`
	Status      string `json:"status"`
	// Butler is the district butler who owns the complaint: the registering
	// butler, or the assignee when someone else registered it.
	Butler         string          `json:"butler"`
	RegisteredBy   string          `json:"registered_by"`
	Assignee       string          `json:"assignee,omitempty"`
	Month          string          `json:"month"`
	RegisteredAt   time.Time       `json:"registered_at"`
	Communications []Communication `json:"communications"`
	Notes          string          `json:"notes,omitempty"`
	Delays         []Delay         `json:"delays,omitempty"`
	ExpectedBy     *time.Time      `json:"expected_by,omitempty"`
	Resolution     string          `json:"resolution,omitempty"`
	ResolvedAt     *time.Time      `json:"resolved_at,omitempty"`
	ReturnVisit    *ReturnVisit    `json:"return_visit,omitempty"`
	ReturnVisited  bool            `json:"return_visited"`
	Satisfaction   int             `json:"satisfaction,omitempty"`
	VisitComment   string          `json:"visit_comment,omitempty"`
	ClosedAt       *time.Time      `json:"closed_at,omitempty"`
	Level          string          `json:"level"`
	Escalations    []Escalation    `json:"escalations,omitempty"`
	RiskFlagged    bool            `json:"risk_flagged"`
	RiskReason     string          `json:"risk_reason,omitempty"`
	// Warn names the role warned by a group-complaint risk flag (R-C4).
	Warn string `json:"warn,omitempty"`

	// R-C2: the deadline from registration (complaint.DeadlineFor); the
	// time rule's overdue mark, and whether the owner had been told of the
	// delay before it; whether the resolution came in time.
	Deadline           time.Time  `json:"deadline,omitzero"`
	Overdue            bool       `json:"overdue"`
	OverdueAt          *time.Time `json:"overdue_at,omitempty"`
	OverdueUnexplained bool       `json:"overdue_unexplained"`
	ResolvedInTime     bool       `json:"resolved_in_time"`
	// R-C7: the validity judgement on resolution (有效投诉); absent until resolved.
	Valid          *bool  `json:"valid,omitempty"`
	ValidityReason string `json:"validity_reason,omitempty"`
	// R-C5: marked important; handled by the supervisor.
	Important       bool   `json:"important"`
	ImportantReason string `json:"important_reason,omitempty"`
	// R-C8: supervisors' daily looks, the days that went without one, and
	// when the time rule next judges a day (nil: no day left to judge).
	Reviews           []Review   `json:"reviews,omitempty"`
	ReviewDays        []string   `json:"review_days,omitempty"`
	MissedReviewDays  []string   `json:"missed_review_days,omitempty"`
	ReviewMissed      bool       `json:"review_missed"`
	NextReviewCheckAt *time.Time `json:"next_review_check_at,omitempty"`
	// R-C6: communication records (follow-ups, the return visit,
	// supervisors' contacts) and how many are filed in the owner's archive.
	Records        int      `json:"records"`
	RecordsFiled   int      `json:"records_filed"`
	RecordsUnfiled bool     `json:"records_unfiled"`
	FiledIn        []string `json:"filed_in,omitempty"`
	Stamped
}

// Review is a supervisor's daily look at a complaint (R-C8).
type Review struct {
	Day     string    `json:"day"`
	Note    string    `json:"note"`
	Channel string    `json:"channel,omitempty"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
}

func (d *Complaint) registered(id string, p complaint.RegisteredV2, e event.Recorded) {
	by := e.Meta.Actor.StaffID
	*d = Complaint{ID: id, Project: p.Project, District: p.District, Unit: p.Unit,
		Category: p.Category, Description: p.Description, Soothing: p.Soothing, Status: string(complaint.StatusRegistered),
		RegisteredBy: by, Month: localtime.Month(p.At), RegisteredAt: p.At, Level: string(complaint.LevelButler),
		Communications: []Communication{}, Stamped: Stamped{UpdatedAt: p.At},
		Deadline: complaint.DeadlineFor(p.Category, p.At)}
	if e.Meta.Actor.Role == "butler" {
		d.Butler = by
	}
}

// Communication is a call, visit or message with the owner.
type Communication struct {
	Channel string    `json:"channel"`
	Note    string    `json:"note"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
}

// Delay is an explanation of a delay given to the owner (R-C2).
type Delay struct {
	Reason     string    `json:"reason"`
	ExpectedBy time.Time `json:"expected_by"`
	At         time.Time `json:"at"`
}

// ReturnVisit is the owner's rating after handling.
type ReturnVisit struct {
	Channel      string    `json:"channel"`
	Satisfaction int       `json:"satisfaction"`
	Comment      string    `json:"comment,omitempty"`
	By           string    `json:"by"`
	At           time.Time `json:"at"`
}

// Escalation is a move up the levels (R-C5).
type Escalation struct {
	Level  string    `json:"level"`
	Reason string    `json:"reason"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
}

// Complaints projects complaint streams.
var Complaints = StreamModel[Complaint]{Index: ComplaintsIndex, Prefix: complaint.StreamPrefix, Decode: complaint.Decode,
	Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "unit": Keyword, "category": Label,
		"status": Keyword, "butler": Keyword, "registered_by": Keyword, "assignee": Keyword, "month": Keyword, "level": Keyword,
		"description": Text, "soothing": Text, "notes": Text, "resolution": Text, "visit_comment": Text, "risk_reason": Text,
		"registered_at": Date, "resolved_at": Date, "closed_at": Date, "updated_at": Date, "expected_by": Date,
		"satisfaction":   Number,
		"return_visited": Bool, "risk_flagged": Bool,
		"deadline": Date, "overdue_at": Date, "next_review_check_at": Date,
		"overdue": Bool, "overdue_unexplained": Bool, "resolved_in_time": Bool, "valid": Bool, "important": Bool,
		"review_missed": Bool, "records_unfiled": Bool, "validity_reason": Text, "important_reason": Text,
		"review_days": Keyword, "missed_review_days": Keyword,
	},
	Fold: func(d *Complaint, id string, p event.Payload, e event.Recorded) {
		by := e.Meta.Actor.StaffID
		switch p := p.(type) {
		case complaint.Registered:
			// A registration from before households: its owner and phone
			// stay in the event store only (docs/privacy.md).
			d.registered(id, complaint.RegisteredV2{ComplaintID: p.ComplaintID, Project: p.Project, District: p.District,
				Unit: p.Unit, Category: p.Category, Description: p.Description, Soothing: p.Soothing, At: p.At}, e)
		case complaint.RegisteredV2:
			d.registered(id, p, e)
		case complaint.Dispatched:
			d.Assignee = p.Assignee
			if d.Butler == "" {
				d.Butler = p.Assignee
			}
			d.Status = string(complaint.StatusDispatched)
		case complaint.CommunicationRecorded:
			d.Communications = append(d.Communications, Communication{Channel: string(p.Channel), Note: p.Note, By: by, At: p.At})
			d.Notes = strings.TrimSpace(d.Notes + "\n" + p.Note)
			d.Records++
		case complaint.DelayExplained:
			d.Delays = append(d.Delays, Delay{Reason: p.Reason, ExpectedBy: p.ExpectedBy, At: p.At})
			t := p.ExpectedBy
			d.ExpectedBy = &t
			d.Notes = strings.TrimSpace(d.Notes + "\n" + p.Reason)
		case complaint.Resolved:
			d.Resolution = p.Resolution
			t := p.At
			d.ResolvedAt = &t
			d.Status = string(complaint.StatusResolved)
			valid := p.Valid
			d.Valid, d.ValidityReason = &valid, p.ValidityReason
			d.ResolvedInTime = !p.At.After(d.Deadline)
		case complaint.ReturnVisited:
			d.ReturnVisit = &ReturnVisit{Channel: string(p.Channel), Satisfaction: p.Satisfaction, Comment: p.Comment, By: by, At: p.At}
			d.ReturnVisited = true
			d.Satisfaction = p.Satisfaction
			d.VisitComment = p.Comment
			d.Status = string(complaint.StatusVisited)
			d.Records++
		case complaint.Closed:
			t := p.At
			d.ClosedAt = &t
			d.Status = string(complaint.StatusClosed)
		case complaint.Escalated:
			d.Level = string(p.Level)
			d.Escalations = append(d.Escalations, Escalation{Level: string(p.Level), Reason: p.Reason, By: by, At: p.At})
		case complaint.RiskFlagged:
			d.RiskFlagged = true
			d.RiskReason = p.Reason
			d.Warn = p.Warn
		case complaint.Overdue:
			t := p.At
			d.Overdue, d.OverdueAt, d.OverdueUnexplained = true, &t, !p.Explained
		case complaint.MarkedImportant:
			d.Important, d.ImportantReason = true, p.Reason
		case complaint.SupervisorReviewed:
			d.Reviews = append(d.Reviews, Review{Day: p.Day, Note: p.Note, Channel: string(p.Channel), By: by, At: p.At})
			d.ReviewDays = appendOnce(d.ReviewDays, p.Day)
			d.Notes = strings.TrimSpace(d.Notes + "\n" + p.Note)
			if p.Channel != "" {
				d.Records++
			}
		case complaint.ReviewMissed:
			d.MissedReviewDays = appendOnce(d.MissedReviewDays, p.Day)
			d.ReviewMissed = true
		case complaint.RecordFiled:
			d.RecordsFiled++
			if !slices.Contains(d.FiledIn, p.ArchiveID) {
				d.FiledIn = append(d.FiledIn, p.ArchiveID)
			}
		}
		d.RecordsUnfiled = d.Records > d.RecordsFiled
		d.NextReviewCheckAt = nextReviewCheck(d)
	},
}

// nextReviewCheck is the end of the first day that needs a supervisor's
// look (R-C8: after the registration day, before the resolution day) and
// is neither reviewed nor recorded missed; nil when none is left.
func nextReviewCheck(d *Complaint) *time.Time {
	if d.RegisteredAt.IsZero() {
		return nil
	}
	resolvedDay := ""
	if d.ResolvedAt != nil {
		resolvedDay = complaint.DayOf(*d.ResolvedAt)
	}
	start, _ := time.ParseInLocation(time.DateOnly, complaint.DayOf(d.RegisteredAt), complaint.Zone)
	for day := start.AddDate(0, 0, 1); ; day = day.AddDate(0, 0, 1) {
		s := day.Format(time.DateOnly)
		if resolvedDay != "" && s >= resolvedDay {
			return nil
		}
		if !slices.Contains(d.ReviewDays, s) && !slices.Contains(d.MissedReviewDays, s) {
			end := day.AddDate(0, 0, 1)
			return &end
		}
	}
}
