package projections

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// AuditEventsIndex is the audit feed's read model: one document per event
// of every stream, its id the event's id, so an event's position and
// stream can be found from its id (Get).
const AuditEventsIndex = "audit-events"

// Fields of the audit-events read model (AuditEvent) that the feed
// filters and sorts on. The position and the recorded time are indexed as
// fixed-width keywords (seq, at), which sort and range as they read: the
// index writes one term for each instead of a numeric field's many, which
// made this one-document-per-event read model cost as much as all the
// others together in a rebuild; and EventStoreDB's positions exceed what
// a float64 holds exactly.
const (
	AuditEventFieldPosition   = "seq"
	AuditEventFieldStream     = "stream"
	AuditEventFieldType       = "type"
	AuditEventFieldActor      = "actor"
	AuditEventFieldProject    = "project"
	AuditEventFieldDistrict   = "district"
	AuditEventFieldRecordedAt = "at"
)

// AuditSeq is a position as the audit feed indexes it: 20 digits.
func AuditSeq(p event.Position) string { return fmt.Sprintf("%020d", uint64(p)) }

// AuditAfter bounds the feed to the positions after p.
func AuditAfter(p event.Position) Range {
	return Range{Field: AuditEventFieldPosition, Min: AuditSeq(p) + "\x00"}
}

// AuditUpTo bounds the feed to the positions up to p.
func AuditUpTo(p event.Position) Range {
	return Range{Field: AuditEventFieldPosition, Max: AuditSeq(p) + "\x00"}
}

// AuditAt is a time as the audit feed indexes it: UTC, nanoseconds, fixed width.
func AuditAt(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }

// AuditTimeRange bounds the feed's recorded time: from inclusive, to
// exclusive; a zero time is open.
func AuditTimeRange(from, to time.Time) Range {
	r := Range{Field: AuditEventFieldRecordedAt}
	if !from.IsZero() {
		r.Min = AuditAt(from)
	}
	if !to.IsZero() {
		r.Max = AuditAt(to)
	}
	return r
}

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
	// Seq and At are Position and RecordedAt as the feed sorts and filters
	// on them (AuditSeq, AuditAt).
	Seq string `json:"seq"`
	At  string `json:"at"`
}

// AuditEvents projects every event of every stream into the audit feed.
type AuditEvents struct{}

func (AuditEvents) Name() string { return AuditEventsIndex }

// Schema indexes what the feed filters on (actor, type, stream, district,
// recorded time, within the project) and sorts by (position); the rest is
// only stored.
func (AuditEvents) Schema() Schema {
	return Schema{Name: AuditEventsIndex, Fields: map[string]FieldKind{
		AuditEventFieldPosition: Keyword, AuditEventFieldRecordedAt: Keyword, AuditEventFieldProject: Keyword,
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
		CorrelationID: e.Meta.CorrelationID, CausationID: e.Meta.CausationID, Seq: AuditSeq(e.Position), At: AuditAt(e.RecordedAt)})
	if err != nil {
		return err
	}
	docs.Put(Document{ID: e.ID, Version: uint64(e.Position), Source: src})
	return nil
}
