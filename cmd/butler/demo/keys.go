package demo

import (
	"context"
	"sync"

	"github.com/butler-pm/butler/infra/personal"
)

// bufferedKeys keeps the households' keys in memory while the demo
// generates, and writes them to the data directory's key store at the end,
// several at once: each key file is written and synced on its own, and one
// by one they would take a good part of the run. A run cut short leaves no
// keys, as it leaves an event store that is made again.
type bufferedKeys struct {
	*personal.Memory
	mu      sync.Mutex
	created []bufferedKey
}

type bufferedKey struct {
	household string
	key       personal.WrappedKey
}

func newBufferedKeys() *bufferedKeys { return &bufferedKeys{Memory: personal.NewMemory()} }

func (b *bufferedKeys) Create(ctx context.Context, household string, k personal.WrappedKey) error {
	if err := b.Memory.Create(ctx, household, k); err != nil {
		return err
	}
	b.mu.Lock()
	b.created = append(b.created, bufferedKey{household, k})
	b.mu.Unlock()
	return nil
}

// flush writes every key created into dst.
func (b *bufferedKeys) flush(ctx context.Context, dst personal.KeyStore) error {
	b.mu.Lock()
	keys := b.created
	b.created = nil
	b.mu.Unlock()
	const workers = 8
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(keys); i += workers {
				if err := dst.Create(ctx, keys[i].household, keys[i].key); err != nil && errs[w] == nil {
					errs[w] = err
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
