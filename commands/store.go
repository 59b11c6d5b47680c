package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/event"
)

// EventStore is what command handlers need from the event store.
type EventStore interface {
	Append(ctx context.Context, stream string, expected event.ExpectedRevision, events ...event.Event) (event.AppendResult, error)
	ReadStream(ctx context.Context, stream string, from uint64, dir event.Direction, max int) ([]event.Recorded, error)
}

// Clock tells the time; tests move it.
type Clock interface{ Now() time.Time }
