package esdbserver

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/google/uuid"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/eventstore"
)

// streams implements the Streams service. Positions: the backend's
// position, spread out as EventStoreDB's byte offsets are (position.go), is
// both the commit and the prepare position.
type streams struct {
	api.UnimplementedStreamsServer
	backend eventstore.Store
}

// Append receives the options, then the proposed events, and answers once.
// Any well-formed event is stored, so the answer depends on the stream
// alone: tombstoned, then the expected revision. The backend's own check
// catches a writer that came in between, and the stream is checked again
// (so "any" never fails for a race).
func (h *streams) Append(srv api.Streams_AppendServer) error {
	ctx := srv.Context()
	first, err := srv.Recv()
	if err != nil {
		return err
	}
	opts := first.GetOptions()
	if opts == nil {
		return status.Error(codes.InvalidArgument, "append: the first message must carry the options")
	}
	name := string(opts.GetStreamIdentifier().GetStreamName())
	var expected event.ExpectedRevision
	switch o := opts.GetExpectedStreamRevision().(type) {
	case *api.AppendReq_Options_Revision:
		expected = event.Exact(o.Revision)
	case *api.AppendReq_Options_NoStream:
		expected = event.NoStream()
	case *api.AppendReq_Options_StreamExists:
		expected = event.StreamExists()
	default:
		expected = event.Any()
	}
	var events []event.Event
	for {
		req, err := srv.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		pm := req.GetProposedMessage()
		if pm == nil {
			return status.Error(codes.InvalidArgument, "append: expected a proposed message")
		}
		e, err := fromProposed(pm)
		if err != nil {
			return status.Error(codes.InvalidArgument, err.Error())
		}
		events = append(events, e)
	}
	for {
		st, err := h.state(ctx, name)
		if err != nil {
			return internal(err)
		}
		if st.tombstoned {
			return streamDeleted(srv.SetTrailer, name)
		}
		if !st.check(expected) {
			return srv.SendAndClose(wrongExpected(expected, st.last, st.visibleExists()))
		}
		if len(events) == 0 {
			// Nothing is written, as EventStoreDB does.
			return srv.SendAndClose(emptyAppend(st))
		}
		if st.softDeleted() {
			// Recreating a soft-deleted stream: its old events stay hidden.
			if _, err := h.setTruncateBefore(ctx, st, nextRevision(st)); errors.Is(err, event.ErrConflict) {
				continue
			} else if err != nil {
				return internal(err)
			}
		}
		res, err := h.backend.Append(ctx, name, st.backendExpected(), events...)
		if errors.Is(err, event.ErrConflict) {
			// The stream moved since it was read: check again.
			continue
		}
		if err != nil {
			return internal(err)
		}
		return srv.SendAndClose(&api.AppendResp{Result: &api.AppendResp_Success_{Success: &api.AppendResp_Success{
			CurrentRevisionOption: &api.AppendResp_Success_CurrentRevision{CurrentRevision: res.NextRevision},
			PositionOption: &api.AppendResp_Success_Position{Position: &api.AppendResp_Position{
				CommitPosition: wire(res.Position), PreparePosition: wire(res.Position),
			}},
		}}})
	}
}

func nextRevision(st streamState) uint64 {
	if st.exists {
		return st.last + 1
	}
	return 0
}

// emptyAppend answers an append of no events whose check held.
func emptyAppend(st streamState) *api.AppendResp {
	success := &api.AppendResp_Success{
		CurrentRevisionOption: &api.AppendResp_Success_NoStream{NoStream: &shared.Empty{}},
		PositionOption:        &api.AppendResp_Success_NoPosition{NoPosition: &shared.Empty{}},
	}
	if st.visibleExists() {
		success.CurrentRevisionOption = &api.AppendResp_Success_CurrentRevision{CurrentRevision: st.last}
	}
	return &api.AppendResp{Result: &api.AppendResp_Success_{Success: success}}
}

// Delete is a soft delete: the stream's metadata gets $tb = softDeleted, so
// that it reads as not found until it is appended to again (state.go).
func (h *streams) Delete(ctx context.Context, req *api.DeleteReq) (*api.DeleteResp, error) {
	o := req.GetOptions()
	name := string(o.GetStreamIdentifier().GetStreamName())
	expected := event.Any()
	switch x := o.GetExpectedStreamRevision().(type) {
	case *api.DeleteReq_Options_Revision:
		expected = event.Exact(x.Revision)
	case *api.DeleteReq_Options_NoStream:
		expected = event.NoStream()
	case *api.DeleteReq_Options_StreamExists:
		expected = event.StreamExists()
	}
	pos, err := h.remove(ctx, name, expected, func(st streamState) (event.AppendResult, error) {
		return h.setTruncateBefore(ctx, st, softDeleted)
	})
	if err != nil {
		return nil, err
	}
	return &api.DeleteResp{PositionOption: &api.DeleteResp_Position_{Position: &api.DeleteResp_Position{
		CommitPosition: wire(pos), PreparePosition: wire(pos),
	}}}, nil
}

// Tombstone is a hard delete: a "$streamDeleted" event ends the stream for
// good; reading or appending to it afterwards fails with stream-deleted.
func (h *streams) Tombstone(ctx context.Context, req *api.TombstoneReq) (*api.TombstoneResp, error) {
	o := req.GetOptions()
	name := string(o.GetStreamIdentifier().GetStreamName())
	expected := event.Any()
	switch x := o.GetExpectedStreamRevision().(type) {
	case *api.TombstoneReq_Options_Revision:
		expected = event.Exact(x.Revision)
	case *api.TombstoneReq_Options_NoStream:
		expected = event.NoStream()
	case *api.TombstoneReq_Options_StreamExists:
		expected = event.StreamExists()
	}
	pos, err := h.remove(ctx, name, expected, func(st streamState) (event.AppendResult, error) {
		return h.backend.Append(ctx, name, st.backendExpected(), newTombstone())
	})
	if err != nil {
		return nil, err
	}
	return &api.TombstoneResp{PositionOption: &api.TombstoneResp_Position_{Position: &api.TombstoneResp_Position{
		CommitPosition: wire(pos), PreparePosition: wire(pos),
	}}}, nil
}

// remove checks a delete's expectation and writes its record, again when
// the stream (or its metadata) moved in between.
func (h *streams) remove(ctx context.Context, name string, expected event.ExpectedRevision, write func(streamState) (event.AppendResult, error)) (event.Position, error) {
	for {
		st, err := h.state(ctx, name)
		if err != nil {
			return 0, internal(err)
		}
		if st.tombstoned {
			return 0, streamDeleted(func(md metadata.MD) { _ = grpc.SetTrailer(ctx, md) }, name)
		}
		if !st.check(expected) {
			return 0, wrongExpectedError(ctx, name, expected, st.last, st.visibleExists())
		}
		res, err := write(st)
		if errors.Is(err, event.ErrConflict) {
			continue
		}
		if err != nil {
			return 0, internal(err)
		}
		return res.Position, nil
	}
}

// streamDeleted is EventStoreDB's answer to reading, appending to or
// deleting a tombstoned stream: FailedPrecondition, with the exception
// named in the trailers (where the client looks for it).
func streamDeleted(setTrailer func(metadata.MD), name string) error {
	setTrailer(metadata.Pairs("exception", "stream-deleted", "stream-name", name))
	return status.Errorf(codes.FailedPrecondition, "event stream '%s' is deleted", name)
}

// wrongExpectedError is how a delete reports a wrong expected revision
// (appends answer with a WrongExpectedVersion message instead).
func wrongExpectedError(ctx context.Context, name string, expected event.ExpectedRevision, actual uint64, exists bool) error {
	act := "-1"
	if exists {
		act = strconv.FormatUint(actual, 10)
	}
	_ = grpc.SetTrailer(ctx, metadata.Pairs("exception", "wrong-expected-version", "stream-name", name,
		"expected-version", expectedText(expected), "actual-version", act))
	return status.Errorf(codes.FailedPrecondition, "append failed due to WrongExpectedVersion. Stream: %s, Expected version: %s, Actual version: %s",
		name, expectedText(expected), act)
}

// expectedText writes an expectation as EventStoreDB's numbers: -1 no
// stream, -2 any, -4 stream exists.
func expectedText(e event.ExpectedRevision) string {
	switch {
	case e.IsNoStream():
		return "-1"
	case e.IsAny():
		return "-2"
	case e.IsStreamExists():
		return "-4"
	}
	rev, _ := e.ExactRevision()
	return strconv.FormatUint(rev, 10)
}

// wrongExpected fills both the current fields and the legacy *_20_6_0 ones,
// as EventStoreDB does for older clients.
func wrongExpected(expected event.ExpectedRevision, actual uint64, exists bool) *api.AppendResp {
	w := &api.AppendResp_WrongExpectedVersion{}
	if exists {
		w.CurrentRevisionOption = &api.AppendResp_WrongExpectedVersion_CurrentRevision{CurrentRevision: actual}
		w.CurrentRevisionOption_20_6_0 = &api.AppendResp_WrongExpectedVersion_CurrentRevision_20_6_0{CurrentRevision_20_6_0: actual}
	} else {
		w.CurrentRevisionOption = &api.AppendResp_WrongExpectedVersion_CurrentNoStream{CurrentNoStream: &shared.Empty{}}
		w.CurrentRevisionOption_20_6_0 = &api.AppendResp_WrongExpectedVersion_NoStream_20_6_0{NoStream_20_6_0: &shared.Empty{}}
	}
	switch {
	case expected.IsNoStream():
		w.ExpectedRevisionOption = &api.AppendResp_WrongExpectedVersion_ExpectedNoStream{ExpectedNoStream: &shared.Empty{}}
		// 20.6 had no "no stream" case: it sent -1 as an unsigned revision.
		w.ExpectedRevisionOption_20_6_0 = &api.AppendResp_WrongExpectedVersion_ExpectedRevision_20_6_0{ExpectedRevision_20_6_0: math.MaxUint64}
	case expected.IsStreamExists():
		w.ExpectedRevisionOption = &api.AppendResp_WrongExpectedVersion_ExpectedStreamExists{ExpectedStreamExists: &shared.Empty{}}
		w.ExpectedRevisionOption_20_6_0 = &api.AppendResp_WrongExpectedVersion_StreamExists_20_6_0{StreamExists_20_6_0: &shared.Empty{}}
	case expected.IsAny():
		w.ExpectedRevisionOption = &api.AppendResp_WrongExpectedVersion_ExpectedAny{ExpectedAny: &shared.Empty{}}
		w.ExpectedRevisionOption_20_6_0 = &api.AppendResp_WrongExpectedVersion_Any_20_6_0{Any_20_6_0: &shared.Empty{}}
	default:
		rev, _ := expected.ExactRevision()
		w.ExpectedRevisionOption = &api.AppendResp_WrongExpectedVersion_ExpectedRevision{ExpectedRevision: rev}
		w.ExpectedRevisionOption_20_6_0 = &api.AppendResp_WrongExpectedVersion_ExpectedRevision_20_6_0{ExpectedRevision_20_6_0: rev}
	}
	return &api.AppendResp{Result: &api.AppendResp_WrongExpectedVersion_{WrongExpectedVersion: w}}
}

// fromProposed takes a proposed message as it is: any content type, data
// and user metadata (record.go says how the backend keeps them).
func fromProposed(pm *api.AppendReq_ProposedMessage) (event.Event, error) {
	id, err := fromProtoUUID(pm.GetId())
	if err != nil {
		return event.Event{}, err
	}
	w := wireEvent{
		id:          id.String(),
		typ:         pm.GetMetadata()["type"],
		contentType: pm.GetMetadata()["content-type"],
		data:        pm.GetData(),
		meta:        pm.GetCustomMetadata(),
	}
	if w.typ == "" {
		return event.Event{}, fmt.Errorf("append: event %s has no type", w.id)
	}
	return toBackend(w)
}

func fromProtoUUID(id *shared.UUID) (uuid.UUID, error) {
	if s := id.GetStructured(); s != nil {
		var b [16]byte
		binary.BigEndian.PutUint64(b[:8], uint64(s.GetMostSignificantBits()))
		binary.BigEndian.PutUint64(b[8:], uint64(s.GetLeastSignificantBits()))
		return uuid.UUID(b), nil
	}
	u, err := uuid.Parse(id.GetString_())
	if err != nil {
		return uuid.Nil, fmt.Errorf("append: bad event id: %v", err)
	}
	return u, nil
}

func toProtoUUID(id string, asString bool) *shared.UUID {
	u, err := uuid.Parse(id)
	if asString || err != nil {
		return &shared.UUID{Value: &shared.UUID_String_{String_: id}}
	}
	return &shared.UUID{Value: &shared.UUID_Structured_{Structured: &shared.UUID_Structured{
		MostSignificantBits:  int64(binary.BigEndian.Uint64(u[:8])),
		LeastSignificantBits: int64(binary.BigEndian.Uint64(u[8:])),
	}}}
}

// toReadEvent writes a recorded event the way the client reads it: system
// metadata "type", "content-type" and "created" (100 ns ticks since the
// Unix epoch, as a decimal string; the client exits without it), data and
// user metadata as they were appended. A tombstone's revision is the
// largest int64, as in EventStoreDB.
func toReadEvent(rec event.Recorded, uuidAsString bool) (*api.ReadResp, error) {
	w, err := fromBackend(rec)
	if err != nil {
		return nil, err
	}
	var ticks int64
	if !rec.RecordedAt.IsZero() {
		ticks = rec.RecordedAt.UnixNano() / 100
	}
	rev := rec.Revision
	if isTombstone(rec) {
		rev = math.MaxInt64
	}
	pos := wire(rec.Position)
	return &api.ReadResp{Content: &api.ReadResp_Event{Event: &api.ReadResp_ReadEvent{
		Event: &api.ReadResp_ReadEvent_RecordedEvent{
			Id:               toProtoUUID(rec.ID, uuidAsString),
			StreamIdentifier: &shared.StreamIdentifier{StreamName: []byte(rec.Stream)},
			StreamRevision:   rev,
			PreparePosition:  pos,
			CommitPosition:   pos,
			Metadata: map[string]string{
				"type":         w.typ,
				"content-type": w.contentType,
				"created":      strconv.FormatInt(ticks, 10),
			},
			CustomMetadata: orEmpty(w.meta),
			Data:           orEmpty(w.data),
		},
		Position: &api.ReadResp_ReadEvent_CommitPosition{CommitPosition: pos},
	}}}, nil
}

func orEmpty(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// filter is a server-side subscription (or read) filter.
type filter struct {
	onType   bool
	re       *regexp.Regexp
	prefixes []string
	// interval is how many examined events pass between checkpoints.
	interval int
}

func compileFilter(o *api.ReadReq_Options_FilterOptions) (*filter, error) {
	if o == nil {
		return nil, nil
	}
	f := &filter{}
	var expr *api.ReadReq_Options_FilterOptions_Expression
	switch x := o.GetFilter().(type) {
	case *api.ReadReq_Options_FilterOptions_EventType:
		f.onType, expr = true, x.EventType
	case *api.ReadReq_Options_FilterOptions_StreamIdentifier:
		expr = x.StreamIdentifier
	default:
		return nil, errors.New("filter: neither event type nor stream")
	}
	if r := expr.GetRegex(); r != "" {
		re, err := regexp.Compile(r)
		if err != nil {
			return nil, fmt.Errorf("filter: %v", err)
		}
		f.re = re
	}
	f.prefixes = expr.GetPrefix()
	window := 32
	if m, ok := o.GetWindow().(*api.ReadReq_Options_FilterOptions_Max); ok && m.Max > 0 {
		window = int(m.Max)
	}
	mult := max(int(o.GetCheckpointIntervalMultiplier()), 1)
	f.interval = window * mult
	return f, nil
}

func (f *filter) match(rec event.Recorded) bool {
	if f == nil {
		return true
	}
	s := rec.Stream
	if f.onType {
		s = rec.Type
	}
	if f.re != nil {
		return f.re.MatchString(s)
	}
	for _, p := range f.prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return len(f.prefixes) == 0
}

func internal(err error) error { return status.Error(codes.Internal, err.Error()) }

func clampCount(n uint64) int {
	if n > math.MaxInt32 {
		return math.MaxInt32
	}
	return int(n)
}
