package projections

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/butler-pm/butler/domain/complaint"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/localtime"
	"github.com/butler-pm/butler/domain/staff"
	"github.com/butler-pm/butler/domain/workorder"
)

// StaffAssignmentsIndex is the read model behind untrained-staff-assigned
// (R-S2): one document per dispatch of a work order or complaint, saying
// whether the assignee was a registered member without a passed
// onboarding assessment at that moment. It also keeps a small document
// per staff member ("staff:<id>") to know that, since both come from $all
// in order.
const StaffAssignmentsIndex = "staff_assignments"

// StaffAssignment is one dispatch.
type StaffAssignment struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"` // "assignment" or "staff"
	Project  string `json:"project"`
	District string `json:"district"`
	Assignee string `json:"assignee"`
	Month    string `json:"month,omitempty"`
	Record   string `json:"record,omitempty"` // the dispatched stream
	// Registered: the assignee is in the staff register.
	Registered bool `json:"registered"`
	Onboarded  bool `json:"onboarded"`
	// Untrained: registered and not onboarded when the work was assigned.
	Untrained bool `json:"untrained"`
}

// StaffAssignments projects staff streams and dispatch events.
type StaffAssignments struct{}

func (StaffAssignments) Name() string { return StaffAssignmentsIndex }

func (StaffAssignments) Schema() Schema {
	return Schema{Name: StaffAssignmentsIndex, Fields: map[string]FieldKind{
		"id": Keyword, "kind": Keyword, "project": Keyword, "district": Keyword, "assignee": Keyword, "month": Keyword, "record": Keyword,
		"registered": Bool, "onboarded": Bool, "untrained": Bool,
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
			}
			return nil
		})
	}
	var assignee string
	switch e.Type {
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
	if cur, found, err := docs.Get(ctx, "staff:"+assignee); err != nil {
		return err
	} else if found {
		var s StaffAssignment
		if err := json.Unmarshal(cur.Source, &s); err != nil {
			return err
		}
		a.Registered, a.Onboarded, a.Untrained = true, s.Onboarded, !s.Onboarded
	}
	src, err := json.Marshal(a)
	if err != nil {
		return err
	}
	docs.Put(Document{ID: id, Version: e.Revision, Source: src})
	return nil
}
