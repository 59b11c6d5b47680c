package projections

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/localtime"
	"github.com/butler-pm/butler/domain/renovation"
	"github.com/butler-pm/butler/domain/renovation/register"
)

// Renovation read-model names and stream prefixes.
const (
	RenovationsIndex          = "renovations"
	RenovationDaysIndex       = "renovation-days"
	RenovationViolationsIndex = "renovation-violations"
	RenovationRegisterIndex   = "renovation-register-weeks"
)

// Renovation is the renovation register (装修记录表): one document per
// renovation with its documents, pre-start steps, inspections, violations
// and acceptance.
type Renovation struct {
	ID               string                `json:"id"`
	Project          string                `json:"project"`
	District         string                `json:"district"`
	Unit             string                `json:"unit"`
	Contractor       string                `json:"contractor"`
	Butler           string                `json:"butler"`
	Description      string                `json:"description"`
	Status           string                `json:"status"`
	Documents        []renovation.Document `json:"documents"`
	MissingDocuments []string              `json:"missing_documents"`
	SiteChecked      bool                  `json:"site_checked"`
	SiteNote         string                `json:"site_note,omitempty"`
	Briefed          bool                  `json:"briefed"`
	StartedAt        *time.Time            `json:"started_at,omitempty"`
	StartedDay       string                `json:"started_day,omitempty"`
	InspectedDays    []string              `json:"inspected_days"`
	MissedDays       []string              `json:"missed_days"`
	LastInspection   *RenovationInspection `json:"last_inspection,omitempty"`
	// NextInspectionCheckAt is the end of the first day of work not yet
	// inspected or recorded missed: when the R-R3 policy looks again.
	NextInspectionCheckAt *time.Time            `json:"next_inspection_check_at,omitempty"`
	Violations            []RenovationViolation `json:"violations"`
	OpenViolations        int                   `json:"open_violations"`
	HasOpenViolations     bool                  `json:"has_open_violations"`
	CompletedAt           *time.Time            `json:"completed_at,omitempty"`
	Findings              []RenovationFinding   `json:"findings"`
	AcceptedBy            string                `json:"accepted_by,omitempty"`
	ClosedAt              *time.Time            `json:"closed_at,omitempty"`
	// R-R7: the area it belongs to, talks with the owner, and whether work
	// has gone a week (renovation.TalkInterval) without one.
	Area              string           `json:"area,omitempty"`
	Talks             []RenovationTalk `json:"talks"`
	LastTalkAt        *time.Time       `json:"last_talk_at,omitempty"`
	NextTalkDueAt     *time.Time       `json:"next_talk_due_at,omitempty"`
	TalkOverdue       bool             `json:"talk_overdue"`
	TalkOverdueMonths []string         `json:"talk_overdue_months"`
	Text              string           `json:"text"`
	Month             string           `json:"month"`
	FiledAt           time.Time        `json:"filed_at"`
	Stamped
}

// RenovationInspection is one day's inspection.
type RenovationInspection struct {
	Day       string          `json:"day"`
	Checklist map[string]bool `json:"checklist"`
	Note      string          `json:"note,omitempty"`
	By        string          `json:"by"`
	At        time.Time       `json:"at"`
}

// RenovationViolation is one violation (R-R4).
type RenovationViolation struct {
	ID          string   `json:"id"`
	Description string   `json:"description"`
	Evidence    []string `json:"evidence"`
	ReportedTo  string   `json:"reported_to"`
	StopOrdered bool     `json:"stop_ordered"`
	Rectified   bool     `json:"rectified"`
	Closed      bool     `json:"closed"`
}

// RenovationFinding is one acceptance finding (R-R5).
type RenovationFinding struct {
	Finding string `json:"finding"`
	Fixed   bool   `json:"fixed"`
}

// RenovationTalk is one talk with the renovating owner (R-R7).
type RenovationTalk struct {
	Butler  string    `json:"butler"`
	Channel string    `json:"channel"`
	Note    string    `json:"note"`
	At      time.Time `json:"at"`
}

// Renovations projects renovation streams.
var Renovations = StreamModel[Renovation]{Index: RenovationsIndex, Prefix: renovation.StreamPrefix, Decode: renovation.Decode,
	Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "unit": Keyword, "butler": Keyword, "status": Keyword,
		"month": Keyword, "missing_documents": Keyword, "started_day": Keyword, "contractor": Keyword,
		"site_checked": Bool, "briefed": Bool, "has_open_violations": Bool,
		"area": Keyword, "talk_overdue": Bool, "talk_overdue_months": Keyword, "next_talk_due_at": Date, "last_talk_at": Date,
		"text": Text, "description": Text,
		"open_violations": Number,
		"filed_at":        Date, "started_at": Date, "completed_at": Date, "closed_at": Date, "next_inspection_check_at": Date, "updated_at": Date,
	},
	Fold: func(d *Renovation, id string, p event.Payload, e event.Recorded) {
		by := e.Meta.Actor.StaffID
		switch p := p.(type) {
		case renovation.Filed:
			// Filed before households: the owner stays in the event store only.
			*d = Renovation{ID: id, Project: p.Project, District: p.District, Unit: p.Unit, Contractor: p.Contractor,
				Butler: p.Butler, Description: p.Description, Status: string(renovation.StatusFiled), Documents: append([]renovation.Document{}, p.Documents...),
				InspectedDays: []string{}, MissedDays: []string{}, Violations: []RenovationViolation{}, Findings: []RenovationFinding{},
				Month: localtime.Month(p.At), FiledAt: p.At, Stamped: Stamped{UpdatedAt: p.At}}
		case renovation.FiledV2:
			*d = Renovation{ID: id, Project: p.Project, District: p.District, Unit: p.Unit, Contractor: p.Contractor,
				Butler: p.Butler, Description: p.Description, Status: string(renovation.StatusFiled), Documents: append([]renovation.Document{}, p.Documents...),
				InspectedDays: []string{}, MissedDays: []string{}, Violations: []RenovationViolation{}, Findings: []RenovationFinding{},
				Month: localtime.Month(p.At), FiledAt: p.At, Stamped: Stamped{UpdatedAt: p.At}}
		case renovation.DocumentFiled:
			d.Documents = append(d.Documents, p.Document)
		case renovation.Approved:
			d.Status = string(renovation.StatusApproved)
		case renovation.SiteChecked:
			d.SiteChecked, d.SiteNote = true, p.Note
		case renovation.RulesBriefed, renovation.RulesBriefedV2:
			d.Briefed = true
		case renovation.WorkStarted:
			at := p.At
			d.Status, d.StartedAt, d.StartedDay = string(renovation.StatusInProgress), &at, renovation.DayOf(p.At)
		case renovation.Inspected:
			d.InspectedDays = appendOnce(d.InspectedDays, p.Day)
			d.LastInspection = &RenovationInspection{Day: p.Day, Checklist: p.Checklist, Note: p.Note, By: by, At: p.At}
		case renovation.InspectionMissed:
			d.MissedDays = appendOnce(d.MissedDays, p.Day)
		case renovation.ViolationRecorded:
			d.Violations = append(d.Violations, RenovationViolation{ID: p.ViolationID, Description: p.Description, Evidence: p.Evidence,
				ReportedTo: p.ReportedTo, StopOrdered: p.StopOrdered})
		case renovation.ViolationRectified:
			for i := range d.Violations {
				if d.Violations[i].ID == p.ViolationID {
					d.Violations[i].Rectified = true
				}
			}
		case renovation.ViolationClosed:
			for i := range d.Violations {
				if d.Violations[i].ID == p.ViolationID {
					d.Violations[i].Closed = true
				}
			}
		case renovation.WorkCompleted:
			at := p.At
			d.Status, d.CompletedAt = string(renovation.StatusCompleted), &at
		case renovation.AcceptanceInspected:
			d.Status, d.AcceptedBy, d.Findings = string(renovation.StatusAccepting), by, []RenovationFinding{}
			for _, f := range p.Findings {
				d.Findings = append(d.Findings, RenovationFinding{Finding: f})
			}
		case renovation.FindingFixed:
			if p.Finding >= 0 && p.Finding < len(d.Findings) {
				d.Findings[p.Finding].Fixed = true
			}
		case renovation.Closed:
			at := p.At
			d.Status, d.ClosedAt = string(renovation.StatusClosed), &at
		case renovation.Assigned:
			d.Area, d.Butler = p.Area, p.Butler
		case renovation.OwnerTalked:
			at := p.At
			d.Talks = append(d.Talks, RenovationTalk{Butler: p.Butler, Channel: p.Channel, Note: p.Note, At: p.At})
			d.LastTalkAt, d.TalkOverdue = &at, false
		case renovation.OwnerTalkOverdue:
			d.TalkOverdue = true
			d.TalkOverdueMonths = appendOnce(d.TalkOverdueMonths, localtime.Month(p.At))
		}
		if d.Talks == nil {
			d.Talks, d.TalkOverdueMonths = []RenovationTalk{}, []string{}
		}
		// R-R7: while work goes on, a talk is due a week after the start or the last talk.
		d.NextTalkDueAt = nil
		if d.Status == string(renovation.StatusInProgress) && d.StartedAt != nil {
			since := *d.StartedAt
			if d.LastTalkAt != nil && d.LastTalkAt.After(since) {
				since = *d.LastTalkAt
			}
			due := since.Add(renovation.TalkInterval)
			d.NextTalkDueAt = &due
		} else {
			d.TalkOverdue = false
		}
		d.MissingDocuments = []string{}
		have := map[renovation.DocumentKind]bool{}
		for _, doc := range d.Documents {
			have[doc.Kind] = true
		}
		for _, k := range renovation.RequiredDocuments {
			if !have[k] {
				d.MissingDocuments = append(d.MissingDocuments, string(k))
			}
		}
		d.OpenViolations = 0
		for _, v := range d.Violations {
			if !v.Closed {
				d.OpenViolations++
			}
		}
		d.HasOpenViolations = d.OpenViolations > 0
		d.NextInspectionCheckAt = nil
		if d.StartedDay != "" && d.StartedAt != nil {
			day, _ := time.ParseInLocation(time.DateOnly, d.StartedDay, localtime.Zone())
			for renoContains(d.InspectedDays, day.Format(time.DateOnly)) || renoContains(d.MissedDays, day.Format(time.DateOnly)) {
				day = day.AddDate(0, 0, 1)
			}
			// R-R3: the completion day is a day of work too; after it nothing is due.
			if d.CompletedAt == nil || day.Format(time.DateOnly) <= renovation.DayOf(*d.CompletedAt) {
				end := day.AddDate(0, 0, 1)
				d.NextInspectionCheckAt = &end
			}
		}
		parts := []string{d.Unit, d.Contractor, d.Description, d.SiteNote}
		for _, v := range d.Violations {
			parts = append(parts, v.Description)
		}
		for _, f := range d.Findings {
			parts = append(parts, f.Finding)
		}
		for _, t := range d.Talks {
			parts = append(parts, t.Note)
		}
		d.Text = strings.Join(parts, " ")
	},
}

func appendOnce(ss []string, s string) []string {
	if renoContains(ss, s) {
		return ss
	}
	return append(ss, s)
}

func renoContains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// foldAt folds an event into one of several documents a stream feeds,
// versioned by global position: an event at or below the document's
// version is a replay and is skipped.
func foldAt[T any](ctx context.Context, docs *Docs, id string, e event.Recorded, fold func(doc *T, found bool) error) error {
	cur, found, err := docs.Get(ctx, id)
	if err != nil {
		return err
	}
	if found && cur.Version >= uint64(e.Position) {
		return nil
	}
	var doc T
	if found {
		if err := json.Unmarshal(cur.Source, &doc); err != nil {
			return fmt.Errorf("decoding document %s: %w", id, err)
		}
	}
	if err := fold(&doc, found); err != nil {
		return err
	}
	src, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("encoding document %s: %w", id, err)
	}
	docs.Put(Document{ID: id, Version: uint64(e.Position), Source: src})
	return nil
}

// RenovationDay is one renovation's day of work: inspected, or missed (R-R3).
type RenovationDay struct {
	ID           string `json:"id"`
	Project      string `json:"project"`
	District     string `json:"district"`
	RenovationID string `json:"renovation_id"`
	Butler       string `json:"butler"`
	Day          string `json:"day"`
	Month        string `json:"month"`
	Inspected    bool   `json:"inspected"`
	Missed       bool   `json:"missed"`
	// Failed lists the checklist items found not in order that day.
	Failed []string `json:"failed"`
}

// RenovationDays projects inspections and missed days.
type RenovationDays struct{}

func (RenovationDays) Name() string { return RenovationDaysIndex }

func (RenovationDays) Schema() Schema {
	return Schema{Name: RenovationDaysIndex, Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "renovation_id": Keyword, "butler": Keyword, "day": Keyword,
		"month": Keyword, "failed": Keyword, "inspected": Bool, "missed": Bool,
	}}
}

func (RenovationDays) Apply(ctx context.Context, e event.Recorded, docs *Docs) error {
	rid, ok := strings.CutPrefix(e.Stream, renovation.StreamPrefix)
	if !ok || (e.Type != renovation.TypeInspected && e.Type != renovation.TypeInspectionMissed) {
		return nil
	}
	p, err := renovation.Decode(e.Type, e.Data)
	if err != nil {
		return err
	}
	var day, butler string
	switch p := p.(type) {
	case renovation.Inspected:
		day, butler = p.Day, p.Butler
	case renovation.InspectionMissed:
		day, butler = p.Day, p.Butler
	}
	return foldAt(ctx, docs, rid+"|"+day, e, func(d *RenovationDay, found bool) error {
		if !found {
			*d = RenovationDay{ID: rid + "|" + day, Project: e.Meta.Project, District: e.Meta.District, RenovationID: rid,
				Butler: butler, Day: day, Month: day[:min(7, len(day))], Failed: []string{}}
		}
		switch p := p.(type) {
		case renovation.Inspected:
			d.Inspected, d.Missed = true, false
			for _, item := range renovation.Checklist {
				if ok, seen := p.Checklist[item]; seen && !ok && !renoContains(d.Failed, item) {
					d.Failed = append(d.Failed, item)
				}
			}
		case renovation.InspectionMissed:
			d.Missed = !d.Inspected
		}
		return nil
	})
}

// RenovationViolationDoc is one violation, open until closed (R-R4).
type RenovationViolationDoc struct {
	ID           string    `json:"id"`
	Project      string    `json:"project"`
	District     string    `json:"district"`
	RenovationID string    `json:"renovation_id"`
	Unit         string    `json:"unit"`
	Butler       string    `json:"butler"`
	Description  string    `json:"description"`
	Evidence     []string  `json:"evidence"`
	ReportedTo   string    `json:"reported_to"`
	Rectified    bool      `json:"rectified"`
	Closed       bool      `json:"closed"`
	Open         bool      `json:"open"`
	Month        string    `json:"month"`
	RecordedAt   time.Time `json:"recorded_at"`
}

// RenovationViolations projects violations.
type RenovationViolations struct{}

func (RenovationViolations) Name() string { return RenovationViolationsIndex }

func (RenovationViolations) Schema() Schema {
	return Schema{Name: RenovationViolationsIndex, Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "renovation_id": Keyword, "unit": Keyword, "butler": Keyword,
		"reported_to": Keyword, "month": Keyword, "rectified": Bool, "closed": Bool, "open": Bool,
		"description": Text, "recorded_at": Date,
	}}
}

func (RenovationViolations) Apply(ctx context.Context, e event.Recorded, docs *Docs) error {
	rid, ok := strings.CutPrefix(e.Stream, renovation.StreamPrefix)
	if !ok {
		return nil
	}
	switch e.Type {
	case renovation.TypeViolationRecorded, renovation.TypeViolationRectified, renovation.TypeViolationClosed:
	default:
		return nil
	}
	p, err := renovation.Decode(e.Type, e.Data)
	if err != nil {
		return err
	}
	var vid string
	switch p := p.(type) {
	case renovation.ViolationRecorded:
		vid = p.ViolationID
	case renovation.ViolationRectified:
		vid = p.ViolationID
	case renovation.ViolationClosed:
		vid = p.ViolationID
	}
	return foldAt(ctx, docs, rid+"-"+vid, e, func(d *RenovationViolationDoc, _ bool) error {
		switch p := p.(type) {
		case renovation.ViolationRecorded:
			*d = RenovationViolationDoc{ID: rid + "-" + vid, Project: e.Meta.Project, District: e.Meta.District, RenovationID: rid,
				Unit: p.Unit, Butler: p.Butler, Description: p.Description, Evidence: p.Evidence, ReportedTo: p.ReportedTo,
				Month: localtime.Month(p.At), RecordedAt: p.At}
		case renovation.ViolationRectified:
			d.Rectified = true
		case renovation.ViolationClosed:
			d.Closed = true
		}
		d.Open = !d.Closed
		return nil
	})
}

// RenovationRegisterWeek is one project's week of register checks (R-R6).
type RenovationRegisterWeek struct {
	ID       string `json:"id"`
	Project  string `json:"project"`
	District string `json:"district"`
	Week     string `json:"week"`
	Month    string `json:"month"`
	Checks   int    `json:"checks"`
	// Met: at least two checks; Short: the week ended with fewer; Settled: either.
	Met         bool     `json:"met"`
	Short       bool     `json:"short"`
	Settled     bool     `json:"settled"`
	Mismatches  int      `json:"mismatches"`
	Checkers    []string `json:"checkers"`
	Renovations []string `json:"renovations"`
	Versioned
}

// RenovationRegisterWeeks projects register-week streams.
var RenovationRegisterWeeks = StreamModel[RenovationRegisterWeek]{Index: RenovationRegisterIndex, Prefix: register.StreamPrefix, Decode: register.Decode,
	Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "week": Keyword, "month": Keyword, "checkers": Keyword,
		"met": Bool, "short": Bool, "settled": Bool, "checks": Number,
	},
	Fold: func(d *RenovationRegisterWeek, id string, p event.Payload, e event.Recorded) {
		d.ID, d.Project, d.District = id, e.Meta.Project, e.Meta.District
		if d.Checkers == nil {
			d.Checkers, d.Renovations = []string{}, []string{}
		}
		var week string
		switch p := p.(type) {
		case register.Checked:
			week = p.Week
			d.Checks++
			if !p.Matches {
				d.Mismatches++
			}
			d.Checkers = appendOnce(d.Checkers, e.Meta.Actor.StaffID)
			for _, r := range p.Renovations {
				d.Renovations = appendOnce(d.Renovations, r)
			}
		case register.Short:
			week = p.Week
			d.Short = true
		}
		d.Week = week
		if end, ok := register.WeekEnd(week); ok {
			d.Month = end.AddDate(0, 0, -7).Format("2006-01") // the month of the week's Monday
		}
		d.Met = d.Checks >= register.ChecksPerWeek
		d.Settled = d.Met || d.Short
	},
}

func jsonUnmarshal(src []byte, into any) error {
	if err := json.Unmarshal(src, into); err != nil {
		return fmt.Errorf("decoding document: %w", err)
	}
	return nil
}

// RenovationsOfUnit lists the ids of every renovation of a unit in the
// project, whatever its status (R-R5: occupancy reads each one's status
// from the event store).
func RenovationsOfUnit(ctx context.Context, store SearchStore, project, unit string) ([]string, error) {
	q := Query{Terms: map[string][]string{RenovationFieldProject: {project}, RenovationFieldUnit: {unit}}, Size: 100}
	var ids []string
	for {
		res, err := store.Search(ctx, RenovationsIndex, q)
		if err != nil {
			return nil, err
		}
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		if len(res.Hits) < q.Size || res.Cursor == "" {
			return ids, nil
		}
		q.After = res.Cursor
	}
}
