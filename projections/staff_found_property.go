package projections

import (
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff"
	"github.com/butler-pm/butler/domain/staff/lostproperty"
)

// FoundPropertyIndex is the register of found property (R-S9: 拾遗上交).
const FoundPropertyIndex = "found_property"

// Field names of the found-property register, for the R-S9 time rule.
const (
	FoundPropertyFieldStatus        = "status"
	FoundPropertyFieldHandInOverdue = "hand_in_overdue"
	FoundPropertyFieldHandInDueAt   = "hand_in_due_at"
)

// FoundItem is one found item through its register.
type FoundItem struct {
	ID            string    `json:"id"`
	Project       string    `json:"project"`
	District      string    `json:"district"`
	Description   string    `json:"description"`
	Place         string    `json:"place"`
	FoundAt       time.Time `json:"found_at"`
	Finder        string    `json:"finder"`
	Month         string    `json:"month"`
	Status        string    `json:"status"`
	RegisteredAt  time.Time `json:"registered_at"`
	HandInDueAt   time.Time `json:"hand_in_due_at"`
	HandInOverdue bool      `json:"hand_in_overdue"`
	Keeper        string    `json:"keeper,omitempty"`
	Storage       string    `json:"storage,omitempty"`
	HandedInAt    time.Time `json:"handed_in_at,omitzero"`
	ClaimantUnit  string    `json:"claimant_unit,omitempty"`
	Proof         string    `json:"proof,omitempty"`
	ReturnedAt    time.Time `json:"returned_at,omitzero"`
	Disposal      string    `json:"disposal,omitempty"`
	DisposalNote  string    `json:"disposal_reason,omitempty"`
	DisposedAt    time.Time `json:"disposed_at,omitzero"`
	Stamped
}

// FoundProperty projects found-property streams.
var FoundProperty = StreamModel[FoundItem]{Index: FoundPropertyIndex, Prefix: lostproperty.StreamPrefix, Decode: lostproperty.Decode,
	Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "finder": Keyword, "keeper": Keyword, "month": Keyword,
		"status": Keyword, "claimant_unit": Keyword, "disposal": Keyword,
		"description": Text, "place": Text,
		"found_at": Date, "registered_at": Date, "hand_in_due_at": Date, "updated_at": Date,
		"hand_in_overdue": Bool,
	},
	Fold: foldFoundItem,
}

func foldFoundItem(d *FoundItem, id string, p event.Payload, _ event.Recorded) {
	switch p := p.(type) {
	case lostproperty.Found:
		*d = FoundItem{ID: id, Project: p.Project, District: p.District, Description: p.Description, Place: p.Place,
			FoundAt: p.FoundAt, Finder: p.Finder, Month: staff.MonthOf(p.FoundAt), Status: lostproperty.StatusFound,
			RegisteredAt: p.At, HandInDueAt: p.At.Add(lostproperty.HandInWithin)}
		d.UpdatedAt = p.At
	case lostproperty.HandedIn:
		d.Status, d.Keeper, d.Storage, d.HandedInAt = lostproperty.StatusHeld, p.Keeper, p.Storage, p.At
	case lostproperty.Returned:
		d.Status, d.ClaimantUnit, d.Proof, d.ReturnedAt = lostproperty.StatusReturned, p.ClaimantUnit, p.Proof, p.At
	case lostproperty.Disposed:
		d.Status, d.Disposal, d.DisposalNote, d.DisposedAt = lostproperty.StatusDisposed, p.Method, p.Reason, p.At
	case lostproperty.HandInOverdue:
		d.HandInOverdue = true
	}
}
