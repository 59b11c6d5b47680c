package audit_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/audit"
	"github.com/butler-pm/butler/infra/audit/merkle"
	"github.com/butler-pm/butler/infra/eventstore/embedded"
)

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func newEvent(project string, n int) event.Event {
	id, _ := uuid.NewV7()
	return event.Event{ID: id.String(), Type: "test.happened.v1", Data: json.RawMessage(fmt.Sprintf(`{"n":%d,"note":"<漏水>"}`, n)),
		Meta: event.Metadata{Actor: event.Actor{StaffID: "b-001", Role: "butler"}, Project: project, District: "d1",
			OccurredAt: time.Date(2026, 11, 29, 9, 0, n, 5000, time.FixedZone("CST", 8*3600)), CorrelationID: "c-1"}}
}

type rig struct {
	dir   string
	store *embedded.Store
	key   ed25519.PrivateKey
}

func newRig(t *testing.T) *rig {
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	r := &rig{dir: t.TempDir(), key: key}
	r.reopen(t)
	return r
}

func (r *rig) reopen(t *testing.T) {
	s, err := embedded.Open(filepath.Join(r.dir, "events"))
	if err != nil {
		t.Fatal(err)
	}
	r.store = s
	t.Cleanup(func() { s.Close() })
}

func (r *rig) append(t *testing.T, stream string, events ...event.Event) {
	t.Helper()
	if _, err := r.store.Append(ctxFor(t), stream, event.Any(), events...); err != nil {
		t.Fatal(err)
	}
}

func (r *rig) log(t *testing.T, every uint64) *audit.Log {
	l, err := audit.Open(ctxFor(t), r.store, audit.Options{Dir: filepath.Join(r.dir, "audit"), Signer: audit.NewSigner(r.key),
		Every: every, Interval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func runLog(t *testing.T, l *audit.Log) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Run(ctx) }()
	return func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
		if err := l.Close(); err != nil {
			t.Error(err)
		}
	}
}

// signAll waits until the tree holds every event of the store, signs, and
// returns the checkpoint covering them all.
func signAll(t *testing.T, r *rig, l *audit.Log) audit.Checkpoint {
	t.Helper()
	tail, err := r.store.ReadAll(ctxFor(t), event.End, event.Backward, 10)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.WaitFor(ctxFor(t), tail[0].Position); err != nil {
		t.Fatal(err)
	}
	if _, err := l.SignNow(ctxFor(t)); err != nil {
		t.Fatal(err)
	}
	// Every event but checkpoints is covered (the embedded store's
	// positions count events from 1).
	for _, e := range tail {
		if e.Stream != audit.CheckpointStream {
			return waitCheckpoint(t, l, uint64(e.Position))
		}
	}
	t.Fatal("only checkpoints at the end of the log")
	return audit.Checkpoint{}
}

func waitCheckpoint(t *testing.T, l *audit.Log, size uint64) audit.Checkpoint {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c, ok := l.Latest(); ok && c.TreeSize >= size {
			return c
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no checkpoint of %d events", size)
	return audit.Checkpoint{}
}

func mustRoot(t *testing.T, c audit.Checkpoint) merkle.Hash {
	h, err := c.Root()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func hashes(t *testing.T, hs []string) []merkle.Hash {
	out := make([]merkle.Hash, len(hs))
	for i, s := range hs {
		b, err := hex.DecodeString(s)
		if err != nil || len(b) != 32 {
			t.Fatalf("bad hash %q", s)
		}
		copy(out[i][:], b)
	}
	return out
}

func TestLogSignsEveryNEventsAndProvesThem(t *testing.T) {
	r := newRig(t)
	l := r.log(t, 10)
	stop := runLog(t, l)
	for i := 0; i < 25; i++ {
		r.append(t, fmt.Sprintf("complaint-%d", i%4), newEvent("p1", i))
	}
	c := waitCheckpoint(t, l, 20)
	if err := audit.NewKeys(r.key.Public().(ed25519.PublicKey)).Verify(c); err != nil {
		t.Fatal(err)
	}
	all, _ := r.store.ReadStream(ctxFor(t), "complaint-1", 0, event.Forward, 100)
	for _, e := range all {
		in, err := l.Prove(e, c.TreeSize)
		if e.Position > event.Position(c.TreeSize) {
			continue // after the checkpoint
		}
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(in.Leaf, audit.Canonical(e)) {
			t.Fatal("the proof's leaf is not the event's canonical bytes")
		}
		if err := merkle.VerifyInclusion(merkle.LeafHash(in.Leaf), in.LeafIndex, in.TreeSize, hashes(t, in.AuditPath), mustRoot(t, c)); err != nil {
			t.Fatalf("event %s: %v", e.ID, err)
		}
	}
	rec, err := l.ProveRecord(all)
	if err != nil || len(rec.Events)+len(rec.Pending) != len(all) || len(rec.Events) == 0 {
		t.Fatalf("record proof %+v %v", rec, err)
	}
	stop()
}

func TestLogRestartKeepsCheckpointsAndProvesConsistency(t *testing.T) {
	r := newRig(t)
	l := r.log(t, 5)
	stop := runLog(t, l)
	for i := 0; i < 5; i++ {
		r.append(t, "key-a", newEvent("p1", i))
	}
	first := waitCheckpoint(t, l, 5)
	stop()

	// A restart loads the derived tree and the checkpoints; it signs
	// nothing new until events other than checkpoints arrive.
	l = r.log(t, 5)
	if c, ok := l.Latest(); !ok || c != first {
		t.Fatalf("after restart the latest checkpoint is %+v, want %+v", c, first)
	}
	if signed, err := l.SignNow(ctxFor(t)); err != nil || signed {
		t.Fatalf("signed again with nothing new: %v %v", signed, err)
	}
	stop = runLog(t, l)
	for i := 0; i < 7; i++ {
		r.append(t, "key-b", newEvent("p1", i))
	}
	second := signAll(t, r, l)
	p, err := l.Consistency(first.TreeSize, second.TreeSize)
	if err != nil {
		t.Fatal(err)
	}
	if err := merkle.VerifyConsistency(first.TreeSize, second.TreeSize, mustRoot(t, first), mustRoot(t, second), hashes(t, p.Proof)); err != nil {
		t.Fatal(err)
	}
	stop()
}

func TestLogRebuildsADerivedTreeThatDoesNotMatch(t *testing.T) {
	r := newRig(t)
	l := r.log(t, 3)
	stop := runLog(t, l)
	for i := 0; i < 6; i++ {
		r.append(t, "key-a", newEvent("p1", i))
	}
	c := signAll(t, r, l)
	stop()
	leaves := filepath.Join(r.dir, "audit", "leaves")
	b, err := os.ReadFile(leaves)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-1] ^= 0xff    // the last leaf no longer matches its event
	b = append(b, 1, 2, 3) // and a torn record follows it
	if err := os.WriteFile(leaves, b, 0o600); err != nil {
		t.Fatal(err)
	}
	l = r.log(t, 3)
	stop = runLog(t, l)
	all, _ := r.store.ReadStream(ctxFor(t), "key-a", 0, event.Forward, 100)
	deadline := time.Now().Add(5 * time.Second)
	for _, ok := l.CheckpointAt(c.TreeSize); !ok && time.Now().Before(deadline); _, ok = l.CheckpointAt(c.TreeSize) {
		time.Sleep(5 * time.Millisecond)
	}
	in, err := l.Prove(all[2], c.TreeSize)
	if err != nil {
		t.Fatal(err)
	}
	if err := merkle.VerifyInclusion(merkle.LeafHash(in.Leaf), in.LeafIndex, in.TreeSize, hashes(t, in.AuditPath), mustRoot(t, c)); err != nil {
		t.Fatal(err)
	}
	stop()
}

func TestCanonicalBytesReadBack(t *testing.T) {
	e := event.Recorded{Event: newEvent("p1", 3), Stream: "complaint-x", Revision: 7}
	e.Meta.CausationID = "cause"
	b := audit.Canonical(e)
	got, err := audit.ParseCanonical(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != e.ID || got.Stream != e.Stream || got.Revision != 7 || string(got.Data) != string(e.Data) ||
		got.Meta.Actor != e.Meta.Actor || !got.Meta.OccurredAt.Equal(e.Meta.OccurredAt) || got.Meta.CausationID != "cause" {
		t.Fatalf("read back %+v", got)
	}
	if !strings.Contains(string(b), "2026-11-29T01:00:03.000005Z") {
		t.Fatal("occurred_at is not RFC 3339 in UTC")
	}
	if _, err := audit.ParseCanonical(b[:len(b)-1]); err == nil {
		t.Fatal("a cut encoding was read")
	}
}

func TestBundleVerifiesOfflineAndCatchesChanges(t *testing.T) {
	r := newRig(t)
	l := r.log(t, 4)
	stop := runLog(t, l)
	for i := 0; i < 4; i++ {
		r.append(t, "complaint-a", newEvent("p1", i))
		r.append(t, "complaint-b", newEvent("p2", i))
	}
	signAll(t, r, l)
	var buf bytes.Buffer
	if err := l.Export(ctxFor(t), audit.ExportFilter{Project: "p1", From: time.Now().Add(-time.Hour), To: time.Now()}, &buf); err != nil {
		t.Fatal(err)
	}
	stop()
	read := func() audit.Bundle {
		var b audit.Bundle
		if err := json.Unmarshal(buf.Bytes(), &b); err != nil {
			t.Fatal(err)
		}
		return b
	}
	b := read()
	if len(b.Events) != 4 {
		t.Fatalf("%d events of p1 in the bundle, want 4", len(b.Events))
	}
	for _, e := range b.Events {
		if e.Event.Project != "p1" {
			t.Fatalf("another project's event in the bundle: %+v", e.Event)
		}
	}
	pinned := audit.NewKeys(r.key.Public().(ed25519.PublicKey))
	if rep := audit.VerifyBundle(b, pinned); len(rep.Problems) != 0 || rep.Events != 4 {
		t.Fatalf("untouched bundle: %+v", rep)
	}

	b = read()
	b.Events[1].Event.Data = json.RawMessage(`{"n":42}`)
	if rep := audit.VerifyBundle(b, pinned); len(rep.Problems) != 1 {
		t.Fatalf("shown data changed: %+v", rep)
	}
	b = read()
	e, _ := audit.ParseCanonical(b.Events[2].Leaf)
	e.Data = json.RawMessage(`{"n":42}`)
	b.Events[2].Leaf = audit.Canonical(e)
	b.Events[2].Event = audit.Show(e)
	if rep := audit.VerifyBundle(b, pinned); len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0], "does not verify") {
		t.Fatalf("event changed with its leaf: %+v", rep)
	}
	_, other, _ := ed25519.GenerateKey(rand.Reader)
	b = read()
	if rep := audit.VerifyBundle(b, audit.NewKeys(other.Public().(ed25519.PublicKey))); len(rep.Problems) != 1 {
		t.Fatalf("a bundle signed by another key passed a pinned check: %+v", rep)
	}
}
