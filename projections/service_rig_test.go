package projections_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	blevestore "github.com/butler-pm/butler/infra/search/bleve"
	"github.com/butler-pm/butler/projections"
)

// rig runs projections over an embedded bleve index so that tests can
// read documents and compute KPIs the way the API does.
type rig struct {
	t     *testing.T
	store *blevestore.Store
	pos   event.Position
	revs  map[string]uint64
	runs  []*projections.Runner
}

func newRig(t *testing.T, ps ...projections.Projection) *rig {
	t.Helper()
	s, err := blevestore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	r := &rig{t: t, store: s, revs: map[string]uint64{}}
	for _, p := range ps {
		run := projections.NewRunner(p, s, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err := run.Init(context.Background()); err != nil {
			t.Fatal(err)
		}
		r.runs = append(r.runs, run)
	}
	return r
}

type actor struct{ id, role, district string }

// emit appends one event to stream (next revision) and feeds it to every projection.
func (r *rig) emit(stream string, a actor, at time.Time, p event.Payload) {
	r.t.Helper()
	data, err := json.Marshal(p)
	if err != nil {
		r.t.Fatal(err)
	}
	rev, seen := r.revs[stream]
	if seen {
		rev++
	}
	r.revs[stream] = rev
	r.pos++
	e := event.Recorded{Event: event.Event{ID: fmt.Sprintf("e%d", r.pos), Type: p.EventType(), Data: data,
		Meta: event.Metadata{Actor: event.Actor{StaffID: a.id, Role: a.role}, Project: "p1", District: a.district, OccurredAt: at}},
		Stream: stream, Revision: rev, Position: r.pos, RecordedAt: at}
	for _, run := range r.runs {
		if err := run.HandleBatch(r.t.Context(), []event.Recorded{e}); err != nil {
			r.t.Fatalf("%s: %v", stream, err)
		}
	}
}

func (r *rig) doc(index, id string, into any) {
	r.t.Helper()
	d, err := r.store.Get(context.Background(), index, id)
	if err != nil {
		r.t.Fatalf("get %s/%s: %v", index, id, err)
	}
	if err := json.Unmarshal(d.Source, into); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rig) kpi(name string, f projections.KPIFilter) projections.KPIResult {
	r.t.Helper()
	f.Project = "p1"
	for _, k := range projections.KPIs() {
		if k.Name == name {
			res, err := k.Compute(context.Background(), r.store, f)
			if err != nil {
				r.t.Fatal(err)
			}
			return res
		}
	}
	r.t.Fatalf("no KPI %s", name)
	return projections.KPIResult{}
}

func value(res projections.KPIResult) float64 {
	if res.Value == nil {
		return -1
	}
	return *res.Value
}
