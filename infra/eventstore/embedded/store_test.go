package embedded

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/cockroachdb/pebble/v2/vfs/errorfs"
	"github.com/google/uuid"

	"github.com/butler-pm/butler/domain/event"
)

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func ev(n int) event.Event {
	return event.Event{
		ID:   uuid.NewString(),
		Type: "test.happened.v1",
		Data: json.RawMessage(fmt.Sprintf(`{"n":%d}`, n)),
		Meta: event.Metadata{Actor: event.System, Project: "p", District: "d", OccurredAt: time.Unix(1700000000, int64(n)).UTC()},
	}
}

func open(t testing.TB, dir string, opts ...Option) *Store {
	t.Helper()
	s, err := Open(dir, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// readEverything returns all of $all and checks positions are 1..n.
func readEverything(ctx context.Context, t *testing.T, s *Store) []event.Recorded {
	t.Helper()
	var out []event.Recorded
	for {
		page, err := s.ReadAll(ctx, event.Position(len(out)), event.Forward, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, r := range page {
			if want := event.Position(len(out) + 1); r.Position != want {
				t.Fatalf("position %d where %d was expected: $all has a gap", r.Position, want)
			}
			out = append(out, r)
		}
	}
	head, err := s.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if head != event.Position(len(out)) {
		t.Fatalf("Head = %d but $all holds %d events", head, len(out))
	}
	return out
}

// checkStreams checks every stream's revisions run 0,1,2,… in position order.
func checkStreams(t *testing.T, recs []event.Recorded) {
	t.Helper()
	next := map[string]uint64{}
	for _, r := range recs {
		if r.Revision != next[r.Stream] {
			t.Fatalf("stream %s: revision %d at position %d, want %d", r.Stream, r.Revision, r.Position, next[r.Stream])
		}
		next[r.Stream]++
	}
}

func TestPositionsAreDenseAndClockStampsRecordedTime(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	at := time.Date(2026, 3, 1, 9, 30, 0, 123456789, time.UTC)
	s := open(t, t.TempDir(), WithClock(func() time.Time { return at }))
	if head, _ := s.Head(ctx); head != 0 {
		t.Fatalf("empty store Head = %d", head)
	}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				if _, err := s.Append(ctx, fmt.Sprintf("s-%d", w%3), event.Any(), ev(i), ev(i+1)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	recs := readEverything(ctx, t, s)
	if len(recs) != 8*20*2 {
		t.Fatalf("$all holds %d events, want %d", len(recs), 8*20*2)
	}
	checkStreams(t, recs)
	for _, r := range recs {
		if !r.RecordedAt.Equal(at) {
			t.Fatalf("recorded at %v, want the store clock's %v", r.RecordedAt, at)
		}
	}
}

func TestReopenKeepsEventsAndContinues(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	dir := t.TempDir()
	s := open(t, dir)
	first := []event.Event{ev(1), ev(2), ev(3)}
	if _, err := s.Append(ctx, "complaint-1", event.NoStream(), first...); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Append(ctx, "complaint-2", event.NoStream(), ev(4)); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Append(ctx, "complaint-1", event.Any(), ev(5)); !errors.Is(err, ErrClosed) {
		t.Errorf("append after Close: %v, want ErrClosed", err)
	}
	if _, err := s.ReadAll(ctx, 0, event.Forward, 10); !errors.Is(err, ErrClosed) {
		t.Errorf("read after Close: %v, want ErrClosed", err)
	}

	s = open(t, dir)
	recs, err := s.ReadStream(ctx, "complaint-1", 0, event.Forward, 10)
	if err != nil || len(recs) != 3 {
		t.Fatalf("after reopen: %d events, err %v; want 3", len(recs), err)
	}
	for i, r := range recs {
		if r.ID != first[i].ID || string(r.Data) != string(first[i].Data) || !r.Meta.OccurredAt.Equal(first[i].Meta.OccurredAt) {
			t.Errorf("event %d after reopen = %+v, want %+v", i, r, first[i])
		}
	}
	// The stream head and the global position both continue where they were.
	if _, err := s.Append(ctx, "complaint-1", event.Exact(1), ev(6)); !errors.Is(err, event.ErrConflict) {
		t.Errorf("stale expected revision after reopen: %v, want conflict", err)
	}
	res, err := s.Append(ctx, "complaint-1", event.Exact(2), ev(7))
	if err != nil {
		t.Fatal(err)
	}
	if res.NextRevision != 3 || res.Position != 5 {
		t.Errorf("append after reopen = %+v, want revision 3 at position 5", res)
	}
	checkStreams(t, readEverything(ctx, t, s))
}

// TestPowerLossKeepsAcknowledgedAppends simulates losing power: the clone of
// the file system keeps only what was fsynced. Every append acknowledged
// before the crash must be there, exactly once, with gap-free positions.
func TestPowerLossKeepsAcknowledgedAppends(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	fs := vfs.NewCrashableMem()
	s := open(t, "db", withFS(fs))

	type ack struct {
		ids []string
		res event.AppendResult
	}
	var mu sync.Mutex
	var acked []ack
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			exp := event.NoStream()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				es := []event.Event{ev(i)}
				if i%4 == 0 {
					es = append(es, ev(i), ev(i))
				}
				res, err := s.Append(ctx, fmt.Sprintf("stream-%d", w), exp, es...)
				if err != nil {
					t.Error(err)
					return
				}
				exp = event.Exact(res.NextRevision)
				a := ack{res: res}
				for _, e := range es {
					a.ids = append(a.ids, e.ID)
				}
				mu.Lock()
				acked = append(acked, a)
				mu.Unlock()
			}
		}()
	}
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 300 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	mu.Lock()
	before := append([]ack(nil), acked...)
	mu.Unlock()
	crashed := fs.CrashClone(vfs.CrashCloneCfg{})
	close(stop)
	wg.Wait()

	r := open(t, "db", withFS(crashed))
	recs := readEverything(ctx, t, r)
	checkStreams(t, recs)
	byID := map[string]event.Recorded{}
	for _, rec := range recs {
		if _, dup := byID[rec.ID]; dup {
			t.Fatalf("event %s stored twice", rec.ID)
		}
		byID[rec.ID] = rec
	}
	for _, a := range before {
		for i, id := range a.ids {
			rec, ok := byID[id]
			if !ok {
				t.Fatalf("acknowledged event %s lost in the crash (%d of %d events survived)", id, len(recs), len(before))
			}
			if want := a.res.Position - event.Position(len(a.ids)-1-i); rec.Position != want {
				t.Fatalf("event %s at position %d, acknowledged at %d", id, rec.Position, want)
			}
		}
	}
}

// newestWAL returns the path of the highest-numbered write-ahead log file.
func newestWAL(t *testing.T, dir string) string {
	t.Helper()
	logs, err := filepath.Glob(filepath.Join(dir, "*.log"))
	if err != nil || len(logs) == 0 {
		t.Fatalf("no WAL in %s (%v)", dir, err)
	}
	sort.Strings(logs)
	return logs[len(logs)-1]
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// TestTornTailIsRepaired cuts the newest WAL in the middle of its last
// record, as a crash during an (unacknowledged) write would, and checks the
// store reopens with everything before it and carries on gap-free.
func TestTornTailIsRepaired(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	for _, tc := range []struct {
		name string
		tear func(t *testing.T, wal string, cleanSize int64)
		// lastKept: whether the final append survives.
		lastKept bool
	}{
		{"truncated mid-record", func(t *testing.T, wal string, cleanSize int64) {
			if err := os.Truncate(wal, cleanSize+(fileSize(t, wal)-cleanSize)/2); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"garbage after last record", func(t *testing.T, wal string, _ int64) {
			f, err := os.OpenFile(wal, os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := f.Write([]byte("\x17\x00torn half-written record \xde\xad\xbe\xef")); err != nil {
				t.Fatal(err)
			}
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			s, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			for i := range 20 {
				if _, err := s.Append(ctx, fmt.Sprintf("s-%d", i%3), event.Any(), ev(i)); err != nil {
					t.Fatal(err)
				}
			}
			wal := newestWAL(t, dir)
			clean := fileSize(t, wal)
			last := []event.Event{ev(100), ev(101), ev(102)}
			if _, err := s.Append(ctx, "s-last", event.NoStream(), last...); err != nil {
				t.Fatal(err)
			}
			if fileSize(t, wal) <= clean {
				t.Fatalf("last append did not grow the WAL %s", wal)
			}
			// Close does not flush the memtable, so the WAL is the only copy
			// of these events, as after a crash.
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			tc.tear(t, wal, clean)

			s = open(t, dir)
			recs := readEverything(ctx, t, s)
			checkStreams(t, recs)
			want := 20
			if tc.lastKept {
				want = 23
			}
			if len(recs) != want {
				t.Fatalf("after repair $all holds %d events, want %d", len(recs), want)
			}
			_, err = s.ReadStream(ctx, "s-last", 0, event.Forward, 10)
			if tc.lastKept != (err == nil) {
				t.Errorf("torn batch: read err %v, want kept=%v (all or nothing)", err, tc.lastKept)
			}
			res, err := s.Append(ctx, "s-0", event.Any(), ev(200))
			if err != nil {
				t.Fatal(err)
			}
			if res.Position != event.Position(want+1) {
				t.Errorf("append after repair at position %d, want %d", res.Position, want+1)
			}
		})
	}
}

// TestWriteFailureFailsAppendCleanly makes the disk refuse WAL writes, as a
// full disk would: the append fails with ErrStorage, readers never see it,
// the store refuses further appends, and the data reopens intact.
func TestWriteFailureFailsAppendCleanly(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	dir := t.TempDir()
	var broken errorfs.Toggle
	inj := errorfs.InjectorFunc(func(op errorfs.Op) error {
		if strings.HasSuffix(op.Path, ".log") && op.Kind.ReadOrWrite() == errorfs.OpIsWrite {
			return broken.MaybeError(op)
		}
		return nil
	})
	broken.Injector = errorfs.InjectorFunc(func(errorfs.Op) error { return errors.New("no space left on device") })
	// The engine logs the injected failure loudly; keep test output clean.
	quietLog := slog.New(slog.NewTextHandler(io.Discard, nil))
	s, err := Open(dir, withFS(errorfs.Wrap(vfs.Default, inj)), WithLogger(quietLog))
	if err != nil {
		t.Fatal(err)
	}
	good := ev(1)
	if _, err := s.Append(ctx, "s", event.NoStream(), good); err != nil {
		t.Fatal(err)
	}
	sub, err := s.SubscribeAll(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()

	broken.On()
	_, err = s.Append(ctx, "s", event.Exact(0), ev(2))
	if !errors.Is(err, ErrStorage) {
		t.Fatalf("append on a failing disk: %v, want ErrStorage", err)
	}
	if head, _ := s.Head(ctx); head != 1 {
		t.Errorf("Head after failed append = %d, want 1", head)
	}
	if recs, err := s.ReadStream(ctx, "s", 0, event.Forward, 10); err != nil || len(recs) != 1 {
		t.Errorf("stream after failed append: %d events (err %v), want 1", len(recs), err)
	}
	if recs, err := s.ReadAll(ctx, 0, event.Forward, 10); err != nil || len(recs) != 1 {
		t.Errorf("$all after failed append: %d events (err %v), want 1", len(recs), err)
	}
	quiet, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if r, err := sub.Next(quiet); err == nil {
		t.Errorf("subscription delivered %s@%d whose append failed", r.ID, r.Position)
	}
	broken.Off()
	if _, err := s.Append(ctx, "other", event.Any(), ev(3)); !errors.Is(err, ErrStorage) {
		t.Errorf("append after a failed write: %v, want ErrStorage until reopened", err)
	}
	_ = s.Close() // may report the failed log

	s = open(t, dir)
	recs := readEverything(ctx, t, s)
	checkStreams(t, recs)
	if len(recs) == 0 || recs[0].ID != good.ID {
		t.Fatalf("after reopen $all = %+v, want the acknowledged event first", recs)
	}
	if _, err := s.Append(ctx, "s", event.Any(), ev(4)); err != nil {
		t.Errorf("append after reopen: %v", err)
	}
}

func TestAppendRejectsEmptyInput(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	s := open(t, t.TempDir())
	if _, err := s.Append(ctx, "", event.Any(), ev(1)); err == nil {
		t.Error("append to an empty stream name succeeded")
	}
	if _, err := s.Append(ctx, "s", event.Any()); err == nil {
		t.Error("append of no events succeeded")
	}
	if head, _ := s.Head(ctx); head != 0 {
		t.Errorf("Head = %d after rejected appends", head)
	}
}

// A store opened WithoutSync keeps what it acknowledged once closed: Close
// makes the unsynced appends durable, and a reopened store reads them.
func TestWithoutSyncKeepsEverythingOnceClosed(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	dir := t.TempDir()
	s, err := Open(dir, WithoutSync(), WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 50; i++ {
		if _, err := s.Append(ctx, fmt.Sprintf("complaint-%d", i%5), event.Any(), ev(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open(t, dir)
	recs, err := s.ReadAll(ctx, 0, event.Forward, 100)
	if err != nil || len(recs) != 50 {
		t.Fatalf("after reopen: %d events, err %v; want 50", len(recs), err)
	}
}

// A command holding a stream's events asks for those after them; the
// store answers that from its cache of stream heads when it can. Whatever
// answers, every acknowledged append must be seen, by concurrent readers
// too, and a stream read past its end still exists.
func TestReadsPastAStreamsEndSeeEveryAppend(t *testing.T) {
	ctx := testCtx(t)
	dir := t.TempDir()
	s := open(t, dir)
	const streams, appends = 8, 200
	var wg sync.WaitGroup
	errs := make(chan error, streams)
	for w := range streams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stream := fmt.Sprintf("s-%d", w)
			held := 0
			for i := range appends {
				if _, err := s.Append(ctx, stream, event.Any(), ev(i)); err != nil {
					errs <- err
					return
				}
				// Read after what is held, as the command cache does: the
				// append just acknowledged must be there.
				got, err := s.ReadStream(ctx, stream, uint64(held), event.Forward, 100)
				if err != nil {
					errs <- err
					return
				}
				if len(got) != 1 || got[0].Revision != uint64(held) {
					errs <- fmt.Errorf("%s: read from %d after append %d gave %d events", stream, held, i, len(got))
					return
				}
				held++
				past, err := s.ReadStream(ctx, stream, uint64(held), event.Forward, 100)
				if err != nil || len(past) != 0 {
					errs <- fmt.Errorf("%s: read past the end (%d): %d events, err %v", stream, held, len(past), err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	// A reopened store knows no heads yet: the same reads come from disk.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open(t, dir)
	if past, err := s.ReadStream(ctx, "s-0", appends, event.Forward, 100); err != nil || len(past) != 0 {
		t.Fatalf("reopened, read past the end: %d events, err %v", len(past), err)
	}
	if _, err := s.ReadStream(ctx, "s-none", 5, event.Forward, 100); !errors.Is(err, event.ErrStreamNotFound) {
		t.Fatalf("a stream never written, read from 5: err %v, want not found", err)
	}
	if all, err := s.ReadStream(ctx, "s-7", 0, event.Forward, 1000); err != nil || len(all) != appends {
		t.Fatalf("reopened, whole stream: %d events, err %v", len(all), err)
	}
}
