package esdbserver

import (
	"context"
	"errors"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	api "github.com/EventStore/EventStore-Client-Go/v4/protos/streams"
	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/butler-pm/butler/domain/event"
)

const readPage = 512

// Read serves finite reads (count) and catch-up subscriptions.
func (h *streams) Read(req *api.ReadReq, srv api.Streams_ReadServer) error {
	o := req.GetOptions()
	if o == nil {
		return status.Error(codes.InvalidArgument, "read: no options")
	}
	f, err := compileFilter(o.GetFilter())
	if err != nil {
		return status.Error(codes.InvalidArgument, err.Error())
	}
	asString := o.GetUuidOption().GetString_() != nil
	send := func(rec event.Recorded) error {
		msg, err := toReadEvent(rec, asString)
		if err != nil {
			return internal(err)
		}
		return srv.Send(msg)
	}
	_, subscribe := o.GetCountOption().(*api.ReadReq_Options_Subscription)
	switch {
	case o.GetStream() != nil && subscribe:
		return h.subscribeStream(srv, o.GetStream(), send)
	case o.GetAll() != nil && subscribe:
		return h.subscribeAll(srv, o.GetAll(), f, send)
	case o.GetStream() != nil:
		return h.readStream(srv, o.GetStream(), o.GetReadDirection(), clampCount(o.GetCount()), send)
	case o.GetAll() != nil:
		return h.readAll(srv.Context(), o.GetAll(), o.GetReadDirection(), clampCount(o.GetCount()), f, send)
	}
	return status.Error(codes.InvalidArgument, "read: neither a stream nor $all")
}

// readStream answers with events only, or one StreamNotFound, or the
// stream-deleted error: the client cannot handle any other message in a
// finite read. The stream's metadata bounds what is read (state.go).
func (h *streams) readStream(srv api.Streams_ReadServer, so *api.ReadReq_Options_StreamOptions, d api.ReadReq_Options_ReadDirection, count int, send func(event.Recorded) error) error {
	ctx := srv.Context()
	name := string(so.GetStreamIdentifier().GetStreamName())
	st, err := h.state(ctx, name)
	if err != nil {
		return internal(err)
	}
	switch {
	case st.tombstoned:
		return streamDeleted(srv.SetTrailer, name)
	case !st.exists || st.softDeleted():
		return streamNotFound(srv, name)
	}
	dir := event.Forward
	if d == api.ReadReq_Options_Backwards {
		dir = event.Backward
	}
	var from uint64
	switch so.GetRevisionOption().(type) {
	case *api.ReadReq_Options_StreamOptions_Revision:
		from = so.GetRevision()
	case *api.ReadReq_Options_StreamOptions_End:
		if dir == event.Forward {
			return nil // nothing lies after the end
		}
		from = st.last
	}
	lo := st.firstKept()
	kept := func(rec event.Recorded) bool { return rec.Revision >= lo }
	if age := st.meta.maxAge; age != nil {
		oldest := time.Now().Add(-*age)
		kept = func(rec event.Recorded) bool { return rec.Revision >= lo && !rec.RecordedAt.Before(oldest) }
	}
	if dir == event.Forward {
		from = max(from, lo)
	} else {
		from = min(from, st.last)
	}
	for sent := 0; sent < count; {
		if dir == event.Backward && from < lo {
			return nil
		}
		n := min(readPage, count-sent)
		recs, err := h.backend.ReadStream(ctx, name, from, dir, n)
		if errors.Is(err, event.ErrStreamNotFound) {
			return nil
		}
		if err != nil {
			return internal(err)
		}
		for _, rec := range recs {
			if !kept(rec) {
				continue
			}
			if err := send(rec); err != nil {
				return err
			}
			sent++
		}
		if len(recs) < n {
			return nil // the stream's end (or start) was reached
		}
		last := recs[len(recs)-1].Revision
		if dir == event.Forward {
			from = last + 1
		} else {
			if last == 0 {
				return nil
			}
			from = last - 1
		}
	}
	return nil
}

func streamNotFound(srv api.Streams_ReadServer, name string) error {
	return srv.Send(&api.ReadResp{Content: &api.ReadResp_StreamNotFound_{StreamNotFound: &api.ReadResp_StreamNotFound{
		StreamIdentifier: &shared.StreamIdentifier{StreamName: []byte(name)},
	}}})
}

// readAll reads $all like EventStoreDB: forward from a position includes
// it, backward from a position starts just before it; a position that is
// not an event's is refused.
func (h *streams) readAll(ctx context.Context, ao *api.ReadReq_Options_AllOptions, d api.ReadReq_Options_ReadDirection, count int, f *filter, send func(event.Recorded) error) error {
	dir := event.Forward
	if d == api.ReadReq_Options_Backwards {
		dir = event.Backward
	}
	var from event.Position
	switch x := ao.GetAllOption().(type) {
	case *api.ReadReq_Options_AllOptions_Start:
		if dir == event.Backward {
			return nil
		}
	case *api.ReadReq_Options_AllOptions_End:
		if dir == event.Forward {
			return nil
		}
		from = event.End
	case *api.ReadReq_Options_AllOptions_Position:
		p, err := fromWire(x.Position.GetCommitPosition(), x.Position.GetPreparePosition())
		if err != nil {
			return err
		}
		// The backend reads beyond its position in both directions;
		// EventStoreDB includes the event at its position going forward.
		from = p
		if dir == event.Forward && p > 0 {
			from = p - 1
		}
	}
	sent := 0
	for sent < count {
		recs, err := h.backend.ReadAll(ctx, from, dir, readPage)
		if err != nil {
			return internal(err)
		}
		for _, rec := range recs {
			if !f.match(rec) {
				continue
			}
			if err := send(rec); err != nil {
				return err
			}
			if sent++; sent == count {
				return nil
			}
		}
		if len(recs) < readPage {
			return nil
		}
		from = recs[len(recs)-1].Position
	}
	return nil
}

// head is the position of the last event in the backend.
func (h *streams) head(ctx context.Context) (event.Position, error) {
	recs, err := h.backend.ReadAll(ctx, event.End, event.Backward, 1)
	if err != nil || len(recs) == 0 {
		return 0, err
	}
	return recs[0].Position, nil
}

func confirm(srv api.Streams_ReadServer) error {
	return srv.Send(&api.ReadResp{Content: &api.ReadResp_Confirmation{Confirmation: &api.ReadResp_SubscriptionConfirmation{
		SubscriptionId: uuid.NewString(),
	}}})
}

// subscribeAll: Confirmation, stored events after the start, CaughtUp, then
// live events; a filtered subscription also gets Checkpoints.
func (h *streams) subscribeAll(srv api.Streams_ReadServer, ao *api.ReadReq_Options_AllOptions, f *filter, send func(event.Recorded) error) error {
	ctx := srv.Context()
	head, err := h.head(ctx)
	if err != nil {
		return internal(err)
	}
	var after event.Position
	switch x := ao.GetAllOption().(type) {
	case *api.ReadReq_Options_AllOptions_End:
		after = head
	case *api.ReadReq_Options_AllOptions_Position:
		// A subscription starts after its position.
		p, err := fromWire(x.Position.GetCommitPosition(), x.Position.GetPreparePosition())
		if err != nil {
			return err
		}
		after = p
	}
	return h.follow(srv, after, head, f, func(rec event.Recorded) bool { return f.match(rec) }, send)
}

// subscribeStream: the same for one stream, from after a revision.
func (h *streams) subscribeStream(srv api.Streams_ReadServer, so *api.ReadReq_Options_StreamOptions, send func(event.Recorded) error) error {
	ctx := srv.Context()
	name := string(so.GetStreamIdentifier().GetStreamName())
	// The head is taken first: whatever is appended later lies after it.
	head, err := h.head(ctx)
	if err != nil {
		return internal(err)
	}
	after := head
	minRev := uint64(0)
	switch so.GetRevisionOption().(type) {
	case *api.ReadReq_Options_StreamOptions_Start:
		recs, err := h.backend.ReadStream(ctx, name, 0, event.Forward, 1)
		if err != nil && !errors.Is(err, event.ErrStreamNotFound) {
			return internal(err)
		}
		if len(recs) == 1 {
			after = recs[0].Position - 1
		}
	case *api.ReadReq_Options_StreamOptions_Revision:
		rev := so.GetRevision()
		minRev = rev + 1
		recs, err := h.backend.ReadStream(ctx, name, rev, event.Forward, 1)
		if err != nil && !errors.Is(err, event.ErrStreamNotFound) {
			return internal(err)
		}
		if len(recs) == 1 {
			after = recs[0].Position
		}
	}
	match := func(rec event.Recorded) bool { return rec.Stream == name && rec.Revision >= minRev }
	return h.follow(srv, after, head, nil, match, send)
}

// follow streams the backend's subscription after a position; CaughtUp is
// sent once the head taken at the start has been passed.
func (h *streams) follow(srv api.Streams_ReadServer, after, head event.Position, f *filter, match func(event.Recorded) bool, send func(event.Recorded) error) error {
	ctx := srv.Context()
	sub, err := h.backend.SubscribeAll(ctx, after)
	if err != nil {
		return internal(err)
	}
	defer sub.Close()
	if err := confirm(srv); err != nil {
		return err
	}
	caughtUp := after >= head
	if caughtUp {
		if err := caughtUpMsg(srv); err != nil {
			return err
		}
	}
	examined := 0
	for {
		rec, err := sub.Next(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return status.FromContextError(ctx.Err()).Err()
			}
			return internal(err)
		}
		if match(rec) {
			if err := send(rec); err != nil {
				return err
			}
		}
		if f != nil {
			if examined++; examined >= f.interval {
				examined = 0
				if err := checkpoint(srv, rec.Position); err != nil {
					return err
				}
			}
		}
		if !caughtUp && rec.Position >= head {
			caughtUp = true
			if f != nil && examined > 0 {
				examined = 0
				if err := checkpoint(srv, rec.Position); err != nil {
					return err
				}
			}
			if err := caughtUpMsg(srv); err != nil {
				return err
			}
		}
	}
}

func checkpoint(srv api.Streams_ReadServer, p event.Position) error {
	return srv.Send(&api.ReadResp{Content: &api.ReadResp_Checkpoint_{Checkpoint: &api.ReadResp_Checkpoint{
		CommitPosition: wire(p), PreparePosition: wire(p),
	}}})
}

func caughtUpMsg(srv api.Streams_ReadServer) error {
	return srv.Send(&api.ReadResp{Content: &api.ReadResp_CaughtUp_{CaughtUp: &api.ReadResp_CaughtUp{}}})
}
