package esdbserver

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"

	"github.com/butler-pm/butler/domain/event"
)

// EventStoreDB stores an event's data and user metadata as bytes, with any
// content type, and gives them back unchanged. The backend holds Butler's
// envelope (JSON data, event.Metadata), so an event is kept there in one of
// two forms:
//
//   - native, when nothing is lost: JSON content, JSON (or no) data, and
//     user metadata that is empty or exactly what json.Marshal writes for an
//     event.Metadata (what the esdb adapter sends). Butler's events stay
//     readable as Butler's events in the backend.
//   - raw, for everything else: the backend event's data is a rawRecord
//     holding the content type, data and metadata bytes, and its actor is
//     rawActor.
//
// What the server records for itself is marked the same way: a tombstone
// (hard delete) is a "$streamDeleted" event whose actor is tombstoneActor.
// No client event is ever stored with the server's staff id (such metadata
// goes raw), so the marks cannot be forged.
const serverStaffID = "$esdb"

var (
	rawActor       = event.Actor{StaffID: serverStaffID, Role: "raw"}
	tombstoneActor = event.Actor{StaffID: serverStaffID, Role: "tombstone"}
)

const (
	contentTypeJSON   = "application/json"
	contentTypeBinary = "application/octet-stream"
	// tombstoneType is the type EventStoreDB gives a hard delete's event.
	tombstoneType = "$streamDeleted"
	// metadataType is the type of a stream metadata event in "$$stream".
	metadataType = "$metadata"
)

// rawRecord is a raw event's content inside the backend's JSON data
// (byte slices are base64 in JSON).
type rawRecord struct {
	ContentType string `json:"content_type"`
	Data        []byte `json:"data"`
	Metadata    []byte `json:"metadata"`
}

// wireEvent is an event as the client sends and reads it.
type wireEvent struct {
	id          string
	typ         string
	contentType string
	data        []byte
	meta        []byte
}

// toBackend chooses the native form when it loses nothing, else the raw one.
func toBackend(w wireEvent) (event.Event, error) {
	e := event.Event{ID: w.id, Type: w.typ}
	if m, ok := nativeMeta(w); ok {
		if len(w.data) > 0 {
			e.Data = json.RawMessage(bytes.Clone(w.data))
		}
		e.Meta = m
		return e, nil
	}
	data, err := json.Marshal(rawRecord{ContentType: w.contentType, Data: w.data, Metadata: w.meta})
	if err != nil {
		return event.Event{}, err
	}
	e.Data, e.Meta = data, event.Metadata{Actor: rawActor}
	return e, nil
}

// nativeMeta says whether w can be kept natively, and with which metadata.
func nativeMeta(w wireEvent) (event.Metadata, bool) {
	if w.contentType != contentTypeJSON || (len(w.data) > 0 && !json.Valid(w.data)) {
		return event.Metadata{}, false
	}
	if len(w.meta) == 0 {
		return event.Metadata{}, true
	}
	var m event.Metadata
	dec := json.NewDecoder(bytes.NewReader(w.meta))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil || dec.More() {
		return event.Metadata{}, false
	}
	if isZeroMeta(m) || m.Actor.StaffID == serverStaffID {
		return event.Metadata{}, false
	}
	again, err := json.Marshal(m)
	if err != nil || !bytes.Equal(again, w.meta) {
		return event.Metadata{}, false
	}
	return m, true
}

// fromBackend is the inverse of toBackend; tombstones read as EventStoreDB
// writes them (no data, no metadata).
func fromBackend(rec event.Recorded) (wireEvent, error) {
	w := wireEvent{id: rec.ID, typ: rec.Type, contentType: contentTypeJSON, data: rec.Data}
	switch rec.Meta.Actor {
	case rawActor:
		var r rawRecord
		if err := json.Unmarshal(rec.Data, &r); err != nil {
			return wireEvent{}, fmt.Errorf("raw event %s@%d: %w", rec.Stream, rec.Revision, err)
		}
		w.contentType, w.data, w.meta = r.ContentType, r.Data, r.Metadata
	case tombstoneActor:
		w.contentType, w.data = contentTypeBinary, nil
	default:
		if !isZeroMeta(rec.Meta) {
			meta, err := json.Marshal(rec.Meta)
			if err != nil {
				return wireEvent{}, err
			}
			w.meta = meta
		}
	}
	return w, nil
}

func isZeroMeta(m event.Metadata) bool {
	return m.Actor == event.Actor{} && m.Project == "" && m.District == "" && m.OccurredAt.IsZero() &&
		m.CorrelationID == "" && m.CausationID == ""
}

func isTombstone(rec event.Recorded) bool {
	return rec.Type == tombstoneType && rec.Meta.Actor == tombstoneActor
}

func newTombstone() event.Event {
	return event.Event{ID: uuid.NewString(), Type: tombstoneType, Meta: event.Metadata{Actor: tombstoneActor}}
}
