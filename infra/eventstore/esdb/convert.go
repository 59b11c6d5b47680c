package esdb

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"

	esclient "github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"

	"github.com/butler-pm/butler/domain/event"
)

// toExpected maps our optimistic-concurrency check onto the client's.
func toExpected(e event.ExpectedRevision) esclient.ExpectedRevision {
	switch {
	case e.IsNoStream():
		return esclient.NoStream{}
	case e.IsStreamExists():
		return esclient.StreamExists{}
	}
	if rev, ok := e.ExactRevision(); ok {
		return esclient.Revision(rev)
	}
	return esclient.Any{}
}

// The client reports a wrong expected version only as text:
// "wrong expected version: expecting 'X' but got 'Y'", Y being
// "no_stream" or a revision.
var wrongVersionText = regexp.MustCompile(`expecting '([^']*)' but got '([^']*)'`)

// conflictFrom turns the client's wrong-expected-version error into
// *event.ConflictError; ok is false for any other error. An append to a
// tombstoned stream (stream-deleted) is a conflict too, marked Deleted: the
// caller's expectation cannot hold, and reloading finds no stream (reads
// of a deleted stream give event.ErrStreamNotFound).
func conflictFrom(err error, stream string, expected event.ExpectedRevision) (*event.ConflictError, bool) {
	var esErr *esclient.Error
	if !errors.As(err, &esErr) {
		return nil, false
	}
	conflict := &event.ConflictError{Stream: stream, Expected: expected}
	switch esErr.Code() {
	case esclient.ErrorCodeWrongExpectedVersion:
	case esclient.ErrorCodeStreamDeleted:
		conflict.Deleted = true
		return conflict, true
	default:
		return nil, false
	}
	if esErr.Err() == nil {
		return conflict, true
	}
	m := wrongVersionText.FindStringSubmatch(esErr.Err().Error())
	if m == nil || m[2] == "no_stream" {
		return conflict, true
	}
	// The client formats the revision with int(): a "-1" means no stream.
	if n, perr := strconv.ParseInt(m[2], 10, 64); perr == nil && n >= 0 {
		conflict.Actual, conflict.Exists = uint64(n), true
	}
	return conflict, true
}

// toEventData puts our envelope into the client's: our UUIDv7 id, our type,
// JSON data and our metadata as JSON user metadata.
func toEventData(e event.Event) (esclient.EventData, error) {
	id, err := uuid.Parse(e.ID)
	if err != nil || id == uuid.Nil {
		return esclient.EventData{}, fmt.Errorf("esdb: event id %q is not a UUID", e.ID)
	}
	if e.Type == "" {
		return esclient.EventData{}, fmt.Errorf("esdb: event %s has no type", e.ID)
	}
	meta, err := json.Marshal(e.Meta)
	if err != nil {
		return esclient.EventData{}, fmt.Errorf("esdb: encode metadata of event %s: %w", e.ID, err)
	}
	return esclient.EventData{
		EventID:     id,
		EventType:   e.Type,
		ContentType: esclient.ContentTypeJson,
		Data:        e.Data,
		Metadata:    meta,
	}, nil
}

// fromRecorded reads our envelope back. Position is the commit position;
// a stream read on older servers reports none (max uint64) and gives 0.
func fromRecorded(r *esclient.RecordedEvent) (event.Recorded, error) {
	rec := event.Recorded{
		Event: event.Event{
			ID:   r.EventID.String(),
			Type: r.EventType,
		},
		Stream:     r.StreamID,
		Revision:   r.EventNumber,
		RecordedAt: r.CreatedDate,
	}
	if r.Position.Commit != ^uint64(0) {
		rec.Position = event.Position(r.Position.Commit)
	}
	if len(r.Data) > 0 {
		rec.Data = json.RawMessage(append([]byte(nil), r.Data...))
	}
	if len(r.UserMetadata) > 0 {
		if err := json.Unmarshal(r.UserMetadata, &rec.Meta); err != nil {
			return event.Recorded{}, fmt.Errorf("esdb: decode metadata of %s@%d: %w", r.StreamID, r.EventNumber, err)
		}
	}
	return rec, nil
}

// isSystem reports events EventStoreDB writes for itself ($metadata,
// $settings, projections' links…): they are not Butler's history.
func isSystem(r *esclient.RecordedEvent) bool {
	return len(r.EventType) > 0 && r.EventType[0] == '$'
}

// posLess orders $all positions the way the server does.
func posLess(a, b esclient.Position) bool {
	if a.Commit != b.Commit {
		return a.Commit < b.Commit
	}
	return a.Prepare < b.Prepare
}
