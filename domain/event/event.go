// Package event defines the envelope every Butler event travels in, and the
// vocabulary shared by the event store port and its adapters: positions,
// revisions and the expected-revision check that turns a lost race into a
// conflict.
//
// It imports only the standard library so that domain packages can use it.
package event

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Actor is who caused an event: a staff member with a role, or the system
// (policies record their own events as StaffID "system", Role "system").
type Actor struct {
	StaffID string `json:"staff_id"`
	Role    string `json:"role"`
}

// System is the actor of events recorded by policies.
var System = Actor{StaffID: "system", Role: "system"}

// Anonymous is the actor of an anonymous integrity report (R-S6): who
// filed it is recorded nowhere, not even in the envelope.
var Anonymous = Actor{StaffID: "anonymous", Role: "anonymous"}

// Metadata travels with every event.
type Metadata struct {
	Actor         Actor     `json:"actor"`
	Project       string    `json:"project"`
	District      string    `json:"district"`
	OccurredAt    time.Time `json:"occurred_at"`
	CorrelationID string    `json:"correlation_id,omitempty"`
	CausationID   string    `json:"causation_id,omitempty"`
}

// Event is an event proposed for appending: an id (UUIDv7), an explicit
// versioned type such as "complaint.registered.v1", a JSON payload and its
// metadata.
type Event struct {
	ID   string          `json:"id"`
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
	Meta Metadata        `json:"metadata"`
}

// Recorded is an event as the store holds it: the proposed event plus where
// and when it was recorded.
type Recorded struct {
	Event
	Stream string `json:"stream"`
	// Revision is the event's number within its stream, starting at 0.
	Revision uint64 `json:"revision"`
	// Position is the event's place in the global log ($all). Positions are
	// strictly increasing; the embedded store numbers them 1, 2, 3, …
	Position   Position  `json:"position"`
	RecordedAt time.Time `json:"recorded_at"`
}

// Position is a place in the global log. Zero means "before the first event".
type Position uint64

// Direction of a read.
type Direction int

const (
	Forward Direction = iota
	Backward
)

// ExpectedRevision is the optimistic-concurrency check made on append.
type ExpectedRevision struct {
	kind expectKind
	rev  uint64
}

type expectKind int

const (
	expectAny expectKind = iota
	expectNoStream
	expectStreamExists
	expectExact
)

// Any accepts an append whatever the stream's state.
func Any() ExpectedRevision { return ExpectedRevision{kind: expectAny} }

// NoStream accepts an append only to a stream that has no events.
func NoStream() ExpectedRevision { return ExpectedRevision{kind: expectNoStream} }

// StreamExists accepts an append only to a stream that has events.
func StreamExists() ExpectedRevision { return ExpectedRevision{kind: expectStreamExists} }

// Exact accepts an append only if the stream's last revision is rev.
func Exact(rev uint64) ExpectedRevision { return ExpectedRevision{kind: expectExact, rev: rev} }

// IsAny, IsNoStream, IsStreamExists report the kind; Exact reports the revision.
func (e ExpectedRevision) IsAny() bool          { return e.kind == expectAny }
func (e ExpectedRevision) IsNoStream() bool     { return e.kind == expectNoStream }
func (e ExpectedRevision) IsStreamExists() bool { return e.kind == expectStreamExists }

// ExactRevision returns the expected revision and true when the check is exact.
func (e ExpectedRevision) ExactRevision() (uint64, bool) { return e.rev, e.kind == expectExact }

// Check reports whether a stream whose last revision is current (exists
// false: the stream has no events) satisfies the expectation.
func (e ExpectedRevision) Check(current uint64, exists bool) bool {
	switch e.kind {
	case expectNoStream:
		return !exists
	case expectStreamExists:
		return exists
	case expectExact:
		return exists && current == e.rev
	default:
		return true
	}
}

func (e ExpectedRevision) String() string {
	switch e.kind {
	case expectNoStream:
		return "no stream"
	case expectStreamExists:
		return "stream exists"
	case expectExact:
		return fmt.Sprintf("revision %d", e.rev)
	default:
		return "any"
	}
}

// ErrConflict is matched (errors.Is) by every wrong-expected-revision error.
var ErrConflict = errors.New("wrong expected revision")

// ErrStorage is wrapped by an event store's errors that come from its
// storage (disk full or failing): nothing was recorded, and trying again
// later may work.
var ErrStorage = errors.New("event store: storage failure")

// ErrUnavailable is wrapped by an event store's errors when the store
// cannot be reached (a remote server down or unreachable). For an append
// the outcome is unknown: the events may or may not have been recorded.
var ErrUnavailable = errors.New("event store: unavailable")

// ErrStreamNotFound is returned when reading a stream that has no events.
var ErrStreamNotFound = errors.New("stream not found")

// ConflictError says which check failed. It matches ErrConflict.
type ConflictError struct {
	Stream   string
	Expected ExpectedRevision
	// Actual is the stream's last revision; Exists false means no stream.
	Actual uint64
	Exists bool
	// Deleted says the stream was deleted for good (EventStoreDB's
	// tombstone, made outside Butler): no append to it can succeed, and
	// reading it gives ErrStreamNotFound.
	Deleted bool
}

func (e *ConflictError) Error() string {
	actual := "no stream"
	switch {
	case e.Deleted:
		actual = "a deleted stream"
	case e.Exists:
		actual = fmt.Sprintf("revision %d", e.Actual)
	}
	return fmt.Sprintf("stream %s: expected %s, found %s", e.Stream, e.Expected, actual)
}

func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// AppendResult tells where an append landed.
type AppendResult struct {
	// NextRevision is the revision of the last event appended.
	NextRevision uint64
	// Position is the global position of the last event appended.
	Position Position
}

// End as a read position means "from the end" in a backward read.
const End = Position(^uint64(0))

// StreamEnd as a revision means "from the last event" in a backward stream read.
const StreamEnd = ^uint64(0)

// Payload is a domain event before it is put in an envelope. Each
// aggregate package decodes its own payloads by explicit type name (no
// registries, no reflection-derived names), so stored names never change
// when Go types are renamed.
type Payload interface {
	// EventType is the stored, versioned type name: "complaint.registered.v1".
	EventType() string
}
