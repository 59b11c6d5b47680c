package app

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/audit"
	"github.com/butler-pm/butler/infra/auth"
	"github.com/butler-pm/butler/infra/eventstore/embedded"
)

// A backup of the embedded deployment is a directory:
//
//	events/        a consistent snapshot of the event store (pebble checkpoint)
//	token.key      the keys the data needs
//	audit.key
//	data.key       the master key wrapping the households' data keys
//	keys/          the households' data keys (the embedded key store), copied
//	               after the snapshot: every key an event of it uses was
//	               written before that event, so it is there
//	MANIFEST.json  written last: what was verified, and each key file's hash
//
// It is built in DEST.partial and renamed to DEST once verified, so a
// backup killed half-way leaves no directory that restore accepts. The
// index and the audit tree are derived: a restored server rebuilds them.

// BackupFormat names the layout above.
const BackupFormat = "butler-backup.v1"

// manifestFile is the name of a backup's manifest.
const manifestFile = "MANIFEST.json"

// Manifest says what a backup holds and what was checked when it was made.
type Manifest struct {
	Format  string    `json:"format"`
	Created time.Time `json:"created"`
	// Events is the number of events in the snapshot; LastPosition the
	// position of the last.
	Events       uint64         `json:"events"`
	LastPosition event.Position `json:"last_position"`
	// TreeHead is the audit tree head of all the events (hex), and
	// Checkpoints the signed checkpoints in them, each verified.
	TreeHead    string `json:"tree_head"`
	Checkpoints int    `json:"checkpoints"`
	// Files are the key files, by name, with their SHA-256 (hex).
	Files map[string]string `json:"files"`
}

// Snapshotter makes a consistent copy of a live event store.
type Snapshotter interface {
	Snapshot(dir string) error
}

// backupKeys are the key files a backup carries, by their name in it.
func backupKeys(cfg Config) map[string]string {
	return map[string]string{auth.KeyFile: cfg.TokenKeyFile, "audit.key": cfg.AuditKeyFile, "data.key": cfg.DataKeyFile}
}

// Backup writes a verified backup of the embedded store src (running or
// not) and the keys cfg names into dest, which must not exist.
func Backup(ctx context.Context, cfg Config, src Snapshotter, dest string) (Manifest, error) {
	if err := cfg.Validate(); err != nil {
		return Manifest{}, err
	}
	if _, err := os.Stat(dest); err == nil {
		return Manifest{}, fmt.Errorf("backup: %s already exists", dest)
	}
	partial := dest + ".partial"
	if err := os.RemoveAll(partial); err != nil {
		return Manifest{}, err
	}
	if err := os.MkdirAll(partial, 0o700); err != nil {
		return Manifest{}, fmt.Errorf("backup: %w", err)
	}
	m := Manifest{Format: BackupFormat, Created: time.Now().UTC(), Files: map[string]string{}}
	if err := src.Snapshot(filepath.Join(partial, "events")); err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	for name, path := range backupKeys(cfg) {
		sum, err := copyFile(path, filepath.Join(partial, name))
		if err != nil {
			return m, fmt.Errorf("backup: key %s: %w", path, err)
		}
		m.Files[name] = sum
	}
	// The households' data keys, when they are kept in the data directory
	// (on Elasticsearch they are in its index, backed up with it).
	if keys := filepath.Join(cfg.DataDir, "keys"); cfg.Elasticsearch == "" {
		if err := copyTreeSums(keys, filepath.Join(partial, "keys"), "keys", m.Files); err != nil {
			return m, fmt.Errorf("backup: data keys: %w", err)
		}
	}
	if err := verifyBackupEvents(ctx, partial, &m); err != nil {
		return m, err
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return m, err
	}
	if err := writeSynced(filepath.Join(partial, manifestFile), b); err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	if err := os.Rename(partial, dest); err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	return m, syncDir(filepath.Dir(dest))
}

// verifyBackupEvents opens the snapshot in dir, counts its events and
// verifies its audit log with the audit key beside it.
func verifyBackupEvents(ctx context.Context, dir string, m *Manifest) error {
	key, err := audit.LoadOrCreateKey(filepath.Join(dir, "audit.key"))
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	s, err := embedded.Open(filepath.Join(dir, "events"))
	if err != nil {
		return fmt.Errorf("backup: the snapshot does not open: %w", err)
	}
	defer s.Close()
	head, err := s.Head(ctx)
	if err != nil {
		return err
	}
	rep, err := audit.Verify(ctx, s, audit.VerifyOptions{Keys: audit.NewKeys(key.Public().(ed25519.PublicKey))})
	if err != nil {
		return fmt.Errorf("backup: verifying: %w", err)
	}
	if !rep.OK() {
		return fmt.Errorf("backup: audit verify fails on the snapshot: %s", rep.Problems[0])
	}
	if rep.Events != uint64(head) {
		return fmt.Errorf("backup: the snapshot ends at position %d but holds %d events", head, rep.Events)
	}
	m.Events, m.LastPosition, m.TreeHead, m.Checkpoints = rep.Events, head, rep.Root, rep.Checkpoints
	return nil
}

// ErrNotABackup is returned by Restore for a directory that is not a
// complete, verified backup (one killed half-way has no manifest).
var ErrNotABackup = errors.New("not a complete butler backup")

// Restore copies the backup in from into dataDir, which must be missing or
// empty, after checking it against its manifest; the copy is checked again
// (events, tree head) before it takes dataDir's name.
func Restore(ctx context.Context, from, dataDir string) (Manifest, error) {
	var m Manifest
	b, err := os.ReadFile(filepath.Join(from, manifestFile))
	if err != nil {
		return m, fmt.Errorf("restore: %s: %w (no %s: the backup did not finish)", from, ErrNotABackup, manifestFile)
	}
	if err := json.Unmarshal(b, &m); err != nil || m.Format != BackupFormat {
		return m, fmt.Errorf("restore: %s: %w (unreadable manifest)", from, ErrNotABackup)
	}
	if entries, err := os.ReadDir(dataDir); err == nil && len(entries) > 0 {
		return m, fmt.Errorf("restore: %s is not empty: restore into a new directory, then point --data at it", dataDir)
	}
	partial := dataDir + ".restoring"
	if err := os.RemoveAll(partial); err != nil {
		return m, err
	}
	if err := copyTree(from, partial); err != nil {
		return m, fmt.Errorf("restore: %w", err)
	}
	for name, want := range m.Files {
		sum, err := fileSum(filepath.Join(partial, name))
		if err != nil || sum != want {
			return m, fmt.Errorf("restore: %w: key file %s does not match the manifest", ErrNotABackup, name)
		}
	}
	got := Manifest{}
	if err := verifyBackupEvents(ctx, partial, &got); err != nil {
		return m, fmt.Errorf("restore: %w", err)
	}
	if got.Events != m.Events || got.TreeHead != m.TreeHead {
		return m, fmt.Errorf("restore: %w: %d events with tree head %s, the manifest says %d and %s", ErrNotABackup,
			got.Events, got.TreeHead, m.Events, m.TreeHead)
	}
	if err := os.Remove(filepath.Join(partial, manifestFile)); err != nil {
		return m, err
	}
	if err := os.Remove(dataDir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return m, fmt.Errorf("restore: %w", err)
	}
	if err := os.Rename(partial, dataDir); err != nil {
		return m, fmt.Errorf("restore: %w", err)
	}
	return m, syncDir(filepath.Dir(dataDir))
}

func copyFile(from, to string) (string, error) {
	in, err := os.Open(from)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(out, h), in); err != nil {
		out.Close()
		return "", err
	}
	if err := errors.Join(out.Sync(), out.Close()); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func fileSum(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// copyTreeSums copies a directory's files (a missing directory copies
// nothing), recording each one's hash under prefix/its path.
func copyTreeSums(from, to, prefix string, sums map[string]string) error {
	if _, err := os.Stat(from); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o700)
		}
		sum, err := copyFile(path, filepath.Join(to, rel))
		if errors.Is(err, fs.ErrNotExist) {
			return nil // destroyed meanwhile (an erasure): rightly not in the backup
		}
		if err != nil {
			return err
		}
		sums[filepath.ToSlash(filepath.Join(prefix, rel))] = sum
		return nil
	})
}

// copyTree copies a directory's files, keeping its layout.
func copyTree(from, to string) error { return copyTreeSums(from, to, "", map[string]string{}) }

func writeSynced(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
