package personal

import (
	"context"
	"crypto/rand"
	"sync"
)

// Memory is a KeyStore in memory: for tests and the demo's generation
// without a data directory (bench).
type Memory struct {
	mu   sync.Mutex
	keys map[string][]WrappedKey
}

var _ KeyStore = (*Memory)(nil)

// NewMemory is an empty in-memory key store.
func NewMemory() *Memory { return &Memory{keys: map[string][]WrappedKey{}} }

func (m *Memory) Create(_ context.Context, household string, k WrappedKey) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.keys[household] = append(m.keys[household], k)
	return nil
}

func (m *Memory) Key(_ context.Context, household, id string) (WrappedKey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, k := range m.keys[household] {
		if k.ID == id {
			return k, nil
		}
	}
	return WrappedKey{}, ErrNoKey
}

func (m *Memory) Latest(_ context.Context, household string) (WrappedKey, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ks := m.keys[household]
	if len(ks) == 0 {
		return WrappedKey{}, false, nil
	}
	return ks[len(ks)-1], true, nil
}

func (m *Memory) Destroy(_ context.Context, household string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.keys, household)
	return nil
}

// NewMemorySealer is a Sealer over a fresh in-memory key store with a
// random master key: for tests and benchmarks, whose sealed values need
// not outlive the process.
func NewMemorySealer() *Sealer {
	master := make([]byte, 32)
	if _, err := rand.Read(master); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	s, err := NewSealer(NewMemory(), master)
	if err != nil {
		panic(err)
	}
	return s
}
