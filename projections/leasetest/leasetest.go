// Package leasetest is the contract suite every projections.Leases passes.
package leasetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/butler-pm/butler/projections"
)

// Run checks the lease contract. open returns the leases under test; the
// suite uses lease names of its own so it can share a real store.
func Run(t *testing.T, open func(t *testing.T) projections.Leases) {
	ctx := context.Background()
	name := func() string {
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		return "lease-" + hex.EncodeToString(b)
	}
	t.Run("one holder at a time", func(t *testing.T) {
		t.Parallel()
		l, n := open(t), name()
		if ok, err := l.Acquire(ctx, n, "a", time.Minute); err != nil || !ok {
			t.Fatalf("first acquire: %v %v", ok, err)
		}
		if ok, err := l.Acquire(ctx, n, "b", time.Minute); err != nil || ok {
			t.Fatalf("a second holder got a held lease: %v %v", ok, err)
		}
		if ok, err := l.Acquire(ctx, n, "a", time.Minute); err != nil || !ok {
			t.Fatalf("the holder could not renew: %v %v", ok, err)
		}
	})
	t.Run("takeover after expiry", func(t *testing.T) {
		t.Parallel()
		l, n := open(t), name()
		if ok, err := l.Acquire(ctx, n, "a", 300*time.Millisecond); err != nil || !ok {
			t.Fatalf("acquire: %v %v", ok, err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for {
			ok, err := l.Acquire(ctx, n, "b", time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the lease of a dead holder was never taken over")
			}
			time.Sleep(50 * time.Millisecond)
		}
		if ok, _ := l.Acquire(ctx, n, "a", time.Minute); ok {
			t.Fatal("the old holder renewed a lease taken over by another")
		}
	})
	t.Run("release lets another in at once", func(t *testing.T) {
		t.Parallel()
		l, n := open(t), name()
		if ok, err := l.Acquire(ctx, n, "a", time.Minute); err != nil || !ok {
			t.Fatalf("acquire: %v %v", ok, err)
		}
		if err := l.Release(ctx, n, "b"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := l.Acquire(ctx, n, "b", time.Minute); ok {
			t.Fatal("a release by a non-holder freed the lease")
		}
		if err := l.Release(ctx, n, "a"); err != nil {
			t.Fatal(err)
		}
		if ok, err := l.Acquire(ctx, n, "b", time.Minute); err != nil || !ok {
			t.Fatalf("acquire after release: %v %v", ok, err)
		}
	})
	t.Run("racing acquirers: exactly one wins", func(t *testing.T) {
		t.Parallel()
		l, n := open(t), name()
		results := make(chan bool, 8)
		for i := 0; i < 8; i++ {
			go func() {
				ok, err := l.Acquire(ctx, n, "h"+string(rune('0'+i)), time.Minute)
				if err != nil {
					t.Error(err)
				}
				results <- ok
			}()
		}
		won := 0
		for i := 0; i < 8; i++ {
			if <-results {
				won++
			}
		}
		if won != 1 {
			t.Fatalf("%d holders won one lease", won)
		}
	})
}
