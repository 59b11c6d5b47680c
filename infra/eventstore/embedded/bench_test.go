package embedded

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/audit"
)

// BenchmarkAppend measures durable (fsynced) single-event appends with 1, 8
// and 64 concurrent writers, each on its own stream with an exact expected
// revision, as command handlers append.
func BenchmarkAppend(b *testing.B) {
	for _, writers := range []int{1, 8, 64} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) { benchAppend(b, writers, false) })
	}
	// As a server runs: the verifiable log follows the store, hashes each
	// event and signs checkpoints meanwhile.
	b.Run("writers=64/audited", func(b *testing.B) { benchAppend(b, 64, true) })
}

func benchAppend(b *testing.B, writers int, audited bool) {
	s, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if audited {
		_, key, _ := ed25519.GenerateKey(rand.Reader)
		log, err := audit.Open(ctx, s, audit.Options{Dir: b.TempDir(), Signer: audit.NewSigner(key)})
		if err != nil {
			b.Fatal(err)
		}
		runCtx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); _ = log.Run(runCtx) }()
		defer func() { cancel(); <-done; _ = log.Close() }()
	}
	var left atomic.Int64
	left.Store(int64(b.N))
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			exp := event.NoStream()
			for i := 0; left.Add(-1) >= 0; i++ {
				res, err := s.Append(ctx, fmt.Sprintf("bench-%d", w), exp, ev(i))
				if err != nil {
					b.Error(err)
					return
				}
				exp = event.Exact(res.NextRevision)
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
}
