package projections

import (
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/localtime"
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
	Kind     string    `json:"kind"`   // the prohibited act (integrity.Kinds)
	Month    string    `json:"month"`
	FiledAt  time.Time `json:"filed_at"`
	Versioned
}

// IntegrityReports projects integrity streams.
var IntegrityReports = StreamModel[IntegrityReport]{Index: IntegrityIndex, Prefix: integrity.StreamPrefix, Decode: integrity.Decode,
	Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "status": Keyword, "kind": Keyword, "month": Keyword, "filed_at": Date,
	},
	Fold: func(d *IntegrityReport, id string, p event.Payload, e event.Recorded) {
		switch p := p.(type) {
		case integrity.Filed:
			*d = IntegrityReport{ID: id, Project: p.Project, Status: "filed", Kind: integrity.KindOf(p), Month: localtime.Month(p.At), FiledAt: p.At}
		case integrity.Handled:
			d.Status = "handled"
		}
	},
}
