package projections

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/localtime"
	"github.com/butler-pm/butler/domain/visit"
)

// Visit read models (R-H1…R-H5).
const (
	VisitPlansIndex   = "visit_plans"
	VisitsIndex       = "visits"
	ReturnVisitsIndex = "return_visits"
)

// VisitPlan is a butler's monthly plan and how far the visits got (R-H1).
// Plans are fed by the plan stream and by the visits made against them,
// so they are versioned by global position.
type VisitPlan struct {
	ID                 string   `json:"id"`
	Project            string   `json:"project"`
	District           string   `json:"district"`
	Butler             string   `json:"butler"`
	Month              string   `json:"month"`
	Households         []string `json:"households"`
	Planned            int      `json:"planned"`
	DistrictHouseholds int      `json:"district_households"`
	// CountedFrom: "register" when the household count is the district's
	// occupied units in the register of units; "caller" for a plan
	// recorded before the register, whose caller gave it (R-H1).
	CountedFrom  string    `json:"counted_from"`
	PlannedRatio float64   `json:"planned_ratio"`
	Visited      []string  `json:"visited"`
	VisitRatio   float64   `json:"visit_ratio"`
	RatioMet     bool      `json:"ratio_met"`
	PlannedAt    time.Time `json:"planned_at"`
}

// VisitPlans projects plans and the routine visits made against them.
type VisitPlans struct{}

func (VisitPlans) Name() string { return VisitPlansIndex }
func (VisitPlans) Schema() Schema {
	return Schema{Name: VisitPlansIndex, Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "butler": Keyword, "month": Keyword, "households": Keyword,
		"planned_at": Date, "visit_ratio": Number, "planned_ratio": Number, "ratio_met": Bool,
	}}
}

func (VisitPlans) Apply(ctx context.Context, e event.Recorded, docs *Docs) error {
	var planID string
	var change func(p *VisitPlan)
	switch {
	case strings.HasPrefix(e.Stream, visit.PlanStreamPrefix):
		p, err := visit.Decode(e.Type, e.Data)
		if err != nil {
			return err
		}
		pl, ok := p.(visit.Planned)
		if !ok {
			return nil
		}
		planID = pl.PlanID
		change = func(d *VisitPlan) {
			*d = VisitPlan{ID: pl.PlanID, Project: pl.Project, District: pl.District, Butler: pl.Butler, Month: pl.Month,
				Households: pl.Households, Planned: len(pl.Households), DistrictHouseholds: pl.DistrictHouseholds, CountedFrom: countedFrom(pl),
				PlannedRatio: float64(len(pl.Households)) / float64(pl.DistrictHouseholds), Visited: []string{}, PlannedAt: pl.At}
		}
	case strings.HasPrefix(e.Stream, visit.StreamPrefix) && visit.IsVisited(e.Type):
		var v visit.Visited
		if err := json.Unmarshal(e.Data, &v); err != nil {
			return fmt.Errorf("%s: %w", e.Type, err)
		}
		if v.PlanID == "" || v.Kind != visit.KindRoutine {
			return nil
		}
		planID = v.PlanID
		change = func(d *VisitPlan) {
			for _, h := range d.Visited {
				if h == v.Household {
					return
				}
			}
			d.Visited = append(d.Visited, v.Household)
		}
	default:
		return nil
	}
	var d VisitPlan
	cur, found, err := docs.Get(ctx, planID)
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
	} else if !visit.IsPlanned(e.Type) {
		return nil // a visit naming an unknown plan
	}
	change(&d)
	if d.DistrictHouseholds > 0 {
		d.VisitRatio = float64(len(d.Visited)) / float64(d.DistrictHouseholds)
		d.RatioMet = len(d.Visited)*100 >= visit.MinCoveragePercent*d.DistrictHouseholds
	}
	src, err := json.Marshal(d)
	if err != nil {
		return err
	}
	docs.Put(Document{ID: planID, Version: uint64(e.Position), Source: src})
	return nil
}

func countedFrom(p visit.Planned) string {
	if p.CountedFrom == "" {
		return "caller"
	}
	return p.CountedFrom
}

// VisitRecord is a visit ("visit"), one of its opinions ("opinion"), or a
// marker that a visitor saw a household in a month ("seen", to find
// duplicates).
type VisitRecord struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	Project   string    `json:"project"`
	District  string    `json:"district"`
	Butler    string    `json:"butler"` // the visitor
	Household string    `json:"household"`
	VisitKind string    `json:"visit_kind,omitempty"`
	PlanID    string    `json:"plan_id,omitempty"`
	Festival  bool      `json:"festival"`
	Notes     string    `json:"notes,omitempty"`
	Opinions  []string  `json:"opinions,omitempty"`
	Month     string    `json:"month"`
	At        time.Time `json:"at"`
	// Satisfaction is the owner's rating, 1–5, when Rated (R-H6).
	Satisfaction int  `json:"satisfaction,omitempty"`
	Rated        bool `json:"rated"`
	// KeyClient: the household was a registered key client (R-H7); the
	// key-client KPIs count these only.
	KeyClient bool `json:"key_client"`
	// Duplicate: a routine visit to a household the visitor already
	// visited that month (R-H1).
	Duplicate bool `json:"duplicate"`
	// Opinion fields.
	VisitID   string `json:"visit_id,omitempty"`
	Opinion   string `json:"opinion,omitempty"`
	Action    string `json:"action,omitempty"`
	Rectified bool   `json:"rectified"`
	FedBack   bool   `json:"fed_back"`
	// Warnings to the project manager (R-H5).
	Warnings []string `json:"warnings,omitempty"`
	Warn     string   `json:"warn,omitempty"`
}

// Visits projects visit streams.
type Visits struct{}

func (Visits) Name() string { return VisitsIndex }
func (Visits) Schema() Schema {
	return Schema{Name: VisitsIndex, Fields: map[string]FieldKind{
		"id": Keyword, "kind": Keyword, "project": Keyword, "district": Keyword, "butler": Keyword, "household": Keyword,
		"visit_kind": Keyword, "plan_id": Keyword, "month": Keyword, "visit_id": Keyword, "warn": Keyword,
		"notes": Text, "opinions": Text, "opinion": Text, "action": Text, "warnings": Text,
		"at": Date, "festival": Bool, "duplicate": Bool, "rectified": Bool, "fed_back": Bool,
		"satisfaction": Number, "rated": Bool, "key_client": Bool,
	}}
}

func (Visits) Apply(ctx context.Context, e event.Recorded, docs *Docs) error {
	id, p, ok, err := ofStream(e, visit.StreamPrefix, visit.Decode)
	if !ok || err != nil {
		return err
	}
	if cur, found, err := docs.Get(ctx, id); err != nil {
		return err
	} else if found && e.Revision <= cur.Version {
		return nil // replay
	}
	var v VisitRecord
	if err := FoldStream(ctx, docs, id, e, func(d *VisitRecord) error {
		switch p := p.(type) {
		case visit.Visited:
			*d = VisitRecord{ID: id, Kind: "visit", Project: p.Project, District: p.District, Butler: p.Visitor, Household: p.Household,
				VisitKind: string(p.Kind), PlanID: p.PlanID, Festival: p.Festival, Notes: p.Notes, Opinions: p.Opinions,
				Month: localtime.Month(p.At), At: p.At,
				Satisfaction: p.Satisfaction, Rated: p.Satisfaction > 0, KeyClient: p.KeyClient}
		case visit.CommonProblemWarned:
			d.Warnings = append(d.Warnings, p.Problem)
			d.Warn = p.Warn
		}
		v = *d
		return nil
	}); err != nil {
		return err
	}
	putOpinion := func(i int, change func(o *VisitRecord)) error {
		oid := fmt.Sprintf("%s#%d", id, i)
		var o VisitRecord
		cur, found, err := docs.Get(ctx, oid)
		if err != nil {
			return err
		}
		if found {
			if err := json.Unmarshal(cur.Source, &o); err != nil {
				return err
			}
		}
		change(&o)
		src, err := json.Marshal(o)
		if err != nil {
			return err
		}
		docs.Put(Document{ID: oid, Version: e.Revision, Source: src})
		return nil
	}
	switch p := p.(type) {
	case visit.Visited:
		for i, text := range p.Opinions {
			if err := putOpinion(i, func(o *VisitRecord) {
				*o = VisitRecord{ID: fmt.Sprintf("%s#%d", id, i), Kind: "opinion", Project: p.Project, District: p.District,
					Butler: p.Visitor, Household: p.Household, VisitID: id, Opinion: text, Month: v.Month, At: p.At}
			}); err != nil {
				return err
			}
		}
		if p.Kind == visit.KindRoutine {
			return markSeen(ctx, docs, e, id, v)
		}
	case visit.OpinionRectified:
		return putOpinion(p.Opinion, func(o *VisitRecord) { o.Rectified, o.Action = true, p.Action })
	case visit.OpinionFedBack:
		return putOpinion(p.Opinion, func(o *VisitRecord) { o.FedBack = true })
	}
	return nil
}

// markSeen records that v's visitor saw v's household this month, and
// marks the visit a duplicate when someone had already.
func markSeen(ctx context.Context, docs *Docs, e event.Recorded, id string, v VisitRecord) error {
	seenID := "seen:" + v.Butler + ":" + v.Month + ":" + v.Household
	cur, found, err := docs.Get(ctx, seenID)
	if err != nil {
		return err
	}
	if found {
		var first VisitRecord
		if err := json.Unmarshal(cur.Source, &first); err != nil {
			return err
		}
		if first.VisitID == id {
			return nil
		}
		v.Duplicate = true
		src, err := json.Marshal(v)
		if err != nil {
			return err
		}
		docs.Put(Document{ID: id, Version: e.Revision, Source: src})
		return nil
	}
	src, err := json.Marshal(VisitRecord{ID: seenID, Kind: "seen", Project: v.Project, District: v.District, Butler: v.Butler,
		Household: v.Household, VisitID: id, Month: v.Month, At: v.At})
	if err != nil {
		return err
	}
	docs.Put(Document{ID: seenID, Version: uint64(e.Position), Source: src})
	return nil
}

// ReturnVisit is a required return visit (R-H3).
type ReturnVisitDue struct {
	ID        string     `json:"id"`
	Project   string     `json:"project"`
	District  string     `json:"district"`
	Household string     `json:"household"`
	Reason    string     `json:"reason"`
	Source    string     `json:"source,omitempty"`
	Since     time.Time  `json:"since"`
	DueBy     *time.Time `json:"due_by,omitempty"`
	Status    string     `json:"status"` // open, overdue, done
	Overdue   bool       `json:"overdue"`
	VisitID   string     `json:"visit_id,omitempty"`
	Butler    string     `json:"butler,omitempty"` // who satisfied it
	OnTime    bool       `json:"on_time"`
	// Settled: done, or its deadline passed (what the on-time rate counts).
	Settled bool       `json:"settled"`
	Month   string     `json:"month"`
	DoneAt  *time.Time `json:"done_at,omitempty"`
	Versioned
}

// ReturnVisits projects required return visits.
var ReturnVisits = StreamModel[ReturnVisitDue]{Index: ReturnVisitsIndex, Prefix: visit.DueStreamPrefix, Decode: visit.Decode,
	Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "household": Keyword, "reason": Keyword, "status": Keyword,
		"butler": Keyword, "month": Keyword, "visit_id": Keyword, "source": Keyword,
		"since": Date, "due_by": Date, "done_at": Date, "overdue": Bool, "on_time": Bool, "settled": Bool,
	},
	Fold: func(d *ReturnVisitDue, id string, p event.Payload, e event.Recorded) {
		switch p := p.(type) {
		case visit.DueOpened:
			*d = ReturnVisitDue{ID: id, Project: p.Project, District: p.District, Household: p.Household, Reason: string(p.Reason),
				Source: p.Source, Since: p.Since, Status: "open", Month: localtime.Month(p.Since)}
			if !p.DueBy.IsZero() {
				t := p.DueBy
				d.DueBy = &t
			}
		case visit.DueOverdue:
			d.Status, d.Overdue, d.Settled = "overdue", true, true
		case visit.DueSatisfied:
			t := p.At
			d.Status, d.VisitID, d.OnTime, d.Settled, d.DoneAt, d.Butler = "done", p.VisitID, p.OnTime, true, &t, e.Meta.Actor.StaffID
		}
	},
}
