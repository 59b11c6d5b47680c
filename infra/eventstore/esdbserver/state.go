package esdbserver

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/butler-pm/butler/domain/event"
)

// A stream's metadata is the data of the last event in "$$stream"
// (EventStoreDB's metastream; the client's SetStreamMetadata appends there).
// The server applies what bounds a read:
//
//   - $maxCount: only the last n events are read;
//   - $maxAge (seconds): only events recorded within it are read;
//   - $tb (truncate before): events before that revision are not read;
//     softDeleted ($tb = the largest int64, what a soft delete writes) makes
//     the stream read as not found until it is appended to again, which
//     moves $tb to the first new revision: the old events stay hidden and
//     revisions continue.
//
// A metastream itself has $maxCount 1.
//
// EventStoreDB removes such events for good only when it scavenges; until
// then they stay in $all, and so they do here (forever).
const metastreamPrefix = "$$"

const softDeleted = math.MaxInt64

func metastream(name string) string { return metastreamPrefix + name }

// streamMeta is a stream's metadata: every property as given (a soft
// delete or a recreation rewrites one and keeps the others) and the ones the
// server applies.
type streamMeta struct {
	props    map[string]json.RawMessage
	maxCount *uint64
	maxAge   *time.Duration
	tb       *uint64
}

func parseStreamMeta(data []byte) streamMeta {
	var m streamMeta
	if json.Unmarshal(data, &m.props) != nil {
		// Not an object: EventStoreDB ignores metadata it cannot read.
		return streamMeta{}
	}
	number := func(key string) *uint64 {
		var v uint64
		if raw, ok := m.props[key]; !ok || json.Unmarshal(raw, &v) != nil {
			return nil
		}
		return &v
	}
	m.maxCount, m.tb = number("$maxCount"), number("$tb")
	if secs := number("$maxAge"); secs != nil && *secs <= math.MaxInt64/uint64(time.Second) {
		d := time.Duration(*secs) * time.Second
		m.maxAge = &d
	}
	return m
}

// with returns the metadata's properties with key set to v, as JSON.
func (m streamMeta) with(key string, v uint64) json.RawMessage {
	props := make(map[string]json.RawMessage, len(m.props)+1)
	for k, p := range m.props {
		props[k] = p
	}
	props[key], _ = json.Marshal(v)
	b, _ := json.Marshal(props)
	return b
}

// streamState is what appends, deletes and reads check first.
type streamState struct {
	name string
	// last is the backend stream's last revision when exists.
	last       uint64
	exists     bool
	tombstoned bool
	meta       streamMeta
	// metaLast is the metastream's last revision when metaExists.
	metaLast   uint64
	metaExists bool
}

func (s streamState) softDeleted() bool { return s.meta.tb != nil && *s.meta.tb == softDeleted }

// visibleExists is whether the stream exists for a client: it has events
// and is neither deleted nor tombstoned.
func (s streamState) visibleExists() bool { return s.exists && !s.tombstoned && !s.softDeleted() }

// check is the expected-revision check as EventStoreDB makes it: a
// soft-deleted stream may be recreated with "any", "no stream" or its last
// revision.
func (s streamState) check(expected event.ExpectedRevision) bool {
	if s.softDeleted() && s.exists {
		rev, exact := expected.ExactRevision()
		return expected.IsAny() || expected.IsNoStream() || (exact && rev == s.last)
	}
	return expected.Check(s.last, s.visibleExists())
}

// backendExpected is the expectation an append made after check holds
// against: the state read, so that a concurrent change is noticed.
func (s streamState) backendExpected() event.ExpectedRevision {
	if s.exists {
		return event.Exact(s.last)
	}
	return event.NoStream()
}

// firstKept is the lowest revision a read returns ($tb, $maxCount).
func (s streamState) firstKept() uint64 {
	var lo uint64
	if s.meta.tb != nil {
		lo = *s.meta.tb
	}
	if c := s.meta.maxCount; c != nil && s.exists && s.last+1 > *c {
		lo = max(lo, s.last+1-*c)
	}
	return lo
}

// state reads a stream's last event and its metadata.
func (h *streams) state(ctx context.Context, name string) (streamState, error) {
	st := streamState{name: name}
	last, err := h.lastEvent(ctx, name)
	if err != nil {
		return st, err
	}
	if last != nil {
		st.last, st.exists, st.tombstoned = last.Revision, true, isTombstone(*last)
	}
	if strings.HasPrefix(name, metastreamPrefix) {
		// A metastream keeps only its last event, as in EventStoreDB: the
		// client reads a stream's metadata forwards from the start.
		one := uint64(1)
		st.meta.maxCount = &one
		return st, nil
	}
	meta, err := h.lastEvent(ctx, metastream(name))
	if err != nil || meta == nil {
		return st, err
	}
	st.metaLast, st.metaExists = meta.Revision, true
	w, err := fromBackend(*meta)
	if err != nil {
		return st, err
	}
	st.meta = parseStreamMeta(w.data)
	return st, nil
}

func (h *streams) lastEvent(ctx context.Context, name string) (*event.Recorded, error) {
	recs, err := h.backend.ReadStream(ctx, name, event.StreamEnd, event.Backward, 1)
	if errors.Is(err, event.ErrStreamNotFound) || (err == nil && len(recs) == 0) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &recs[0], nil
}

// setTruncateBefore writes the stream's metadata again with $tb = tb.
func (h *streams) setTruncateBefore(ctx context.Context, st streamState, tb uint64) (event.AppendResult, error) {
	expected := event.NoStream()
	if st.metaExists {
		expected = event.Exact(st.metaLast)
	}
	e := event.Event{ID: uuid.NewString(), Type: metadataType, Data: st.meta.with("$tb", tb)}
	return h.backend.Append(ctx, metastream(st.name), expected, e)
}
