package esdbserver

import (
	"context"
	"encoding/binary"
	"encoding/json"
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
	"google.golang.org/grpc/codes"
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
	if len(events) == 0 {
		return h.emptyAppend(ctx, srv, name, expected)
	}
	res, err := h.backend.Append(ctx, name, expected, events...)
	var conflict *event.ConflictError
	switch {
	case errors.As(err, &conflict):
		return srv.SendAndClose(wrongExpected(conflict.Expected, conflict.Actual, conflict.Exists))
	case errors.Is(err, event.ErrConflict):
		actual, exists, lerr := h.lastRevision(ctx, name)
		if lerr != nil {
			return internal(lerr)
		}
		return srv.SendAndClose(wrongExpected(expected, actual, exists))
	case err != nil:
		return internal(err)
	}
	return srv.SendAndClose(&api.AppendResp{Result: &api.AppendResp_Success_{Success: &api.AppendResp_Success{
		CurrentRevisionOption: &api.AppendResp_Success_CurrentRevision{CurrentRevision: res.NextRevision},
		PositionOption: &api.AppendResp_Success_Position{Position: &api.AppendResp_Position{
			CommitPosition: wire(res.Position), PreparePosition: wire(res.Position),
		}},
	}}})
}

// emptyAppend checks the expectation and writes nothing, as EventStoreDB does.
func (h *streams) emptyAppend(ctx context.Context, srv api.Streams_AppendServer, name string, expected event.ExpectedRevision) error {
	actual, exists, err := h.lastRevision(ctx, name)
	if err != nil {
		return internal(err)
	}
	if !expected.Check(actual, exists) {
		return srv.SendAndClose(wrongExpected(expected, actual, exists))
	}
	success := &api.AppendResp_Success{
		CurrentRevisionOption: &api.AppendResp_Success_NoStream{NoStream: &shared.Empty{}},
		PositionOption:        &api.AppendResp_Success_NoPosition{NoPosition: &shared.Empty{}},
	}
	if exists {
		success.CurrentRevisionOption = &api.AppendResp_Success_CurrentRevision{CurrentRevision: actual}
	}
	return srv.SendAndClose(&api.AppendResp{Result: &api.AppendResp_Success_{Success: success}})
}

func (h *streams) lastRevision(ctx context.Context, name string) (uint64, bool, error) {
	recs, err := h.backend.ReadStream(ctx, name, event.StreamEnd, event.Backward, 1)
	if errors.Is(err, event.ErrStreamNotFound) {
		return 0, false, nil
	}
	if err != nil || len(recs) == 0 {
		return 0, false, err
	}
	return recs[0].Revision, true, nil
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

// fromProposed turns a proposed message into our envelope.
func fromProposed(pm *api.AppendReq_ProposedMessage) (event.Event, error) {
	id, err := fromProtoUUID(pm.GetId())
	if err != nil {
		return event.Event{}, err
	}
	e := event.Event{ID: id.String(), Type: pm.GetMetadata()["type"]}
	if e.Type == "" {
		return event.Event{}, fmt.Errorf("append: event %s has no type", e.ID)
	}
	if data := pm.GetData(); len(data) > 0 {
		if !json.Valid(data) {
			return event.Event{}, fmt.Errorf("append: event %s: this server stores JSON data only (content type %q)", e.ID, pm.GetMetadata()["content-type"])
		}
		e.Data = json.RawMessage(append([]byte(nil), data...))
	}
	if meta := pm.GetCustomMetadata(); len(meta) > 0 {
		if err := json.Unmarshal(meta, &e.Meta); err != nil {
			return event.Event{}, fmt.Errorf("append: event %s: metadata is not Butler's JSON metadata: %v", e.ID, err)
		}
	}
	return e, nil
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
// Unix epoch, as a decimal string; the client exits without it).
func toReadEvent(rec event.Recorded, uuidAsString bool) (*api.ReadResp, error) {
	meta, err := json.Marshal(rec.Meta)
	if err != nil {
		return nil, err
	}
	var ticks int64
	if !rec.RecordedAt.IsZero() {
		ticks = rec.RecordedAt.UnixNano() / 100
	}
	pos := wire(rec.Position)
	data := []byte(rec.Data)
	if data == nil {
		data = []byte{}
	}
	return &api.ReadResp{Content: &api.ReadResp_Event{Event: &api.ReadResp_ReadEvent{
		Event: &api.ReadResp_ReadEvent_RecordedEvent{
			Id:               toProtoUUID(rec.ID, uuidAsString),
			StreamIdentifier: &shared.StreamIdentifier{StreamName: []byte(rec.Stream)},
			StreamRevision:   rec.Revision,
			PreparePosition:  pos,
			CommitPosition:   pos,
			Metadata: map[string]string{
				"type":         rec.Type,
				"content-type": "application/json",
				"created":      strconv.FormatInt(ticks, 10),
			},
			CustomMetadata: meta,
			Data:           data,
		},
		Position: &api.ReadResp_ReadEvent_CommitPosition{CommitPosition: pos},
	}}}, nil
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
