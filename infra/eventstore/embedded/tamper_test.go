package embedded

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cockroachdb/pebble/v2"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/audit"
	"github.com/butler-pm/butler/infra/audit/merkle"
)

// These tests play an insider with disk access: they change the embedded
// store with its own storage library (pebble) while the server is down,
// as someone hiding a change would, and check that `butler audit verify`
// (audit.Verify) catches each change and names the event or position.

// auditRig is a data directory with a log of three streams and signed
// checkpoints, as a server leaves it.
type auditRig struct {
	dir     string
	key     ed25519.PrivateKey
	saved   audit.Checkpoint // the last checkpoint, as an outside auditor saved it
	ids     map[event.Position]string
	streams map[event.Position]string
}

func (r *auditRig) events() string  { return filepath.Join(r.dir, "events") }
func (r *auditRig) derived() string { return filepath.Join(r.dir, "audit") }

func newAuditRig(t *testing.T) *auditRig {
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	r := &auditRig{dir: t.TempDir(), key: key, ids: map[event.Position]string{}, streams: map[event.Position]string{}}
	r.grow(t, 10)
	return r
}

// grow appends n events to each of three streams and signs a checkpoint,
// through the same audit log the server runs.
func (r *auditRig) grow(t *testing.T, n int) {
	t.Helper()
	ctx := testCtx(t)
	s := open(t, r.events())
	for i := 0; i < n; i++ {
		for _, stream := range []string{"complaint-a", "complaint-b", "key-c"} {
			res, err := s.Append(ctx, stream, event.Any(), ev(i))
			if err != nil {
				t.Fatal(err)
			}
			got, _ := s.ReadAll(ctx, res.Position-1, event.Forward, 1)
			r.ids[res.Position], r.streams[res.Position] = got[0].ID, stream
		}
	}
	log, err := audit.Open(ctx, s, audit.Options{Dir: r.derived(), Signer: audit.NewSigner(r.key)})
	if err != nil {
		t.Fatal(err)
	}
	if err := log.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if signed, err := log.SignNow(ctx); err != nil || !signed {
		t.Fatalf("signing: %v %v", signed, err)
	}
	if err := log.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	r.saved, _ = log.Latest()
	if err := log.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func (r *auditRig) verify(t *testing.T, saved ...audit.Checkpoint) audit.Report {
	t.Helper()
	s := open(t, r.events())
	defer s.Close()
	rep, err := audit.Verify(testCtx(t), s, audit.VerifyOptions{Keys: audit.NewKeys(r.key.Public().(ed25519.PublicKey)),
		Saved: saved, DerivedDir: r.derived()})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// insider opens the store's pebble database directly.
func (r *auditRig) insider(t *testing.T, change func(db *pebble.DB)) {
	t.Helper()
	db, err := pebble.Open(r.events(), &pebble.Options{FormatMajorVersion: pebble.FormatNewest})
	if err != nil {
		t.Fatal(err)
	}
	change(db)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

func get(t *testing.T, db *pebble.DB, p event.Position) event.Recorded {
	v, closer, err := db.Get(allKey(p))
	if err != nil {
		t.Fatal(err)
	}
	defer closer.Close()
	rec, err := decodeRecord(p, v)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// put writes a well-formed record, as the store itself would.
func put(t *testing.T, b *pebble.Batch, p event.Position, rec event.Recorded) {
	body, err := encodeBody(rec.Event)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Set(allKey(p), appendRecord(nil, rec.Stream, rec.Revision, rec.RecordedAt.UnixNano(), body), nil); err != nil {
		t.Fatal(err)
	}
}

func commit(t *testing.T, b *pebble.Batch) {
	if err := b.Commit(pebble.Sync); err != nil {
		t.Fatal(err)
	}
}

func wantProblem(t *testing.T, rep audit.Report, words ...string) {
	t.Helper()
	if rep.OK() {
		t.Fatalf("verification passed a changed log: %+v", rep)
	}
	all := fmt.Sprint(rep.Problems)
	for _, w := range words {
		if !strings.Contains(all, w) {
			t.Errorf("problems do not mention %q:\n%s", w, all)
		}
	}
}

func TestAuditVerifyPassesAnUntouchedLog(t *testing.T) {
	r := newAuditRig(t)
	r.grow(t, 5)
	rep := r.verify(t, r.saved)
	if !rep.OK() || rep.Events != 47 || rep.Checkpoints != 2 || rep.SavedChecked != 1 || rep.Streams != 4 {
		t.Fatalf("report %+v", rep)
	}
}

func TestAuditVerifyCatchesAnEventRewritten(t *testing.T) {
	r := newAuditRig(t)
	r.insider(t, func(db *pebble.DB) {
		rec := get(t, db, 7)
		rec.Data = json.RawMessage(`{"n":999}`)
		b := db.NewBatch()
		put(t, b, 7, rec)
		commit(t, b)
	})
	rep := r.verify(t)
	wantProblem(t, rep, r.ids[7], "was changed", "are not those the checkpoint signed")
}

func TestAuditVerifyCatchesAnEventDeleted(t *testing.T) {
	r := newAuditRig(t)
	r.insider(t, func(db *pebble.DB) {
		rec := get(t, db, 11)
		b := db.NewBatch()
		_ = b.Delete(allKey(11), nil)
		_ = b.Delete(streamKey(streamPrefix(rec.Stream), rec.Revision), nil)
		commit(t, b)
	})
	rep := r.verify(t)
	// The next event of the same stream follows a gap; the derived tree
	// names the place where the event was.
	wantProblem(t, rep, r.ids[14], "an event is missing", "position 11", "checkpoint signed at")
}

func TestAuditVerifyCatchesTwoEventsSwapped(t *testing.T) {
	r := newAuditRig(t)
	r.insider(t, func(db *pebble.DB) {
		a, c := get(t, db, 4), get(t, db, 5)
		b := db.NewBatch()
		put(t, b, 4, c)
		put(t, b, 5, a)
		commit(t, b)
	})
	rep := r.verify(t)
	wantProblem(t, rep, r.ids[5], "are not those the checkpoint signed")
}

// cut drops the log from position from on, as an insider hiding the last
// events (checkpoints included) would, and the derived tree with it.
func (r *auditRig) cut(t *testing.T, from event.Position) {
	r.insider(t, func(db *pebble.DB) {
		v, closer, err := db.Get(keyLast)
		if err != nil {
			t.Fatal(err)
		}
		last := event.Position(binary.BigEndian.Uint64(v))
		closer.Close()
		b := db.NewBatch()
		for p := from; p <= last; p++ {
			rec := get(t, db, p)
			_ = b.Delete(allKey(p), nil)
			_ = b.Delete(streamKey(streamPrefix(rec.Stream), rec.Revision), nil)
		}
		_ = b.Set(keyLast, binary.BigEndian.AppendUint64(nil, uint64(from-1)), nil)
		commit(t, b)
	})
}

func TestAuditVerifyCatchesTheTailCut(t *testing.T) {
	r := newAuditRig(t)
	first := r.saved
	r.grow(t, 4)
	r.cut(t, 32) // keeps the 30 events and the first checkpoint

	// The derived tree, left in place, still knows the log was longer.
	wantProblem(t, r.verify(t), "holds 44 events, the log only 31")

	// Without it the shorter log is consistent in itself: only a
	// checkpoint saved outside catches the cut.
	if err := os.RemoveAll(r.derived()); err != nil {
		t.Fatal(err)
	}
	if rep := r.verify(t, first); !rep.OK() {
		t.Fatalf("the log's first 31 events are intact, yet: %v", rep.Problems)
	}
	wantProblem(t, r.verify(t, r.saved), "the log has 31 events, fewer than the 43")
}

func TestAuditVerifyCatchesAnOlderCopyPutBack(t *testing.T) {
	r := newAuditRig(t)
	old := t.TempDir()
	if err := os.CopyFS(old, os.DirFS(r.dir)); err != nil {
		t.Fatal(err)
	}
	r.grow(t, 2)
	later := r.saved
	if err := os.RemoveAll(r.dir); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(r.dir, os.DirFS(old)); err != nil {
		t.Fatal(err)
	}
	if rep := r.verify(t); !rep.OK() {
		t.Fatalf("the old copy is consistent in itself, yet: %v", rep.Problems)
	}
	wantProblem(t, r.verify(t, later), "fewer than the 37", "put back to an older copy")
}

func TestAuditVerifyCatchesHistoryRewrittenAndResigned(t *testing.T) {
	r := newAuditRig(t)
	saved := r.saved
	// The insider has the signing key too: they change an event, drop the
	// derived tree and sign the checkpoint again over the changed log.
	r.insider(t, func(db *pebble.DB) {
		rec := get(t, db, 2)
		rec.Data = json.RawMessage(`{"n":-1}`)
		b := db.NewBatch()
		put(t, b, 2, rec)
		commit(t, b)
	})
	if err := os.RemoveAll(r.derived()); err != nil {
		t.Fatal(err)
	}
	s := open(t, r.events())
	all, _ := s.ReadAll(testCtx(t), 0, event.Forward, 100)
	s.Close()
	var tree merkle.Tree
	for _, e := range all[:30] {
		tree.Append(audit.LeafOf(e))
	}
	root, _ := tree.Root(30)
	c := audit.NewSigner(r.key).Sign(30, root, saved.Time)
	r.insider(t, func(db *pebble.DB) {
		rec := get(t, db, 31)
		rec.Data, _ = json.Marshal(c)
		b := db.NewBatch()
		put(t, b, 31, rec)
		commit(t, b)
	})
	if rep := r.verify(t); !rep.OK() {
		t.Fatalf("the re-signed log is consistent in itself, yet: %v", rep.Problems)
	}
	wantProblem(t, r.verify(t, saved), "history was rewritten")
}
