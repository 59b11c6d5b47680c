package app

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/projections"
)

// Policies run the time rules: every interval they look in the read models
// for records whose deadline has passed and ask the domain to record what
// the rule says (the domain checks again, so a stale read model can never
// record a wrong event, and each event is recorded once).
type Policies struct {
	reads    projections.SearchStore
	handlers *commands.Handlers
	clock    commands.Clock
	logger   *slog.Logger
}

// NewPolicies builds the policy runner.
func NewPolicies(reads projections.SearchStore, h *commands.Handlers, clock commands.Clock, logger *slog.Logger) *Policies {
	return &Policies{reads: reads, handlers: h, clock: clock, logger: logger}
}

// Run ticks every interval until ctx ends.
func (p *Policies) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := p.Tick(ctx); err != nil && ctx.Err() == nil {
				p.logger.Error("time policies failed", "err", err)
			}
		}
	}
}

// Tick runs every policy once and returns how many events were recorded.
func (p *Policies) Tick(ctx context.Context) (int, error) {
	now := p.clock.Now()
	var errs []error
	n := 0
	for _, rule := range []struct {
		name   string
		query  projections.Query
		record func(context.Context, string) (bool, error)
	}{
		{
			// R-W3: not completed within 3 days and nobody spoke to the owner.
			name: "work-order 3-day SLA",
			query: projections.Query{
				Terms: map[string][]string{"status": {"registered", "dispatched", "in_progress"},
					"sla_breached": {"false"}, "communicated_in_sla": {"false"}},
				Ranges: []projections.Range{{Field: "sla_deadline", Max: now}},
			},
			record: p.handlers.RecordSLABreach,
		},
		{
			// R-W5: urgent repairs need their return visit within 24 h of completion.
			name: "urgent repair 24 h return visit",
			query: projections.Query{
				Terms: map[string][]string{"urgent": {"true"}, "return_visited": {"false"},
					"return_visit_overdue": {"false"}, "status": {"completed"}},
				Ranges: []projections.Range{{Field: "return_visit_due_at", Max: now}},
			},
			record: p.handlers.RecordReturnVisitOverdue,
		},
	} {
		k, err := p.each(ctx, projections.WorkOrdersIndex, rule.query, rule.record)
		n += k
		if err != nil {
			errs = append(errs, errors.New(rule.name+": "+err.Error()))
		}
	}
	k, err := p.tickModules(ctx, now)
	n += k
	errs = append(errs, err)
	k, err = p.tickService(ctx, now)
	n += k
	errs = append(errs, err)
	return n, errors.Join(errs...)
}

// each pages through every match and records the rule's event for it.
func (p *Policies) each(ctx context.Context, index string, q projections.Query, record func(context.Context, string) (bool, error)) (int, error) {
	q.Size = 500
	q.Sort = []projections.Sort{{Field: "id"}}
	n := 0
	for {
		res, err := p.reads.Search(ctx, index, q)
		if err != nil {
			return n, err
		}
		for _, h := range res.Hits {
			ok, err := record(ctx, h.ID)
			if err != nil {
				return n, err
			}
			if ok {
				n++
			}
		}
		if len(res.Hits) < q.Size {
			return n, nil
		}
		q.After = res.Cursor
	}
}
