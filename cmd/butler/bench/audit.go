package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/audit"
	"github.com/butler-pm/butler/infra/eventstore"
)

// auditVerify measures `butler audit verify` on the data set: every event
// read, hashed into the tree, every checkpoint and revision checked.
func auditVerify(ctx context.Context, events eventstore.Store, dataDir string) (eps float64, err error) {
	key, err := audit.LoadOrCreateKey(filepath.Join(dataDir, "audit.key"))
	if err != nil {
		return 0, err
	}
	pub := audit.NewSigner(key).Public()
	k, _ := pub.Key()
	rep, err := audit.Verify(ctx, events, audit.VerifyOptions{Keys: audit.NewKeys(k)})
	if err != nil {
		return 0, err
	}
	if !rep.OK() {
		return 0, fmt.Errorf("audit verify failed on the data set: %v", rep.Problems)
	}
	return float64(rep.Events) / rep.Elapsed.Seconds(), nil
}

// auditProofs builds the tree the server keeps (in the data directory, so
// the serving phase starts with it), signs a checkpoint, and measures what
// GET /api/v1/<records>/{id}/proof does for n records picked at random:
// read the record's stream, prove each event against the checkpoint,
// encode the answer (HTTP and the token check are not included).
func auditProofs(ctx context.Context, events eventstore.Store, dataDir string, n int) ([]time.Duration, error) {
	key, err := audit.LoadOrCreateKey(filepath.Join(dataDir, "audit.key"))
	if err != nil {
		return nil, err
	}
	log, err := audit.Open(ctx, events, audit.Options{Dir: filepath.Join(dataDir, "audit"), Signer: audit.NewSigner(key)})
	if err != nil {
		return nil, err
	}
	defer log.Close()
	if err := log.CatchUp(ctx); err != nil {
		return nil, err
	}
	if _, err := log.SignNow(ctx); err != nil {
		return nil, err
	}
	if err := log.CatchUp(ctx); err != nil {
		return nil, err
	}
	streams, err := sampleStreams(ctx, events, n)
	if err != nil {
		return nil, err
	}
	lat := make([]time.Duration, 0, len(streams))
	for _, s := range streams {
		start := time.Now()
		all, err := event.ReadStreamWhole(ctx, events, s, 1000)
		if err != nil {
			return nil, err
		}
		p, err := log.ProveRecord(all)
		if err != nil {
			return nil, fmt.Errorf("proving %s: %w", s, err)
		}
		if _, err := json.Marshal(p); err != nil {
			return nil, err
		}
		lat = append(lat, time.Since(start))
	}
	return lat, nil
}

// sampleStreams picks n streams of the log at random (reservoir sampling
// over $all, with a fixed seed).
func sampleStreams(ctx context.Context, events eventstore.Store, n int) ([]string, error) {
	rng := rand.New(rand.NewPCG(7, 7))
	var out []string
	seen := 0
	err := event.ScanAll(ctx, events, 0, 4096, func(page []event.Recorded) error {
		for _, e := range page {
			if e.Revision != 0 || e.Stream == audit.CheckpointStream {
				continue
			}
			seen++
			if len(out) < n {
				out = append(out, e.Stream)
			} else if j := rng.IntN(seen); j < n {
				out[j] = e.Stream
			}
		}
		return nil
	})
	return out, err
}
