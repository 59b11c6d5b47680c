// Package storetest is the contract suite every event-store adapter must
// pass: run it from the adapter's tests with Run.
//
// The suite may run against a shared server: every test writes only to
// streams with a fresh random prefix, and checks on $all look only at those
// streams, tolerating events written by others.
package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/eventstore"
)

// Run runs the contract suite. open must return a ready Store for one test
// and close it in t.Cleanup; the suite also calls Close itself in one test,
// so a second Close must be harmless.
func Run(t *testing.T, open func(t *testing.T) eventstore.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open func(t *testing.T) eventstore.Store)
	}{
		{"AppendAndReadBack", testAppendAndReadBack},
		{"ExpectedRevision", testExpectedRevision},
		{"RacingWritersOneWins", testRacingWriters},
		{"ConcurrentAppendsToOneStream", testConcurrentAnyAppends},
		{"ReadStreamFromAndMax", testReadStreamFromAndMax},
		{"ReadStreamUnknown", testReadStreamUnknown},
		{"ReadAllOrdering", testReadAllOrdering},
		{"MultiEventAppendIsAtomic", testMultiEventAtomic},
		{"SubscribeFromStart", func(t *testing.T, open func(t *testing.T) eventstore.Store) { testSubscribe(t, open, false) }},
		{"SubscribeFromMiddle", func(t *testing.T, open func(t *testing.T) eventstore.Store) { testSubscribe(t, open, true) }},
		{"SubscriptionEnds", testSubscriptionEnds},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open)
		})
	}
}

// deadline bounds every test: a hung subscription must fail, not stall CI.
func deadline(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// prefix returns a stream-name prefix no other test run uses.
func prefix() string { return "storetest-" + uuid.NewString()[:8] + "-" }

func newEvent(t *testing.T, typ string, n int) event.Event {
	t.Helper()
	id, err := uuid.NewV7()
	if err != nil {
		t.Fatal(err)
	}
	return event.Event{
		ID:   id.String(),
		Type: typ,
		Data: json.RawMessage(fmt.Sprintf(`{"n":%d,"text":"ünïcode \"quoted\""}`, n)),
		Meta: event.Metadata{
			Actor:         event.Actor{StaffID: "staff-7", Role: "dispatcher"},
			Project:       "project-1",
			District:      "district-north",
			OccurredAt:    time.Now().UTC().Truncate(time.Microsecond),
			CorrelationID: "corr-" + id.String(),
			CausationID:   "cause-" + id.String(),
		},
	}
}

func newEvents(t *testing.T, typ string, k int) []event.Event {
	es := make([]event.Event, k)
	for i := range es {
		es[i] = newEvent(t, typ, i)
	}
	return es
}

// sameEvent reports how a recorded event differs from the proposed one.
func sameEvent(want event.Event, got event.Recorded) error {
	switch {
	case got.ID != want.ID:
		return fmt.Errorf("id %q, want %q", got.ID, want.ID)
	case got.Type != want.Type:
		return fmt.Errorf("type %q, want %q", got.Type, want.Type)
	case !bytes.Equal(got.Data, want.Data):
		return fmt.Errorf("data %s, want %s", got.Data, want.Data)
	case got.Meta.Actor != want.Meta.Actor:
		return fmt.Errorf("actor %+v, want %+v", got.Meta.Actor, want.Meta.Actor)
	case got.Meta.Project != want.Meta.Project || got.Meta.District != want.Meta.District:
		return fmt.Errorf("project/district %q/%q, want %q/%q", got.Meta.Project, got.Meta.District, want.Meta.Project, want.Meta.District)
	case !got.Meta.OccurredAt.Equal(want.Meta.OccurredAt):
		return fmt.Errorf("occurred %v, want %v", got.Meta.OccurredAt, want.Meta.OccurredAt)
	case got.Meta.CorrelationID != want.Meta.CorrelationID || got.Meta.CausationID != want.Meta.CausationID:
		return fmt.Errorf("correlation/causation %q/%q, want %q/%q", got.Meta.CorrelationID, got.Meta.CausationID, want.Meta.CorrelationID, want.Meta.CausationID)
	}
	return nil
}

func mustAppend(ctx context.Context, t *testing.T, s eventstore.Store, stream string, exp event.ExpectedRevision, es ...event.Event) event.AppendResult {
	t.Helper()
	res, err := s.Append(ctx, stream, exp, es...)
	if err != nil {
		t.Fatalf("append %d events to %s (expected %s): %v", len(es), stream, exp, err)
	}
	return res
}

func mustReadStream(ctx context.Context, t *testing.T, s eventstore.Store, stream string, from uint64, dir event.Direction, max int) []event.Recorded {
	t.Helper()
	recs, err := s.ReadStream(ctx, stream, from, dir, max)
	if err != nil {
		t.Fatalf("read %s from %d dir %d max %d: %v", stream, from, dir, max, err)
	}
	return recs
}

func revisions(recs []event.Recorded) []uint64 {
	out := make([]uint64, len(recs))
	for i, r := range recs {
		out[i] = r.Revision
	}
	return out
}

func testAppendAndReadBack(t *testing.T, open func(t *testing.T) eventstore.Store) {
	ctx := deadline(t)
	s := open(t)
	stream := prefix() + "complaint-1"
	es := newEvents(t, "complaint.registered.v1", 3)
	before := time.Now()
	res := mustAppend(ctx, t, s, stream, event.NoStream(), es...)
	after := time.Now()
	if res.NextRevision != 2 {
		t.Errorf("NextRevision = %d, want 2", res.NextRevision)
	}
	recs := mustReadStream(ctx, t, s, stream, 0, event.Forward, 10)
	if len(recs) != 3 {
		t.Fatalf("read %d events, want 3", len(recs))
	}
	for i, r := range recs {
		if err := sameEvent(es[i], r); err != nil {
			t.Errorf("event %d: %v", i, err)
		}
		if r.Stream != stream {
			t.Errorf("event %d: stream %q, want %q", i, r.Stream, stream)
		}
		if r.Revision != uint64(i) {
			t.Errorf("event %d: revision %d", i, r.Revision)
		}
		if r.Position == 0 {
			t.Errorf("event %d: position 0", i)
		}
		// Generous bounds: the store's clock may be another machine's.
		if r.RecordedAt.Before(before.Add(-time.Minute)) || r.RecordedAt.After(after.Add(time.Minute)) {
			t.Errorf("event %d: recorded at %v, not near %v", i, r.RecordedAt, before)
		}
	}
	if recs[2].Position != res.Position {
		t.Errorf("last event at position %d, append reported %d", recs[2].Position, res.Position)
	}
	if !(recs[0].Position < recs[1].Position && recs[1].Position < recs[2].Position) {
		t.Errorf("positions not increasing: %d %d %d", recs[0].Position, recs[1].Position, recs[2].Position)
	}
	// The same events read through $all carry the same envelope: after the
	// first come the other two, and before the last the first two (an
	// append is contiguous in $all).
	fwd, err := s.ReadAll(ctx, recs[0].Position, event.Forward, 2)
	if err != nil {
		t.Fatal(err)
	}
	back, err := s.ReadAll(ctx, recs[2].Position, event.Backward, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(fwd) != 2 || len(back) != 2 {
		t.Fatalf("$all after %d gave %d events, before %d gave %d; want 2 each", recs[0].Position, len(fwd), recs[2].Position, len(back))
	}
	for i, r := range []event.Recorded{back[1], back[0], fwd[1]} {
		if err := sameEvent(es[i], r); err != nil || r.Stream != stream || r.Revision != uint64(i) || r.Position != recs[i].Position {
			t.Errorf("$all event %d = %+v (%v), want stream %s revision %d position %d", i, r, err, stream, i, recs[i].Position)
		}
	}
	if fwd[0].ID != back[0].ID {
		t.Errorf("the middle event read forward is %s, backward %s", fwd[0].ID, back[0].ID)
	}
	// Appending more continues the revisions.
	res = mustAppend(ctx, t, s, stream, event.Exact(2), newEvent(t, "complaint.updated.v1", 9))
	if res.NextRevision != 3 || res.Position <= recs[2].Position {
		t.Errorf("second append = %+v, want revision 3 after position %d", res, recs[2].Position)
	}
}

func testExpectedRevision(t *testing.T, open func(t *testing.T) eventstore.Store) {
	ctx := deadline(t)
	s := open(t)
	p := prefix()
	// existing has revisions 0 and 1.
	existing := p + "existing"
	mustAppend(ctx, t, s, existing, event.NoStream(), newEvents(t, "x.v1", 2)...)

	cases := []struct {
		name     string
		existing bool
		exp      event.ExpectedRevision
		ok       bool
	}{
		{"any on new stream", false, event.Any(), true},
		{"any on existing stream", true, event.Any(), true},
		{"no stream on new stream", false, event.NoStream(), true},
		{"no stream on existing stream", true, event.NoStream(), false},
		{"stream exists on existing stream", true, event.StreamExists(), true},
		{"stream exists on new stream", false, event.StreamExists(), false},
		{"exact last revision", true, event.Exact(1), true},
		{"exact stale revision", true, event.Exact(0), false},
		{"exact future revision", true, event.Exact(5), false},
		{"exact 0 on new stream", false, event.Exact(0), false},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			stream := fmt.Sprintf("%snew-%d", p, i)
			if tc.existing {
				// Each existing-stream case gets its own copy at revision 1.
				stream = fmt.Sprintf("%sold-%d", p, i)
				mustAppend(ctx, t, s, stream, event.NoStream(), newEvents(t, "x.v1", 2)...)
			}
			e := newEvent(t, "y.v1", i)
			res, err := s.Append(ctx, stream, tc.exp, e)
			if tc.ok {
				if err != nil {
					t.Fatalf("append with %s: %v", tc.exp, err)
				}
				want := uint64(0)
				if tc.existing {
					want = 2
				}
				if res.NextRevision != want {
					t.Errorf("NextRevision = %d, want %d", res.NextRevision, want)
				}
				recs := mustReadStream(ctx, t, s, stream, event.StreamEnd, event.Backward, 1)
				if len(recs) != 1 || recs[0].ID != e.ID || recs[0].Revision != want {
					t.Errorf("last event = %+v, want id %s revision %d", recs, e.ID, want)
				}
				return
			}
			if !errors.Is(err, event.ErrConflict) {
				t.Fatalf("append with %s: err = %v, want a conflict", tc.exp, err)
			}
			var ce *event.ConflictError
			if !errors.As(err, &ce) {
				t.Fatalf("conflict %v is not a *event.ConflictError", err)
			}
			if ce.Stream != stream || ce.Exists != tc.existing || (tc.existing && ce.Actual != 1) {
				t.Errorf("conflict = %+v, want stream %s exists %v actual 1", ce, stream, tc.existing)
			}
			// A failed append writes nothing.
			recs, err := s.ReadStream(ctx, stream, 0, event.Forward, 10)
			switch {
			case !tc.existing && !errors.Is(err, event.ErrStreamNotFound):
				t.Errorf("after failed append to a new stream: %d events, err %v; want stream not found", len(recs), err)
			case tc.existing && (err != nil || len(recs) != 2):
				t.Errorf("after failed append: %d events (err %v), want the 2 earlier ones", len(recs), err)
			}
		})
	}
	if recs := mustReadStream(ctx, t, s, existing, 0, event.Forward, 10); len(recs) != 2 {
		t.Errorf("untouched stream has %d events, want 2", len(recs))
	}
}

// testRacingWriters races writers that all expect the same revision, over
// several rounds so that racers also meet inside one batch of the store.
func testRacingWriters(t *testing.T, open func(t *testing.T) eventstore.Store) {
	ctx := deadline(t)
	s := open(t)
	stream := prefix() + "contended"
	mustAppend(ctx, t, s, stream, event.NoStream(), newEvent(t, "x.v1", 0))
	for round := range 5 {
		raceRound(ctx, t, s, stream, uint64(round))
		if t.Failed() {
			return
		}
	}
}

// raceRound has writers append to stream expecting revision rev, which is
// its last; exactly one must win.
func raceRound(ctx context.Context, t *testing.T, s eventstore.Store, stream string, rev uint64) {
	const writers = 16
	var wg sync.WaitGroup
	errs := make([]error, writers)
	events := make([]event.Event, writers)
	start := make(chan struct{})
	for i := range writers {
		events[i] = newEvent(t, "racer.v1", i)
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = s.Append(ctx, stream, event.Exact(rev), events[i])
		}()
	}
	close(start)
	wg.Wait()
	winner := -1
	for i, err := range errs {
		switch {
		case err == nil:
			if winner >= 0 {
				t.Errorf("writers %d and %d both won with expected revision %d", winner, i, rev)
			}
			winner = i
		case errors.Is(err, event.ErrConflict):
			var ce *event.ConflictError
			if !errors.As(err, &ce) || !ce.Exists || ce.Actual != rev+1 {
				t.Errorf("writer %d: conflict %v, want actual revision %d", i, err, rev+1)
			}
		default:
			t.Errorf("writer %d: %v", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no writer won")
	}
	recs := mustReadStream(ctx, t, s, stream, 0, event.Forward, 100)
	if uint64(len(recs)) != rev+2 || recs[len(recs)-1].ID != events[winner].ID {
		t.Errorf("stream holds %d events (last %s), want %d ending with the winner's %s", len(recs), recs[len(recs)-1].ID, rev+2, events[winner].ID)
	}
}

// testConcurrentAnyAppends has writers append to one stream at once without
// a revision check: every event must get its own revision, 0, 1, 2, …
func testConcurrentAnyAppends(t *testing.T, open func(t *testing.T) eventstore.Store) {
	ctx := deadline(t)
	s := open(t)
	stream := prefix() + "shared"
	const writers, appends = 8, 10
	var wg sync.WaitGroup
	ids := make([][]string, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range appends {
				es := newEvents(t, "x.v1", 1+i%2)
				if _, err := s.Append(ctx, stream, event.Any(), es...); err != nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
				for _, e := range es {
					ids[w] = append(ids[w], e.ID)
				}
			}
		}()
	}
	wg.Wait()
	want := map[string]bool{}
	for _, l := range ids {
		for _, id := range l {
			want[id] = true
		}
	}
	recs := mustReadStream(ctx, t, s, stream, 0, event.Forward, 1000)
	if len(recs) != len(want) {
		t.Fatalf("stream holds %d events, %d were appended", len(recs), len(want))
	}
	for i, r := range recs {
		if r.Revision != uint64(i) || !want[r.ID] {
			t.Fatalf("event %d: revision %d id %s (appended by us: %v)", i, r.Revision, r.ID, want[r.ID])
		}
		delete(want, r.ID)
		if i > 0 && r.Position <= recs[i-1].Position {
			t.Errorf("revision %d at position %d, not after %d", i, r.Position, recs[i-1].Position)
		}
	}
}

func testReadStreamFromAndMax(t *testing.T, open func(t *testing.T) eventstore.Store) {
	ctx := deadline(t)
	s := open(t)
	stream := prefix() + "ten"
	es := newEvents(t, "x.v1", 10)
	// Several appends, interleaved with another stream, so the stream's
	// positions are not contiguous.
	other := prefix() + "other"
	for i := 0; i < 10; i += 2 {
		mustAppend(ctx, t, s, stream, event.Any(), es[i:i+2]...)
		mustAppend(ctx, t, s, other, event.Any(), newEvent(t, "o.v1", i))
	}
	cases := []struct {
		from uint64
		dir  event.Direction
		max  int
		want []uint64
	}{
		{0, event.Forward, 100, []uint64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}},
		{0, event.Forward, 3, []uint64{0, 1, 2}},
		{4, event.Forward, 3, []uint64{4, 5, 6}},
		{8, event.Forward, 5, []uint64{8, 9}},
		{10, event.Forward, 5, []uint64{}},
		{event.StreamEnd, event.Backward, 100, []uint64{9, 8, 7, 6, 5, 4, 3, 2, 1, 0}},
		{event.StreamEnd, event.Backward, 2, []uint64{9, 8}},
		{5, event.Backward, 3, []uint64{5, 4, 3}},
		{1, event.Backward, 5, []uint64{1, 0}},
		{0, event.Backward, 5, []uint64{0}},
	}
	for _, tc := range cases {
		recs := mustReadStream(ctx, t, s, stream, tc.from, tc.dir, tc.max)
		if got := revisions(recs); fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("ReadStream(from %d, dir %d, max %d) revisions = %v, want %v", tc.from, tc.dir, tc.max, got, tc.want)
			continue
		}
		for i, r := range recs {
			if r.ID != es[r.Revision].ID {
				t.Errorf("revision %d has id %s, want %s", r.Revision, r.ID, es[r.Revision].ID)
			}
			if i > 0 && (tc.dir == event.Forward) != (r.Position > recs[i-1].Position) {
				t.Errorf("positions out of order for dir %d: %d then %d", tc.dir, recs[i-1].Position, r.Position)
			}
		}
	}
}

func testReadStreamUnknown(t *testing.T, open func(t *testing.T) eventstore.Store) {
	ctx := deadline(t)
	s := open(t)
	p := prefix()
	mustAppend(ctx, t, s, p+"known", event.NoStream(), newEvent(t, "x.v1", 0))
	for _, dir := range []event.Direction{event.Forward, event.Backward} {
		from := uint64(0)
		if dir == event.Backward {
			from = event.StreamEnd
		}
		recs, err := s.ReadStream(ctx, p+"unknown", from, dir, 10)
		if !errors.Is(err, event.ErrStreamNotFound) {
			t.Errorf("read unknown stream dir %d: %d events, err %v; want stream not found", dir, len(recs), err)
		}
	}
	// A name that only shares a prefix with an existing stream is unknown too.
	if _, err := s.ReadStream(ctx, p+"know", 0, event.Forward, 10); !errors.Is(err, event.ErrStreamNotFound) {
		t.Errorf("read prefix of a known stream: err %v, want stream not found", err)
	}
}

// mine keeps the events of streams with prefix p.
func mine(p string, recs []event.Recorded) []event.Recorded {
	var out []event.Recorded
	for _, r := range recs {
		if len(r.Stream) >= len(p) && r.Stream[:len(p)] == p {
			out = append(out, r)
		}
	}
	return out
}

// readAllMine pages forward through $all after position from and returns
// the events of streams with prefix p, stopping once it has want of them.
func readAllMine(ctx context.Context, t *testing.T, s eventstore.Store, p string, from event.Position, want int) []event.Recorded {
	t.Helper()
	var out []event.Recorded
	prev := from
	for len(out) < want {
		page, err := s.ReadAll(ctx, from, event.Forward, 100)
		if err != nil {
			t.Fatalf("ReadAll from %d: %v", from, err)
		}
		if len(page) == 0 {
			t.Fatalf("$all ended after %d of %d expected events", len(out), want)
		}
		for _, r := range page {
			if r.Position <= prev {
				t.Fatalf("$all positions not strictly increasing: %d after %d", r.Position, prev)
			}
			prev = r.Position
		}
		out = append(out, mine(p, page)...)
		from = page[len(page)-1].Position
	}
	return out
}

func testReadAllOrdering(t *testing.T, open func(t *testing.T) eventstore.Store) {
	ctx := deadline(t)
	s := open(t)
	p := prefix()
	var ids []string
	start := lastPosition(ctx, t, s)
	for i := range 12 {
		e := newEvent(t, "x.v1", i)
		mustAppend(ctx, t, s, fmt.Sprintf("%s%d", p, i%3), event.Any(), e)
		ids = append(ids, e.ID)
	}
	fwd := readAllMine(ctx, t, s, p, start, 12)
	for i, r := range fwd {
		if r.ID != ids[i] {
			t.Fatalf("forward $all event %d is %s, want %s", i, r.ID, ids[i])
		}
	}
	last := fwd[len(fwd)-1].Position
	// Backward from after our last event reads the same events in reverse.
	after, err := s.ReadAll(ctx, last, event.Forward, 1)
	if err != nil {
		t.Fatal(err)
	}
	from := event.End
	if len(after) == 1 {
		from = after[0].Position
	}
	back, err := s.ReadAll(ctx, from, event.Backward, 1000)
	if err != nil {
		t.Fatal(err)
	}
	back = mine(p, back)
	if len(back) != 12 {
		t.Fatalf("backward $all from %d has %d of our events, want 12", from, len(back))
	}
	for i, r := range back {
		if r.ID != ids[11-i] {
			t.Errorf("backward $all event %d is %s, want %s", i, r.ID, ids[11-i])
		}
		if i > 0 && r.Position >= back[i-1].Position {
			t.Errorf("backward positions not decreasing: %d after %d", r.Position, back[i-1].Position)
		}
	}
	// max limits, and from is excluded in both directions: forward from an
	// event starts with the next one (ours, or another test's in between),
	// backward with the previous one.
	two, err := s.ReadAll(ctx, fwd[3].Position, event.Forward, 2)
	if err != nil || len(two) != 2 || two[0].Position <= fwd[3].Position || two[0].Position > fwd[4].Position {
		t.Errorf("ReadAll(after %d, forward, 2) = %+v (err %v), want 2 events, the first after %d and at most at %d", fwd[3].Position, two, err, fwd[3].Position, fwd[4].Position)
	}
	one, err := s.ReadAll(ctx, fwd[3].Position, event.Backward, 1)
	if err != nil || len(one) != 1 || one[0].Position >= fwd[3].Position || one[0].Position < fwd[2].Position {
		t.Errorf("ReadAll(before %d, backward, 1) = %+v (err %v), want one event before %d and at least at %d", fwd[3].Position, one, err, fwd[3].Position, fwd[2].Position)
	}
	// Nothing lies before the start.
	if none, err := s.ReadAll(ctx, 0, event.Backward, 1); err != nil || len(none) != 0 {
		t.Errorf("ReadAll(0, backward, 1) = %+v (err %v), want nothing", none, err)
	}
	// Backward from End starts at the newest event, which is ours or later.
	end, err := s.ReadAll(ctx, event.End, event.Backward, 1)
	if err != nil || len(end) != 1 || end[0].Position < last {
		t.Errorf("ReadAll(End, backward, 1) = %+v (err %v), want an event at or after %d", end, err, last)
	}
}

func testMultiEventAtomic(t *testing.T, open func(t *testing.T) eventstore.Store) {
	ctx := deadline(t)
	s := open(t)
	p := prefix()
	const writers, appends, size = 4, 10, 5
	var wg sync.WaitGroup
	results := make([][]event.AppendResult, writers)
	batches := make([][][]event.Event, writers)
	stop := make(chan struct{})
	var readerErr error
	var readerWG sync.WaitGroup
	readerWG.Add(1)
	// A reader polls a stream while batches land: it must never see part of one.
	go func() {
		defer readerWG.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			recs, err := s.ReadStream(ctx, p+"w0", 0, event.Forward, 1000)
			if errors.Is(err, event.ErrStreamNotFound) {
				continue
			}
			if err != nil {
				readerErr = err
				return
			}
			if len(recs)%size != 0 {
				readerErr = fmt.Errorf("reader saw %d events, not a whole number of %d-event appends", len(recs), size)
				return
			}
		}
	}()
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range appends {
				es := newEvents(t, "batch.v1", size)
				res, err := s.Append(ctx, fmt.Sprintf("%sw%d", p, w), event.Any(), es...)
				if err != nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
				results[w] = append(results[w], res)
				batches[w] = append(batches[w], es)
			}
		}()
	}
	wg.Wait()
	close(stop)
	readerWG.Wait()
	if readerErr != nil {
		t.Error(readerErr)
	}
	for w := range writers {
		for i, res := range results[w] {
			if want := uint64((i+1)*size - 1); res.NextRevision != want {
				t.Errorf("writer %d append %d: NextRevision %d, want %d", w, i, res.NextRevision, want)
			}
			// The batch's events are the only ones between its first and
			// last position in $all: nothing interleaves with them.
			recs, err := s.ReadStream(ctx, fmt.Sprintf("%sw%d", p, w), uint64(i*size), event.Forward, size)
			if err != nil || len(recs) != size {
				t.Fatalf("writer %d append %d: read %d events, err %v", w, i, len(recs), err)
			}
			if recs[size-1].Position != res.Position {
				t.Errorf("writer %d append %d: last position %d, append said %d", w, i, recs[size-1].Position, res.Position)
			}
			all, err := s.ReadAll(ctx, recs[0].Position, event.Forward, size-1)
			if err != nil {
				t.Fatal(err)
			}
			all = append([]event.Recorded{recs[0]}, all...)
			for j, r := range all {
				if j >= len(recs) || r.ID != recs[j].ID || r.ID != batches[w][i][j].ID {
					t.Errorf("writer %d append %d: $all position %d holds %s/%d, not the batch's event %d", w, i, r.Position, r.Stream, r.Revision, j)
				}
			}
		}
	}
}

// testSubscribe checks that a catch-up subscription delivers exactly what
// $all holds, stored events first and then live ones, while writers append.
func testSubscribe(t *testing.T, open func(t *testing.T) eventstore.Store, fromMiddle bool) {
	ctx := deadline(t)
	s := open(t)
	p := prefix()
	const stored, writers, live = 20, 4, 25
	var after event.Position
	start := lastPosition(ctx, t, s)
	for i := range stored {
		res := mustAppend(ctx, t, s, fmt.Sprintf("%sstored-%d", p, i%4), event.Any(), newEvent(t, "x.v1", i))
		if fromMiddle && i == stored/2-1 {
			after = res.Position
		}
	}
	sub, err := s.SubscribeAll(ctx, after)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()

	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range live {
				// Mix single and multi-event appends.
				es := newEvents(t, "live.v1", 1+i%3)
				if _, err := s.Append(ctx, fmt.Sprintf("%slive-%d", p, w), event.Any(), es...); err != nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
			}
		}()
	}
	want := stored
	if fromMiddle {
		want = stored - stored/2
	}
	for i := range live {
		want += writers * (1 + i%3)
	}
	var got []event.Recorded
	var prev event.Position = after
	for len(got) < want {
		r, err := sub.Next(ctx)
		if err != nil {
			t.Fatalf("Next after %d of %d events: %v", len(got), want, err)
		}
		if r.Position <= prev {
			t.Fatalf("subscription went from position %d to %d", prev, r.Position)
		}
		prev = r.Position
		got = append(got, mine(p, []event.Recorded{r})...)
	}
	wg.Wait()
	from := start
	if fromMiddle {
		from = after
	}
	stored2 := readAllMine(ctx, t, s, p, from, want)
	if len(stored2) != len(got) {
		t.Fatalf("subscription delivered %d of our events, $all holds %d", len(got), len(stored2))
	}
	for i := range got {
		if got[i].ID != stored2[i].ID || got[i].Position != stored2[i].Position || got[i].Stream != stored2[i].Stream || got[i].Revision != stored2[i].Revision {
			t.Fatalf("event %d: subscription gave %s@%d (%s/%d), $all holds %s@%d (%s/%d)", i,
				got[i].ID, got[i].Position, got[i].Stream, got[i].Revision,
				stored2[i].ID, stored2[i].Position, stored2[i].Stream, stored2[i].Revision)
		}
	}
	// Nothing more of ours arrives: no duplicates after the last event.
	quiet, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	for {
		r, err := sub.Next(quiet)
		if err != nil {
			break
		}
		if len(mine(p, []event.Recorded{r})) > 0 {
			t.Fatalf("extra event %s@%d after all %d were delivered", r.ID, r.Position, want)
		}
	}
}

// nextEnds calls Next in the background and reports its error, failing the
// test if Next does not return in time.
func nextEnds(t *testing.T, ctx context.Context, sub eventstore.Subscription, end func()) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		for {
			// Foreign events may arrive first on a shared server.
			if _, err := sub.Next(ctx); err != nil {
				done <- err
				return
			}
		}
	}()
	time.Sleep(50 * time.Millisecond) // let Next block
	end()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		t.Fatal("Next did not return after the subscription was ended")
		return nil
	}
}

func testSubscriptionEnds(t *testing.T, open func(t *testing.T) eventstore.Store) {
	ctx := deadline(t)
	t.Run("next context cancelled", func(t *testing.T) {
		s := open(t)
		head := lastPosition(ctx, t, s)
		sub, err := s.SubscribeAll(ctx, head)
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		nctx, cancel := context.WithCancel(ctx)
		if err := nextEnds(t, nctx, sub, cancel); !errors.Is(err, context.Canceled) {
			t.Errorf("Next after cancel: %v, want context.Canceled", err)
		}
	})
	t.Run("subscribe context cancelled", func(t *testing.T) {
		s := open(t)
		sctx, cancel := context.WithCancel(ctx)
		sub, err := s.SubscribeAll(sctx, lastPosition(ctx, t, s))
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		if err := nextEnds(t, ctx, sub, cancel); err == nil {
			t.Error("Next returned no error after the subscription's context ended")
		}
	})
	t.Run("subscription closed", func(t *testing.T) {
		s := open(t)
		sub, err := s.SubscribeAll(ctx, lastPosition(ctx, t, s))
		if err != nil {
			t.Fatal(err)
		}
		if err := nextEnds(t, ctx, sub, func() { _ = sub.Close() }); err == nil {
			t.Error("Next returned no error after Close")
		}
	})
	t.Run("store closed", func(t *testing.T) {
		s := open(t)
		sub, err := s.SubscribeAll(ctx, lastPosition(ctx, t, s))
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		if err := nextEnds(t, ctx, sub, func() { _ = s.Close() }); err == nil {
			t.Error("Next returned no error after the store was closed")
		}
	})
	t.Run("live event wakes a waiting subscriber", func(t *testing.T) {
		s := open(t)
		sub, err := s.SubscribeAll(ctx, lastPosition(ctx, t, s))
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		stream := prefix() + "wake"
		e := newEvent(t, "x.v1", 0)
		go func() {
			time.Sleep(50 * time.Millisecond)
			_, _ = s.Append(ctx, stream, event.NoStream(), e)
		}()
		for {
			r, err := sub.Next(ctx)
			if err != nil {
				t.Fatalf("waiting for a live event: %v", err)
			}
			if r.Stream == stream {
				if err := sameEvent(e, r); err != nil {
					t.Error(err)
				}
				return
			}
		}
	})
}

func lastPosition(ctx context.Context, t *testing.T, s eventstore.Store) event.Position {
	t.Helper()
	recs, err := s.ReadAll(ctx, event.End, event.Backward, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) == 0 {
		return 0
	}
	return recs[0].Position
}
