package migrate_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/audit"
	"github.com/butler-pm/butler/infra/eventstore/embedded"
	"github.com/butler-pm/butler/infra/eventstore/esdb"
	"github.com/butler-pm/butler/infra/eventstore/esdbserver"
	"github.com/butler-pm/butler/infra/eventstore/migrate"
)

func openEmbedded(t testing.TB, dir string) *embedded.Store {
	s, err := embedded.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func openESDB(t testing.TB) *esdb.Store {
	backend := openEmbedded(t, t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := esdbserver.Start(ctx, backend, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s, err := esdb.Open(ctx, srv.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(); srv.Stop(); cancel() })
	return s
}

// fill writes n events over streams of a few events each, interleaved as
// commands interleave, and a signed checkpoint of them.
func fill(t testing.TB, s *embedded.Store, n int) {
	ctx := context.Background()
	for i := 0; i < n; i++ {
		e := event.Event{ID: uuid.NewString(), Type: "test.happened.v1", Data: json.RawMessage(fmt.Sprintf(`{"n":%d,"note":"漏水<&>"}`, i)),
			Meta: event.Metadata{Actor: event.Actor{StaffID: "b-001", Role: "butler"}, Project: "p1", District: "d1",
				OccurredAt: time.Date(2026, 11, 29, 9, 0, 0, i, time.FixedZone("CST", 8*3600)), CorrelationID: "c", CausationID: "c"}}
		if _, err := s.Append(ctx, fmt.Sprintf("complaint-%d", i%37), event.Any(), e); err != nil {
			t.Fatal(err)
		}
	}
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	log, err := audit.Open(ctx, s, audit.Options{Signer: audit.NewSigner(key)})
	if err != nil {
		t.Fatal(err)
	}
	if err := log.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if signed, err := log.SignNow(ctx); err != nil || !signed {
		t.Fatalf("signing: %v %v", signed, err)
	}
}

// stopAfter cancels the migration once the target has n events.
type stopAfter struct {
	migrate.Store
	n      int
	seen   int
	cancel func()
}

func (s *stopAfter) Append(ctx context.Context, stream string, expected event.ExpectedRevision, events ...event.Event) (event.AppendResult, error) {
	s.seen += len(events)
	if s.seen > s.n {
		s.cancel()
	}
	return s.Store.Append(ctx, stream, expected, events...)
}

func TestEmbeddedToEventStoreDBAndBack(t *testing.T) {
	src := openEmbedded(t, t.TempDir())
	fill(t, src, 3000)
	mid := openESDB(t)

	// Interrupted half-way, then run again: it continues where it stopped.
	ctx, cancel := context.WithCancel(context.Background())
	_, err := migrate.Run(ctx, src, &stopAfter{Store: mid, n: 1200, cancel: cancel}, nil)
	if err == nil {
		t.Fatal("the interrupted migration reported success")
	}
	rep, err := migrate.Run(context.Background(), src, mid, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Events != 3001 || rep.Kept < 1200 || rep.Kept+rep.Copied != 3001 || rep.SourceHead != rep.TargetHead {
		t.Fatalf("resumed migration: %+v", rep)
	}

	back := openEmbedded(t, t.TempDir())
	rep2, err := migrate.Run(context.Background(), mid, back, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep2.TargetHead != rep.SourceHead {
		t.Fatalf("round trip: tree head %s, the original's %s", rep2.TargetHead, rep.SourceHead)
	}
	// Event by event: ids, types, data, metadata and revisions survive;
	// the checkpoint signed on the original still verifies on the copy.
	a, _ := src.ReadAll(context.Background(), 0, event.Forward, 4000)
	b, _ := back.ReadAll(context.Background(), 0, event.Forward, 4000)
	for i := range a {
		if a[i].ID != b[i].ID || a[i].Stream != b[i].Stream || a[i].Revision != b[i].Revision || string(a[i].Data) != string(b[i].Data) ||
			a[i].Meta.Actor != b[i].Meta.Actor || !a[i].Meta.OccurredAt.Equal(b[i].Meta.OccurredAt) || a[i].Meta.CausationID != b[i].Meta.CausationID {
			t.Fatalf("event %d differs after the round trip:\n%+v\n%+v", i, a[i], b[i])
		}
	}
	// Running it again copies nothing.
	again, err := migrate.Run(context.Background(), src, back, nil)
	if err != nil || again.Copied != 0 {
		t.Fatalf("a finished migration run again: %+v %v", again, err)
	}
}

func TestATargetThatIsNotACopyIsRefused(t *testing.T) {
	src := openEmbedded(t, t.TempDir())
	fill(t, src, 50)
	other := openEmbedded(t, filepath.Join(t.TempDir(), "other"))
	fill(t, other, 10)
	if _, err := migrate.Run(context.Background(), src, other, nil); !errors.Is(err, migrate.ErrDiverged) {
		t.Fatalf("migration into another log: %v", err)
	}
}

// BenchmarkEmbeddedToEmbedded: the copy's throughput (target ≥ 20,000
// events/s), group-committed in $all order.
func BenchmarkEmbeddedToEmbedded(b *testing.B) {
	src := openEmbedded(b, b.TempDir())
	fill(b, src, 100_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dst := openEmbedded(b, b.TempDir())
		b.StartTimer()
		rep, err := migrate.Run(context.Background(), src, dst, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(rep.Copied)/rep.Elapsed.Seconds(), "events/s")
	}
}
