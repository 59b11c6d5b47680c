package projections_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/complaint"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/projections"
)

// memStore is a minimal SearchStore for the runner's tests: it keeps
// documents and checkpoints and can be told to fail writes. Search is not
// needed here (the contract suite covers real stores).
type memStore struct {
	mu          sync.Mutex
	docs        map[string]projections.Document
	checkpoints map[string]event.Position
	failWrites  bool
	gets        int
}

func newMemStore() *memStore {
	return &memStore{docs: map[string]projections.Document{}, checkpoints: map[string]event.Position{}}
}

func (m *memStore) EnsureIndex(context.Context, projections.Schema) error { return nil }
func (m *memStore) Write(_ context.Context, index string, docs []projections.Document, cp event.Position) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failWrites {
		return errors.New("disk full")
	}
	for _, d := range docs {
		if cur, ok := m.docs[index+"/"+d.ID]; ok && cur.Version >= d.Version {
			continue
		}
		m.docs[index+"/"+d.ID] = d
	}
	m.checkpoints[index] = cp
	return nil
}
func (m *memStore) Checkpoint(_ context.Context, index string) (event.Position, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.checkpoints[index], nil
}
func (m *memStore) Get(_ context.Context, index, id string) (projections.Document, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.gets++
	d, ok := m.docs[index+"/"+id]
	if !ok {
		return d, projections.ErrNotFound
	}
	return d, nil
}
func (m *memStore) Search(context.Context, string, projections.Query) (projections.Result, error) {
	return projections.Result{}, errors.New("not used")
}

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func complaintEvent(t *testing.T, id string, rev uint64, pos event.Position, p event.Payload) event.Recorded {
	t.Helper()
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return event.Recorded{
		Event: event.Event{ID: fmt.Sprintf("e%d", pos), Type: p.EventType(), Data: data,
			Meta: event.Metadata{Actor: event.Actor{StaffID: "b-01", Role: "butler"}, Project: "p1", District: "d1", OccurredAt: t0}},
		Stream: complaint.StreamPrefix + id, Revision: rev, Position: pos, RecordedAt: t0,
	}
}

func getComplaint(t *testing.T, s *memStore, id string) (projections.Complaint, uint64) {
	t.Helper()
	d, err := s.Get(context.Background(), projections.ComplaintsIndex, id)
	if err != nil {
		t.Fatalf("get %s: %v", id, err)
	}
	var c projections.Complaint
	if err := json.Unmarshal(d.Source, &c); err != nil {
		t.Fatal(err)
	}
	return c, d.Version
}

func TestRunnerFoldsAComplaintAndWritesTheCheckpointWithIt(t *testing.T) {
	t.Parallel()
	s := newMemStore()
	r := projections.NewRunner(projections.Complaints, s, slog.New(slog.NewTextHandler(io.Discard, nil)))
	reg := complaintEvent(t, "c1", 0, 1, complaint.Registered{ComplaintID: "c1", Project: "p1", District: "d1", Unit: "3-2-501",
		Owner: "王女士", Description: "楼上卫生间漏水", Soothing: "已安抚", At: t0})
	res := complaintEvent(t, "c1", 1, 2, complaint.Resolved{Resolution: "已修复防水层", At: t0.Add(time.Hour)})
	if err := r.HandleBatch(t.Context(), []event.Recorded{reg, res}); err != nil {
		t.Fatal(err)
	}
	c, v := getComplaint(t, s, "c1")
	if c.Status != "resolved" || c.Resolution != "已修复防水层" || c.Butler != "b-01" || c.Month != "2026-03" || v != 1 {
		t.Fatalf("document = %+v version %d", c, v)
	}
	if cp, _ := s.Checkpoint(context.Background(), projections.ComplaintsIndex); cp != 2 {
		t.Fatalf("checkpoint = %d, want 2", cp)
	}
}

func TestRunnerIgnoresReplaysAndRefusesGaps(t *testing.T) {
	t.Parallel()
	s := newMemStore()
	r := projections.NewRunner(projections.Complaints, s, slog.New(slog.NewTextHandler(io.Discard, nil)))
	reg := complaintEvent(t, "c1", 0, 1, complaint.Registered{ComplaintID: "c1", Project: "p1", District: "d1", Description: "噪音扰民", At: t0})
	disp := complaintEvent(t, "c1", 1, 2, complaint.Dispatched{Assignee: "b-02", At: t0})
	if err := r.HandleBatch(t.Context(), []event.Recorded{reg, disp}); err != nil {
		t.Fatal(err)
	}
	// A replay of both events must not regress the document.
	if err := r.HandleBatch(t.Context(), []event.Recorded{reg, disp}); err != nil {
		t.Fatal(err)
	}
	c, v := getComplaint(t, s, "c1")
	if c.Status != "dispatched" || c.Assignee != "b-02" || v != 1 {
		t.Fatalf("after replay: %+v version %d", c, v)
	}
	// Revision 3 while the document is at 1: revision 2 was missed.
	gapped := complaintEvent(t, "c1", 3, 5, complaint.Closed{At: t0})
	if err := r.HandleBatch(t.Context(), []event.Recorded{gapped}); err != nil {
		t.Fatal(err)
	}
	c, v = getComplaint(t, s, "c1")
	if c.Status == "closed" || v != 1 {
		t.Fatalf("a gapped event was applied: %+v version %d", c, v)
	}
	if st := r.Status(); st.Refused != 1 || st.Checkpoint != 5 {
		t.Fatalf("status = %+v, want one refusal and checkpoint 5", st)
	}
}

func TestRunnerKeepsTheCheckpointWhenTheWriteFails(t *testing.T) {
	t.Parallel()
	s := newMemStore()
	r := projections.NewRunner(projections.Complaints, s, slog.New(slog.NewTextHandler(io.Discard, nil)))
	s.failWrites = true
	reg := complaintEvent(t, "c1", 0, 1, complaint.Registered{ComplaintID: "c1", Project: "p1", District: "d1", Description: "电梯故障", At: t0})
	if err := r.HandleBatch(t.Context(), []event.Recorded{reg}); err == nil {
		t.Fatal("a failed write was acknowledged")
	}
	if cp, _ := s.Checkpoint(context.Background(), projections.ComplaintsIndex); cp != 0 {
		t.Fatalf("checkpoint advanced to %d past a failed write", cp)
	}
	s.failWrites = false
	if err := r.HandleBatch(t.Context(), []event.Recorded{reg}); err != nil {
		t.Fatal(err)
	}
	if c, _ := getComplaint(t, s, "c1"); c.Description != "电梯故障" {
		t.Fatalf("redelivered batch not applied: %+v", c)
	}
}

// A replay into a fresh index folds exactly as the live runner does, without
// reading its own documents back from the store; it refuses an index that
// is not empty.
func TestReplayingRunnerFoldsTheSameWithoutReadingBack(t *testing.T) {
	t.Parallel()
	var evs []event.Recorded
	pos := event.Position(0)
	for i := range 3 {
		id := fmt.Sprintf("c%d", i)
		for rev, p := range []event.Payload{
			complaint.Registered{ComplaintID: id, Project: "p1", District: "d1", Description: "电梯异响", At: t0},
			complaint.Dispatched{Assignee: "b-02", At: t0},
			complaint.Resolved{Resolution: "已更换导靴", At: t0},
		} {
			pos++
			evs = append(evs, complaintEvent(t, id, uint64(rev), pos, p))
		}
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	run := func(replaying bool) *memStore {
		s := newMemStore()
		r := projections.NewRunner(projections.Complaints, s, logger)
		if err := r.Init(t.Context()); err != nil {
			t.Fatal(err)
		}
		if replaying {
			if err := r.Replaying(); err != nil {
				t.Fatal(err)
			}
		}
		// One event per batch: every fold after the first of a stream
		// needs the document written by an earlier batch.
		for _, e := range evs {
			if err := r.HandleBatch(t.Context(), []event.Recorded{e}); err != nil {
				t.Fatal(err)
			}
		}
		return s
	}
	live, replay := run(false), run(true)
	if !reflect.DeepEqual(live.docs, replay.docs) || !reflect.DeepEqual(live.checkpoints, replay.checkpoints) {
		t.Errorf("replay differs from the live fold:\nlive   %v\nreplay %v", live.docs, replay.docs)
	}
	if live.gets == 0 || replay.gets != 0 {
		t.Errorf("documents read back: live %d, replay %d; want some and none", live.gets, replay.gets)
	}
	r := projections.NewRunner(projections.Complaints, live, logger)
	if err := r.Init(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := r.Replaying(); err == nil {
		t.Error("Replaying accepted an index that already holds a checkpoint")
	}
}

// manyStore is a memStore that reads many documents at once, as
// Elasticsearch does with _mget.
type manyStore struct {
	*memStore
	manyCalls int
}

func (m *manyStore) GetMany(_ context.Context, index string, ids []string) (map[string]projections.Document, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.manyCalls++
	out := map[string]projections.Document{}
	for _, id := range ids {
		if d, ok := m.docs[index+"/"+id]; ok {
			out[id] = d
		}
	}
	return out, nil
}

// On a store that reads many documents at once, a batch reads what it
// needs in one request instead of one per document (once a batch has shown
// that it needs the store), and folds the same.
func TestRunnerReadsABatchsDocumentsInOneRequest(t *testing.T) {
	t.Parallel()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	var batches [3][]event.Recorded
	pos := event.Position(0)
	for rev, p := range []func(id string) event.Payload{
		func(id string) event.Payload {
			return complaint.Registered{ComplaintID: id, Project: "p1", District: "d1", Description: "电梯异响", At: t0}
		},
		func(string) event.Payload { return complaint.Dispatched{Assignee: "b-02", At: t0} },
		func(string) event.Payload { return complaint.Resolved{Resolution: "已更换导靴", At: t0} },
	} {
		for i := range 20 {
			id := fmt.Sprintf("c%d", i)
			pos++
			batches[rev] = append(batches[rev], complaintEvent(t, id, uint64(rev), pos, p(id)))
		}
	}
	run := func(s projections.SearchStore) {
		r := projections.NewRunner(projections.Complaints, s, logger)
		if err := r.Init(t.Context()); err != nil {
			t.Fatal(err)
		}
		for _, b := range batches {
			if err := r.HandleBatch(t.Context(), b); err != nil {
				t.Fatal(err)
			}
		}
	}
	one, many := newMemStore(), &manyStore{memStore: newMemStore()}
	run(one)
	run(many)
	if !reflect.DeepEqual(one.docs, many.docs) {
		t.Errorf("folds differ:\none by one %v\nread ahead %v", one.docs, many.docs)
	}
	if one.gets != 60 {
		t.Errorf("one-by-one store was read %d times; the test expects a read per document and batch (60)", one.gets)
	}
	if many.gets != 20 || many.manyCalls != 2 {
		t.Errorf("read-ahead store: %d single reads and %d batched reads; want the first batch's 20 and then one per batch (2)", many.gets, many.manyCalls)
	}
}

// sliceLog is a LogReader over events in memory.
type sliceLog []event.Recorded

func (l sliceLog) ReadAll(_ context.Context, from event.Position, _ event.Direction, max int) ([]event.Recorded, error) {
	var out []event.Recorded
	for _, e := range l {
		if e.Position > from && len(out) < max {
			out = append(out, e)
		}
	}
	return out, nil
}

// Read models built from nothing by a replay record the definition they
// were built by, so a server starting on them does not rebuild them.
func TestReplayAllRecordsTheDefinitions(t *testing.T) {
	t.Parallel()
	s := newMemStore()
	log := sliceLog{complaintEvent(t, "c1", 0, 1, complaint.Registered{ComplaintID: "c1", Project: "p1", District: "d1", Description: "电梯异响", At: t0})}
	if _, err := projections.ReplayAll(t.Context(), log, s, []projections.Projection{projections.Complaints}, projections.ReplayOptions{}); err != nil {
		t.Fatal(err)
	}
	def, found, err := projections.RecordedDefinition(t.Context(), s, projections.ComplaintsIndex)
	if err != nil || !found || def != projections.Definition(projections.Complaints) {
		t.Fatalf("after a replay the complaints were built by %q (found %v, %v), want %q", def, found, err, projections.Definition(projections.Complaints))
	}
}

// growingLog is a LogReader over events a writer is still appending.
type growingLog struct {
	mu     sync.Mutex
	events sliceLog
}

func (l *growingLog) ReadAll(ctx context.Context, from event.Position, dir event.Direction, max int) ([]event.Recorded, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.events.ReadAll(ctx, from, dir, max)
}

func (l *growingLog) add(e event.Recorded) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, e)
}

// A replay that follows a writer (the demo's generation) waits at the end
// of the log until the writer says it is done, and then has every event:
// without Follow it would have ended with the first few.
func TestReplayAllFollowsTheWriterToItsEnd(t *testing.T) {
	t.Parallel()
	s := newMemStore()
	log := &growingLog{}
	const n = 300
	events := make([]event.Recorded, n)
	for i := range events {
		id := fmt.Sprintf("c%03d", i)
		events[i] = complaintEvent(t, id, 0, event.Position(i+1), complaint.Registered{ComplaintID: id, Project: "p1", District: "d1", Description: "电梯异响", At: t0})
	}
	log.add(events[0])
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, e := range events[1:] {
			log.add(e)
			time.Sleep(100 * time.Microsecond)
		}
	}()
	got, err := projections.ReplayAll(t.Context(), log, s, []projections.Projection{projections.Complaints}, projections.ReplayOptions{Batch: 50, Follow: done})
	if err != nil {
		t.Fatal(err)
	}
	if got != n {
		t.Fatalf("the replay read %d events; want all %d the writer appended", got, n)
	}
	if cp, _ := s.Checkpoint(t.Context(), projections.ComplaintsIndex); cp != n {
		t.Fatalf("checkpoint %d, want %d", cp, n)
	}
	for _, id := range []string{"c000", "c150", "c299"} {
		if _, err := s.Get(t.Context(), projections.ComplaintsIndex, id); err != nil {
			t.Errorf("complaint %s: %v", id, err)
		}
	}
}

// A replay's last batch takes a rest of up to a fifth of a batch rather
// than leave it a batch of its own (each batch costs every read model an
// index segment); a longer rest is a batch of its own.
func TestReplayAllTakesASmallRestIntoTheLastBatch(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		events  int
		batches []int
	}{
		{110, []int{110}},
		{119, []int{119}},
		{130, []int{100, 130}},
		{250, []int{100, 200, 250}},
	} {
		log := &growingLog{}
		for i := range c.events {
			id := fmt.Sprintf("c%03d", i)
			log.add(complaintEvent(t, id, 0, event.Position(i+1), complaint.Registered{ComplaintID: id, Project: "p1", District: "d1", Description: "电梯异响", At: t0}))
		}
		var batches []int
		s := newMemStore()
		got, err := projections.ReplayAll(t.Context(), log, s, []projections.Projection{projections.Complaints},
			projections.ReplayOptions{Batch: 100, Progress: func(n int) { batches = append(batches, n) }})
		if err != nil || got != c.events {
			t.Fatalf("%d events: replayed %d, %v", c.events, got, err)
		}
		if !slices.Equal(batches, c.batches) {
			t.Errorf("%d events in batches of 100: batches ended at %v, want %v", c.events, batches, c.batches)
		}
		if cp, _ := s.Checkpoint(t.Context(), projections.ComplaintsIndex); cp != event.Position(c.events) {
			t.Errorf("%d events: checkpoint %d", c.events, cp)
		}
	}
}

// A followed batch is folded by one worker, the writer having the other
// core; when the writer ends during that batch, the other workers join it
// at once rather than at the next batch. Here the first read model cannot
// finish until the second has started beside it.
func TestReplayAllWorkersJoinAFollowedBatchWhenTheWriterEnds(t *testing.T) {
	t.Parallel()
	log := &growingLog{}
	for i := range 20 {
		id := fmt.Sprintf("c%03d", i)
		log.add(complaintEvent(t, id, 0, event.Position(i+1), complaint.Registered{ComplaintID: id, Project: "p1", District: "d1", Description: "电梯异响", At: t0}))
	}
	written := make(chan struct{})
	beside := make(chan struct{})
	var besideOnce, writtenOnce sync.Once
	waiting := &hook{name: "waiting", apply: func() error {
		writtenOnce.Do(func() { close(written) }) // the writer ends while this batch is folded
		select {
		case <-beside:
			return nil
		case <-time.After(10 * time.Second):
			return errors.New("folded alone: no worker joined the batch when the writer ended")
		}
	}}
	other := &hook{name: "other", apply: func() error {
		besideOnce.Do(func() { close(beside) })
		return nil
	}}
	_, err := projections.ReplayAll(t.Context(), log, newMemStore(), []projections.Projection{waiting, other},
		projections.ReplayOptions{Batch: 20, Workers: 2, Follow: written})
	if err != nil {
		t.Fatal(err)
	}
}

// hook is a read model that runs apply for every event and writes nothing.
type hook struct {
	name  string
	apply func() error
}

func (h *hook) Name() string { return h.name }
func (h *hook) Schema() projections.Schema {
	return projections.Schema{Name: h.name, Fields: map[string]projections.FieldKind{"id": projections.Keyword}}
}
func (h *hook) Apply(context.Context, event.Recorded, *projections.Docs) error { return h.apply() }
