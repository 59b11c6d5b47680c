package esdbserver_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	esclient "github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/google/uuid"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/butler-pm/butler/infra/eventstore/embedded"
	"github.com/butler-pm/butler/infra/eventstore/esdbserver"
)

func start(t *testing.T) *esdbserver.Server {
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
	return srv
}

// client is the real v4 client: if the server said anything it cannot
// take, it would panic or exit.
func client(t *testing.T, srv *esdbserver.Server) *esclient.Client {
	t.Helper()
	conf, err := esclient.ParseConnectionString(srv.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	conf.Logger = esclient.NoopLogging()
	c, err := esclient.NewClient(conf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func raw(t *testing.T, srv *esdbserver.Server) api.StreamsClient {
	t.Helper()
	cc, err := grpc.NewClient(srv.Addr(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cc.Close() })
	return api.NewStreamsClient(cc)
}

func data(typ string, n int) esclient.EventData {
	return esclient.EventData{EventID: uuid.New(), EventType: typ, ContentType: esclient.ContentTypeJson, Data: []byte(fmt.Sprintf(`{"n":%d}`, n))}
}

func appendN(t *testing.T, c *esclient.Client, stream, typ string, n int) *esclient.WriteResult {
	t.Helper()
	var es []esclient.EventData
	for i := range n {
		es = append(es, data(typ, i))
	}
	res, err := c.AppendToStream(t.Context(), stream, esclient.AppendToStreamOptions{}, es...)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestReadsThroughTheRealClient(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	srv := start(t)
	c := client(t, srv)
	before := time.Now()
	res := appendN(t, c, "a", "x.v1", 3)
	appendN(t, c, "b", "y.v1", 2)
	if res.NextExpectedVersion != 2 || res.CommitPosition != 3*esdbserver.RecordSpan || res.PreparePosition != 3*esdbserver.RecordSpan {
		t.Errorf("write result = %+v, want revision 2 at position %d", res, 3*esdbserver.RecordSpan)
	}

	rs, err := c.ReadStream(ctx, "a", esclient.ReadStreamOptions{Direction: esclient.Backwards, From: esclient.End{}}, 10)
	if err != nil {
		t.Fatal(err)
	}
	var revs []uint64
	for {
		ev, err := rs.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		e := ev.OriginalEvent()
		revs = append(revs, e.EventNumber)
		// created came through as the recorded time.
		if e.CreatedDate.Before(before.Add(-time.Second)) || e.CreatedDate.After(time.Now().Add(time.Second)) {
			t.Errorf("created %v, want about %v", e.CreatedDate, before)
		}
		if e.ContentType != "application/json" || e.EventType != "x.v1" || e.StreamID != "a" {
			t.Errorf("event %+v", e)
		}
	}
	rs.Close()
	if fmt.Sprint(revs) != "[2 1 0]" {
		t.Errorf("backward stream read revisions %v, want [2 1 0]", revs)
	}

	rs, err = c.ReadStream(ctx, "nobody", esclient.ReadStreamOptions{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	_, err = rs.Recv()
	var esErr *esclient.Error
	if !errors.As(err, &esErr) || esErr.Code() != esclient.ErrorCodeResourceNotFound {
		t.Errorf("reading a missing stream: %v, want resource not found", err)
	}

	// Positions are spread out like EventStoreDB's byte offsets. $all
	// backward from a position starts just before it, forward from one
	// includes it, as EventStoreDB does.
	readAll := func(dir esclient.Direction, from esclient.AllPosition) ([]uint64, error) {
		rs, err := c.ReadAll(ctx, esclient.ReadAllOptions{Direction: dir, From: from}, 10)
		if err != nil {
			return nil, err
		}
		defer rs.Close()
		var pos []uint64
		for {
			ev, err := rs.Recv()
			if errors.Is(err, io.EOF) {
				return pos, nil
			}
			if err != nil {
				return pos, err
			}
			pos = append(pos, ev.OriginalEvent().Position.Commit)
		}
	}
	all, err := readAll(esclient.Forwards, esclient.Start{})
	if err != nil || len(all) != 5 {
		t.Fatalf("$all forward = %v (err %v), want 5 positions", all, err)
	}
	if all[1]-all[0] < 2 {
		t.Errorf("positions %v are consecutive numbers: a client adding 1 to one would name an event", all)
	}
	back, err := readAll(esclient.Backwards, esclient.Position{Commit: all[3], Prepare: all[3]})
	if err != nil || fmt.Sprint(back) != fmt.Sprint([]uint64{all[2], all[1], all[0]}) {
		t.Errorf("$all backward from %d: positions %v (err %v), want %v", all[3], back, err, all[:3])
	}
	fwd, err := readAll(esclient.Forwards, esclient.Position{Commit: all[2], Prepare: all[2]})
	if err != nil || fmt.Sprint(fwd) != fmt.Sprint(all[2:]) {
		t.Errorf("$all forward from %d: positions %v (err %v), want %v", all[2], fwd, err, all[2:])
	}
	// A position between two events is refused.
	if got, err := readAll(esclient.Forwards, esclient.Position{Commit: all[2] + 1, Prepare: all[2] + 1}); err == nil {
		t.Errorf("$all forward from %d (inside an event) = %v, want an error", all[2]+1, got)
	}
}

// TestWrongExpectedVersionFillsLegacyFields: older clients read only the
// *_20_6_0 fields.
func TestWrongExpectedVersionFillsLegacyFields(t *testing.T) {
	t.Parallel()
	srv := start(t)
	appendN(t, client(t, srv), "s", "x.v1", 2)
	app, err := raw(t, srv).Append(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	_ = app.Send(&api.AppendReq{Content: &api.AppendReq_Options_{Options: &api.AppendReq_Options{
		StreamIdentifier:       &shared.StreamIdentifier{StreamName: []byte("s")},
		ExpectedStreamRevision: &api.AppendReq_Options_Revision{Revision: 0},
	}}})
	id := uuid.New()
	_ = app.Send(&api.AppendReq{Content: &api.AppendReq_ProposedMessage_{ProposedMessage: &api.AppendReq_ProposedMessage{
		Id:       &shared.UUID{Value: &shared.UUID_String_{String_: id.String()}},
		Metadata: map[string]string{"type": "x.v1", "content-type": "application/json"},
		Data:     []byte(`{}`),
	}}})
	resp, err := app.CloseAndRecv()
	if err != nil {
		t.Fatal(err)
	}
	w := resp.GetWrongExpectedVersion()
	if w == nil {
		t.Fatalf("response %v, want wrong expected version", resp)
	}
	if w.GetCurrentRevision() != 1 || w.GetCurrentRevision_20_6_0() != 1 {
		t.Errorf("current revision %d, legacy %d; want 1 and 1", w.GetCurrentRevision(), w.GetCurrentRevision_20_6_0())
	}
	if _, ok := w.GetExpectedRevisionOption().(*api.AppendResp_WrongExpectedVersion_ExpectedRevision); !ok || w.GetExpectedRevision() != 0 {
		t.Errorf("expected revision option %v", w.GetExpectedRevisionOption())
	}
	if _, ok := w.GetExpectedRevisionOption_20_6_0().(*api.AppendResp_WrongExpectedVersion_ExpectedRevision_20_6_0); !ok {
		t.Errorf("legacy expected revision option %v", w.GetExpectedRevisionOption_20_6_0())
	}
}

// TestFilteredAllSubscriptionMessages: Confirmation first, stored events
// the filter lets through, Checkpoints, CaughtUp, then live events.
func TestFilteredAllSubscriptionMessages(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	srv := start(t)
	c := client(t, srv)
	appendN(t, c, "a", "x.v1", 3)
	appendN(t, c, "$$a", "$metadata", 2)
	appendN(t, c, "a", "x.v1", 1)
	read, err := raw(t, srv).Read(ctx, &api.ReadReq{Options: &api.ReadReq_Options{
		StreamOption: &api.ReadReq_Options_All{All: &api.ReadReq_Options_AllOptions{AllOption: &api.ReadReq_Options_AllOptions_Start{Start: &shared.Empty{}}}},
		CountOption:  &api.ReadReq_Options_Subscription{Subscription: &api.ReadReq_Options_SubscriptionOptions{}},
		FilterOption: &api.ReadReq_Options_Filter{Filter: &api.ReadReq_Options_FilterOptions{
			Filter:                       &api.ReadReq_Options_FilterOptions_EventType{EventType: &api.ReadReq_Options_FilterOptions_Expression{Regex: esclient.ExcludeSystemEventsFilter().Regex}},
			Window:                       &api.ReadReq_Options_FilterOptions_Max{Max: 2},
			CheckpointIntervalMultiplier: 1,
		}},
		UuidOption: &api.ReadReq_Options_UUIDOption{Content: &api.ReadReq_Options_UUIDOption_Structured{Structured: &shared.Empty{}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	recv := func() string {
		m, err := read.Recv()
		if err != nil {
			t.Fatalf("after %v: %v", got, err)
		}
		switch x := m.GetContent().(type) {
		case *api.ReadResp_Confirmation:
			return "confirm"
		case *api.ReadResp_Event:
			return fmt.Sprintf("ev%d", x.Event.GetEvent().GetCommitPosition()/esdbserver.RecordSpan)
		case *api.ReadResp_Checkpoint_:
			return fmt.Sprintf("cp%d", x.Checkpoint.GetCommitPosition()/esdbserver.RecordSpan)
		case *api.ReadResp_CaughtUp_:
			return "caughtup"
		}
		return fmt.Sprintf("%T", m.GetContent())
	}
	for len(got) == 0 || got[len(got)-1] != "caughtup" {
		got = append(got, recv())
	}
	if want := "[confirm ev1 ev2 cp2 ev3 cp4 ev6 cp6 caughtup]"; fmt.Sprint(got) != want {
		t.Errorf("messages %v, want %s", got, want)
	}
	appendN(t, c, "$$b", "$metadata", 1)
	appendN(t, c, "b", "y.v1", 1)
	if m := recv(); m != "ev8" {
		t.Errorf("live message %s, want ev8 (system event 7 filtered out)", m)
	}
}

// TestStreamSubscriptionThroughTheRealClient: only that stream's events,
// after the given revision, then live ones.
func TestStreamSubscriptionThroughTheRealClient(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	srv := start(t)
	c := client(t, srv)
	appendN(t, c, "mine", "x.v1", 3)
	appendN(t, c, "other", "x.v1", 2)
	sub, err := c.SubscribeToStream(ctx, "mine", esclient.SubscribeToStreamOptions{From: esclient.Revision(0)})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	// Appended after the subscription was confirmed: delivered live.
	appendN(t, c, "other", "x.v1", 1)
	appendN(t, c, "mine", "x.v1", 1)
	var revs []uint64
	caughtUp := false
	for len(revs) < 3 {
		ev := sub.Recv()
		switch {
		case ev.SubscriptionDropped != nil:
			t.Fatalf("dropped: %v", ev.SubscriptionDropped.Error)
		case ev.CaughtUp != nil:
			caughtUp = true
		case ev.EventAppeared != nil:
			e := ev.EventAppeared.OriginalEvent()
			if e.StreamID != "mine" {
				t.Fatalf("event of stream %q", e.StreamID)
			}
			revs = append(revs, e.EventNumber)
		}
	}
	if fmt.Sprint(revs) != "[1 2 3]" || !caughtUp {
		t.Errorf("revisions %v (caught up %v), want [1 2 3] after revision 0", revs, caughtUp)
	}
}

func TestDropConnectionsEndsSubscriptions(t *testing.T) {
	t.Parallel()
	srv := start(t)
	c := client(t, srv)
	sub, err := c.SubscribeToAll(t.Context(), esclient.SubscribeToAllOptions{From: esclient.Start{}})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if ev := sub.Recv(); ev.CaughtUp == nil {
		t.Fatalf("first message %+v, want caught up on an empty store", ev)
	}
	srv.DropConnections()
	done := make(chan *esclient.SubscriptionEvent, 1)
	go func() { done <- sub.Recv() }()
	select {
	case ev := <-done:
		if ev.SubscriptionDropped == nil {
			t.Errorf("after the drop: %+v, want dropped", ev)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("subscription still running after DropConnections")
	}
	// The server still listens: a new call works.
	appendN(t, c, "after", "x.v1", 1)
}
