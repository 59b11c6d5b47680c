package policy_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/commands/policy"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/eventstore/embedded"
	"github.com/butler-pm/butler/infra/personal"
	blevestore "github.com/butler-pm/butler/infra/search/bleve"
	"github.com/butler-pm/butler/projections"
)

var start = time.Date(2026, 7, 1, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

var (
	butler    = commands.Principal{StaffID: "b1", Role: commands.RoleButler, Project: "p1", District: "d1"}
	manager   = commands.Principal{StaffID: "m1", Role: commands.RoleProjectManager, Project: "p1"}
	engineer  = commands.Principal{StaffID: "e1", Role: commands.RoleEngineer, Project: "p1", District: "d1"}
	custodian = commands.Principal{StaffID: "k1", Role: commands.RoleCustodian, Project: "p1"}
	archivist = commands.Principal{StaffID: "ar1", Role: commands.RoleArchivist, Project: "p1"}
)

func as(p commands.Principal) commands.Meta { return commands.Meta{Principal: p} }

// clock is a commands.Clock that tests move.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// rig is the program's write and read sides in miniature: the embedded
// event store, the commands on it, the read models the rules search on
// the embedded search index, fed by hand before each tick.
type rig struct {
	t      *testing.T
	ctx    context.Context
	events *embedded.Store
	reads  *blevestore.Store
	runs   []*projections.Runner
	pos    event.Position
	clock  *clock
	h      *commands.Handlers
}

func newRig(t *testing.T) *rig {
	t.Helper()
	events, err := embedded.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = events.Close() })
	reads, err := blevestore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = reads.Close() })
	r := &rig{t: t, ctx: context.Background(), events: events, reads: reads, clock: &clock{now: start}}
	r.h = commands.NewHandlers(events, r.clock, nil, personal.NewMemorySealer())
	// No staff directory: the tests dispatch to staff they never registered.
	r.h.WorkOrder.Dispatch = commands.NewDispatchWorkOrderHandler(events, r.clock, nil)
	r.h.Complaint.Dispatch = commands.NewDispatchComplaintHandler(events, r.clock, nil)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, p := range []projections.Projection{
		projections.WorkOrders, projections.Complaints, projections.Activities, projections.Keys, projections.KeyDays,
		projections.FeeBills, projections.Renovations, projections.RenovationRegisterWeeks,
		projections.ReturnVisits, projections.VacantUnits, projections.Archives,
		projections.FeeReconciliations, projections.FeeCashierWeeks, projections.MoveIns,
	} {
		run := projections.NewRunner(p, reads, logger)
		if err := run.Init(r.ctx); err != nil {
			t.Fatal(err)
		}
		r.runs = append(r.runs, run)
	}
	return r
}

// ok fails the test on a command's error and returns its record's id.
func (r *rig) ok(res commands.Result, err error) string {
	r.t.Helper()
	if err != nil {
		r.t.Fatal(err)
	}
	return res.ID
}

// sync feeds every event appended since the last sync to the read models.
func (r *rig) sync() {
	r.t.Helper()
	for {
		batch, err := r.events.ReadAll(r.ctx, r.pos, event.Forward, 500)
		if err != nil {
			r.t.Fatal(err)
		}
		if len(batch) == 0 {
			return
		}
		for _, run := range r.runs {
			if err := run.HandleBatch(r.ctx, batch); err != nil {
				r.t.Fatal(err)
			}
		}
		r.pos = batch[len(batch)-1].Position
	}
}

// rule is the named rule of policy.Rules.
func (r *rig) rule(name string) policy.Rule {
	r.t.Helper()
	for _, rule := range policy.Rules(r.h) {
		if rule.Name == name {
			return rule
		}
	}
	r.t.Fatalf("no rule %q", name)
	return policy.Rule{}
}

// tick brings the read models up to date, runs the named rule alone once
// and checks how many events it recorded.
func (r *rig) tick(name string, want int) {
	r.t.Helper()
	r.sync()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	n, err := policy.New(r.reads, r.clock, logger, []policy.Rule{r.rule(name)}).Tick(r.ctx)
	if err != nil {
		r.t.Fatalf("%s at %s: %v", name, r.clock.Now().Format(time.DateTime), err)
	}
	if n != want {
		r.t.Fatalf("%s at %s recorded %d events, want %d", name, r.clock.Now().Format(time.DateTime), n, want)
	}
}

// last is the type of the last event on stream.
func (r *rig) last(stream string) string {
	r.t.Helper()
	return r.lastEvent(stream).Type
}

// lastEvent is the last event on stream.
func (r *rig) lastEvent(stream string) event.Recorded {
	r.t.Helper()
	recs := r.stream(stream)
	if len(recs) == 0 {
		r.t.Fatalf("no events on %s", stream)
	}
	return recs[len(recs)-1]
}

// stream is every event on stream (none: the stream does not exist).
func (r *rig) stream(name string) []event.Recorded {
	r.t.Helper()
	recs, err := event.ReadStreamWhole(r.ctx, r.events, name, 1000)
	if errors.Is(err, event.ErrStreamNotFound) {
		return nil
	}
	if err != nil {
		r.t.Fatal(err)
	}
	return recs
}
