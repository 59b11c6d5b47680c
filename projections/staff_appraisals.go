package projections

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff"
)

// StaffAppraisalsIndex is the appraisal read model (R-S1, R-F5): one
// document per staff member and month ("month": the month's behaviour
// checks, talks, trainings, sanctions and the appraisal itself, due by
// the 30th), one per behaviour check ("check", what the pass-rate KPI
// counts) and one per member ("staff", their name, role and district,
// for the months). A butler's collection against plan is joined when the
// month is read (GET /staff/{id}/appraisals/{month}) from FeeCollectionIndex.
const StaffAppraisalsIndex = "staff_appraisals"

// Field names of the appraisal read model.
const (
	AppraisalFieldKind    = "kind"
	AppraisalFieldProject = "project"
	AppraisalFieldStaff   = "staff"
	AppraisalFieldMonth   = "month"
)

// StaffAppraisal is one member's month, one behaviour check, or a member.
type StaffAppraisal struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"` // month, check, staff
	Project  string `json:"project"`
	District string `json:"district"`
	Staff    string `json:"staff"`
	Name     string `json:"name,omitempty"`
	Role     string `json:"role,omitempty"`
	Month    string `json:"month,omitempty"`

	// kind month: the behaviour checks (R-S1) …
	Checks          int          `json:"checks"`
	ChecksPassed    int          `json:"checks_passed"`
	ChecksFailed    int          `json:"checks_failed"`
	PassRate        *float64     `json:"pass_rate"`
	BehaviourChecks []StaffCheck `json:"behaviour_checks,omitempty"`
	// … the weekly talks and trainings of the month, the sanctions published …
	Talks       int             `json:"talks"`
	TalksMissed []string        `json:"talks_missed,omitempty"`
	Trainings   int             `json:"trainings"`
	Sanctions   []StaffSanction `json:"sanctions,omitempty"`
	// … and the appraisal: recorded (score, by whom, late after the 30th)
	// or overdue (R-F5). Due: the month has an appraisal or an overdue one.
	Appraised      bool      `json:"appraised"`
	Score          *int      `json:"score"`
	AppraisalNotes string    `json:"appraisal_notes,omitempty"`
	Appraiser      string    `json:"appraiser,omitempty"`
	AppraisedAt    time.Time `json:"appraised_at,omitzero"`
	// Basis: the month's figures the appraisal was made against.
	Basis            *staff.AppraisalBasis `json:"basis,omitempty"`
	Late             bool                  `json:"late"`
	AppraisalOverdue bool                  `json:"appraisal_overdue"`
	AppraisalDue     bool                  `json:"appraisal_due"`
	OnTime           bool                  `json:"on_time"`

	// kind check: one behaviour check.
	Method string    `json:"method,omitempty"`
	Passed bool      `json:"passed"`
	At     time.Time `json:"at,omitzero"`
}

// StaffAppraisals projects staff streams into months and checks.
type StaffAppraisals struct{}

func (StaffAppraisals) Name() string { return StaffAppraisalsIndex }

func (StaffAppraisals) Schema() Schema {
	return Schema{Name: StaffAppraisalsIndex, Fields: map[string]FieldKind{
		"id": Keyword, "kind": Keyword, "project": Keyword, "district": Keyword, "staff": Keyword, "role": Keyword, "month": Keyword,
		"method": Keyword, "name": Text,
		"checks": Number, "checks_failed": Number, "score": Number, "at": Date,
		"passed": Bool, "appraised": Bool, "late": Bool, "appraisal_overdue": Bool, "appraisal_due": Bool, "on_time": Bool,
	}}
}

func (StaffAppraisals) Apply(ctx context.Context, e event.Recorded, docs *Docs) error {
	id, p, ok, err := ofStream(e, staff.StreamPrefix, staff.Decode)
	if !ok || err != nil {
		return err
	}
	by := e.Meta.Actor.StaffID
	if r, ok := p.(staff.Registered); ok {
		return upsertAt(ctx, docs, "staff:"+id, e, func(d *StaffAppraisal) {
			*d = StaffAppraisal{ID: "staff:" + id, Kind: "staff", Project: r.Project, District: r.District, Staff: id, Name: r.Name, Role: r.Role}
		})
	}
	var month string
	change := func(d *StaffAppraisal) {}
	switch p := p.(type) {
	case staff.BehaviourChecked:
		month = staff.MonthOf(p.At)
		checkID := fmt.Sprintf("check:%s@%d", id, e.Revision)
		if err := upsertAt(ctx, docs, checkID, e, func(d *StaffAppraisal) {
			*d = StaffAppraisal{ID: checkID, Kind: "check", Project: e.Meta.Project, District: e.Meta.District, Staff: id,
				Month: month, Method: p.Method, Passed: p.Passed, At: p.At}
		}); err != nil {
			return err
		}
		change = func(d *StaffAppraisal) {
			d.Checks++
			if p.Passed {
				d.ChecksPassed++
			} else {
				d.ChecksFailed++
			}
			rate := float64(d.ChecksPassed) / float64(d.Checks)
			d.PassRate = &rate
			d.BehaviourChecks = append(d.BehaviourChecks, StaffCheck{Method: p.Method, Passed: p.Passed, Notes: p.Notes, By: by, At: p.At})
		}
	case staff.OneToOneHeld:
		month = staff.MonthOf(p.At)
		change = func(d *StaffAppraisal) { d.Talks++ }
	case staff.TalkMissed:
		month = staff.WeekMonth(p.Week)
		change = func(d *StaffAppraisal) { d.TalksMissed = append(d.TalksMissed, p.Week) }
	case staff.TrainingAttended:
		month = staff.MonthOf(p.At)
		change = func(d *StaffAppraisal) { d.Trainings++ }
	case staff.SanctionPublished:
		month = staff.MonthOf(p.At)
		change = func(d *StaffAppraisal) {
			d.Sanctions = append(d.Sanctions, StaffSanction{Kind: p.Kind, Reason: p.Reason, Amount: p.Amount, By: by, At: p.At})
		}
	case staff.Appraised:
		month = p.Month
		change = func(d *StaffAppraisal) {
			score := p.Score
			d.Appraised, d.Score, d.AppraisalNotes, d.Appraiser, d.AppraisedAt, d.Late = true, &score, p.Notes, p.Appraiser, p.At, p.Late
			d.AppraisalDue, d.OnTime, d.Basis = true, !p.Late, p.Basis
		}
	case staff.AppraisalOverdue:
		month = p.Month
		change = func(d *StaffAppraisal) { d.AppraisalOverdue, d.AppraisalDue = true, true }
	default:
		return nil
	}
	var member StaffAppraisal
	if cur, found, err := docs.Get(ctx, "staff:"+id); err != nil {
		return err
	} else if found {
		if err := json.Unmarshal(cur.Source, &member); err != nil {
			return err
		}
	}
	monthID := id + "@" + month
	return upsertAt(ctx, docs, monthID, e, func(d *StaffAppraisal) {
		if d.ID == "" {
			*d = StaffAppraisal{ID: monthID, Kind: "month", Project: e.Meta.Project, District: e.Meta.District, Staff: id,
				Name: member.Name, Role: member.Role, Month: month}
		}
		change(d)
	})
}

// upsertAt changes a document that several streams (or several events of
// one stream, out of revision order per document) feed, versioned by the
// event's global position so that a replay never applies twice.
func upsertAt[T any](ctx context.Context, docs *Docs, id string, e event.Recorded, change func(d *T)) error {
	var d T
	cur, found, err := docs.Get(ctx, id)
	if err != nil {
		return err
	}
	if found {
		if cur.Version >= uint64(e.Position) {
			return nil
		}
		if err := json.Unmarshal(cur.Source, &d); err != nil {
			return fmt.Errorf("decoding document %s: %w", id, err)
		}
	}
	change(&d)
	src, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("encoding document %s: %w", id, err)
	}
	docs.Put(Document{ID: id, Version: uint64(e.Position), Source: src})
	return nil
}
