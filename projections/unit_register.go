package projections

import (
	"context"
	"encoding/json"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/household"
	"github.com/butler-pm/butler/domain/unit"
)

// UnitRegisterIndex is the register of units and households (R-H1, R-H7).
// (The units index, 房态, is the move-in ledger: moveins.go.)
const UnitRegisterIndex = "unit_register"

// RegisteredUnit is one registered unit: building, occupied or vacant, and
// whether its household is a key client (and why). No personal data: the
// owner is the household's, sealed (docs/privacy.md).
type RegisteredUnit struct {
	ID              string     `json:"id"` // <project>:<unit>
	Project         string     `json:"project"`
	District        string     `json:"district"`
	Unit            string     `json:"unit"`
	Building        string     `json:"building"`
	Status          string     `json:"status"` // occupied, vacant
	KeyClient       bool       `json:"key_client"`
	KeyClientReason string     `json:"key_client_reason,omitempty"`
	KeyClientSince  *time.Time `json:"key_client_since,omitempty"`
	RegisteredAt    time.Time  `json:"registered_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	// Revision is the revision of the district register's stream the
	// record was last changed at.
	Revision uint64 `json:"revision"`
}

// UnitRegister projects the districts' registers of units: one document per unit.
type UnitRegister struct{}

func (UnitRegister) Name() string { return UnitRegisterIndex }
func (UnitRegister) Schema() Schema {
	return Schema{Name: UnitRegisterIndex, Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "unit": Keyword, "building": Keyword, "status": Keyword,
		"key_client": Bool, "key_client_reason": Text, "registered_at": Date, "updated_at": Date, "key_client_since": Date,
	}}
}

func (UnitRegister) Apply(ctx context.Context, e event.Recorded, docs *Docs) error {
	_, p, ok, err := ofStream(e, unit.StreamPrefix, unit.Decode)
	if !ok || err != nil {
		return err
	}
	project, district := e.Meta.Project, e.Meta.District
	// change folds one unit's document; a document already at or past this
	// revision has seen the event (a replay).
	change := func(code string, fold func(d *RegisteredUnit)) error {
		id := household.ID(project, code)
		var d RegisteredUnit
		cur, found, err := docs.Get(ctx, id)
		if err != nil {
			return err
		}
		if found {
			if cur.Version >= e.Revision {
				return nil
			}
			if err := json.Unmarshal(cur.Source, &d); err != nil {
				return err
			}
		}
		fold(&d)
		if d.ID == "" {
			return nil // a change to a unit the register never held
		}
		d.Revision, d.UpdatedAt = e.Revision, e.Meta.OccurredAt
		src, err := json.Marshal(d)
		if err != nil {
			return err
		}
		docs.Put(Document{ID: id, Version: e.Revision, Source: src})
		return nil
	}
	switch p := p.(type) {
	case unit.Registered:
		for _, u := range p.Units {
			if err := change(u.Unit, func(d *RegisteredUnit) {
				*d = RegisteredUnit{ID: household.ID(project, u.Unit), Project: project, District: district, Unit: u.Unit,
					Building: u.Building, Status: string(u.Status), RegisteredAt: p.At}
			}); err != nil {
				return err
			}
		}
	case unit.StatusChanged:
		return change(p.Unit, func(d *RegisteredUnit) { d.Status = string(p.Status) })
	case unit.KeyClientMarked:
		return change(p.Unit, func(d *RegisteredUnit) {
			t := p.At
			d.KeyClient, d.KeyClientReason, d.KeyClientSince = true, p.Reason, &t
		})
	case unit.KeyClientUnmarked:
		return change(p.Unit, func(d *RegisteredUnit) { d.KeyClient, d.KeyClientReason, d.KeyClientSince = false, "", nil })
	}
	return nil
}
