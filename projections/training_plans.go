package projections

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff/training"
)

// TrainingPlansIndex is the training plan read model (R-S3).
const TrainingPlansIndex = "training-plans"

// TrainingPlan is one project's plan for a period with its sessions,
// planned and held.
type TrainingPlan struct {
	ID           string            `json:"id"`
	Project      string            `json:"project"`
	District     string            `json:"district"`
	Period       string            `json:"period"`
	Status       string            `json:"status"` // drafted, approved
	DraftedBy    string            `json:"drafted_by"`
	ApprovedBy   string            `json:"approved_by,omitempty"`
	ApproverRole string            `json:"approver_role,omitempty"`
	Sessions     []TrainingSession `json:"sessions"`
	// Months are the months of the planned sessions (?month= filter).
	Months     []string   `json:"months"`
	Planned    int        `json:"planned"`
	Held       int        `json:"held"`
	Text       string     `json:"text"`
	DraftedAt  time.Time  `json:"drafted_at"`
	ApprovedAt *time.Time `json:"approved_at,omitempty"`
	Stamped
}

// TrainingSession is one planned session and, once held, its record.
type TrainingSession struct {
	SessionID string   `json:"session_id"`
	Topic     string   `json:"topic"`
	Type      string   `json:"type"`
	PlannedOn string   `json:"planned_on"`
	Month     string   `json:"month"`
	Audience  []string `json:"audience"`
	Held      bool     `json:"held"`
	HeldOn    string   `json:"held_on,omitempty"`
	Trainer   string   `json:"trainer,omitempty"`
	Attendees []string `json:"attendees,omitempty"`
	Note      string   `json:"note,omitempty"`
}

// TrainingPlans projects training plan streams.
var TrainingPlans = StreamModel[TrainingPlan]{Index: TrainingPlansIndex, Prefix: training.StreamPrefix, Decode: training.Decode,
	Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "period": Keyword, "status": Keyword, "drafted_by": Keyword,
		"approved_by": Keyword, "months": Keyword, "text": Text,
		"planned": Number, "held": Number, "drafted_at": Date, "approved_at": Date, "updated_at": Date,
	},
	Fold: func(d *TrainingPlan, id string, p event.Payload, e event.Recorded) {
		switch p := p.(type) {
		case training.Drafted:
			*d = TrainingPlan{ID: id, Project: p.Project, Period: p.Period, Status: "drafted", DraftedBy: e.Meta.Actor.StaffID,
				Sessions: []TrainingSession{}, Months: []string{}, DraftedAt: p.At, Stamped: Stamped{UpdatedAt: p.At}}
			var topics []string
			for _, s := range p.Sessions {
				month := s.PlannedOn[:min(7, len(s.PlannedOn))]
				d.Sessions = append(d.Sessions, TrainingSession{SessionID: s.SessionID, Topic: s.Topic, Type: s.Type, PlannedOn: s.PlannedOn,
					Month: month, Audience: s.Audience})
				if !slices.Contains(d.Months, month) {
					d.Months = append(d.Months, month)
				}
				topics = append(topics, s.Topic)
			}
			slices.Sort(d.Months)
			d.Text = strings.Join(topics, " ")
		case training.Approved:
			at := p.At
			d.Status, d.ApprovedBy, d.ApproverRole, d.ApprovedAt = "approved", p.By, p.Role, &at
		case training.SessionHeld:
			for i := range d.Sessions {
				if d.Sessions[i].SessionID == p.SessionID {
					s := &d.Sessions[i]
					s.Held, s.HeldOn, s.Trainer, s.Attendees, s.Note = true, p.HeldOn, p.Trainer, p.Attendees, p.Note
				}
			}
		}
		d.Planned, d.Held = len(d.Sessions), 0
		for _, s := range d.Sessions {
			if s.Held {
				d.Held++
			}
		}
	},
}

// trainingPlanCompletion measures R-S3: sessions of approved plans held,
// of sessions planned (in ?month=, by planned date). Records are
// "<plan id>#<session id>".
func trainingPlanCompletion(ctx context.Context, reads KPIReads, f KPIFilter) (KPIResult, error) {
	const name = "training-plan-completion"
	res := KPIResult{Name: name, Description: "planned training sessions held, of sessions planned in approved plans (R-S3)",
		Target: "100%", Filter: f, Records: []string{}, NumeratorRecords: []string{}}
	q := Query{Terms: map[string][]string{"project": {f.Project}, "status": {"approved"}}, Size: 1000, Sort: []Sort{{Field: "id"}}}
	if f.Month != "" {
		q.Terms["months"] = []string{f.Month}
	}
	return partRate(ctx, reads, TrainingPlansIndex, q, res, func(id string, d TrainingPlan, add func(string, bool)) {
		for _, s := range d.Sessions {
			if f.Month == "" || s.Month == f.Month {
				add(id+"#"+s.SessionID, s.Held)
			}
		}
	})
}
