package demo_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/butler-pm/butler/cmd/butler/app"
	"github.com/butler-pm/butler/cmd/butler/demo"
	"github.com/butler-pm/butler/commands/policy"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/eventstore/embedded"
	"github.com/butler-pm/butler/infra/personal"
	blevestore "github.com/butler-pm/butler/infra/search/bleve"
	"github.com/butler-pm/butler/projections"
)

// generated is a demo compound generated once for the tests of this
// file, with its read models built by the program's projections.
type generated struct {
	dir    string
	o      demo.Options
	reads  *blevestore.Store
	events *embedded.Store
}

// generate runs the demo into a fresh directory and folds its log through
// every read model the server has (the replay a cold start runs).
func generate(t *testing.T, o demo.Options) *generated {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	sum, err := demo.Run(ctx, dir, "", o)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Refused != 0 {
		t.Fatalf("%d demo commands were refused by the domain", sum.Refused)
	}
	t.Logf("demo: %d events in %s", sum.Events, sum.Elapsed)
	events, err := embedded.Open(filepath.Join(dir, "events"), embedded.WithClock(demo.NewClock(o.Until).Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = events.Close() })
	reads := blevestore.OpenMemory()
	t.Cleanup(func() { _ = reads.Close() })
	var ps []projections.Projection
	for _, p := range app.Projections(nil) {
		switch p.(type) {
		case projections.Households, projections.AccessLog, projections.AuditEvents:
			continue // owners' contacts and the audit trail: no KPI reads them
		}
		ps = append(ps, p)
	}
	started := time.Now()
	if _, err := projections.ReplayAll(ctx, events, reads, ps, projections.ReplayOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Logf("read models folded in %s", time.Since(started))
	return &generated{dir: dir, o: o, reads: reads, events: events}
}

// months are the whole months of the demo's period (the first and the
// last, partial, are left out).
func (g *generated) months() []string {
	from := g.o.Until.AddDate(0, -g.o.Months, 0)
	var out []string
	for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, demo.Shanghai).AddDate(0, 1, 0); m.AddDate(0, 1, 0).Before(g.o.Until) ||
		m.AddDate(0, 1, 0).Equal(g.o.Until); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out
}

func (g *generated) kpi(t *testing.T, k projections.KPI, f projections.KPIFilter) projections.KPIResult {
	t.Helper()
	f.Project = g.o.Project
	if f.Project == "" {
		f.Project = "p1"
	}
	res, err := k.Compute(context.Background(), g.reads, f)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// kpiTable prints every KPI for every month (and district where the range
// is per district): what the README's ranges were chosen from.
func (g *generated) kpiTable(t *testing.T) string {
	var b strings.Builder
	for _, k := range projections.KPIs() {
		fmt.Fprintf(&b, "%-36s", k.Name)
		for _, m := range g.months() {
			res := g.kpi(t, k, projections.KPIFilter{Month: m})
			if res.Value == nil {
				fmt.Fprintf(&b, " %8s", "-")
			} else {
				fmt.Fprintf(&b, " %8.3f", *res.Value)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestDemoKPIs prints the default demo's KPIs when BUTLER_DEMO_KPIS is set
// (a tool for choosing the README's ranges; not run otherwise).
func TestDemoKPIs(t *testing.T) {
	if os.Getenv("BUTLER_DEMO_KPIS") == "" {
		t.Skip("set BUTLER_DEMO_KPIS=1 to print the default demo's KPIs")
	}
	until := time.Date(2026, 11, 29, 0, 0, 0, 0, demo.Shanghai)
	g := generate(t, demo.Options{Seed: 1, Until: until, Households: 2000, Months: 12})
	t.Log("\n" + g.kpiTable(t))
	n := g.policiesRecord(t)
	t.Logf("policies recorded %d events at the demo's end", n)
}

// policiesRecord starts the time rules on the generated compound at its
// end, as `serve --demo` does, and returns how many events they record.
func (g *generated) policiesRecord(t *testing.T) int {
	t.Helper()
	clock := demo.NewClock(g.o.Until)
	head, err := g.events.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	h := demo.NewHandlers(g.events, clock, demo.NewIDs(99, clock), personal.NewMemorySealer())
	n, err := policy.New(g.reads, clock, slog.New(slog.DiscardHandler), policy.Rules(h)).Tick(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n > 0 {
		recs, err := g.events.ReadAll(context.Background(), event.Position(head), event.Forward, 100)
		if err != nil {
			t.Fatal(err)
		}
		var types []string
		for _, r := range recs {
			types = append(types, r.Type+" "+r.Stream)
		}
		slices.Sort(types)
		t.Logf("the time rules recorded at the demo's end:\n%s", strings.Join(types, "\n"))
	}
	return n
}
