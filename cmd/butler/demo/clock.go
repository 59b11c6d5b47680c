// Package demo generates a compound's operations (片区管家 demo data) through
// the real command handlers, so every event obeys the domain rules: staff,
// rainy days, complaints and repairs over a number of months, with Chinese
// names and descriptions and a satisfaction that drifts month by month.
//
// Generation is deterministic for a seed and an end date: the clock is
// moved by the generator, ids come from a seeded generator (in UUIDv7
// layout), and the event store records the simulated time.
package demo

import (
	"encoding/binary"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/infra/personal"
)

// Clock is the simulated time the generator moves. The embedded store's
// writer goroutine reads it too, hence the lock.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the simulated time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock; it never goes backwards, so $all stays in time order.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	if t.After(c.t) {
		c.t = t
	}
	c.mu.Unlock()
}

// NewIDs returns an id generator seeded with seed: UUIDv7 layout (the
// clock's millisecond timestamp, version and variant bits), random bits
// from a seeded PCG, so the same seed and clock give the same ids.
func NewIDs(seed uint64, clock commands.Clock) commands.IDGenerator {
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	return func() (string, error) {
		mu.Lock()
		defer mu.Unlock()
		var u uuid.UUID
		ms := uint64(clock.Now().UnixMilli())
		u[0], u[1], u[2], u[3], u[4], u[5] = byte(ms>>40), byte(ms>>32), byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms)
		binary.BigEndian.PutUint16(u[6:8], uint16(rng.Uint32()))
		binary.BigEndian.PutUint64(u[8:16], rng.Uint64())
		u[6] = (u[6] & 0x0f) | 0x70 // version 7
		u[8] = (u[8] & 0x3f) | 0x80 // RFC 9562 variant
		return u.String(), nil
	}
}

// NewHandlers builds the command handlers the generator uses on store,
// with the given clock, id generator and households' keys: the program's
// own handlers, reading through a stream cache as the server's do. keys nil seals under keys kept in memory (DemoKeys with a
// seed of 0): for a generation whose personal data is not read back.
func NewHandlers(store commands.EventStore, clock commands.Clock, ids commands.IDGenerator, keys commands.PersonalKeys) *commands.Handlers {
	if keys == nil {
		k, err := DemoKeys(personal.NewMemory(), make([]byte, 32), 0, clock)
		if err == nil {
			keys = k
		}
	}
	return commands.NewHandlers(commands.CachedStreams(store, 20_000), clock, ids, keys)
}

// DemoKeys seals the demo's households' contacts under keys in ks wrapped
// by master, drawing the keys, their ids and every nonce from a generator
// seeded with seed: two runs with one seed record the same sealed bytes,
// so the demo stays deterministic byte for byte. Anyone who knows the seed
// can rebuild the keys: demo data only, never an owner's.
func DemoKeys(ks personal.KeyStore, master []byte, seed uint64, clock commands.Clock) (*personal.Sealer, error) {
	var s [32]byte
	binary.BigEndian.PutUint64(s[:], seed)
	copy(s[8:], "butler demo data keys")
	return personal.NewSealer(ks, master, personal.WithRand(rand.NewChaCha8(s)), personal.WithClock(clock.Now))
}
