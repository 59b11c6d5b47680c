package esdb

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	esclient "github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/google/uuid"
	"google.golang.org/grpc"

	"github.com/butler-pm/butler/domain/event"
)

// cannedAppend answers every append with resp and remembers the options.
type cannedAppend struct {
	api.UnimplementedStreamsServer
	resp *api.AppendResp
	got  chan *api.AppendReq_Options
}

func (c *cannedAppend) Append(srv api.Streams_AppendServer) error {
	first, err := srv.Recv()
	if err != nil {
		return err
	}
	for {
		if _, err := srv.Recv(); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return err
		}
	}
	c.got <- first.GetOptions()
	return srv.SendAndClose(c.resp)
}

// appendAgainst sends one append through the real client to a server that
// answers resp, and returns what the server was asked and the client's error.
func appendAgainst(t *testing.T, expected event.ExpectedRevision, resp *api.AppendResp) (*api.AppendReq_Options, error) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gs := grpc.NewServer()
	canned := &cannedAppend{resp: resp, got: make(chan *api.AppendReq_Options, 1)}
	api.RegisterStreamsServer(gs, canned)
	go func() { _ = gs.Serve(l) }()
	t.Cleanup(gs.Stop)
	conf, err := esclient.ParseConnectionString("esdb://" + l.Addr().String() + "?tls=false")
	if err != nil {
		t.Fatal(err)
	}
	conf.Logger = esclient.NoopLogging()
	c, err := esclient.NewClient(conf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	ed, err := toEventData(event.Event{ID: uuid.NewString(), Type: "x.v1", Data: []byte(`{}`)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.AppendToStream(context.Background(), "s-1", esclient.AppendToStreamOptions{ExpectedRevision: toExpected(expected)}, ed)
	select {
	case got := <-canned.got:
		return got, err
	case <-time.After(5 * time.Second):
		t.Fatal("server got no append")
		return nil, nil
	}
}

func wev(current, expected any) *api.AppendResp {
	w := &api.AppendResp_WrongExpectedVersion{}
	switch c := current.(type) {
	case uint64:
		w.CurrentRevisionOption = &api.AppendResp_WrongExpectedVersion_CurrentRevision{CurrentRevision: c}
	default:
		w.CurrentRevisionOption = &api.AppendResp_WrongExpectedVersion_CurrentNoStream{CurrentNoStream: &shared.Empty{}}
	}
	switch e := expected.(type) {
	case uint64:
		w.ExpectedRevisionOption = &api.AppendResp_WrongExpectedVersion_ExpectedRevision{ExpectedRevision: e}
	case string:
		switch e {
		case "any":
			w.ExpectedRevisionOption = &api.AppendResp_WrongExpectedVersion_ExpectedAny{ExpectedAny: &shared.Empty{}}
		case "no stream":
			w.ExpectedRevisionOption = &api.AppendResp_WrongExpectedVersion_ExpectedNoStream{ExpectedNoStream: &shared.Empty{}}
		case "stream exists":
			w.ExpectedRevisionOption = &api.AppendResp_WrongExpectedVersion_ExpectedStreamExists{ExpectedStreamExists: &shared.Empty{}}
		}
	}
	return &api.AppendResp{Result: &api.AppendResp_WrongExpectedVersion_{WrongExpectedVersion: w}}
}

// TestExpectedRevisionAndConflictMapping checks both directions through the
// real client: our expectation becomes the right wire option, and the
// server's wrong-expected-version answer becomes *event.ConflictError with
// the actual revision.
func TestExpectedRevisionAndConflictMapping(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		exp      event.ExpectedRevision
		wire     func(*api.AppendReq_Options) bool
		resp     *api.AppendResp
		exists   bool
		actual   uint64
		conflict bool
	}{
		{"exact, stream ahead", event.Exact(3), func(o *api.AppendReq_Options) bool { return o.GetRevision() == 3 },
			wev(uint64(7), uint64(3)), true, 7, true},
		{"exact 0, stream missing", event.Exact(0), func(o *api.AppendReq_Options) bool {
			_, ok := o.GetExpectedStreamRevision().(*api.AppendReq_Options_Revision)
			return ok && o.GetRevision() == 0
		}, wev(nil, uint64(0)), false, 0, true},
		{"no stream, stream at 0", event.NoStream(), func(o *api.AppendReq_Options) bool { return o.GetNoStream() != nil },
			wev(uint64(0), "no stream"), true, 0, true},
		{"stream exists, missing", event.StreamExists(), func(o *api.AppendReq_Options) bool { return o.GetStreamExists() != nil },
			wev(nil, "stream exists"), false, 0, true},
		{"any", event.Any(), func(o *api.AppendReq_Options) bool { return o.GetAny() != nil },
			&api.AppendResp{Result: &api.AppendResp_Success_{Success: &api.AppendResp_Success{
				CurrentRevisionOption: &api.AppendResp_Success_CurrentRevision{CurrentRevision: 4},
				PositionOption:        &api.AppendResp_Success_Position{Position: &api.AppendResp_Position{CommitPosition: 9, PreparePosition: 9}},
			}}}, false, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts, err := appendAgainst(t, tc.exp, tc.resp)
			if !tc.wire(opts) {
				t.Errorf("expected %s went on the wire as %v", tc.exp, opts.GetExpectedStreamRevision())
			}
			ce, ok := conflictFrom(err, "s-1", tc.exp)
			if ok != tc.conflict {
				t.Fatalf("conflictFrom(%v) ok = %v, want %v", err, ok, tc.conflict)
			}
			if !tc.conflict {
				return
			}
			if !errors.Is(ce, event.ErrConflict) || ce.Stream != "s-1" || ce.Expected != tc.exp || ce.Exists != tc.exists || ce.Actual != tc.actual {
				t.Errorf("conflict = %+v, want exists %v actual %d", ce, tc.exists, tc.actual)
			}
		})
	}
}

func TestConflictFromOtherErrors(t *testing.T) {
	t.Parallel()
	for _, err := range []error{nil, errors.New("boom"), context.DeadlineExceeded} {
		if _, ok := conflictFrom(err, "s", event.Any()); ok {
			t.Errorf("conflictFrom(%v) reported a conflict", err)
		}
	}
}

func TestEnvelopeRoundTrip(t *testing.T) {
	t.Parallel()
	id, _ := uuid.NewV7()
	occurred := time.Date(2026, 3, 1, 8, 30, 0, 123456000, time.UTC)
	e := event.Event{
		ID:   id.String(),
		Type: "complaint.registered.v1",
		Data: []byte(`{"unit":"3-1201"}`),
		Meta: event.Metadata{Actor: event.Actor{StaffID: "b-9", Role: "butler"}, Project: "p", District: "d", OccurredAt: occurred, CorrelationID: "c", CausationID: "k"},
	}
	ed, err := toEventData(e)
	if err != nil {
		t.Fatal(err)
	}
	if ed.EventID != id || ed.EventType != e.Type || ed.ContentType != esclient.ContentTypeJson || !bytes.Equal(ed.Data, e.Data) {
		t.Fatalf("event data = %+v", ed)
	}
	created := time.Date(2026, 3, 1, 8, 30, 1, 0, time.UTC)
	rec, err := fromRecorded(&esclient.RecordedEvent{
		EventID: ed.EventID, EventType: ed.EventType, StreamID: "complaint-1", EventNumber: 4,
		Position: esclient.Position{Commit: 77, Prepare: 77}, CreatedDate: created, Data: ed.Data, UserMetadata: ed.Metadata,
	})
	if err != nil {
		t.Fatal(err)
	}
	if rec.ID != e.ID || rec.Type != e.Type || !bytes.Equal(rec.Data, e.Data) || rec.Meta.Actor != e.Meta.Actor ||
		!rec.Meta.OccurredAt.Equal(occurred) || rec.Meta.CorrelationID != "c" || rec.Meta.CausationID != "k" ||
		rec.Stream != "complaint-1" || rec.Revision != 4 || rec.Position != 77 || !rec.RecordedAt.Equal(created) {
		t.Errorf("round trip = %+v", rec)
	}
	// Stream reads on servers that do not know the commit position.
	rec, err = fromRecorded(&esclient.RecordedEvent{EventID: id, EventType: "x", Position: esclient.Position{Commit: ^uint64(0), Prepare: ^uint64(0)}})
	if err != nil || rec.Position != 0 {
		t.Errorf("unknown position = %d (%v), want 0", rec.Position, err)
	}
	if _, err := fromRecorded(&esclient.RecordedEvent{EventID: id, EventType: "x", UserMetadata: []byte("not json")}); err == nil {
		t.Error("foreign metadata decoded without error")
	}
	for _, bad := range []event.Event{{ID: "", Type: "x"}, {ID: "nope", Type: "x"}, {ID: id.String()}} {
		if _, err := toEventData(bad); err == nil {
			t.Errorf("toEventData(%+v) accepted", bad)
		}
	}
}
