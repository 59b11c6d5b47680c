package personal

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Dir is the embedded KeyStore: one directory per household under root
// (DATA/keys), named by a hash of the household's stream so that file
// names show no unit, one file per key named <created>-<id>.key holding
// the wrapped key. Files are written through a temporary file, synced and
// renamed; Destroy overwrites each key file with zeros, syncs and removes
// it. (On SSDs and copy-on-write file systems an overwrite does not
// reach every old block; what protects a copied-off block is that it
// holds the key wrapped by the master key.)
type Dir struct{ root string }

var _ KeyStore = Dir{}

// OpenDir opens (creating it) the key directory root.
func OpenDir(root string) (Dir, error) {
	if err := os.MkdirAll(root, 0o700); err != nil {
		return Dir{}, fmt.Errorf("personal: key directory %s: %w", root, err)
	}
	return Dir{root: root}, nil
}

func (d Dir) dir(household string) string {
	sum := sha256.Sum256([]byte(household))
	return filepath.Join(d.root, hex.EncodeToString(sum[:16]))
}

func validID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

func (d Dir) Create(ctx context.Context, household string, k WrappedKey) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !validID(k.ID) {
		return fmt.Errorf("personal: key id %q: want lower-case hex", k.ID)
	}
	dir := d.dir(household)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	name := fmt.Sprintf("%020d-%s.key", k.Created.UnixNano(), k.ID)
	tmp, err := os.CreateTemp(dir, ".new-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(k.Wrapped); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, name)); err != nil {
		return err
	}
	return syncDir(dir)
}

// files lists the household's key files, oldest first.
func (d Dir) files(household string) ([]string, error) {
	entries, err := os.ReadDir(d.dir(household))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".key") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

func parseName(name string) (id string, created time.Time, ok bool) {
	stamp, rest, ok := strings.Cut(strings.TrimSuffix(name, ".key"), "-")
	if !ok {
		return "", time.Time{}, false
	}
	ns, err := strconv.ParseInt(stamp, 10, 64)
	if err != nil {
		return "", time.Time{}, false
	}
	return rest, time.Unix(0, ns).UTC(), true
}

func (d Dir) read(household, name string) (WrappedKey, error) {
	id, created, ok := parseName(name)
	if !ok {
		return WrappedKey{}, fmt.Errorf("personal: unexpected key file %s", name)
	}
	b, err := os.ReadFile(filepath.Join(d.dir(household), name))
	if errors.Is(err, os.ErrNotExist) {
		return WrappedKey{}, ErrNoKey // destroyed meanwhile
	}
	if err != nil {
		return WrappedKey{}, err
	}
	return WrappedKey{ID: id, Wrapped: b, Created: created}, nil
}

func (d Dir) Key(ctx context.Context, household, id string) (WrappedKey, error) {
	if err := ctx.Err(); err != nil {
		return WrappedKey{}, err
	}
	if !validID(id) {
		return WrappedKey{}, ErrNoKey
	}
	names, err := d.files(household)
	if err != nil {
		return WrappedKey{}, err
	}
	for _, n := range names {
		if strings.HasSuffix(n, "-"+id+".key") {
			return d.read(household, n)
		}
	}
	return WrappedKey{}, ErrNoKey
}

func (d Dir) Latest(ctx context.Context, household string) (WrappedKey, bool, error) {
	if err := ctx.Err(); err != nil {
		return WrappedKey{}, false, err
	}
	names, err := d.files(household)
	if err != nil || len(names) == 0 {
		return WrappedKey{}, false, err
	}
	k, err := d.read(household, names[len(names)-1])
	if errors.Is(err, ErrNoKey) {
		return WrappedKey{}, false, nil
	}
	return k, err == nil, err
}

func (d Dir) Destroy(ctx context.Context, household string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	dir := d.dir(household)
	names, err := d.files(household)
	if err != nil {
		return err
	}
	for _, n := range names {
		p := filepath.Join(dir, n)
		if err := shred(p); err != nil {
			return fmt.Errorf("personal: destroying %s: %w", p, err)
		}
	}
	if err := syncDir(dir); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// shred overwrites a key file with zeros, syncs it and removes it.
func shred(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err == nil {
		_, err = f.WriteAt(make([]byte, st.Size()), 0)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Remove(path)
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
