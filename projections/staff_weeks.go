package projections

import (
	"context"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff"
	"github.com/butler-pm/butler/domain/staff/quality"
)

// StaffWeeksIndex is the read model of the supervisor's weekly duties
// (R-S4, R-S7), one document per member and ISO week: "talk" (was there a
// talk with the subordinate that week?) and "patrol" (did the supervisor
// patrol with a self-inspection report?). A week's document appears when
// the talk or patrol is recorded, or when a time rule records the week
// missed; a week counts in the month of its Thursday.
const StaffWeeksIndex = "staff_weeks"

// Field names of the weeks read model.
const (
	StaffWeekFieldKind       = "kind"
	StaffWeekFieldProject    = "project"
	StaffWeekFieldStaff      = "staff"
	StaffWeekFieldSupervisor = "supervisor"
	StaffWeekFieldWeek       = "week"
	StaffWeekFieldHeld       = "held"
)

// StaffWeek is one member's week of one duty.
type StaffWeek struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"` // talk, patrol
	Project  string `json:"project"`
	District string `json:"district"`
	// Staff is the subordinate (talk) or the supervisor (patrol).
	Staff string `json:"staff"`
	// Supervisor is who held the talk, or who patrolled; for a missed
	// talk, the member's supervisor as last known (their profile's, or
	// the last talk's).
	Supervisor string    `json:"supervisor"`
	Week       string    `json:"week"`
	Month      string    `json:"month"`
	Held       bool      `json:"held"`
	Missed     bool      `json:"missed"`
	Count      int       `json:"count"`
	Minutes    int       `json:"minutes,omitempty"`
	At         time.Time `json:"at,omitzero"`
}

// StaffWeeks projects talks, patrols and the weeks recorded missed.
type StaffWeeks struct{}

func (StaffWeeks) Name() string { return StaffWeeksIndex }

func (StaffWeeks) Schema() Schema {
	return Schema{Name: StaffWeeksIndex, Fields: map[string]FieldKind{
		"id": Keyword, "kind": Keyword, "project": Keyword, "district": Keyword, "staff": Keyword, "supervisor": Keyword,
		"week": Keyword, "month": Keyword, "held": Bool, "missed": Bool, "count": Number, "at": Date,
	}}
}

func (StaffWeeks) Apply(ctx context.Context, e event.Recorded, docs *Docs) error {
	if strings.HasPrefix(e.Stream, quality.PatrolStreamPrefix) {
		p, err := quality.Decode(e.Type, e.Data)
		if err != nil {
			return err
		}
		x, ok := p.(quality.Patrolled)
		if !ok {
			return nil
		}
		return weekDoc(ctx, docs, e, "patrol", x.Supervisor, x.Week, func(d *StaffWeek) {
			d.Supervisor, d.Held, d.Missed, d.At = x.Supervisor, true, false, x.At
			d.Count++
		})
	}
	id, p, ok, err := ofStream(e, staff.StreamPrefix, staff.Decode)
	if !ok || err != nil {
		return err
	}
	switch p := p.(type) {
	case staff.ProfileRecorded:
		return upsertAt(ctx, docs, "staff:"+id, e, func(d *StaffWeek) {
			*d = StaffWeek{ID: "staff:" + id, Kind: "staff", Project: e.Meta.Project, District: e.Meta.District, Staff: id, Supervisor: p.Supervisor}
		})
	case staff.OneToOneHeld:
		if err := upsertAt(ctx, docs, "staff:"+id, e, func(d *StaffWeek) {
			*d = StaffWeek{ID: "staff:" + id, Kind: "staff", Project: e.Meta.Project, District: e.Meta.District, Staff: id, Supervisor: p.Supervisor}
		}); err != nil {
			return err
		}
		return weekDoc(ctx, docs, e, "talk", id, p.Week, func(d *StaffWeek) {
			d.Supervisor, d.Held, d.Missed, d.Minutes, d.At = p.Supervisor, true, false, p.Minutes, p.At
			d.Count++
		})
	case staff.TalkMissed:
		var supervisor string
		if cur, found, err := docs.Get(ctx, "staff:"+id); err != nil {
			return err
		} else if found {
			var s StaffWeek
			if err := jsonUnmarshal(cur.Source, &s); err != nil {
				return err
			}
			supervisor = s.Supervisor
		}
		return weekDoc(ctx, docs, e, "talk", id, p.Week, func(d *StaffWeek) {
			if !d.Held {
				d.Supervisor, d.Missed, d.At = supervisor, true, p.At
			}
		})
	case staff.PatrolWeekMissed:
		return weekDoc(ctx, docs, e, "patrol", id, p.Week, func(d *StaffWeek) {
			if !d.Held {
				d.Supervisor, d.Missed, d.At = id, true, p.At
			}
		})
	}
	return nil
}

// weekDoc changes the week document of one member and duty.
func weekDoc(ctx context.Context, docs *Docs, e event.Recorded, kind, member, week string, change func(d *StaffWeek)) error {
	id := kind + ":" + member + "@" + week
	district := e.Meta.District
	if kind == "patrol" {
		district = "" // a supervisor patrols for the whole project
	}
	return upsertAt(ctx, docs, id, e, func(d *StaffWeek) {
		if d.ID == "" {
			*d = StaffWeek{ID: id, Kind: kind, Project: e.Meta.Project, District: district, Staff: member, Week: week, Month: staff.WeekMonth(week)}
		}
		change(d)
	})
}
