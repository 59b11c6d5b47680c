package projections

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/butler-pm/butler/domain/complaint"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/localtime"
	"github.com/butler-pm/butler/domain/staff"
	"github.com/butler-pm/butler/domain/staff/duty"
	"github.com/butler-pm/butler/domain/workorder"
)

// StaffAssignmentsIndex is the read model behind untrained-staff-assigned
// and untrained-staff-on-duty (R-S2) and relative-recusal-conflicts
// (R-S9): one document per dispatch of a work order or complaint, saying
// whether the assignee was a registered member without a passed
// onboarding assessment at that moment, and whether they had declared a
// relative in the record's unit; one per member and day with write
// attempts refused because they were not on duty ("attempt"). It also
// keeps a small document per staff member ("staff:<id>": onboarded,
// relatives) and per dispatched record ("record:<stream>": its unit), to
// know those, since all come from $all in order.
const StaffAssignmentsIndex = "staff_assignments"

// StaffAssignment is one dispatch.
type StaffAssignment struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"` // "assignment", "attempt", "staff" or "record"
	Project  string `json:"project"`
	District string `json:"district"`
	Assignee string `json:"assignee"`
	Month    string `json:"month,omitempty"`
	Record   string `json:"record,omitempty"` // the dispatched stream
	// Registered: the assignee is in the staff register.
	Registered bool `json:"registered"`
	Onboarded  bool `json:"onboarded"`
	// Untrained: registered and not onboarded when the work was assigned
	// (assignment); unregistered or not onboarded when refused (attempt).
	Untrained bool `json:"untrained"`
	// Unit is the dispatched record's unit (assignment, record).
	Unit string `json:"unit,omitempty"`
	// Relatives are the units where a member declared a relative (staff).
	Relatives []string `json:"relatives,omitempty"`
	// RelativeConflict: the assignee declared a relative in Unit (R-S9).
	RelativeConflict bool `json:"relative_conflict"`
	// Attempt: how many writes were refused that day, why, and the first.
	Attempts int    `json:"attempts,omitempty"`
	Reason   string `json:"reason,omitempty"`
	Day      string `json:"day,omitempty"`
	First    string `json:"first_attempt,omitempty"`
}

// StaffAssignments projects staff streams and dispatch events.
type StaffAssignments struct{}

func (StaffAssignments) Name() string { return StaffAssignmentsIndex }

func (StaffAssignments) Schema() Schema {
	return Schema{Name: StaffAssignmentsIndex, Fields: map[string]FieldKind{
		"id": Keyword, "kind": Keyword, "project": Keyword, "district": Keyword, "assignee": Keyword, "month": Keyword, "record": Keyword,
		"unit": Keyword, "reason": Keyword, "day": Keyword,
		"registered": Bool, "onboarded": Bool, "untrained": Bool, "relative_conflict": Bool, "attempts": Number,
	}}
}

func (StaffAssignments) Apply(ctx context.Context, e event.Recorded, docs *Docs) error {
	if id, ok := strings.CutPrefix(e.Stream, staff.StreamPrefix); ok {
		p, err := staff.Decode(e.Type, e.Data)
		if err != nil {
			return err
		}
		return FoldStream(ctx, docs, "staff:"+id, e, func(d *StaffAssignment) error {
			switch p := p.(type) {
			case staff.Registered:
				*d = StaffAssignment{ID: "staff:" + id, Kind: "staff", Project: p.Project, District: p.District, Assignee: id, Registered: true}
			case staff.Assessed:
				if p.Onboarding && p.Passed {
					d.Onboarded = true
				}
			case staff.RelativeDeclared:
				d.Relatives = append(d.Relatives, p.Unit)
			}
			return nil
		})
	}
	if _, ok := strings.CutPrefix(e.Stream, duty.StreamPrefix); ok {
		p, err := duty.Decode(e.Type, e.Data)
		if err != nil {
			return err
		}
		r := p.(duty.Refused)
		return FoldStream(ctx, docs, e.Stream, e, func(d *StaffAssignment) error {
			if d.ID == "" {
				*d = StaffAssignment{ID: e.Stream, Kind: "attempt", Project: r.Project, District: r.District, Assignee: r.StaffID,
					Month: r.Day[:min(7, len(r.Day))], Day: r.Day, Record: e.Stream, Reason: r.Reason, First: r.Attempt}
			}
			d.Attempts++
			d.Untrained = d.Untrained || r.Untrained
			return nil
		})
	}
	var assignee string
	switch e.Type {
	case workorder.TypeRegistered, complaint.TypeRegistered, complaint.TypeRegisteredV2:
		var r struct {
			Unit string `json:"unit"`
		}
		if err := json.Unmarshal(e.Data, &r); err != nil {
			return fmt.Errorf("%s: %w", e.Type, err)
		}
		if r.Unit == "" {
			return nil
		}
		src, err := json.Marshal(StaffAssignment{ID: "record:" + e.Stream, Kind: "record", Project: e.Meta.Project,
			District: e.Meta.District, Record: e.Stream, Unit: r.Unit})
		if err != nil {
			return err
		}
		docs.Put(Document{ID: "record:" + e.Stream, Version: e.Revision, Source: src})
		return nil
	case workorder.TypeDispatched:
		var p workorder.Dispatched
		if err := json.Unmarshal(e.Data, &p); err != nil {
			return fmt.Errorf("%s: %w", e.Type, err)
		}
		assignee = p.Assignee
	case complaint.TypeDispatched:
		var p complaint.Dispatched
		if err := json.Unmarshal(e.Data, &p); err != nil {
			return fmt.Errorf("%s: %w", e.Type, err)
		}
		assignee = p.Assignee
	default:
		return nil
	}
	// One document per dispatch event: written once, a replay is ignored.
	id := fmt.Sprintf("%s@%d", e.Stream, e.Revision)
	if _, found, err := docs.Get(ctx, id); err != nil || found {
		return err
	}
	a := StaffAssignment{ID: id, Kind: "assignment", Project: e.Meta.Project, District: e.Meta.District, Assignee: assignee,
		Month: localtime.Month(e.Meta.OccurredAt), Record: e.Stream}
	if cur, found, err := docs.Get(ctx, "record:"+e.Stream); err != nil {
		return err
	} else if found {
		var r StaffAssignment
		if err := json.Unmarshal(cur.Source, &r); err != nil {
			return err
		}
		a.Unit = r.Unit
	}
	if cur, found, err := docs.Get(ctx, "staff:"+assignee); err != nil {
		return err
	} else if found {
		var s StaffAssignment
		if err := json.Unmarshal(cur.Source, &s); err != nil {
			return err
		}
		a.Registered, a.Onboarded, a.Untrained = true, s.Onboarded, !s.Onboarded
		// R-S9: work about a declared relative's unit, flagged for the supervisor.
		a.RelativeConflict = a.Unit != "" && slices.Contains(s.Relatives, a.Unit)
	}
	src, err := json.Marshal(a)
	if err != nil {
		return err
	}
	docs.Put(Document{ID: id, Version: e.Revision, Source: src})
	return nil
}
