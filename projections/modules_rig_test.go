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

// modRig runs the key, fee, renovation and move-in projections over an
// embedded bleve index, so tests read documents and KPIs as the API does.
type modRig struct {
	t     *testing.T
	store *blevestore.Store
	pos   event.Position
	revs  map[string]uint64
	runs  []*projections.Runner
}

func newModRig(t *testing.T, ps ...projections.Projection) *modRig {
	t.Helper()
	s, err := blevestore.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	r := &modRig{t: t, store: s, revs: map[string]uint64{}}
	for _, p := range ps {
		run := projections.NewRunner(p, s, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err := run.Init(context.Background()); err != nil {
			t.Fatal(err)
		}
		r.runs = append(r.runs, run)
	}
	return r
}

// emit appends p to stream (next revision) as staff of role in district.
func (r *modRig) emit(stream, staff, role, district string, at time.Time, p event.Payload) {
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
		Meta: event.Metadata{Actor: event.Actor{StaffID: staff, Role: role}, Project: "p1", District: district, OccurredAt: at}},
		Stream: stream, Revision: rev, Position: r.pos, RecordedAt: at}
	for _, run := range r.runs {
		if err := run.Handle(batch(r.t, e)); err != nil {
			r.t.Fatalf("%s: %v", stream, err)
		}
	}
}

func (r *modRig) doc(index, id string, into any) {
	r.t.Helper()
	d, err := r.store.Get(context.Background(), index, id)
	if err != nil {
		r.t.Fatalf("get %s/%s: %v", index, id, err)
	}
	if err := json.Unmarshal(d.Source, into); err != nil {
		r.t.Fatal(err)
	}
}

// kpi computes a KPI the way GET /api/v1/kpis/{name} does.
func (r *modRig) kpi(name string, f projections.KPIFilter) projections.KPIResult {
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

// wantKPI checks a KPI's value, numerator, denominator and records.
func wantKPI(t *testing.T, res projections.KPIResult, value, num, den float64, records ...string) {
	t.Helper()
	if res.Value == nil || *res.Value != value || res.Numerator != num || res.Denominator != den {
		v := -1.0
		if res.Value != nil {
			v = *res.Value
		}
		t.Fatalf("%s = %v (%v/%v), want %v (%v/%v)", res.Name, v, res.Numerator, res.Denominator, value, num, den)
	}
	if records != nil && fmt.Sprint(res.Records) != fmt.Sprint(records) {
		t.Fatalf("%s records = %v, want %v", res.Name, res.Records, records)
	}
}
