package projections

import (
	"context"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff/integrity"
)

// IntegrityIndex lists integrity reports for operations (R-S6) without
// their subject, content or reporter: those stay in the event stream,
// which only operations may read.
const IntegrityIndex = "integrity_reports"

// IntegrityReport is a report's bare facts.
type IntegrityReport struct {
	ID       string    `json:"id"`
	Project  string    `json:"project"`
	District string    `json:"district"`
	Status   string    `json:"status"` // filed, handled
	Month    string    `json:"month"`
	FiledAt  time.Time `json:"filed_at"`
	Revision uint64    `json:"revision"`
}

// IntegrityReports projects integrity streams.
type IntegrityReports struct{}

func (IntegrityReports) Name() string { return IntegrityIndex }
func (IntegrityReports) Schema() Schema {
	return Schema{Name: IntegrityIndex, Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "status": Keyword, "month": Keyword, "filed_at": Date,
	}}
}

func (IntegrityReports) Apply(ctx context.Context, e event.Recorded, docs *Docs) error {
	id, ok := strings.CutPrefix(e.Stream, integrity.StreamPrefix)
	if !ok {
		return nil
	}
	p, err := integrity.Decode(e.Type, e.Data)
	if err != nil {
		return err
	}
	return FoldStream(ctx, docs, id, e, func(d *IntegrityReport) error {
		d.Revision = e.Revision
		switch p := p.(type) {
		case integrity.Filed:
			*d = IntegrityReport{ID: id, Project: p.Project, Status: "filed", Month: p.At.Format("2006-01"), FiledAt: p.At, Revision: e.Revision}
		case integrity.Handled:
			d.Status = "handled"
		}
		return nil
	})
}
