package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/audit"
	"github.com/butler-pm/butler/infra/eventstore/embedded"
)

// auditData writes a small log with one signed checkpoint, as a server
// leaves it, and returns the checkpoint.
func auditData(t *testing.T, dir string) audit.Checkpoint {
	t.Helper()
	ctx := context.Background()
	s, err := embedded.Open(filepath.Join(dir, "events"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := 0; i < 12; i++ {
		e := event.Event{ID: uuid.NewString(), Type: "complaint.registered.v1", Data: json.RawMessage(fmt.Sprintf(`{"n":%d}`, i)),
			Meta: event.Metadata{Actor: event.Actor{StaffID: "b-001", Role: "butler"}, Project: "p1", District: "d1", OccurredAt: time.Now()}}
		if _, err := s.Append(ctx, fmt.Sprintf("complaint-%d", i%3), event.Any(), e); err != nil {
			t.Fatal(err)
		}
	}
	key, err := audit.LoadOrCreateKey(filepath.Join(dir, "audit.key"))
	if err != nil {
		t.Fatal(err)
	}
	log, err := audit.Open(ctx, s, audit.Options{Dir: filepath.Join(dir, "audit"), Signer: audit.NewSigner(key)})
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	if err := log.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := log.SignNow(ctx); err != nil {
		t.Fatal(err)
	}
	if err := log.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	c, _ := log.Latest()
	return c
}

func runButler(args ...string) (string, error) {
	var out bytes.Buffer
	err := run(context.Background(), args, &out, &out)
	return out.String(), err
}

func TestAuditVerifyCommand(t *testing.T) {
	dir := t.TempDir()
	c := auditData(t, dir)
	out, err := runButler("audit", "verify", "--data", dir)
	if err != nil || !strings.Contains(out, "13 in 4 streams") || !strings.Contains(out, "OK, nothing was altered") {
		t.Fatalf("untouched log: %v\n%s", err, out)
	}

	// A checkpoint saved earlier whose head differs: history was rewritten.
	c.RootHash = strings.Repeat("00", 32)
	forged := filepath.Join(dir, "forged.json")
	b, _ := json.Marshal(c)
	if err := os.WriteFile(forged, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err = runButler("audit", "verify", "--data", dir, "--checkpoint", forged)
	if err == nil || !strings.Contains(out, "FAILED") || !strings.Contains(err.Error(), "signature does not verify") {
		t.Fatalf("a forged saved checkpoint: %v\n%s", err, out)
	}

	_, err = runButler("audit", "verify", "--data", filepath.Join(dir, "nothing-here"))
	if err == nil || !strings.Contains(err.Error(), "no event store") {
		t.Fatalf("a directory with no store: %v", err)
	}
}

func TestAuditExportAndBundleCommands(t *testing.T) {
	dir := t.TempDir()
	auditData(t, dir)
	bundle := filepath.Join(dir, "bundle.json")
	day := time.Now().In(mustZone(t)).Format(time.DateOnly)
	if out, err := runButler("audit", "export", "--data", dir, "--from", day, "--to", day, "--project", "p1", "--out", bundle); err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	out, err := runButler("audit", "verify", "--bundle", bundle)
	if err != nil || !strings.Contains(out, "12 proven") || !strings.Contains(out, "OK, every event is in the signed log") {
		t.Fatalf("bundle: %v\n%s", err, out)
	}
	raw, _ := os.ReadFile(bundle)
	changed := bytes.Replace(raw, []byte(`"n": 5`), []byte(`"n": 6`), 1)
	if bytes.Equal(changed, raw) {
		t.Fatal("the bundle does not show the events' data")
	}
	if err := os.WriteFile(bundle, changed, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := runButler("audit", "verify", "--bundle", bundle); err == nil || !strings.Contains(out, "is not the event proven") {
		t.Fatalf("a changed bundle: %v\n%s", err, out)
	}
}

func mustZone(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
