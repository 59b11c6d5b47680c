package demo_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/butler-pm/butler/cmd/butler/app"
	"github.com/butler-pm/butler/cmd/butler/bench"
	"github.com/butler-pm/butler/cmd/butler/demo"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/key/reconcile"
	"github.com/butler-pm/butler/domain/renovation/register"
	"github.com/butler-pm/butler/infra/audit"
	"github.com/butler-pm/butler/infra/eventstore/embedded"
	"github.com/butler-pm/butler/projections"
)

func readAll(t *testing.T, dir string) []event.Recorded {
	t.Helper()
	s, err := embedded.Open(filepath.Join(dir, "events"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var out []event.Recorded
	for from := event.Position(0); ; {
		recs, err := s.ReadAll(context.Background(), from, event.Forward, 4096)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, recs...)
		if len(recs) < 4096 {
			return out
		}
		from = recs[len(recs)-1].Position
	}
}

// The same seed and end date give the same events: ids, types, data,
// positions and simulated times; every command obeys the rules.
func TestDemoIsDeterministicAndObeysTheRules(t *testing.T) {
	t.Parallel()
	// Two months over a December: the annual activity plan is made in it.
	until := time.Date(2027, 1, 10, 0, 0, 0, 0, demo.Shanghai)
	o := demo.Options{Households: 200, Months: 2, Seed: 42, Until: until}
	a, b := t.TempDir(), t.TempDir()
	sa, err := demo.Run(context.Background(), a, "", o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Run(context.Background(), b, "", o); err != nil {
		t.Fatal(err)
	}
	if sa.Refused != 0 {
		t.Fatalf("%d demo commands were refused by the domain", sa.Refused)
	}
	if sa.Complaints == 0 || sa.WorkOrders == 0 || sa.RainyDays == 0 || sa.Staff == 0 {
		t.Fatalf("demo missed a kind of record: %+v", sa)
	}
	ea, eb := readAll(t, a), readAll(t, b)
	if len(ea) != len(eb) || uint64(len(ea)) != sa.Events {
		t.Fatalf("runs differ in size: %d vs %d events (summary %d)", len(ea), len(eb), sa.Events)
	}
	types := map[string]int{}
	seen := map[string]event.Recorded{}
	for i := range ea {
		x, y := ea[i], eb[i]
		systemEventIsCaused(t, x, seen)
		seen[x.ID] = x
		if x.ID != y.ID || x.Stream != y.Stream || x.Type != y.Type || string(x.Data) != string(y.Data) || !x.RecordedAt.Equal(y.RecordedAt) {
			t.Fatalf("event %d differs between runs with one seed:\n%+v\n%+v", i, x, y)
		}
		if x.RecordedAt.Before(until.AddDate(0, -2, 0)) || x.RecordedAt.After(until) {
			t.Fatalf("event %d recorded at %s, outside the simulated period", i, x.RecordedAt)
		}
		if i > 0 && x.RecordedAt.Before(ea[i-1].RecordedAt) {
			t.Fatalf("$all goes back in time at position %d", x.Position)
		}
		if len(x.ID) != 36 || x.ID[14] != '7' {
			t.Fatalf("event id %q is not in UUIDv7 layout", x.ID)
		}
		if !json.Valid(x.Data) {
			t.Fatalf("event %d data is not JSON", i)
		}
		types[x.Type]++
	}
	for _, want := range []string{"complaint.registered.v2", "household.contact_recorded.v1", "complaint.closed.v1", "workorder.closed.v1", "workorder.owner_confirmed.v2", "staff.registered.v1", "fee.billed.v1", "fee.payment_recorded.v1"} {
		if types[want] == 0 {
			t.Errorf("no %s in the demo data; types: %v", want, types)
		}
	}
	servedReadModelsAreFilled(t, a, until)
	auditVerifies(t, a)
	coldStartEqualsAReplay(t, a)
	// A different seed gives different data.
	o.Seed = 43
	c := t.TempDir()
	if _, err := demo.Run(context.Background(), c, "", o); err != nil {
		t.Fatal(err)
	}
	if ec := readAll(t, c); len(ec) > 0 && ec[0].ID == ea[0].ID {
		t.Fatal("a different seed gave the same ids")
	}
	// A data directory that already holds events is refused.
	if _, err := demo.Run(context.Background(), a, "", o); err == nil {
		t.Fatal("demo wrote into a data directory that already holds an event store")
	}
}

// systemEventIsCaused checks a time rule's event: caused by an earlier
// event (its id the causation id, its correlation id carried over), or,
// for a day or week that only the clock made due, a chain of its own.
func systemEventIsCaused(t *testing.T, e event.Recorded, earlier map[string]event.Recorded) {
	t.Helper()
	m := e.Meta
	if m.Actor != event.System {
		return
	}
	if m.CausationID == m.CorrelationID {
		if !strings.HasPrefix(e.Stream, reconcile.StreamPrefix) && !strings.HasPrefix(e.Stream, register.StreamPrefix) {
			t.Fatalf("%s on %s names no causing event (causation = correlation = %q)", e.Type, e.Stream, m.CausationID)
		}
		return
	}
	cause, ok := earlier[m.CausationID]
	if !ok || cause.Meta.CorrelationID != m.CorrelationID {
		t.Fatalf("%s on %s: causation %q is not an earlier event of its chain %q (found %v: %+v)", e.Type, e.Stream, m.CausationID, m.CorrelationID, ok, cause.Meta)
	}
}

// servedReadModelsAreFilled serves dir as the program does and checks that
// every module's read model has documents once the projections caught up.
func servedReadModelsAreFilled(t *testing.T, dir string, until time.Time) {
	t.Helper()
	ctx := context.Background()
	a, err := app.Start(ctx, app.Config{Addr: "127.0.0.1:0", DataDir: dir, Clock: demo.NewClock(until),
		PolicyInterval: time.Hour, Logger: slog.New(slog.DiscardHandler),
		ColdReplayMin: 1000}) // the demo's 2,000-odd events start through the cold replay
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := a.Close(ctx); err != nil {
			t.Error(err)
		}
	}()
	deadline := time.Now().Add(30 * time.Second)
	for a.Ready(ctx) != nil {
		if time.Now().After(deadline) {
			t.Fatalf("read models did not catch up: %v", a.Ready(ctx))
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, index := range []string{projections.StaffIndex, projections.ComplaintsIndex, projections.WorkOrdersIndex, projections.FeeBillsIndex,
		projections.FeePlansIndex, projections.FeeReconciliationsIndex, projections.KeysIndex, projections.KeyDaysIndex,
		projections.RenovationsIndex, projections.RenovationDaysIndex, projections.RenovationRegisterIndex, projections.MoveInsIndex,
		projections.VisitPlansIndex, projections.VisitsIndex, projections.ReturnVisitsIndex, projections.VacantUnitsIndex,
		projections.PatrolsIndex, projections.ActivitiesIndex, projections.ActivityPlansIndex, projections.ShiftsIndex,
		projections.CCMessagesIndex, projections.CCRecordsIndex, projections.ArchivesIndex, projections.AuditEventsIndex} {
		res, err := a.Search().Search(ctx, index, projections.Query{Size: 1})
		if err != nil {
			t.Fatalf("%s: %v", index, err)
		}
		if res.Total == 0 {
			t.Errorf("read model %s is empty after the demo", index)
		}
	}
	// The server signs the demo's year (it would within a minute anyway).
	head, err := a.Events().ReadAll(ctx, event.End, event.Backward, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Audit().WaitFor(ctx, head[0].Position); err != nil {
		t.Fatal(err)
	}
	if signed, err := a.Audit().SignNow(ctx); err != nil || !signed {
		t.Fatalf("signing the demo's log: %v %v", signed, err)
	}
}

// coldStartEqualsAReplay checks that the read models the server built on
// its first start (the cold path: one bulk replay, then live) are those a
// replay from the log gives.
func coldStartEqualsAReplay(t *testing.T, dir string) {
	t.Helper()
	// The served log has the checkpoint signed since: the feed shows it,
	// so both are compared over the same log.
	if err := bench.Converged(context.Background(), dir, t.TempDir()); err != nil {
		t.Fatalf("the read models of the first start: %v", err)
	}
}

// auditVerifies runs what `butler audit verify` does on the demo's data.
func auditVerifies(t *testing.T, dir string) {
	t.Helper()
	key, err := audit.LoadOrCreateKey(filepath.Join(dir, "audit.key"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := embedded.Open(filepath.Join(dir, "events"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rep, err := audit.Verify(context.Background(), s, audit.VerifyOptions{Keys: audit.NewKeys(key.Public().(ed25519.PublicKey)),
		DerivedDir: filepath.Join(dir, "audit")})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.Checkpoints != 1 || rep.Unsigned != 1 {
		t.Fatalf("audit verify on the demo's data: %+v", rep)
	}
}
