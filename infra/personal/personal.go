// Package personal seals owners' personal data under each household's own
// data key (AES-256-GCM, standard library) and destroys those keys to
// erase it (PIPL art. 47, R-D3).
//
// A household's data keys live in a KeyStore, each wrapped (encrypted) by
// the master key, DATA/data.key or --data-key: a copy of the key store
// alone reveals nothing. Adapters: Dir (embedded, DATA/keys) and, in
// package eskeys, an Elasticsearch index for several servers. Every
// adapter passes the contract suite in keystoretest.
package personal

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/butler-pm/butler/domain/household"
)

// ErrNoKey is what a KeyStore answers for a key it does not hold: never
// created, or destroyed.
var ErrNoKey = errors.New("personal: no such data key")

// WrappedKey is one data key of a household as a KeyStore holds it: its
// id and the key encrypted by the master key.
type WrappedKey struct {
	ID      string
	Wrapped []byte
	Created time.Time
}

// KeyStore holds households' wrapped data keys. Destroy is final: every
// key the household had is gone for ever, and a key created afterwards
// (a new owner) has a new id.
type KeyStore interface {
	// Create stores a new key of the household.
	Create(ctx context.Context, household string, k WrappedKey) error
	// Key returns one key of the household, or ErrNoKey.
	Key(ctx context.Context, household, id string) (WrappedKey, error)
	// Latest returns the household's newest key; ok is false when it has none.
	Latest(ctx context.Context, household string) (k WrappedKey, ok bool, err error)
	// Destroy deletes every key of the household.
	Destroy(ctx context.Context, household string) error
}

// Sealer seals and opens households' personal data; it is what the
// command side (Seal, Open to compare, Destroy to erase) and the read side
// (Open) use.
type Sealer struct {
	keys   KeyStore
	master cipher.AEAD
	rand   io.Reader
	now    func() time.Time
	// mu serialises key creation, so one process gives a household one key.
	mu sync.Mutex
}

// Option configures NewSealer.
type Option func(*Sealer)

// WithRand draws keys, key ids and nonces from r instead of crypto/rand:
// for the demo, whose runs must give the same events byte for byte. Never
// in production: whoever knows r's seed can read the data.
func WithRand(r io.Reader) Option { return func(s *Sealer) { s.rand = &lockedReader{r: r} } }

// lockedReader lets concurrent seals share a generator that is not safe
// for concurrent use.
type lockedReader struct {
	mu sync.Mutex
	r  io.Reader
}

func (l *lockedReader) Read(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Read(p)
}

// WithClock stamps keys with now's time (default the wall clock).
func WithClock(now func() time.Time) Option { return func(s *Sealer) { s.now = now } }

// NewSealer seals under keys from ks, each wrapped by master (32 bytes).
func NewSealer(ks KeyStore, master []byte, opts ...Option) (*Sealer, error) {
	if len(master) != 32 {
		return nil, fmt.Errorf("personal: the master key is %d bytes, want 32", len(master))
	}
	aead, err := newGCM(master)
	if err != nil {
		return nil, err
	}
	s := &Sealer{keys: ks, master: aead, rand: rand.Reader, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("personal: %w", err)
	}
	return cipher.NewGCM(block)
}

// Seal encrypts plaintext under the household's newest key (created on
// first use), with the household's stream name as additional data.
func (s *Sealer) Seal(ctx context.Context, stream string, plaintext []byte) (household.Sealed, error) {
	id, key, err := s.current(ctx, stream)
	if err != nil {
		return household.Sealed{}, err
	}
	aead, err := newGCM(key)
	if err != nil {
		return household.Sealed{}, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := io.ReadFull(s.rand, nonce); err != nil {
		return household.Sealed{}, fmt.Errorf("personal: nonce: %w", err)
	}
	return household.Sealed{KeyID: id, Nonce: nonce, Ciphertext: aead.Seal(nil, nonce, plaintext, []byte(stream))}, nil
}

// Open decrypts a value sealed for the household's stream. A destroyed (or
// unknown) key is household.ErrKeyDestroyed: the value is erased.
func (s *Sealer) Open(ctx context.Context, stream string, v household.Sealed) ([]byte, error) {
	wk, err := s.keys.Key(ctx, stream, v.KeyID)
	if errors.Is(err, ErrNoKey) {
		return nil, fmt.Errorf("%w (key %s of %s)", household.ErrKeyDestroyed, v.KeyID, stream)
	}
	if err != nil {
		return nil, fmt.Errorf("personal: key %s of %s: %w", v.KeyID, stream, err)
	}
	key, err := s.unwrap(stream, wk)
	if err != nil {
		return nil, err
	}
	aead, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	if len(v.Nonce) != aead.NonceSize() {
		return nil, fmt.Errorf("personal: %s: a sealed value with a %d-byte nonce", stream, len(v.Nonce))
	}
	out, err := aead.Open(nil, v.Nonce, v.Ciphertext, []byte(stream))
	if err != nil {
		return nil, fmt.Errorf("personal: %s: the sealed value does not open under key %s: %w", stream, v.KeyID, err)
	}
	return out, nil
}

// Destroy makes every value sealed for the household unreadable for ever.
func (s *Sealer) Destroy(ctx context.Context, stream string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.keys.Destroy(ctx, stream)
}

func (s *Sealer) current(ctx context.Context, stream string) (string, []byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	wk, ok, err := s.keys.Latest(ctx, stream)
	if err != nil {
		return "", nil, fmt.Errorf("personal: key of %s: %w", stream, err)
	}
	if ok {
		key, err := s.unwrap(stream, wk)
		return wk.ID, key, err
	}
	var raw [16 + 32]byte
	if _, err := io.ReadFull(s.rand, raw[:]); err != nil {
		return "", nil, fmt.Errorf("personal: new key: %w", err)
	}
	id, key := hex.EncodeToString(raw[:16]), raw[16:]
	nonce := make([]byte, s.master.NonceSize())
	if _, err := io.ReadFull(s.rand, nonce); err != nil {
		return "", nil, fmt.Errorf("personal: new key: %w", err)
	}
	wrapped := append(nonce, s.master.Seal(nil, nonce, key, wrapAD(stream, id))...)
	if err := s.keys.Create(ctx, stream, WrappedKey{ID: id, Wrapped: wrapped, Created: s.now().UTC()}); err != nil {
		return "", nil, fmt.Errorf("personal: storing a key of %s: %w", stream, err)
	}
	return id, key, nil
}

func (s *Sealer) unwrap(stream string, wk WrappedKey) ([]byte, error) {
	n := s.master.NonceSize()
	if len(wk.Wrapped) < n {
		return nil, fmt.Errorf("personal: key %s of %s is damaged", wk.ID, stream)
	}
	key, err := s.master.Open(nil, wk.Wrapped[:n], wk.Wrapped[n:], wrapAD(stream, wk.ID))
	if err != nil {
		return nil, fmt.Errorf("personal: key %s of %s does not unwrap with this master key (is --data-key the one the keys were made with?): %w", wk.ID, stream, err)
	}
	return key, nil
}

// wrapAD binds a wrapped key to its household and id.
func wrapAD(stream, id string) []byte { return []byte(stream + "\x00" + id) }

// LoadOrCreateKey reads the 32-byte master key at path, creating it (mode
// 0600) when it does not exist yet, as the token and audit keys are.
func LoadOrCreateKey(path string) ([]byte, error) {
	key, err := os.ReadFile(path)
	if err == nil {
		if len(key) != 32 {
			return nil, fmt.Errorf("data key %s is %d bytes, want 32", path, len(key))
		}
		return key, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("reading data key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("creating data key directory: %w", err)
	}
	key = make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return LoadOrCreateKey(path) // another process made it first: use theirs
	}
	if err != nil {
		return nil, fmt.Errorf("creating data key: %w", err)
	}
	if _, err := f.Write(key); err != nil {
		f.Close()
		return nil, fmt.Errorf("writing data key: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("syncing data key: %w", err)
	}
	return key, f.Close()
}
