package personal_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/butler-pm/butler/domain/household"
	"github.com/butler-pm/butler/infra/personal"
	"github.com/butler-pm/butler/infra/personal/keystoretest"
)

func TestDirContract(t *testing.T) {
	t.Parallel()
	keystoretest.Run(t, func(t *testing.T) personal.KeyStore {
		d, err := personal.OpenDir(filepath.Join(t.TempDir(), "keys"))
		if err != nil {
			t.Fatal(err)
		}
		return d
	})
}

func TestMemoryContract(t *testing.T) {
	t.Parallel()
	keystoretest.Run(t, func(t *testing.T) personal.KeyStore { return personal.NewMemory() })
}

// TestDirKeepsKeysAcrossOpens: keys are files; a reopened store (a
// restarted server) opens what was sealed before, and the files show no
// unit and no plaintext key.
func TestDirKeepsKeysAcrossOpens(t *testing.T) {
	t.Parallel()
	root := filepath.Join(t.TempDir(), "keys")
	master, err := personal.LoadOrCreateKey(filepath.Join(filepath.Dir(root), "data.key"))
	if err != nil {
		t.Fatal(err)
	}
	d, _ := personal.OpenDir(root)
	s, _ := personal.NewSealer(d, master)
	h := household.Stream("p1", "3-2-501")
	v, err := s.Seal(t.Context(), h, []byte("王秀英"))
	if err != nil {
		t.Fatal(err)
	}
	again, err := personal.LoadOrCreateKey(filepath.Join(filepath.Dir(root), "data.key"))
	if err != nil || !bytes.Equal(again, master) {
		t.Fatalf("the master key changed on reload: %v", err)
	}
	d2, _ := personal.OpenDir(root)
	s2, _ := personal.NewSealer(d2, again)
	if got, err := s2.Open(t.Context(), h, v); err != nil || string(got) != "王秀英" {
		t.Fatalf("Open after reopen = %q, %v", got, err)
	}
	err = filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if bytes.Contains([]byte(p), []byte("3-2-501")) {
			t.Errorf("a key path names the unit: %s", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestLoadOrCreateKeyRefusesAShortKey(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "data.key")
	if err := os.WriteFile(p, []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := personal.LoadOrCreateKey(p); err == nil {
		t.Fatal("a 5-byte data key was accepted")
	}
}
