package projections

import (
	"context"
	"sync"
	"time"
)

// Leases make sure each projection runs in exactly one process at a time
// when several Butler servers share one event store and one search store.
// The holder renews its lease well before it expires; when it dies, the
// lease expires and another process takes over.
type Leases interface {
	// Acquire takes the lease on name for holder, or renews it if holder
	// already has it, until ttl from now. It returns false when another
	// holder's lease is still valid.
	Acquire(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	// Release gives the lease up if holder has it.
	Release(ctx context.Context, name, holder string) error
}

// LocalLeases are leases inside one process: enough for the embedded
// deployment, where one process owns the data directory.
type LocalLeases struct {
	mu     sync.Mutex
	now    func() time.Time
	leases map[string]localLease
}

type localLease struct {
	holder  string
	expires time.Time
}

// NewLocalLeases returns in-process leases on the given clock (nil: time.Now).
func NewLocalLeases(now func() time.Time) *LocalLeases {
	if now == nil {
		now = time.Now
	}
	return &LocalLeases{now: now, leases: map[string]localLease{}}
}

func (l *LocalLeases) Acquire(_ context.Context, name, holder string, ttl time.Duration) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if cur, ok := l.leases[name]; ok && cur.holder != holder && now.Before(cur.expires) {
		return false, nil
	}
	l.leases[name] = localLease{holder: holder, expires: now.Add(ttl)}
	return true, nil
}

func (l *LocalLeases) Release(_ context.Context, name, holder string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if cur, ok := l.leases[name]; ok && cur.holder == holder {
		delete(l.leases, name)
	}
	return nil
}
