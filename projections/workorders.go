package projections

import (
	"slices"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/localtime"
	"github.com/butler-pm/butler/domain/workorder"
)

// WorkOrdersIndex is the work-order read model's name.
const WorkOrdersIndex = "workorders"

// WorkOrder is the work-order read model, one document per work order.
// Besides the record it holds what the time policies look for: the SLA
// deadline and whether the owner was spoken to before it (R-W3), the
// return-visit due time of urgent repairs and whether a leak repair's
// after-rain visit is made (R-W5), the verifications of its return visits
// (R-W7) and whether its forms are filed into the owner's archive (R-W8).
type WorkOrder struct {
	ID           string    `json:"id"`
	Project      string    `json:"project"`
	District     string    `json:"district"`
	Unit         string    `json:"unit,omitempty"`
	Description  string    `json:"description"`
	Area         string    `json:"area"`
	Warranty     string    `json:"warranty"`
	Paid         bool      `json:"paid"`
	Urgent       bool      `json:"urgent"`
	Leak         bool      `json:"leak"`
	Status       string    `json:"status"`
	Butler       string    `json:"butler"`
	RegisteredBy string    `json:"registered_by"`
	Assignee     string    `json:"assignee,omitempty"`
	Month        string    `json:"month"`
	RegisteredAt time.Time `json:"registered_at"`
	SLADeadline  time.Time `json:"sla_deadline"`
	// CommunicatedInSLA: a communication with the owner was recorded before the SLA deadline.
	CommunicatedInSLA bool            `json:"communicated_in_sla"`
	Communications    []Communication `json:"communications"`
	Notes             string          `json:"notes,omitempty"`
	StartedAt         *time.Time      `json:"started_at,omitempty"`
	Result            string          `json:"result,omitempty"`
	CompletedAt       *time.Time      `json:"completed_at,omitempty"`
	Confirmed         bool            `json:"confirmed"`
	// SignedBy names the signer of a public-area repair (the staff id of
	// the butler or supervisor who signed it off, SignOffRole their role);
	// an in-home repair's signer is sealed in its event under the
	// household's key and not kept here (R-D3).
	SignedBy         string     `json:"signed_by,omitempty"`
	SignOffRole      string     `json:"sign_off_role,omitempty"`
	ReturnVisitDueAt *time.Time `json:"return_visit_due_at,omitempty"`
	// ReturnVisit is the latest return visit; VisitsRequired the kinds the
	// repair needs (urgent_24h, after_rain, standard), VisitsMade those
	// made; ReturnVisited is true once every required visit is made.
	ReturnVisit    *ReturnVisit `json:"return_visit,omitempty"`
	VisitsRequired []string     `json:"visits_required"`
	VisitsMade     []string     `json:"visits_made"`
	ReturnVisited  bool         `json:"return_visited"`
	// VisitMonth is the month (YYYY-MM) the last required visit was made.
	VisitMonth    string `json:"visit_month,omitempty"`
	Satisfaction  int    `json:"satisfaction,omitempty"`
	VisitComment  string `json:"visit_comment,omitempty"`
	AfterRainyDay string `json:"after_rainy_day,omitempty"`
	// UrgentVisited: an urgent repair's 24 h visit is made;
	// ReturnVisitInTime: it came within 24 h of completion.
	UrgentVisited     bool `json:"urgent_visited"`
	ReturnVisitInTime bool `json:"return_visit_in_time"`
	// A leak repair's after-rain visit (R-W5): RainedAfterCompletion once
	// the visit or the policy found rain after the repair (AfterRainyDay
	// the first), due by AfterRainDueBy; in time if made by then.
	RainedAfterCompletion bool       `json:"rained_after_completion"`
	AfterRainDueBy        *time.Time `json:"after_rain_due_by,omitempty"`
	AfterRainVisited      bool       `json:"after_rain_visited"`
	AfterRainVisitInTime  bool       `json:"after_rain_visit_in_time"`
	AfterRainOverdue      bool       `json:"after_rain_overdue"`
	SLABreached           bool       `json:"sla_breached"`
	ReturnVisitOverdue    bool       `json:"return_visit_overdue"`
	// R-W7: supervisors' checks that the return visit happened: how many,
	// and the latest's result (ok, not_reached, false), by whom.
	Verified           bool   `json:"verified"`
	Verifications      int    `json:"verifications"`
	VerificationResult string `json:"verification_result,omitempty"`
	VerifiedBy         string `json:"verified_by,omitempty"`
	VerificationNote   string `json:"verification_note,omitempty"`
	VisitFoundFalse    bool   `json:"visit_found_false"`
	// R-W8: an in-home repair's forms, filed into the owner's archive
	// FormsArchive once closed; FormsUnfiled while they wait.
	FormsFiled   bool       `json:"forms_filed"`
	FormsArchive string     `json:"forms_archive,omitempty"`
	FormsUnfiled bool       `json:"forms_unfiled"`
	ClosedAt     *time.Time `json:"closed_at,omitempty"`
	Stamped
}

// WorkOrders projects work-order streams.
var WorkOrders = StreamModel[WorkOrder]{Index: WorkOrdersIndex, Prefix: workorder.StreamPrefix, Decode: workorder.Decode,
	Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "unit": Keyword, "area": Keyword, "warranty": Keyword,
		"status": Keyword, "butler": Keyword, "registered_by": Keyword, "assignee": Keyword, "month": Keyword,
		"visits_required": Keyword, "visits_made": Keyword, "visit_month": Keyword, "verification_result": Keyword,
		"after_rainy_day": Keyword, "sign_off_role": Keyword, "after_rain_due_by": Date,
		"urgent_visited": Bool, "rained_after_completion": Bool, "after_rain_visited": Bool, "after_rain_visit_in_time": Bool,
		"after_rain_overdue": Bool, "verified": Bool, "visit_found_false": Bool, "forms_filed": Bool, "forms_unfiled": Bool,
		"description": Text, "notes": Text, "result": Text, "visit_comment": Text, "verification_note": Text,
		"registered_at": Date, "sla_deadline": Date, "completed_at": Date, "return_visit_due_at": Date, "closed_at": Date, "updated_at": Date,
		"satisfaction": Number,
		"paid":         Bool, "urgent": Bool, "leak": Bool, "confirmed": Bool, "return_visited": Bool, "return_visit_in_time": Bool,
		"sla_breached": Bool, "return_visit_overdue": Bool, "communicated_in_sla": Bool,
	},
	Fold: func(d *WorkOrder, id string, p event.Payload, e event.Recorded) {
		by := e.Meta.Actor.StaffID
		switch p := p.(type) {
		case workorder.Registered:
			*d = WorkOrder{ID: id, Project: p.Project, District: p.District, Unit: p.Unit, Description: p.Description,
				Area: string(p.Area), Warranty: string(p.Warranty), Paid: p.Paid, Urgent: p.Urgent, Leak: p.Leak,
				Status: string(workorder.StatusRegistered), RegisteredBy: by, Month: localtime.Month(p.At),
				RegisteredAt: p.At, SLADeadline: p.At.Add(workorder.SLA), Communications: []Communication{},
				VisitsRequired: requiredVisits(p.Urgent, p.Leak), VisitsMade: []string{},
				Stamped: Stamped{UpdatedAt: p.At}}
			if e.Meta.Actor.Role == "butler" {
				d.Butler = by
			}
		case workorder.Dispatched:
			d.Assignee = p.Assignee
			if d.Butler == "" {
				d.Butler = p.Assignee
			}
			d.Status = string(workorder.StatusDispatched)
		case workorder.Started:
			t := p.At
			d.StartedAt = &t
			d.Status = string(workorder.StatusInProgress)
		case workorder.CommunicationRecorded:
			d.Communications = append(d.Communications, Communication{Channel: string(p.Channel), Note: p.Note, By: by, At: p.At})
			d.Notes = strings.TrimSpace(d.Notes + "\n" + p.Note)
			if !p.At.After(d.SLADeadline) {
				d.CommunicatedInSLA = true
			}
		case workorder.Completed:
			t := p.At
			d.CompletedAt = &t
			d.Result = p.Result
			d.Status = string(workorder.StatusCompleted)
			if d.Urgent {
				due := p.At.Add(workorder.UrgentReturnVisitWithin)
				d.ReturnVisitDueAt = &due
			}
		case workorder.OwnerConfirmed:
			// Recorded before households, with the signer in plain text:
			// kept in the event store only (docs/privacy.md).
			d.Confirmed = true
		case workorder.OwnerConfirmedV2:
			d.Confirmed = true
			d.SignedBy = p.SignedBy
		case workorder.SignedOff:
			d.Confirmed = true
			d.SignedBy, d.SignOffRole = p.StaffID, p.Role
		case workorder.ReturnVisited:
			// One visit made every visit the repair needed. Its rainy day
			// has no recorded limit: the limit is read as the rule's now.
			var due time.Time
			if p.AfterRainyDay != "" {
				if day, err := time.ParseInLocation(time.DateOnly, p.AfterRainyDay, p.At.Location()); err == nil {
					due = workorder.AfterRainDueBy(day)
				}
			}
			d.returnVisited(requiredVisits(d.Urgent, d.Leak), string(p.Channel), p.Satisfaction, p.Comment, p.AfterRainyDay, due, by, p.At)
		case workorder.ReturnVisitedV2:
			kinds := make([]string, len(p.Kinds))
			for i, k := range p.Kinds {
				kinds[i] = string(k)
			}
			d.returnVisited(kinds, string(p.Channel), p.Satisfaction, p.Comment, p.AfterRainyDay, p.AfterRainDueBy, by, p.At)
		case workorder.AfterRainVisitOverdue:
			d.AfterRainOverdue = true
			d.RainedAfterCompletion = true
			if d.AfterRainyDay == "" {
				d.AfterRainyDay = p.RainyDay
				due := p.Due
				d.AfterRainDueBy = &due
			}
		case workorder.ReturnVisitVerified:
			d.Verified = true
			d.Verifications++
			d.VerificationResult, d.VerifiedBy = string(p.Result), by
			d.VerificationNote = strings.TrimSpace(d.VerificationNote + "\n" + p.Note)
			if p.Result == workorder.VerifiedFalse {
				d.VisitFoundFalse = true
			}
		case workorder.FormsFiled:
			d.FormsFiled, d.FormsArchive, d.FormsUnfiled = true, p.ArchiveID, false
		case workorder.Closed:
			t := p.At
			d.ClosedAt = &t
			d.Status = string(workorder.StatusClosed)
			// R-W8: an in-home repair's forms now go into the owner's archive.
			d.FormsUnfiled = d.Area == string(workorder.AreaUnit) && !d.FormsFiled
		case workorder.SLABreached:
			d.SLABreached = true
		case workorder.ReturnVisitOverdue:
			d.ReturnVisitOverdue = true
		}
	},
}

// requiredVisits are the return visits a repair needs (R-W5), as
// workorder.WorkOrder.RequiredVisits says them.
func requiredVisits(urgent, leak bool) []string {
	var out []string
	if urgent {
		out = append(out, string(workorder.VisitUrgent24h))
	}
	if leak {
		out = append(out, string(workorder.VisitAfterRain))
	}
	if len(out) == 0 {
		out = append(out, string(workorder.VisitStandard))
	}
	return out
}

// returnVisited folds a return visit that made the required visits kinds.
func (d *WorkOrder) returnVisited(kinds []string, channel string, satisfaction int, comment, rainyDay string, rainDue time.Time, by string, at time.Time) {
	if d.VisitsRequired == nil {
		// A document folded before visits had kinds: say them now.
		d.VisitsRequired = requiredVisits(d.Urgent, d.Leak)
	}
	d.ReturnVisit = &ReturnVisit{Channel: channel, Satisfaction: satisfaction, Comment: comment, By: by, At: at}
	d.Satisfaction, d.VisitComment = satisfaction, comment
	for _, k := range kinds {
		if !slices.Contains(d.VisitsMade, k) {
			d.VisitsMade = append(d.VisitsMade, k)
		}
		switch workorder.VisitKind(k) {
		case workorder.VisitUrgent24h:
			d.UrgentVisited = true
			d.ReturnVisitInTime = d.ReturnVisitDueAt != nil && !at.After(*d.ReturnVisitDueAt)
		case workorder.VisitAfterRain:
			d.AfterRainVisited, d.RainedAfterCompletion = true, true
			d.AfterRainyDay = rainyDay
			if !rainDue.IsZero() {
				due := rainDue
				d.AfterRainDueBy = &due
				d.AfterRainVisitInTime = !at.After(due)
			}
		}
	}
	done := true
	for _, k := range d.VisitsRequired {
		done = done && slices.Contains(d.VisitsMade, k)
	}
	if done {
		d.ReturnVisited = true
		d.VisitMonth = at.Format("2006-01")
		d.Status = string(workorder.StatusVisited)
	}
}
