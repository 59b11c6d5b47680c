package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/credential"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff"
	"github.com/butler-pm/butler/infra/eventstore/embedded"
)

// butler staff activate prints a one-time link for a registered staff
// member of the project and records it as the operator's; another
// project's staff member gets none.
func TestStaffActivatePrintsALink(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := context.Background()
	s, err := embedded.Open(filepath.Join(dir, "events"))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(staff.Registered{StaffID: "b-001", Name: "钱管家", Role: "butler", Project: "p1", District: "d1", At: time.Now()})
	if _, err := s.Append(ctx, staff.Stream("b-001"), event.NoStream(), event.Event{ID: uuid.NewString(), Type: "staff.registered.v1", Data: data,
		Meta: event.Metadata{Actor: event.Actor{StaffID: "s-001", Role: "supervisor"}, Project: "p1", District: "d1", OccurredAt: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	var out, errs bytes.Buffer
	if err := run(ctx, []string{"staff", "activate", "--data", dir, "--staff", "b-001", "--project", "p1", "--url", "http://console.example:8080/"}, &out, &errs); err != nil {
		t.Fatalf("%v\n%s", err, errs.String())
	}
	if !strings.HasPrefix(out.String(), "http://console.example:8080/activate#b-001.") {
		t.Fatalf("printed %q", out.String())
	}
	if err := run(ctx, []string{"staff", "activate", "--data", dir, "--staff", "b-001", "--project", "p2"}, &out, &errs); err == nil || !strings.Contains(err.Error(), "no registered staff member") {
		t.Fatalf("another project's staff member: %v", err)
	}

	s, err = embedded.Open(filepath.Join(dir, "events"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	recs, err := event.ReadStreamWhole(ctx, s, credential.Stream("b-001"), 10)
	if err != nil || len(recs) != 1 || recs[0].Type != credential.TypeActivationIssued || recs[0].Meta.Actor != commands.OperatorActor {
		t.Fatalf("recorded %+v (%v)", recs, err)
	}
}

func TestTokenIssueLink(t *testing.T) {
	t.Parallel()
	var out, errs bytes.Buffer
	err := run(context.Background(), []string{"token", "issue", "--data", t.TempDir(), "--role", "auditor", "--staff", "au-001", "--project", "p1",
		"--ttl", "1h", "--link", "--url", "https://butler.example"}, &out, &errs)
	if err != nil {
		t.Fatalf("%v\n%s", err, errs.String())
	}
	if !strings.HasPrefix(out.String(), "https://butler.example/#/signin?token=eyJ") {
		t.Fatalf("printed %q", out.String())
	}
}
