package projections

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/localtime"
	"github.com/butler-pm/butler/domain/movein"
	"github.com/butler-pm/butler/domain/renovation"
)

// Move-in and unit-status read-model names and stream prefixes.
const (
	MoveInsIndex       = "move-ins"
	MoveInDefectsIndex = "move-in-defects"
	UnitsIndex         = "units"
)

// MoveIn is one owner's move-in with its R-M1 steps.
type MoveIn struct {
	ID             string         `json:"id"`
	Project        string         `json:"project"`
	District       string         `json:"district"`
	Unit           string         `json:"unit"`
	Butler         string         `json:"butler"`
	StepsDone      []string       `json:"steps_done"`
	StepsMissing   []string       `json:"steps_missing"`
	StepsCompleted int            `json:"steps_completed"`
	Completed      bool           `json:"completed"`
	Receipts       []string       `json:"receipts"`
	Agreements     []string       `json:"agreements"`
	Forms          []string       `json:"forms"`
	Photos         []string       `json:"photos"`
	Keys           []string       `json:"keys"`
	Defects        []MoveInDefect `json:"defects"`
	OpenDefects    int            `json:"open_defects"`
	Occupied       bool           `json:"occupied"`
	// R-M3: each fee receipt's bill, and the documents (agreements, forms,
	// photos) filed in the owner's archive or still waiting for it.
	ReceiptBills     []movein.ReceiptBill `json:"receipt_bills"`
	Bills            []string             `json:"bills"`
	ArchiveID        string               `json:"archive_id,omitempty"`
	FiledDocuments   []string             `json:"filed_documents"`
	DocumentsPending int                  `json:"documents_pending"`
	DocumentsUnfiled bool                 `json:"documents_unfiled"`
	Text             string               `json:"text"`
	Month            string               `json:"month"`
	OpenedAt         time.Time            `json:"opened_at"`
	CompletedAt      *time.Time           `json:"completed_at,omitempty"`
	Stamped
}

// MoveInDefect is one inspection defect and where it stands (R-M2).
type MoveInDefect struct {
	ID           string `json:"id"`
	Description  string `json:"description"`
	HandedOver   bool   `json:"handed_over"`
	DeveloperRef string `json:"developer_ref,omitempty"`
	Resolved     bool   `json:"resolved"`
}

// MoveIns projects move-in streams.
var MoveIns = StreamModel[MoveIn]{Index: MoveInsIndex, Prefix: movein.StreamPrefix, Decode: movein.Decode,
	Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "unit": Keyword, "butler": Keyword,
		"steps_done": Keyword, "steps_missing": Keyword, "month": Keyword, "receipts": Keyword,
		"completed": Bool, "occupied": Bool, "text": Text, "bills": Keyword, "archive_id": Keyword, "documents_unfiled": Bool, "steps_completed": Number, "open_defects": Number,
		"opened_at": Date, "completed_at": Date, "updated_at": Date,
	},
	Fold: func(d *MoveIn, id string, p event.Payload, e event.Recorded) {
		switch p := p.(type) {
		case movein.Opened:
			*d = MoveIn{ID: id, Project: p.Project, District: p.District, Unit: p.Unit, Butler: p.Butler,
				StepsDone: []string{}, Receipts: []string{}, Agreements: []string{}, Forms: []string{}, Photos: []string{}, Keys: []string{},
				Defects: []MoveInDefect{}, Month: localtime.Month(p.At), OpenedAt: p.At, Stamped: Stamped{UpdatedAt: p.At}}
		case movein.StepRecorded:
			d.StepsDone = appendOnce(d.StepsDone, string(p.Step))
			d.Receipts = append(d.Receipts, p.Receipts...)
			d.Agreements = append(d.Agreements, p.Agreements...)
			d.Forms = append(d.Forms, p.Forms...)
			d.Photos = append(d.Photos, p.Photos...)
			d.Keys = append(d.Keys, p.Keys...)
			for _, df := range p.Defects {
				d.Defects = append(d.Defects, MoveInDefect{ID: df.ID, Description: df.Description})
			}
			if p.Step == movein.StepKeysHandedOver {
				at := p.At
				d.CompletedAt = &at
			}
		case movein.DefectHandedToDeveloper:
			for i := range d.Defects {
				if d.Defects[i].ID == p.DefectID {
					d.Defects[i].HandedOver, d.Defects[i].DeveloperRef = true, p.DeveloperRef
				}
			}
		case movein.DefectResolved:
			for i := range d.Defects {
				if d.Defects[i].ID == p.DefectID {
					d.Defects[i].Resolved = true
				}
			}
		case movein.Occupied:
			d.Occupied = true
		case movein.FeeReceiptsLinked:
			for _, l := range p.Links {
				d.ReceiptBills = append(d.ReceiptBills, l)
				d.Bills = appendOnce(d.Bills, l.BillID)
			}
		case movein.DocumentsFiled:
			d.ArchiveID = p.ArchiveID
			d.FiledDocuments = append(d.FiledDocuments, p.Documents...)
		}
		if d.ReceiptBills == nil {
			d.ReceiptBills, d.Bills, d.FiledDocuments = []movein.ReceiptBill{}, []string{}, []string{}
		}
		d.DocumentsPending = movein.DocumentCount(d.Agreements, d.Forms, d.Photos) - len(d.FiledDocuments)
		d.DocumentsUnfiled = d.DocumentsPending > 0
		d.StepsMissing = []string{}
		for _, s := range movein.Steps {
			if !renoContains(d.StepsDone, string(s)) {
				d.StepsMissing = append(d.StepsMissing, string(s))
			}
		}
		d.StepsCompleted = len(d.StepsDone)
		d.Completed = len(d.StepsMissing) == 0
		d.OpenDefects = 0
		parts := []string{d.Unit}
		for _, df := range d.Defects {
			if !df.Resolved {
				d.OpenDefects++
			}
			parts = append(parts, df.Description)
		}
		d.Text = strings.Join(parts, " ")
	},
}

// MoveInDefectDoc is one inspection defect, open until resolved (R-M2).
type MoveInDefectDoc struct {
	ID           string    `json:"id"`
	Project      string    `json:"project"`
	District     string    `json:"district"`
	MoveInID     string    `json:"move_in_id"`
	Unit         string    `json:"unit"`
	Butler       string    `json:"butler"`
	Description  string    `json:"description"`
	HandedOver   bool      `json:"handed_over"`
	DeveloperRef string    `json:"developer_ref,omitempty"`
	Resolved     bool      `json:"resolved"`
	Open         bool      `json:"open"`
	Month        string    `json:"month"`
	FoundAt      time.Time `json:"found_at"`
}

// MoveInDefects projects inspection defects. The unit and butler come from
// the move-in's opening, kept in a bookkeeping document per move-in.
type MoveInDefects struct{}

func (MoveInDefects) Name() string { return MoveInDefectsIndex }

func (MoveInDefects) Schema() Schema {
	return Schema{Name: MoveInDefectsIndex, Fields: map[string]FieldKind{
		"id": Keyword, "kind": Keyword, "project": Keyword, "district": Keyword, "move_in_id": Keyword, "unit": Keyword, "butler": Keyword,
		"month": Keyword, "handed_over": Bool, "resolved": Bool, "open": Bool, "description": Text, "found_at": Date,
	}}
}

// moveInDefectKind marks the real defect documents (the KPI and the list
// read only these).
type moveInDefectKind struct {
	MoveInDefectDoc
	Kind string `json:"kind"`
}

func (MoveInDefects) Apply(ctx context.Context, e event.Recorded, docs *Docs) error {
	mid, p, ok, err := ofStream(e, movein.StreamPrefix, movein.Decode)
	if !ok || err != nil {
		return err
	}
	switch p := p.(type) {
	case movein.Opened:
		return foldAt(ctx, docs, "movein:"+mid, e, func(d *moveInDefectKind, _ bool) error {
			d.ID, d.Kind, d.Project, d.District, d.MoveInID, d.Unit, d.Butler = "movein:"+mid, "move-in", p.Project, p.District, mid, p.Unit, p.Butler
			d.FoundAt = p.At // a date field must hold a real date
			return nil
		})
	case movein.StepRecorded:
		if len(p.Defects) == 0 {
			return nil
		}
		head, found, err := docs.Get(ctx, "movein:"+mid)
		if err != nil {
			return err
		}
		var m moveInDefectKind
		if found {
			if err := jsonUnmarshal(head.Source, &m); err != nil {
				return err
			}
		}
		for _, df := range p.Defects {
			err := foldAt(ctx, docs, mid+"-"+df.ID, e, func(d *moveInDefectKind, _ bool) error {
				*d = moveInDefectKind{Kind: "defect", MoveInDefectDoc: MoveInDefectDoc{ID: mid + "-" + df.ID, Project: e.Meta.Project, District: e.Meta.District,
					MoveInID: mid, Unit: m.Unit, Butler: m.Butler, Description: df.Description, Open: true,
					Month: localtime.Month(p.At), FoundAt: p.At}}
				return nil
			})
			if err != nil {
				return err
			}
		}
	case movein.DefectHandedToDeveloper:
		return foldAt(ctx, docs, mid+"-"+p.DefectID, e, func(d *moveInDefectKind, _ bool) error {
			d.HandedOver, d.DeveloperRef = true, p.DeveloperRef
			return nil
		})
	case movein.DefectResolved:
		return foldAt(ctx, docs, mid+"-"+p.DefectID, e, func(d *moveInDefectKind, _ bool) error {
			d.Resolved, d.Open = true, false
			return nil
		})
	}
	return nil
}

// Unit is the unit status ledger (房态): vacant → handed over →
// renovating → occupied, fed by move-ins and renovations.
type Unit struct {
	ID           string       `json:"id"`
	Project      string       `json:"project"`
	District     string       `json:"district"`
	Unit         string       `json:"unit"`
	Status       string       `json:"status"`
	MoveInID     string       `json:"move_in_id,omitempty"`
	RenovationID string       `json:"renovation_id,omitempty"`
	Changes      []UnitChange `json:"changes"`
	UpdatedAt    time.Time    `json:"updated_at"`
}

// UnitChange is one status change and the record behind it.
type UnitChange struct {
	Status string    `json:"status"`
	Record string    `json:"record"` // stream of the event that changed it
	At     time.Time `json:"at"`
}

// Unit statuses.
const (
	UnitVacant     = "vacant"
	UnitHandedOver = "handed_over"
	UnitRenovating = "renovating"
	UnitOccupied   = "occupied"
)

var unitNamespace = uuid.MustParse("4d7e9a10-2b3c-4f5e-8a6b-7c8d9e0f1a2b")

// UnitID is a unit's id in the ledger: a UUIDv5 of project and unit code.
func UnitID(project, unit string) string {
	return uuid.NewSHA1(unitNamespace, []byte(project+"\x00"+unit)).String()
}

// Units projects the unit status ledger.
type Units struct{}

func (Units) Name() string { return UnitsIndex }

func (Units) Schema() Schema {
	return Schema{Name: UnitsIndex, Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "unit": Keyword, "status": Keyword,
		"move_in_id": Keyword, "renovation_id": Keyword, "updated_at": Date,
	}}
}

func (Units) Apply(ctx context.Context, e event.Recorded, docs *Docs) error {
	var unit, status, moveIn, reno string
	switch {
	case strings.HasPrefix(e.Stream, movein.StreamPrefix):
		p, err := movein.Decode(e.Type, e.Data)
		if err != nil {
			return err
		}
		switch p := p.(type) {
		case movein.Opened:
			unit, moveIn = p.Unit, strings.TrimPrefix(e.Stream, movein.StreamPrefix)
		case movein.StepRecorded:
			if p.Step != movein.StepKeysHandedOver {
				return nil
			}
			status = UnitHandedOver
		case movein.Occupied:
			status = UnitOccupied
		default:
			return nil
		}
		if unit == "" {
			return unitByRecord(ctx, docs, e, "movein:"+strings.TrimPrefix(e.Stream, movein.StreamPrefix), status)
		}
	case strings.HasPrefix(e.Stream, renovation.StreamPrefix):
		p, err := renovation.Decode(e.Type, e.Data)
		if err != nil {
			return err
		}
		switch p := p.(type) {
		case renovation.Filed:
			unit, reno = p.Unit, strings.TrimPrefix(e.Stream, renovation.StreamPrefix)
		case renovation.FiledV2:
			unit, reno = p.Unit, strings.TrimPrefix(e.Stream, renovation.StreamPrefix)
		case renovation.WorkStarted:
			status = UnitRenovating
		case renovation.Closed:
			status = UnitOccupied
		default:
			return nil
		}
		if unit == "" {
			return unitByRecord(ctx, docs, e, "renovation:"+strings.TrimPrefix(e.Stream, renovation.StreamPrefix), status)
		}
	default:
		return nil
	}
	// An opening or filing: remember which unit the record is about, and
	// put a new unit in the ledger as vacant.
	id := UnitID(e.Meta.Project, unit)
	link := "movein:" + moveIn
	if reno != "" {
		link = "renovation:" + reno
	}
	if err := foldAt(ctx, docs, link, e, func(d *Unit, _ bool) error {
		// A link document: project left empty so no query finds it.
		*d = Unit{ID: id, Project: "", Unit: unit, UpdatedAt: e.Meta.OccurredAt}
		return nil
	}); err != nil {
		return err
	}
	return foldAt(ctx, docs, id, e, func(d *Unit, found bool) error {
		if !found {
			*d = Unit{ID: id, Project: e.Meta.Project, District: e.Meta.District, Unit: unit, Status: UnitVacant, Changes: []UnitChange{}}
			d.Changes = append(d.Changes, UnitChange{Status: UnitVacant, Record: e.Stream, At: e.Meta.OccurredAt})
		}
		if moveIn != "" {
			d.MoveInID = moveIn
		}
		if reno != "" {
			d.RenovationID = reno
		}
		d.UpdatedAt = e.Meta.OccurredAt
		return nil
	})
}

// unitByRecord applies a status change from a record whose unit is known
// through its link document.
func unitByRecord(ctx context.Context, docs *Docs, e event.Recorded, link, status string) error {
	doc, found, err := docs.Get(ctx, link)
	if err != nil || !found {
		return err
	}
	var l Unit
	if err := jsonUnmarshal(doc.Source, &l); err != nil {
		return err
	}
	return foldAt(ctx, docs, l.ID, e, func(d *Unit, _ bool) error {
		d.Status, d.UpdatedAt = status, e.Meta.OccurredAt
		d.Changes = append(d.Changes, UnitChange{Status: status, Record: e.Stream, At: e.Meta.OccurredAt})
		return nil
	})
}
