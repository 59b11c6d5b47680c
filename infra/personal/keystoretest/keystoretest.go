// Package keystoretest is the contract suite of personal.KeyStore: every
// adapter (the embedded directory, Elasticsearch) runs Run.
package keystoretest

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/household"
	"github.com/butler-pm/butler/infra/personal"
)

// Run checks a key store made fresh by open for each subtest.
func Run(t *testing.T, open func(t *testing.T) personal.KeyStore) {
	t.Helper()
	seq := 0
	hh := func(unit string) string {
		seq++
		return household.Stream("p1", fmt.Sprintf("%s-%d-%d", unit, time.Now().UnixNano(), seq))
	}
	key := func(id string, at time.Time, b byte) personal.WrappedKey {
		return personal.WrappedKey{ID: id, Wrapped: bytes.Repeat([]byte{b}, 60), Created: at}
	}
	t0 := time.Date(2026, 11, 29, 1, 0, 0, 0, time.UTC)

	t.Run("create, read back, latest is the newest", func(t *testing.T) {
		ks, ctx, h := open(t), t.Context(), hh("3-2-501")
		if _, ok, err := ks.Latest(ctx, h); err != nil || ok {
			t.Fatalf("Latest of a new household = %v, %v; want none", ok, err)
		}
		if err := ks.Create(ctx, h, key("0a", t0, 1)); err != nil {
			t.Fatal(err)
		}
		if err := ks.Create(ctx, h, key("0b", t0.Add(time.Second), 2)); err != nil {
			t.Fatal(err)
		}
		got, err := ks.Key(ctx, h, "0a")
		if err != nil || got.ID != "0a" || !bytes.Equal(got.Wrapped, key("0a", t0, 1).Wrapped) {
			t.Fatalf("Key(0a) = %+v, %v", got, err)
		}
		latest, ok, err := ks.Latest(ctx, h)
		if err != nil || !ok || latest.ID != "0b" || !bytes.Equal(latest.Wrapped, key("0b", t0, 2).Wrapped) {
			t.Fatalf("Latest = %+v, %v, %v; want 0b", latest, ok, err)
		}
		if _, err := ks.Key(ctx, h, "0c"); !errors.Is(err, personal.ErrNoKey) {
			t.Fatalf("Key of an unknown id = %v, want ErrNoKey", err)
		}
	})

	t.Run("destroy is for ever and only for that household", func(t *testing.T) {
		ks, ctx := open(t), t.Context()
		h, other := hh("3-2-502"), hh("3-2-502")
		for _, x := range []string{h, other} {
			if err := ks.Create(ctx, x, key("1a", t0, 3)); err != nil {
				t.Fatal(err)
			}
		}
		if err := ks.Destroy(ctx, h); err != nil {
			t.Fatal(err)
		}
		if _, err := ks.Key(ctx, h, "1a"); !errors.Is(err, personal.ErrNoKey) {
			t.Fatalf("Key after Destroy = %v, want ErrNoKey", err)
		}
		if _, ok, err := ks.Latest(ctx, h); err != nil || ok {
			t.Fatalf("Latest after Destroy = %v, %v; want none", ok, err)
		}
		if _, err := ks.Key(ctx, other, "1a"); err != nil {
			t.Fatalf("another household's key after Destroy: %v", err)
		}
		// A new owner: a new key; the destroyed one stays gone.
		if err := ks.Create(ctx, h, key("1b", t0.Add(time.Minute), 4)); err != nil {
			t.Fatal(err)
		}
		if _, err := ks.Key(ctx, h, "1a"); !errors.Is(err, personal.ErrNoKey) {
			t.Fatalf("a destroyed key came back: %v", err)
		}
		if k, ok, err := ks.Latest(ctx, h); err != nil || !ok || k.ID != "1b" {
			t.Fatalf("Latest after a new key = %+v, %v, %v", k, ok, err)
		}
		if err := ks.Destroy(ctx, hh("never-seen")); err != nil {
			t.Fatalf("Destroy of a household without keys: %v", err)
		}
	})

	t.Run("sealer on the store: seal, open, erase", func(t *testing.T) {
		ks, ctx := open(t), t.Context()
		master := bytes.Repeat([]byte{7}, 32)
		s, err := personal.NewSealer(ks, master)
		if err != nil {
			t.Fatal(err)
		}
		h := hh("3-2-503")
		plain := []byte(`{"owner":"王秀英","phones":["13812345678"]}`)
		v, err := s.Seal(ctx, h, plain)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(v.Ciphertext, []byte("13812345678")) {
			t.Fatal("the sealed value holds the plaintext")
		}
		got, err := s.Open(ctx, h, v)
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("Open = %q, %v", got, err)
		}
		v2, err := s.Seal(ctx, h, plain)
		if err != nil || v2.KeyID != v.KeyID || bytes.Equal(v2.Nonce, v.Nonce) {
			t.Fatalf("a second seal: key %s (want %s), same nonce %v, %v", v2.KeyID, v.KeyID, bytes.Equal(v2.Nonce, v.Nonce), err)
		}
		// Bound to its household: another stream's name does not open it.
		if _, err := s.Open(ctx, hh("3-2-504"), v); err == nil {
			t.Fatal("a value opened under another household")
		}
		// Another master key does not unwrap the stored keys.
		other, _ := personal.NewSealer(ks, bytes.Repeat([]byte{8}, 32))
		if _, err := other.Open(ctx, h, v); err == nil || errors.Is(err, household.ErrKeyDestroyed) {
			t.Fatalf("Open with another master key = %v; want a failure that is not an erasure", err)
		}
		if err := s.Destroy(ctx, h); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Open(ctx, h, v); !errors.Is(err, household.ErrKeyDestroyed) {
			t.Fatalf("Open after Destroy = %v, want ErrKeyDestroyed", err)
		}
		v3, err := s.Seal(ctx, h, []byte(`{"owner":"李明"}`))
		if err != nil || v3.KeyID == v.KeyID {
			t.Fatalf("a seal after Destroy used key %s (the destroyed one is %s), %v", v3.KeyID, v.KeyID, err)
		}
		if _, err := s.Open(ctx, h, v); !errors.Is(err, household.ErrKeyDestroyed) {
			t.Fatalf("the old value opens after a new key: %v", err)
		}
	})
}
