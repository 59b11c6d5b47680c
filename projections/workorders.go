package projections

import (
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
// deadline and whether the owner was spoken to before it (R-W3), and the
// return-visit due time of urgent repairs (R-W5).
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
	// SignedBy names the signer of a public-area repair; an in-home
	// repair's signer is sealed in its event under the household's key
	// and not kept here (R-D3).
	SignedBy         string       `json:"signed_by,omitempty"`
	ReturnVisitDueAt *time.Time   `json:"return_visit_due_at,omitempty"`
	ReturnVisit      *ReturnVisit `json:"return_visit,omitempty"`
	ReturnVisited    bool         `json:"return_visited"`
	Satisfaction     int          `json:"satisfaction,omitempty"`
	VisitComment     string       `json:"visit_comment,omitempty"`
	AfterRainyDay    string       `json:"after_rainy_day,omitempty"`
	// ReturnVisitInTime: an urgent repair's return visit came within 24 h of completion.
	ReturnVisitInTime  bool       `json:"return_visit_in_time"`
	SLABreached        bool       `json:"sla_breached"`
	ReturnVisitOverdue bool       `json:"return_visit_overdue"`
	ClosedAt           *time.Time `json:"closed_at,omitempty"`
	Stamped
}

// WorkOrders projects work-order streams.
var WorkOrders = StreamModel[WorkOrder]{Index: WorkOrdersIndex, Prefix: workorder.StreamPrefix, Decode: workorder.Decode,
	Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "unit": Keyword, "area": Keyword, "warranty": Keyword,
		"status": Keyword, "butler": Keyword, "registered_by": Keyword, "assignee": Keyword, "month": Keyword,
		"description": Text, "notes": Text, "result": Text, "visit_comment": Text,
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
		case workorder.ReturnVisited:
			d.ReturnVisit = &ReturnVisit{Channel: string(p.Channel), Satisfaction: p.Satisfaction, Comment: p.Comment, By: by, At: p.At}
			d.ReturnVisited = true
			d.Satisfaction = p.Satisfaction
			d.VisitComment = p.Comment
			d.AfterRainyDay = p.AfterRainyDay
			d.ReturnVisitInTime = d.ReturnVisitDueAt != nil && !p.At.After(*d.ReturnVisitDueAt)
			d.Status = string(workorder.StatusVisited)
		case workorder.Closed:
			t := p.At
			d.ClosedAt = &t
			d.Status = string(workorder.StatusClosed)
		case workorder.SLABreached:
			d.SLABreached = true
		case workorder.ReturnVisitOverdue:
			d.ReturnVisitOverdue = true
		}
	},
}
