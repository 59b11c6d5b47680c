package esdb_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	esclient "github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/eventstore"
	"github.com/butler-pm/butler/infra/eventstore/embedded"
	"github.com/butler-pm/butler/infra/eventstore/esdb"
	"github.com/butler-pm/butler/infra/eventstore/esdbserver"
	"github.com/butler-pm/butler/infra/eventstore/storetest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// startServer runs the protocol server on the embedded store.
func startServer(t *testing.T) *esdbserver.Server {
	t.Helper()
	backend := newBackend(t)
	srv, err := esdbserver.Start(t.Context(), backend, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		srv.Stop()
		_ = backend.Close()
	})
	return srv
}

// newBackend is the store behind the protocol server: the embedded store.
func newBackend(t *testing.T) eventstore.Store {
	t.Helper()
	s, err := embedded.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func openStore(t *testing.T, conn string, opts ...esdb.Option) *esdb.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	s, err := esdb.Open(ctx, conn, append([]esdb.Option{esdb.WithLogger(quiet)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// TestContractThroughServer runs the adapter, over real gRPC and the real
// v4 client, against the protocol server backed by the embedded store.
func TestContractThroughServer(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	storetest.Run(t, func(t *testing.T) eventstore.Store { return openStore(t, srv.ConnString()) })
}

// TestContractRealEventStoreDB runs the suite against a real server, e.g.
// BUTLER_TEST_ESDB_URL=esdb://127.0.0.1:2113?tls=false.
func TestContractRealEventStoreDB(t *testing.T) {
	t.Parallel()
	url := os.Getenv("BUTLER_TEST_ESDB_URL")
	if url == "" {
		t.Skip("BUTLER_TEST_ESDB_URL not set: skipping the real EventStoreDB run")
	}
	storetest.Run(t, func(t *testing.T) eventstore.Store { return openStore(t, url) })
}

func newEvent(t *testing.T, n int) event.Event {
	t.Helper()
	id, err := uuid.NewV7()
	if err != nil {
		t.Fatal(err)
	}
	return event.Event{
		ID:   id.String(),
		Type: "test.happened.v1",
		Data: []byte(fmt.Sprintf(`{"n":%d}`, n)),
		Meta: event.Metadata{Actor: event.Actor{StaffID: "s1", Role: "butler"}, Project: "p1", District: "d1", OccurredAt: time.Now().UTC()},
	}
}

// TestConflictThroughServer: a lost race reaches the caller as
// *event.ConflictError with the revision the server reported.
func TestConflictThroughServer(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := openStore(t, startServer(t).ConnString())
	stream := "complaint-" + uuid.NewString()
	if _, err := s.Append(ctx, stream, event.NoStream(), newEvent(t, 0), newEvent(t, 1), newEvent(t, 2)); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		exp    event.ExpectedRevision
		stream string
		exists bool
		actual uint64
	}{
		{event.Exact(1), stream, true, 2},
		{event.NoStream(), stream, true, 2},
		{event.StreamExists(), "missing-" + uuid.NewString(), false, 0},
		{event.Exact(0), "missing-" + uuid.NewString(), false, 0},
	}
	for _, tc := range cases {
		_, err := s.Append(ctx, tc.stream, tc.exp, newEvent(t, 9))
		var ce *event.ConflictError
		if !errors.Is(err, event.ErrConflict) || !errors.As(err, &ce) {
			t.Fatalf("append with %s: err %v, want a conflict", tc.exp, err)
		}
		if ce.Stream != tc.stream || ce.Exists != tc.exists || ce.Actual != tc.actual || ce.Expected != tc.exp {
			t.Errorf("append with %s: conflict %+v, want exists %v actual %d", tc.exp, ce, tc.exists, tc.actual)
		}
	}
	// Nothing was written by the failed appends.
	recs, err := s.ReadStream(ctx, stream, event.StreamEnd, event.Backward, 10)
	if err != nil || len(recs) != 3 {
		t.Fatalf("stream has %d events (err %v), want 3", len(recs), err)
	}
}

// TestSubscriptionSurvivesDroppedConnections drops every connection while a
// subscription runs and writers append: the subscriber must still get every
// event exactly once, in order.
func TestSubscriptionSurvivesDroppedConnections(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	srv := startServer(t)
	s := openStore(t, srv.ConnString(), esdb.WithReconnectBackoff(10*time.Millisecond, 200*time.Millisecond))
	stream := "workorder-" + uuid.NewString()
	const total = 60
	// A first batch is stored before subscribing.
	for i := range 10 {
		if _, err := s.Append(ctx, stream, event.Any(), newEvent(t, i)); err != nil {
			t.Fatal(err)
		}
	}
	sub, err := s.SubscribeAll(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()

	// A second adapter writes, so the subscriber's own client is the only
	// one that must recover; its writes retry through the drops.
	writer := openStore(t, srv.ConnString())
	writeErr := make(chan error, 1)
	go func() {
		for i := 10; i < total; i++ {
			for {
				_, err := writer.Append(ctx, stream, event.Exact(uint64(i-1)), newEvent(t, i))
				if err == nil {
					break
				}
				if errors.Is(err, event.ErrConflict) {
					// The append landed before the connection dropped.
					break
				}
				if ctx.Err() != nil {
					writeErr <- err
					return
				}
				time.Sleep(10 * time.Millisecond)
			}
			time.Sleep(2 * time.Millisecond)
		}
		writeErr <- nil
	}()

	var prev event.Position
	drops := 0
	for rev := uint64(0); rev < total; rev++ {
		r, err := sub.Next(ctx)
		if err != nil {
			t.Fatalf("Next after revision %d: %v", rev, err)
		}
		if r.Stream != stream || r.Revision != rev || r.Position <= prev {
			t.Fatalf("got %s/%d at %d after position %d, want revision %d: a gap or a duplicate", r.Stream, r.Revision, r.Position, prev, rev)
		}
		prev = r.Position
		if rev%12 == 5 {
			srv.DropConnections()
			drops++
		}
	}
	if err := <-writeErr; err != nil {
		t.Fatal(err)
	}
	// Nothing else arrives: no duplicate after the last event.
	quietCtx, stop := context.WithTimeout(ctx, 300*time.Millisecond)
	defer stop()
	if r, err := sub.Next(quietCtx); err == nil {
		t.Fatalf("extra event %s/%d after the last one", r.Stream, r.Revision)
	}
	if drops < 4 {
		t.Fatalf("only %d drops happened", drops)
	}
}

// TestSubscriptionSurvivesServerRestart stops the server for longer than
// the client's own rediscovery lasts; the subscription resumes once a
// server listens again on the same address.
func TestSubscriptionSurvivesServerRestart(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	backend := newBackend(t)
	defer backend.Close()
	srv, err := esdbserver.Start(ctx, backend, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := srv.Addr()
	s := openStore(t, srv.ConnString(), esdb.WithReconnectBackoff(20*time.Millisecond, 100*time.Millisecond))
	stream := "visit-" + uuid.NewString()
	if _, err := s.Append(ctx, stream, event.NoStream(), newEvent(t, 0)); err != nil {
		t.Fatal(err)
	}
	sub, err := s.SubscribeAll(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if r, err := sub.Next(ctx); err != nil || r.Revision != 0 {
		t.Fatalf("first event: %+v, %v", r, err)
	}
	srv.Stop()
	// The store keeps working while the server is away.
	if _, err := backend.Append(ctx, stream, event.Exact(0), newEvent(t, 1)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond) // longer than the client's 10 × 100 ms rediscovery
	srv2, err := esdbserver.Start(ctx, backend, addr)
	if err != nil {
		t.Skipf("cannot listen on %s again: %v", addr, err)
	}
	defer srv2.Stop()
	r, err := sub.Next(ctx)
	if err != nil || r.Stream != stream || r.Revision != 1 {
		t.Fatalf("after restart: %s/%d, %v; want %s/1", r.Stream, r.Revision, err, stream)
	}
	// Plain calls recover too.
	if _, err := s.Append(ctx, stream, event.Exact(1), newEvent(t, 2)); err != nil {
		t.Fatalf("append after restart: %v", err)
	}
	if r, err := sub.Next(ctx); err != nil || r.Revision != 2 {
		t.Fatalf("live event after restart: %+v, %v", r, err)
	}
}

// TestDeletedStreamsThroughServer: streams deleted on the server (Butler
// deletes none) read as not found; appending to a tombstoned one is a
// conflict marked Deleted, never an internal error.
func TestDeletedStreamsThroughServer(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	srv := startServer(t)
	s := openStore(t, srv.ConnString())
	conf, err := esclient.ParseConnectionString(srv.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	conf.Logger = esclient.NoopLogging()
	admin, err := esclient.NewClient(conf)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()

	soft, hard := "complaint-"+uuid.NewString(), "complaint-"+uuid.NewString()
	for _, stream := range []string{soft, hard} {
		if _, err := s.Append(ctx, stream, event.NoStream(), newEvent(t, 0), newEvent(t, 1)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := admin.DeleteStream(ctx, soft, esclient.DeleteStreamOptions{ExpectedRevision: esclient.Revision(1)}); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.TombstoneStream(ctx, hard, esclient.TombstoneStreamOptions{ExpectedRevision: esclient.Revision(1)}); err != nil {
		t.Fatal(err)
	}
	for _, stream := range []string{soft, hard} {
		if _, err := s.ReadStream(ctx, stream, 0, event.Forward, 10); !errors.Is(err, event.ErrStreamNotFound) {
			t.Errorf("reading deleted %s: %v, want ErrStreamNotFound", stream, err)
		}
	}
	for _, exp := range []event.ExpectedRevision{event.Exact(1), event.NoStream(), event.Any()} {
		_, err := s.Append(ctx, hard, exp, newEvent(t, 2))
		var ce *event.ConflictError
		if !errors.Is(err, event.ErrConflict) || !errors.As(err, &ce) || !ce.Deleted || ce.Stream != hard || ce.Expected != exp {
			t.Errorf("append with %s to a tombstoned stream: %v, want a conflict marked Deleted", exp, err)
		}
	}
	// A soft-deleted stream is appended to again, its revisions continuing.
	res, err := s.Append(ctx, soft, event.Exact(1), newEvent(t, 2))
	if err != nil || res.NextRevision != 2 {
		t.Fatalf("append to the soft-deleted stream: %+v, %v", res, err)
	}
	if recs, err := s.ReadStream(ctx, soft, 0, event.Forward, 10); err != nil || len(recs) != 1 || recs[0].Revision != 2 {
		t.Errorf("recreated stream reads %+v (err %v), want revision 2 only", recs, err)
	}
	// $all, as Butler reads it, has neither the tombstone nor the metadata.
	all, err := s.ReadAll(ctx, 0, event.Forward, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range all {
		if r.Type[0] == '$' {
			t.Errorf("$all gave the server's own event %s in %s", r.Type, r.Stream)
		}
	}
	if len(all) != 5 {
		t.Errorf("$all has %d events, want the 5 appended", len(all))
	}
}
