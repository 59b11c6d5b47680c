package crash

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/butler-pm/butler/cmd/butler/app"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/audit"
	"github.com/butler-pm/butler/infra/auth"
	"github.com/butler-pm/butler/infra/eventstore/embedded"
	"github.com/butler-pm/butler/test/harness"
)

// Killing `butler backup` at any moment never leaves a directory that
// restore accepts, unless the backup finished, in which case it restores
// whole.
// dataDir writes a data directory of 30,000 events in 300 streams, with
// its token and audit keys, as a stopped server leaves it.
func dataDir(t *testing.T) string {
	dir := t.TempDir()
	s, err := embedded.Open(filepath.Join(dir, "events"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := 0; i < 300; i++ {
		batch := make([]event.Event, 100)
		for j := range batch {
			batch[j] = event.Event{ID: uuid.NewString(), Type: "test.happened.v1", Data: json.RawMessage(fmt.Sprintf(`{"n":%d}`, j)),
				Meta: event.Metadata{Actor: event.System, Project: "p1", District: "d1", OccurredAt: time.Now()}}
		}
		if _, err := s.Append(ctx, fmt.Sprintf("test-%d", i), event.NoStream(), batch...); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := auth.LoadOrCreateKey(filepath.Join(dir, auth.KeyFile)); err != nil {
		t.Fatal(err)
	}
	if _, err := audit.LoadOrCreateKey(filepath.Join(dir, "audit.key")); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestBackupKilledIsNeverTakenForGood(t *testing.T) {
	t.Parallel()
	bin := harness.Binary(t)
	dir := dataDir(t)
	ctx := context.Background()
	finished, refused := 0, 0
	for i := 0; i < 6; i++ {
		to := filepath.Join(t.TempDir(), "b")
		cmd := exec.Command(bin, "backup", "--data", dir, "--to", to)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(rand.Int64N(int64(200 * time.Millisecond))))
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		m, err := app.Restore(ctx, to, filepath.Join(t.TempDir(), "restored"))
		switch {
		case err == nil:
			finished++
			if m.Events != 30000 {
				t.Fatalf("a finished backup restored %d events, want 30000", m.Events)
			}
		case errors.Is(err, app.ErrNotABackup):
			refused++
		default:
			t.Fatalf("restore of a killed backup: %v", err)
		}
	}
	t.Logf("6 backups killed at random: %d had finished and restored whole, %d were refused", finished, refused)
}

// Killing `butler migrate` at any moment loses nothing: run again, it
// continues where the target stopped and proves the two logs equal; the
// copy verifies with the original's audit key.
func TestMigrateKilledResumes(t *testing.T) {
	t.Parallel()
	bin := harness.Binary(t)
	dir := dataDir(t)
	target := filepath.Join(t.TempDir(), "target")
	for i := 0; i < 3; i++ {
		cmd := exec.Command(bin, "migrate", "--from", dir, "--to", target)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Killed once the copy is under way: the target's log has grown.
		grown := walBytes(target) + 64<<10
		for deadline := time.Now().Add(20 * time.Second); walBytes(target) < grown && time.Now().Before(deadline); {
			time.Sleep(2 * time.Millisecond)
		}
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
	out, err := exec.Command(bin, "migrate", "--from", dir, "--to", target).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "(equal)") || !strings.Contains(string(out), "migrated:     30000 events") ||
		strings.Contains(string(out), ", 0 already in the target") {
		t.Fatalf("migrate after kills: %v\n%s", err, out)
	}
	t.Logf("after 3 kills:\n%s", out)
	out, err = exec.Command(bin, "audit", "verify", "--data", target, "--audit-key", filepath.Join(dir, "audit.key")).CombinedOutput()
	if err != nil {
		t.Fatalf("audit verify on the copy: %v\n%s", err, out)
	}
}

// walBytes is the size of a data directory's event-store log files.
func walBytes(dataDir string) int64 {
	var n int64
	files, _ := filepath.Glob(filepath.Join(dataDir, "events", "*.log"))
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			n += st.Size()
		}
	}
	return n
}
