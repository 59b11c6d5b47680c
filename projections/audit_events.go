package projections

import (
	"context"
	"encoding/json"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// AuditEventsIndex is the audit feed's read model: one document per event
// of every stream, its id the event's id, so an event's position and
// stream can be found from its id (Get).
const AuditEventsIndex = "audit-events"

// Fields of the audit-events read model (AuditEvent) that the feed
// filters and sorts on.
const (
	AuditEventFieldPosition   = "position"
	AuditEventFieldStream     = "stream"
	AuditEventFieldType       = "type"
	AuditEventFieldActor      = "actor"
	AuditEventFieldProject    = "project"
	AuditEventFieldDistrict   = "district"
	AuditEventFieldRecordedAt = "recorded_at"
)

// AuditEvent is one event as the audit feed shows it: where it is in the
// log and in its stream, what it is, who recorded it for which project
// and district, when, and the chain it belongs to. The payload stays in
// the event store (the record's history shows it).
type AuditEvent struct {
	ID            string         `json:"id"`
	Position      event.Position `json:"position"`
	Stream        string         `json:"stream"`
	Revision      uint64         `json:"revision"`
	Type          string         `json:"type"`
	Actor         string         `json:"actor"`
	Role          string         `json:"role"`
	Project       string         `json:"project"`
	District      string         `json:"district"`
	OccurredAt    time.Time      `json:"occurred_at"`
	RecordedAt    time.Time      `json:"recorded_at"`
	CorrelationID string         `json:"correlation_id"`
	CausationID   string         `json:"causation_id"`
}

// AuditEvents projects every event of every stream into the audit feed.
type AuditEvents struct{}

func (AuditEvents) Name() string { return AuditEventsIndex }

// Schema indexes what the feed filters on (actor, type, stream, district,
// recorded time, within the project) and sorts by (position); the rest is
// only stored.
func (AuditEvents) Schema() Schema {
	return Schema{Name: AuditEventsIndex, Fields: map[string]FieldKind{
		AuditEventFieldPosition: Number, AuditEventFieldRecordedAt: Date, AuditEventFieldProject: Keyword,
		AuditEventFieldDistrict: Keyword, AuditEventFieldStream: Keyword, AuditEventFieldType: Keyword, AuditEventFieldActor: Keyword,
	}}
}

// Apply writes the event's document. An event belongs to its project's
// feed only: one recorded without a project is in no feed. The document is
// versioned by position and never changes, so a replay writes nothing.
func (AuditEvents) Apply(_ context.Context, e event.Recorded, docs *Docs) error {
	if e.Meta.Project == "" {
		return nil
	}
	src, err := json.Marshal(AuditEvent{ID: e.ID, Position: e.Position, Stream: e.Stream, Revision: e.Revision, Type: e.Type,
		Actor: e.Meta.Actor.StaffID, Role: e.Meta.Actor.Role, Project: e.Meta.Project, District: e.Meta.District,
		OccurredAt: e.Meta.OccurredAt, RecordedAt: e.RecordedAt,
		CorrelationID: e.Meta.CorrelationID, CausationID: e.Meta.CausationID})
	if err != nil {
		return err
	}
	docs.Put(Document{ID: e.ID, Version: uint64(e.Position), Source: src})
	return nil
}
