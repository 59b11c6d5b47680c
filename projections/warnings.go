package projections

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/complaint"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/warning"
)

// WarningsIndex is the project manager's inbox of warnings (R-C4, R-H5, R-M4).
const WarningsIndex = "warnings"

// Warning is one warning to the project manager: raised by the event of a
// complaint (group-complaint risk, R-C4), a visit (a common problem beyond
// the butler's authority, R-H5) or a move-in (a risk at the hand-over
// site, R-M4), open until acknowledged (warning.Sources). Its id is
// warning.ID: the raising stream and event revision.
type Warning struct {
	ID       string `json:"id"`
	Project  string `json:"project"`
	District string `json:"district"`
	// Source is the kind of record ("complaint", "visit", "move_in"), SourceID its
	// id, Rule the rule that asks for the warning.
	Source   string    `json:"source"`
	SourceID string    `json:"source_id"`
	Rule     string    `json:"rule"`
	Reason   string    `json:"reason"`
	Warn     string    `json:"warn"`
	Status   string    `json:"status"` // open, acknowledged
	RaisedBy string    `json:"raised_by"`
	RaisedAt time.Time `json:"raised_at"`
	// Month is the project's local month of raising.
	Month          string     `json:"month"`
	AcknowledgedBy string     `json:"acknowledged_by,omitempty"`
	AcknowledgedAt *time.Time `json:"acknowledged_at,omitempty"`
	Note           string     `json:"note,omitempty"`
	// HoursToAcknowledge is how long the warning waited for the project
	// manager (absent while open).
	HoursToAcknowledge *float64 `json:"hours_to_acknowledge,omitempty"`
}

// Warnings projects the raising events and the acknowledgements. A
// document is touched by two streams, so it is versioned by global
// position.
type Warnings struct{}

func (Warnings) Name() string { return WarningsIndex }
func (Warnings) Schema() Schema {
	return Schema{Name: WarningsIndex, Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "source": Keyword, "source_id": Keyword, "rule": Keyword,
		"warn": Keyword, "status": Keyword, "raised_by": Keyword, "acknowledged_by": Keyword, "month": Keyword,
		"reason": Text, "note": Text, "raised_at": Date, "acknowledged_at": Date, "hours_to_acknowledge": Number,
	}}
}

func (Warnings) Apply(ctx context.Context, e event.Recorded, docs *Docs) error {
	var id string
	var change func(d *Warning) error
	if src, ok := warning.SourceOf(e.Stream, e.Type); ok {
		reason, err := src.Reason(e.Data)
		if err != nil {
			return fmt.Errorf("%s: %w", e.Type, err)
		}
		id = warning.ID(e.Stream, e.Revision)
		change = func(d *Warning) error {
			at := e.Meta.OccurredAt
			*d = Warning{ID: id, Project: e.Meta.Project, District: e.Meta.District, Source: src.Kind,
				SourceID: strings.TrimPrefix(e.Stream, src.Prefix), Rule: src.Rule, Reason: reason, Warn: "project_manager",
				Status: "open", RaisedBy: e.Meta.Actor.StaffID, RaisedAt: at, Month: at.In(complaint.Zone).Format("2006-01")}
			return nil
		}
	} else if strings.HasPrefix(e.Stream, warning.StreamPrefix) && e.Type == warning.TypeAcknowledged {
		p, err := warning.Decode(e.Type, e.Data)
		if err != nil {
			return err
		}
		ack := p.(warning.Acknowledged)
		id = ack.WarningID
		change = func(d *Warning) error {
			if d.ID == "" {
				return fmt.Errorf("%w: acknowledgement of warning %s, which this read model has not seen raised", ErrRefused, id)
			}
			at := ack.At
			hours := at.Sub(d.RaisedAt).Hours()
			d.Status, d.AcknowledgedBy, d.AcknowledgedAt, d.Note, d.HoursToAcknowledge = "acknowledged", ack.By, &at, ack.Note, &hours
			return nil
		}
	} else {
		return nil
	}
	var d Warning
	cur, found, err := docs.Get(ctx, id)
	if err != nil {
		return err
	}
	if found {
		if cur.Version >= uint64(e.Position) {
			return nil // replay
		}
		if err := json.Unmarshal(cur.Source, &d); err != nil {
			return err
		}
	}
	if err := change(&d); err != nil {
		return err
	}
	src, err := json.Marshal(d)
	if err != nil {
		return err
	}
	docs.Put(Document{ID: id, Version: uint64(e.Position), Source: src})
	return nil
}
