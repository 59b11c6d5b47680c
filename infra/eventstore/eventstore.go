// Package eventstore names what every event-store adapter provides: the
// embedded store (infra/eventstore/embedded) and the EventStoreDB adapter
// (infra/eventstore/esdb). The narrower ports that code depends on live next
// to that code (commands.EventStore, the Watermill subscriber's source);
// this union is what the contract suite in infra/eventstore/storetest checks.
package eventstore

import (
	"context"

	"github.com/butler-pm/butler/domain/event"
)

// Store is an append-only event store with one stream per aggregate and a
// global ordered log ($all).
type Store interface {
	// Append writes events to the end of a stream if expected holds, else
	// returns an error matching event.ErrConflict (*event.ConflictError) and
	// writes nothing. When Append returns nil the events are durable.
	// Revisions start at 0. All events of one call get consecutive revisions
	// and positions and become visible together.
	Append(ctx context.Context, stream string, expected event.ExpectedRevision, events ...event.Event) (event.AppendResult, error)
	// ReadStream returns up to max events of a stream starting at revision
	// from (inclusive): ascending for Forward, descending for Backward
	// (from = event.StreamEnd: the last event). A stream with no events gives
	// event.ErrStreamNotFound.
	ReadStream(ctx context.Context, stream string, from uint64, dir event.Direction, max int) ([]event.Recorded, error)
	// ReadAll reads up to max events of the global log beyond position
	// from, which it excludes: ascending for Forward (events after from;
	// 0: from the start), descending for Backward (events before from;
	// event.End: from the last event).
	//
	// Positions are opaque: from must be 0, event.End or the position of a
	// recorded event. EventStoreDB's are byte offsets into its log, so
	// arithmetic on them (p+1) names no event and the server refuses it.
	ReadAll(ctx context.Context, from event.Position, dir event.Direction, max int) ([]event.Recorded, error)
	// SubscribeAll delivers every event with a position greater than after,
	// first those already stored and then live ones, in position order,
	// without gaps or duplicates.
	SubscribeAll(ctx context.Context, after event.Position) (Subscription, error)
	Close() error
}

// Subscription is a catch-up subscription to $all.
type Subscription interface {
	// Next blocks until the next event, ctx ends, or the subscription fails
	// or is closed.
	Next(ctx context.Context) (event.Recorded, error)
	Close() error
}

// StreamAppend is one stream's part of an ordered append.
type StreamAppend struct {
	Stream   string
	Expected event.ExpectedRevision
	Events   []event.Event
}

// OrderedAppender is an optional capability of a store: appends to several
// streams that land in $all in the order given, sharing durable writes. A
// migration copies a log with it at the speed of group commit instead of
// one fsync per stream run.
type OrderedAppender interface {
	// AppendOrdered appends each part as Append would, in order; it returns
	// the first error with the index of its part (later parts may have
	// been appended).
	AppendOrdered(ctx context.Context, parts []StreamAppend) ([]event.AppendResult, error)
}
