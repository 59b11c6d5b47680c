package e2e

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/butler-pm/butler/cmd/butler/app"
	"github.com/butler-pm/butler/test/harness"
)

// A backup taken while commands are written holds every command
// acknowledged before it began, restores into a new data directory and
// serves there; a backup that did not finish is refused.
func TestBackupWhileServingAndRestore(t *testing.T) {
	t.Parallel()
	b := harness.Start(t, harness.Options{})
	butler := b.Token("butler", "b-001", "p1", "d1")
	pm := b.Token("project_manager", "pm-001", "p1", "")
	before := registerComplaint(t, b, butler, "备份前登记的投诉")

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var during atomic.Int64
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				r := b.Do("POST", "/api/v1/complaints", butler, map[string]any{"unit": "3-2-501", "owner": "王秀英", "phone": "13812345678",
					"category": "漏水", "description": "备份时登记", "soothing": "已安抚"})
				if r.Status == http.StatusCreated {
					during.Add(1)
				}
			}
		}()
	}
	harness.Problem(t, b.Do("POST", "/api/v1/admin/backups", butler, nil), http.StatusForbidden, "forbidden_role")
	harness.Problem(t, b.Do("POST", "/api/v1/admin/backups", pm, map[string]any{"name": "../escape"}), http.StatusBadRequest, "invalid_input")
	r := b.Must(http.StatusCreated, "POST", "/api/v1/admin/backups", pm, map[string]any{"name": "nightly"})
	close(stop)
	wg.Wait()
	if during.Load() == 0 {
		t.Fatal("no command was acknowledged while the backup ran")
	}
	manifest, _ := r.JSON["manifest"].(map[string]any)
	if n, _ := manifest["events"].(float64); n < 1 {
		t.Fatalf("manifest %v", r.JSON)
	}
	harness.Problem(t, b.Do("POST", "/api/v1/admin/backups", pm, map[string]any{"name": "nightly"}), http.StatusConflict, "backup_exists")

	backup := filepath.Join(b.Dir, "backups", "nightly")
	restored := filepath.Join(t.TempDir(), "restored")
	m, err := app.Restore(context.Background(), backup, restored)
	if err != nil {
		t.Fatal(err)
	}
	if float64(m.Events) != manifest["events"].(float64) {
		t.Fatalf("restored %d events, the manifest said %v", m.Events, manifest["events"])
	}
	// The restored directory serves the complaint acknowledged before the
	// backup, with the same tokens (the token key came along).
	// The owner's contact opens there: the households' data keys came too.
	r2 := harness.Start(t, harness.Options{Dir: restored})
	r2.WaitFor("/api/v1/complaints/"+before, butler, func(m map[string]any) error {
		if m["owner"] != "王秀英" {
			return fmt.Errorf("owner %v after the restore, want 王秀英", m["owner"])
		}
		return nil
	})

	// A backup killed before its manifest was written is not a backup.
	half := filepath.Join(t.TempDir(), "half")
	if err := os.CopyFS(half, os.DirFS(backup)); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(half, "MANIFEST.json")); err != nil {
		t.Fatal(err)
	}
	if _, err := app.Restore(context.Background(), half, filepath.Join(t.TempDir(), "x")); !errors.Is(err, app.ErrNotABackup) {
		t.Fatalf("a backup without its manifest was restored: %v", err)
	}
	// Restore never writes over a data directory in use.
	if _, err := app.Restore(context.Background(), backup, b.Dir); err == nil || errors.Is(err, app.ErrNotABackup) {
		t.Fatalf("restore over a non-empty data directory: %v", err)
	}
	// Nor is one whose key file was swapped.
	if err := os.WriteFile(filepath.Join(backup, "audit.key"), []byte("not the key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := app.Restore(context.Background(), backup, filepath.Join(t.TempDir(), "y")); !errors.Is(err, app.ErrNotABackup) {
		t.Fatalf("a backup with a changed key was restored: %v", err)
	}
}
