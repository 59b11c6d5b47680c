package projections

import (
	"context"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// StreamModel is a read model that folds each stream under Prefix into one
// document, versioned by the stream's revision (FoldStream). A read model
// of this kind states only its document's fields and its fold; cutting the
// stream prefix, decoding, the revision check and the stamps are done here.
type StreamModel[T any] struct {
	Index  string
	Prefix string
	Decode func(eventType string, data []byte) (event.Payload, error)
	Fields map[string]FieldKind
	// Fold changes the document of stream Prefix+id (the zero T for the
	// stream's first event) by one decoded event.
	Fold func(d *T, id string, p event.Payload, e event.Recorded)
	// Rev is the fold's revision (Revisioned): bump it when Fold changes
	// what it writes for events already in the log.
	Rev int
}

// Revision is the fold's revision (Revisioned).
func (m StreamModel[T]) Revision() int { return m.Rev }

func (m StreamModel[T]) Name() string { return m.Index }

func (m StreamModel[T]) Schema() Schema { return Schema{Name: m.Index, Fields: m.Fields} }

func (m StreamModel[T]) Apply(ctx context.Context, e event.Recorded, docs *Docs) error {
	id, p, ok, err := ofStream(e, m.Prefix, m.Decode)
	if !ok || err != nil {
		return err
	}
	return FoldStream(ctx, docs, id, e, func(d *T) error {
		s, stamped := any(d).(stamper)
		if stamped {
			s.unstamp()
		}
		m.Fold(d, id, p, e)
		if stamped {
			s.stamp(e)
		}
		return nil
	})
}

// ofStream decodes e when its stream is under prefix, with the id that
// follows the prefix; ok is false for any other stream.
func ofStream(e event.Recorded, prefix string, decode func(string, []byte) (event.Payload, error)) (id string, p event.Payload, ok bool, err error) {
	id, ok = strings.CutPrefix(e.Stream, prefix)
	if !ok {
		return "", nil, false, nil
	}
	p, err = decode(e.Type, e.Data)
	return id, p, true, err
}

// stamper is a document that shows where its stream stands: one that
// embeds Versioned or Stamped.
type stamper interface {
	// unstamp clears what the fold may set itself, before it runs.
	unstamp()
	// stamp marks the folded document with the event.
	stamp(e event.Recorded)
}

// Versioned, embedded in a StreamModel's document, shows the stream
// revision the document is at.
type Versioned struct {
	Revision uint64 `json:"revision"`
}

func (v *Versioned) unstamp()               {}
func (v *Versioned) stamp(e event.Recorded) { v.Revision = e.Revision }

// Stamped, embedded in a StreamModel's document, shows the stream revision
// the document is at and when it last changed: when the event occurred,
// unless the fold dated the change itself (a record's first event dates it
// by the time the event names).
type Stamped struct {
	Revision  uint64    `json:"revision"`
	UpdatedAt time.Time `json:"updated_at"`
}

func (s *Stamped) unstamp() { s.UpdatedAt = time.Time{} }

func (s *Stamped) stamp(e event.Recorded) {
	s.Revision = e.Revision
	if s.UpdatedAt.IsZero() {
		s.UpdatedAt = e.Meta.OccurredAt
	}
}
