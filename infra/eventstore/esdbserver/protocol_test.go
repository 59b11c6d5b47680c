package esdbserver_test

// Behaviours the esdb adapter relies on that no official client test can
// check here (those tests need the pre-populated dataset), written from
// EventStoreDB's documentation and checked through the real v4 client:
//
//   - reading events, https://developers.eventstore.com/clients/grpc/reading-events:
//     a stream backwards from the end or from a revision; $all from a
//     position, forwards and backwards;
//   - catch-up subscriptions, https://docs.kurrent.io/clients/grpc/subscriptions:
//     "the positions provided to the subscriptions are exclusive", server-side
//     filters by stream or event type, checkpoints;
//   - appending events, https://developers.eventstore.com/clients/grpc/appending-events:
//     a stream revision as the expected revision, and NoStream, which fails
//     when the stream exists;
//   - deleting streams, https://developers.eventstore.com/server/v24.10/features/streams.html#deleting-streams-and-events:
//     a soft-deleted stream reads as not found and can be appended to again,
//     its revisions continuing; a tombstoned one is gone for good.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"testing"
	"time"

	esclient "github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/eventstore"
	"github.com/butler-pm/butler/infra/eventstore/embedded"
	"github.com/butler-pm/butler/infra/eventstore/esdbserver"
)

// startWithBackend is start, also returning the store behind the server.
func startWithBackend(t *testing.T) (*esdbserver.Server, eventstore.Store) {
	t.Helper()
	backend, err := embedded.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = backend.Close() })
	srv, err := esdbserver.Start(t.Context(), backend, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	return srv, backend
}

func collect(t *testing.T, rs *esclient.ReadStream, err error) ([]*esclient.RecordedEvent, error) {
	t.Helper()
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var out []*esclient.RecordedEvent
	for {
		ev, err := rs.Recv()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, ev.OriginalEvent())
	}
}

func readStream(t *testing.T, c *esclient.Client, stream string, opts esclient.ReadStreamOptions, n uint64) ([]*esclient.RecordedEvent, error) {
	t.Helper()
	rs, err := c.ReadStream(t.Context(), stream, opts, n)
	return collect(t, rs, err)
}

func readAll(t *testing.T, c *esclient.Client, opts esclient.ReadAllOptions, n uint64) ([]*esclient.RecordedEvent, error) {
	t.Helper()
	rs, err := c.ReadAll(t.Context(), opts, n)
	return collect(t, rs, err)
}

func revisions(evs []*esclient.RecordedEvent) string {
	var s []string
	for _, e := range evs {
		s = append(s, fmt.Sprintf("%s@%d", e.StreamID, e.EventNumber))
	}
	return fmt.Sprint(s)
}

func code(err error) esclient.ErrorCode {
	var esErr *esclient.Error
	if errors.As(err, &esErr) {
		return esErr.Code()
	}
	return -1
}

// TestReadStreamBackwards: from the end, newest first; from a revision,
// that revision and the ones before it; as many as asked.
func TestReadStreamBackwards(t *testing.T) {
	t.Parallel()
	c := client(t, start(t))
	appendN(t, c, "s", "x.v1", 5)
	appendN(t, c, "other", "x.v1", 2)
	cases := []struct {
		from esclient.StreamPosition
		n    uint64
		want string
	}{
		{esclient.End{}, 10, "[s@4 s@3 s@2 s@1 s@0]"},
		{esclient.End{}, 2, "[s@4 s@3]"},
		{esclient.Revision(2), 10, "[s@2 s@1 s@0]"},
		{esclient.Revision(3), 2, "[s@3 s@2]"},
		{esclient.Start{}, 10, "[s@0]"},
	}
	for _, tc := range cases {
		evs, err := readStream(t, c, "s", esclient.ReadStreamOptions{Direction: esclient.Backwards, From: tc.from}, tc.n)
		if err != nil || revisions(evs) != tc.want {
			t.Errorf("backwards from %#v, %d: %s (err %v), want %s", tc.from, tc.n, revisions(evs), err, tc.want)
		}
	}
	if _, err := readStream(t, c, "missing", esclient.ReadStreamOptions{Direction: esclient.Backwards, From: esclient.End{}}, 10); code(err) != esclient.ErrorCodeResourceNotFound {
		t.Errorf("backwards on a missing stream: %v, want resource not found", err)
	}
}

// TestReadAllFromPositionBothWays: forwards from an event's position
// includes that event; backwards from it starts with the one before;
// from the start and the end; in pages.
func TestReadAllFromPositionBothWays(t *testing.T) {
	t.Parallel()
	c := client(t, start(t))
	for i := range 3 {
		appendN(t, c, fmt.Sprintf("a-%d", i), "x.v1", 2)
	}
	all, err := readAll(t, c, esclient.ReadAllOptions{From: esclient.Start{}}, 100)
	if err != nil || len(all) != 6 {
		t.Fatalf("$all from the start: %s (err %v), want 6 events", revisions(all), err)
	}
	pos := func(i int) esclient.Position { return all[i].Position }
	cases := []struct {
		name string
		opts esclient.ReadAllOptions
		n    uint64
		want []*esclient.RecordedEvent
	}{
		{"forwards from the 3rd", esclient.ReadAllOptions{Direction: esclient.Forwards, From: pos(2)}, 100, all[2:]},
		{"forwards from the 3rd, two", esclient.ReadAllOptions{Direction: esclient.Forwards, From: pos(2)}, 2, all[2:4]},
		{"backwards from the 4th", esclient.ReadAllOptions{Direction: esclient.Backwards, From: pos(3)}, 100, []*esclient.RecordedEvent{all[2], all[1], all[0]}},
		{"backwards from the 4th, two", esclient.ReadAllOptions{Direction: esclient.Backwards, From: pos(3)}, 2, []*esclient.RecordedEvent{all[2], all[1]}},
		{"backwards from the end", esclient.ReadAllOptions{Direction: esclient.Backwards, From: esclient.End{}}, 2, []*esclient.RecordedEvent{all[5], all[4]}},
		{"backwards from the first", esclient.ReadAllOptions{Direction: esclient.Backwards, From: pos(0)}, 100, nil},
		{"forwards from the last", esclient.ReadAllOptions{Direction: esclient.Forwards, From: pos(5)}, 100, all[5:]},
	}
	for _, tc := range cases {
		got, err := readAll(t, c, tc.opts, tc.n)
		if err != nil || revisions(got) != revisions(tc.want) {
			t.Errorf("%s: %s (err %v), want %s", tc.name, revisions(got), err, revisions(tc.want))
			continue
		}
		for i, e := range got {
			if e.Position != tc.want[i].Position {
				t.Errorf("%s: event %d at %v, want %v", tc.name, i, e.Position, tc.want[i].Position)
			}
		}
	}
	// Every position is one the server gave: strictly increasing, commit = prepare.
	for i := 1; i < len(all); i++ {
		if all[i].Position.Commit <= all[i-1].Position.Commit || all[i].Position.Commit != all[i].Position.Prepare {
			t.Errorf("positions %v then %v", all[i-1].Position, all[i].Position)
		}
	}
}

// TestSubscribeAllFromPositionWithFilter: a subscription from a position
// gets only what lies after it ("positions are exclusive") and what its
// filter lets through, stored events first, then live ones, with
// checkpoints on the way.
func TestSubscribeAllFromPositionWithFilter(t *testing.T) {
	t.Parallel()
	for _, f := range []struct {
		name   string
		filter *esclient.SubscriptionFilter
	}{
		{"stream prefix", &esclient.SubscriptionFilter{Type: esclient.StreamFilterType, Prefixes: []string{"order-"}}},
		{"event type regex", &esclient.SubscriptionFilter{Type: esclient.EventFilterType, Regex: `^order\.`}},
	} {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			c := client(t, start(t))
			appendN(t, c, "order-1", "order.placed.v1", 1)
			mark := appendN(t, c, "order-2", "order.placed.v1", 1)
			appendN(t, c, "invoice-1", "invoice.sent.v1", 3)
			appendN(t, c, "order-3", "order.placed.v1", 1)
			from := esclient.Position{Commit: mark.CommitPosition, Prepare: mark.PreparePosition}
			sub, err := c.SubscribeToAll(ctx, esclient.SubscribeToAllOptions{From: from, Filter: f.filter, CheckpointInterval: 1})
			if err != nil {
				t.Fatal(err)
			}
			defer sub.Close()
			var got []string
			checkpoints := 0
			live := false
			for len(got) < 2 {
				ev := sub.Recv()
				switch {
				case ev.SubscriptionDropped != nil:
					t.Fatalf("dropped after %v: %v", got, ev.SubscriptionDropped.Error)
				case ev.CheckPointReached != nil:
					if ev.CheckPointReached.Commit < from.Commit {
						t.Errorf("checkpoint %v before the start %v", *ev.CheckPointReached, from)
					}
					checkpoints++
				case ev.CaughtUp != nil && !live:
					live = true
					appendN(t, c, "invoice-2", "invoice.sent.v1", 1)
					appendN(t, c, "order-4", "order.placed.v1", 1)
				case ev.EventAppeared != nil:
					e := ev.EventAppeared.OriginalEvent()
					if e.Position.Commit <= from.Commit {
						t.Errorf("event %s@%d at %v: not after the start %v", e.StreamID, e.EventNumber, e.Position, from)
					}
					got = append(got, e.StreamID)
				}
			}
			if fmt.Sprint(got) != "[order-3 order-4]" || !live {
				t.Errorf("events %v (caught up %v), want [order-3 order-4]: order-3 stored, order-4 live", got, live)
			}
			if checkpoints == 0 {
				t.Error("no checkpoint while the invoices were passed over")
			}
		})
	}
}

// TestExactRevisionConflict: an append expecting a revision the stream is
// not at fails and writes nothing; at its revision it succeeds.
func TestExactRevisionConflict(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	c := client(t, start(t))
	appendN(t, c, "s", "x.v1", 3)
	for _, rev := range []uint64{0, 1, 3} {
		_, err := c.AppendToStream(ctx, "s", esclient.AppendToStreamOptions{ExpectedRevision: esclient.Revision(rev)}, data("x.v1", 9))
		if code(err) != esclient.ErrorCodeWrongExpectedVersion {
			t.Errorf("expecting revision %d of a stream at 2: %v, want wrong expected version", rev, err)
		}
	}
	if _, err := c.AppendToStream(ctx, "missing", esclient.AppendToStreamOptions{ExpectedRevision: esclient.Revision(0)}, data("x.v1", 9)); code(err) != esclient.ErrorCodeWrongExpectedVersion {
		t.Errorf("expecting revision 0 of a missing stream: %v, want wrong expected version", err)
	}
	res, err := c.AppendToStream(ctx, "s", esclient.AppendToStreamOptions{ExpectedRevision: esclient.Revision(2)}, data("x.v1", 3), data("x.v1", 4))
	if err != nil || res.NextExpectedVersion != 4 {
		t.Fatalf("expecting revision 2: %+v, %v; want next revision 4", res, err)
	}
	if evs, err := readStream(t, c, "s", esclient.ReadStreamOptions{}, 100); err != nil || len(evs) != 5 {
		t.Errorf("stream has %s (err %v), want 5 events: the failed appends wrote nothing", revisions(evs), err)
	}
}

// TestNoStreamOnExistingStream: NoStream creates a stream once; on an
// existing stream it is a wrong expected version, even for an empty append.
func TestNoStreamOnExistingStream(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	c := client(t, start(t))
	noStream := esclient.AppendToStreamOptions{ExpectedRevision: esclient.NoStream{}}
	if _, err := c.AppendToStream(ctx, "s", noStream, data("x.v1", 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AppendToStream(ctx, "s", noStream, data("x.v1", 1)); code(err) != esclient.ErrorCodeWrongExpectedVersion {
		t.Errorf("NoStream on an existing stream: %v, want wrong expected version", err)
	}
	if _, err := c.AppendToStream(ctx, "s", noStream); code(err) != esclient.ErrorCodeWrongExpectedVersion {
		t.Errorf("empty NoStream append on an existing stream: %v, want wrong expected version", err)
	}
	if evs, err := readStream(t, c, "s", esclient.ReadStreamOptions{}, 100); err != nil || len(evs) != 1 {
		t.Errorf("stream has %s (err %v), want 1 event", revisions(evs), err)
	}
}

// TestContentStoredVerbatim: data and user metadata come back byte for byte
// whatever their content type, through stream reads, $all and
// subscriptions; the adapter's envelope stays Butler's in the backend.
func TestContentStoredVerbatim(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	srv, backend := startWithBackend(t)
	c := client(t, srv)
	butlerMeta := []byte(`{"actor":{"staff_id":"b-001","role":"butler"},"project":"p1","district":"d1","occurred_at":"2026-11-29T12:00:00+08:00"}`)
	events := []esclient.EventData{
		{EventType: "bin", ContentType: esclient.ContentTypeBinary, Data: []byte{0xb, 0xe, 0xe, 0xf}, Metadata: []byte{0xd, 0xe, 0xa, 0xd}},
		{EventType: "json-foreign-meta", ContentType: esclient.ContentTypeJson, Data: []byte(`{"a":1}`), Metadata: []byte(`{"dead":13}`)},
		{EventType: "json-spaced-meta", ContentType: esclient.ContentTypeJson, Data: []byte(` { "a" : 1 } `), Metadata: []byte(`{"actor": {"staff_id":"b-001","role":"butler"}}`)},
		{EventType: "json-server-actor", ContentType: esclient.ContentTypeJson, Data: []byte(`{}`), Metadata: []byte(`{"actor":{"staff_id":"$esdb","role":"raw"},"project":"","district":"","occurred_at":"0001-01-01T00:00:00Z"}`)},
		{EventType: "binary-json-looking", ContentType: esclient.ContentTypeBinary, Data: []byte(`{"a":1}`)},
		{EventType: "empty", ContentType: esclient.ContentTypeJson},
		{EventType: "butler.happened.v1", ContentType: esclient.ContentTypeJson, Data: []byte(`{"n":1}`), Metadata: butlerMeta},
	}
	for i := range events {
		events[i].EventID = uuid.New()
	}
	if _, err := c.AppendToStream(ctx, "v", esclient.AppendToStreamOptions{}, events...); err != nil {
		t.Fatal(err)
	}
	check := func(how string, got []*esclient.RecordedEvent) {
		t.Helper()
		if len(got) != len(events) {
			t.Fatalf("%s: %d events, want %d", how, len(got), len(events))
		}
		for i, want := range events {
			e := got[i]
			contentType := "application/octet-stream"
			if want.ContentType == esclient.ContentTypeJson {
				contentType = "application/json"
			}
			if e.EventID != want.EventID || e.EventType != want.EventType || e.ContentType != contentType ||
				!bytes.Equal(e.Data, want.Data) || !bytes.Equal(e.UserMetadata, want.Metadata) {
				t.Errorf("%s: event %d = %s %q data %q metadata %q; want %s %q data %q metadata %q", how, i,
					e.EventType, e.ContentType, e.Data, e.UserMetadata, want.EventType, contentType, want.Data, want.Metadata)
			}
		}
	}
	evs, err := readStream(t, c, "v", esclient.ReadStreamOptions{}, 100)
	if err != nil {
		t.Fatal(err)
	}
	check("stream read", evs)
	if evs, err = readAll(t, c, esclient.ReadAllOptions{}, 100); err != nil {
		t.Fatal(err)
	}
	check("$all read", evs)
	sub, err := c.SubscribeToStream(ctx, "v", esclient.SubscribeToStreamOptions{From: esclient.Start{}})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	evs = nil
	for len(evs) < len(events) {
		if ev := sub.Recv(); ev.EventAppeared != nil {
			evs = append(evs, ev.EventAppeared.OriginalEvent())
		} else if ev.SubscriptionDropped != nil {
			t.Fatal(ev.SubscriptionDropped.Error)
		}
	}
	check("subscription", evs)

	// The adapter's envelope is kept as Butler's event in the backend.
	recs, err := backend.ReadStream(ctx, "v", event.StreamEnd, event.Backward, 1)
	if err != nil || len(recs) != 1 {
		t.Fatalf("backend: %v, %v", recs, err)
	}
	if m := recs[0].Meta; m.Actor.StaffID != "b-001" || m.Project != "p1" || string(recs[0].Data) != `{"n":1}` {
		t.Errorf("backend holds %+v, want Butler's envelope", recs[0])
	}
}

// TestStreamMetadataBoundsReads: $maxCount keeps the last n events, $tb
// hides the ones before it, $maxAge the older ones; the metadata reads back
// as it was set.
func TestStreamMetadataBoundsReads(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	c := client(t, start(t))
	appendN(t, c, "count", "x.v1", 5)
	var m esclient.StreamMetadata
	m.SetMaxCount(2)
	m.AddCustomProperty("owner", "butler")
	if _, err := c.SetStreamMetadata(ctx, "count", esclient.AppendToStreamOptions{}, m); err != nil {
		t.Fatal(err)
	}
	if evs, err := readStream(t, c, "count", esclient.ReadStreamOptions{}, 100); err != nil || revisions(evs) != "[count@3 count@4]" {
		t.Errorf("forwards with $maxCount 2: %s (err %v), want the last two", revisions(evs), err)
	}
	if evs, err := readStream(t, c, "count", esclient.ReadStreamOptions{Direction: esclient.Backwards, From: esclient.End{}}, 100); err != nil || revisions(evs) != "[count@4 count@3]" {
		t.Errorf("backwards with $maxCount 2: %s (err %v), want the last two", revisions(evs), err)
	}
	got, err := c.GetStreamMetadata(ctx, "count", esclient.ReadStreamOptions{})
	if err != nil || got.MaxCount() == nil || *got.MaxCount() != 2 || got.CustomProperty("owner") != "butler" {
		t.Errorf("metadata read back: %+v, %v", got, err)
	}

	appendN(t, c, "tb", "x.v1", 4)
	var tb esclient.StreamMetadata
	tb.SetTruncateBefore(3)
	if _, err := c.SetStreamMetadata(ctx, "tb", esclient.AppendToStreamOptions{}, tb); err != nil {
		t.Fatal(err)
	}
	if evs, err := readStream(t, c, "tb", esclient.ReadStreamOptions{}, 100); err != nil || revisions(evs) != "[tb@3]" {
		t.Errorf("with $tb 3: %s (err %v), want [tb@3]", revisions(evs), err)
	}

	appendN(t, c, "age", "x.v1", 2)
	var age esclient.StreamMetadata
	age.SetMaxAge(time.Second)
	if _, err := c.SetStreamMetadata(ctx, "age", esclient.AppendToStreamOptions{}, age); err != nil {
		t.Fatal(err)
	}
	if evs, err := readStream(t, c, "age", esclient.ReadStreamOptions{}, 100); err != nil || len(evs) != 2 {
		t.Errorf("with $maxAge 1s, at once: %s (err %v), want both events", revisions(evs), err)
	}
	time.Sleep(1100 * time.Millisecond)
	appendN(t, c, "age", "x.v1", 1)
	if evs, err := readStream(t, c, "age", esclient.ReadStreamOptions{}, 100); err != nil || revisions(evs) != "[age@2]" {
		t.Errorf("with $maxAge 1s, later: %s (err %v), want only the new event", revisions(evs), err)
	}
}

// TestSoftDeleteAndRecreate: a deleted stream reads as not found; appending
// to it again (no stream, any or its last revision) recreates it with
// revisions continuing and the old events hidden; its metadata survives.
func TestSoftDeleteAndRecreate(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	c := client(t, start(t))
	appendN(t, c, "s", "x.v1", 3)
	var m esclient.StreamMetadata
	m.AddCustomProperty("owner", "butler")
	if _, err := c.SetStreamMetadata(ctx, "s", esclient.AppendToStreamOptions{}, m); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteStream(ctx, "s", esclient.DeleteStreamOptions{ExpectedRevision: esclient.Revision(1)}); err == nil {
		t.Error("delete expecting revision 1 of a stream at 2 succeeded")
	}
	res, err := c.DeleteStream(ctx, "s", esclient.DeleteStreamOptions{ExpectedRevision: esclient.Revision(2)})
	if err != nil || res.Position.Commit == 0 {
		t.Fatalf("delete: %+v, %v", res, err)
	}
	if _, err := readStream(t, c, "s", esclient.ReadStreamOptions{}, 100); code(err) != esclient.ErrorCodeResourceNotFound {
		t.Errorf("reading a deleted stream: %v, want resource not found", err)
	}
	w, err := c.AppendToStream(ctx, "s", esclient.AppendToStreamOptions{ExpectedRevision: esclient.NoStream{}}, data("x.v1", 3))
	if err != nil || w.NextExpectedVersion != 3 {
		t.Fatalf("recreating with NoStream: %+v, %v; want revision 3", w, err)
	}
	if evs, err := readStream(t, c, "s", esclient.ReadStreamOptions{}, 100); err != nil || revisions(evs) != "[s@3]" {
		t.Errorf("recreated stream: %s (err %v), want [s@3]", revisions(evs), err)
	}
	got, err := c.GetStreamMetadata(ctx, "s", esclient.ReadStreamOptions{})
	if err != nil || got.CustomProperty("owner") != "butler" || got.TruncateBefore() == nil || *got.TruncateBefore() != 3 {
		t.Errorf("metadata after recreation: %+v, %v; want owner kept and $tb 3", got, err)
	}
}

// TestTombstone: a tombstoned stream can be neither read, appended to nor
// deleted again; $all shows the tombstone as EventStoreDB writes it.
func TestTombstone(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	c := client(t, start(t))
	appendN(t, c, "s", "x.v1", 2)
	if _, err := c.TombstoneStream(ctx, "s", esclient.TombstoneStreamOptions{ExpectedRevision: esclient.NoStream{}}); err == nil {
		t.Error("tombstone expecting no stream of an existing stream succeeded")
	}
	res, err := c.TombstoneStream(ctx, "s", esclient.TombstoneStreamOptions{ExpectedRevision: esclient.Revision(1)})
	if err != nil || res.Position.Commit == 0 {
		t.Fatalf("tombstone: %+v, %v", res, err)
	}
	if _, err := readStream(t, c, "s", esclient.ReadStreamOptions{}, 100); code(err) != esclient.ErrorCodeStreamDeleted {
		t.Errorf("read: %v, want stream deleted", err)
	}
	if _, err := c.AppendToStream(ctx, "s", esclient.AppendToStreamOptions{ExpectedRevision: esclient.Any{}}, data("x.v1", 9)); code(err) != esclient.ErrorCodeStreamDeleted {
		t.Errorf("append: %v, want stream deleted", err)
	}
	if _, err := c.DeleteStream(ctx, "s", esclient.DeleteStreamOptions{}); code(err) != esclient.ErrorCodeStreamDeleted {
		t.Errorf("delete: %v, want stream deleted", err)
	}
	last, err := readAll(t, c, esclient.ReadAllOptions{Direction: esclient.Backwards, From: esclient.End{}}, 1)
	if err != nil || len(last) != 1 {
		t.Fatalf("$all: %v, %v", last, err)
	}
	if e := last[0]; e.StreamID != "s" || e.EventType != "$streamDeleted" || e.EventNumber != math.MaxInt64 || e.Position != res.Position {
		t.Errorf("last event of $all: %s %s@%d at %v; want the tombstone of s at %v", e.EventType, e.StreamID, e.EventNumber, e.Position, res.Position)
	}
}

// TestServerFeatures: the client learns the version, and finds no batch
// append or persistent subscriptions to use.
func TestServerFeatures(t *testing.T) {
	t.Parallel()
	c := client(t, start(t))
	appendN(t, c, "s", "x.v1", 1) // connects
	v, err := c.GetServerVersion()
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch); got != esdbserver.Version {
		t.Errorf("server version %s, want %s", got, esdbserver.Version)
	}
}
