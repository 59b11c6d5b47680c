package projections

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/localtime"
	"github.com/butler-pm/butler/domain/staff/quality"
	"github.com/butler-pm/butler/domain/workorder"
)

// QualityIndex holds the supervisors' quality work (R-S4, R-W6): one
// document per work order ("work_order": was it spot-checked?), per spot
// check ("check") and per weekly patrol ("patrol").
const QualityIndex = "quality"

// Field names of the quality read model, for the R-S4 time rule.
const (
	QualityFieldProject = "project"
	QualityFieldKind    = "kind"
	QualityFieldButler  = "butler"
	QualityFieldWeek    = "week"
)

// QualityRecord is one work order, spot check or supervisor patrol.
type QualityRecord struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"`
	Project     string    `json:"project"`
	District    string    `json:"district"`
	Butler      string    `json:"butler"` // work order's butler; the checking or patrolling supervisor
	Month       string    `json:"month"`
	WorkOrderID string    `json:"work_order_id,omitempty"`
	SpotChecked bool      `json:"spot_checked"`
	Matches     bool      `json:"matches"`
	Problem     string    `json:"problem,omitempty"`
	Corrected   bool      `json:"corrected"`
	Action      string    `json:"action,omitempty"`
	Week        string    `json:"week,omitempty"`
	Areas       []string  `json:"areas,omitempty"`
	Report      string    `json:"report,omitempty"`
	Problems    []string  `json:"problems,omitempty"`
	At          time.Time `json:"at"`
}

// Quality projects work-order registrations, spot checks and supervisor patrols.
type Quality struct{}

func (Quality) Name() string { return QualityIndex }
func (Quality) Schema() Schema {
	return Schema{Name: QualityIndex, Fields: map[string]FieldKind{
		"id": Keyword, "kind": Keyword, "project": Keyword, "district": Keyword, "butler": Keyword, "month": Keyword,
		"work_order_id": Keyword, "week": Keyword, "problem": Text, "action": Text, "report": Text, "problems": Text,
		"at": Date, "spot_checked": Bool, "matches": Bool, "corrected": Bool,
	}}
}

func (Quality) Apply(ctx context.Context, e event.Recorded, docs *Docs) error {
	switch {
	case strings.HasPrefix(e.Stream, workorder.StreamPrefix) && e.Type == workorder.TypeRegistered:
		var r workorder.Registered
		if err := json.Unmarshal(e.Data, &r); err != nil {
			return err
		}
		butler := ""
		if e.Meta.Actor.Role == "butler" {
			butler = e.Meta.Actor.StaffID
		}
		return putByPosition(ctx, docs, e, r.WorkOrderID, func(d *QualityRecord) {
			checked := d.SpotChecked
			*d = QualityRecord{ID: r.WorkOrderID, Kind: "work_order", Project: r.Project, District: r.District, Butler: butler,
				Month: localtime.Month(r.At), WorkOrderID: r.WorkOrderID, SpotChecked: checked, At: r.At}
		})
	case strings.HasPrefix(e.Stream, quality.SpotCheckStreamPrefix):
		id := strings.TrimPrefix(e.Stream, quality.SpotCheckStreamPrefix)
		p, err := quality.Decode(e.Type, e.Data)
		if err != nil {
			return err
		}
		var check QualityRecord
		if err := FoldStream(ctx, docs, "check:"+id, e, func(d *QualityRecord) error {
			switch p := p.(type) {
			case quality.SpotChecked:
				*d = QualityRecord{ID: "check:" + id, Kind: "check", Project: p.Project, District: p.District, Butler: e.Meta.Actor.StaffID,
					Month: p.Month, WorkOrderID: p.WorkOrderID, SpotChecked: true, Matches: p.Matches, Problem: p.Problem, At: p.At}
			case quality.Corrected:
				d.Corrected, d.Action = true, p.Action
			}
			check = *d
			return nil
		}); err != nil {
			return err
		}
		if _, ok := p.(quality.SpotChecked); ok {
			return putByPosition(ctx, docs, e, check.WorkOrderID, func(d *QualityRecord) {
				d.SpotChecked = true
				if d.ID == "" {
					// The check arrived for a work order this model has not seen registered.
					d.ID, d.Kind, d.Project, d.District, d.Month, d.WorkOrderID = check.WorkOrderID, "work_order", check.Project, check.District, check.Month, check.WorkOrderID
				}
			})
		}
	case strings.HasPrefix(e.Stream, quality.PatrolStreamPrefix):
		p, err := quality.Decode(e.Type, e.Data)
		if err != nil {
			return err
		}
		if x, ok := p.(quality.Patrolled); ok {
			return putByPosition(ctx, docs, e, "patrol:"+x.PatrolID, func(d *QualityRecord) {
				*d = QualityRecord{ID: "patrol:" + x.PatrolID, Kind: "patrol", Project: x.Project, District: x.District, Butler: x.Supervisor,
					Month: localtime.Month(x.At), Week: x.Week, Areas: x.Areas, Report: x.Report, Problems: x.Problems, At: x.At}
			})
		}
	}
	return nil
}

// putByPosition changes a document fed by several streams, versioned by
// global position so a replay never applies twice.
func putByPosition(ctx context.Context, docs *Docs, e event.Recorded, id string, change func(d *QualityRecord)) error {
	var d QualityRecord
	cur, found, err := docs.Get(ctx, id)
	if err != nil {
		return err
	}
	if found {
		if cur.Version >= uint64(e.Position) {
			return nil
		}
		if err := json.Unmarshal(cur.Source, &d); err != nil {
			return err
		}
	}
	change(&d)
	src, err := json.Marshal(d)
	if err != nil {
		return err
	}
	docs.Put(Document{ID: id, Version: uint64(e.Position), Source: src})
	return nil
}
