package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/commands/policy"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/localtime"
	"github.com/butler-pm/butler/infra/audit"
	"github.com/butler-pm/butler/infra/auth"
	"github.com/butler-pm/butler/infra/console"
	"github.com/butler-pm/butler/infra/eventbus"
	"github.com/butler-pm/butler/infra/eventstore"
	"github.com/butler-pm/butler/infra/eventstore/embedded"
	"github.com/butler-pm/butler/infra/httpapi"
	"github.com/butler-pm/butler/infra/personal"
	"github.com/butler-pm/butler/infra/personal/eskeys"
	blevestore "github.com/butler-pm/butler/infra/search/bleve"
	"github.com/butler-pm/butler/infra/synonyms"
	"github.com/butler-pm/butler/projections"
)

// SearchStore is the read-model store as the program uses it.
type SearchStore interface {
	projections.SearchStore
	Close() error
}

// App is a running Butler.
type App struct {
	cfg    Config
	logger *slog.Logger
	events eventstore.Store
	// streams is the events as the command handlers read them: the
	// store, with recently read streams kept in memory (CachedStreams).
	streams  commands.EventStore
	search   SearchStore
	runners  []*projections.Runner
	leases   projections.Leases
	hub      *eventbus.Hub
	holder   string
	handlers *commands.Handlers
	// stale holds the read models whose index was built by another
	// definition (projections.Definition): the lease holder rebuilds them.
	stale   map[string]string
	staleMu sync.Mutex
	// rebuilding lets one such rebuild run at a time (an upgrade may
	// change many read models; each rebuild reads the whole log).
	rebuilding chan struct{}
	keys       *personal.Sealer
	policies   *policy.Runner
	audit      *audit.Log
	// backingUp lets one backup run at a time.
	backingUp sync.Mutex
	listener  net.Listener
	http      *http.Server

	cancel context.CancelFunc
	wg     sync.WaitGroup
	closed sync.Once
}

// Projections lists every read model, in the order they are registered;
// keys opens households' sealed contacts (OpenKeys).
func Projections(keys projections.Opener) []projections.Projection {
	return []projections.Projection{
		projections.Households{Keys: keys},
		projections.AccessLog{},
		projections.Complaints,
		projections.Warnings{},
		projections.WorkOrders,
		projections.Keys,
		projections.KeyDays,
		projections.FeeBills,
		projections.FeePlans,
		projections.FeeReconciliations,
		projections.FeeCollections{},
		projections.FeeCashierWeeks,
		projections.FeeDebriefs,
		projections.FeeFastRoutes,
		projections.Renovations,
		projections.RenovationDays{},
		projections.RenovationViolations{},
		projections.RenovationRegisterWeeks,
		projections.MoveIns,
		projections.MoveInDefects{},
		projections.Units{},
		projections.Staff,
		projections.StaffAssignments{},
		projections.StaffAppraisals{},
		projections.StaffWeeks{},
		projections.StaffProfiles,
		projections.WorkPlans,
		projections.FoundProperty,
		projections.Shifts,
		projections.CCMessages{},
		projections.Emergencies,
		projections.CCRecords{},
		projections.VisitPlans{},
		projections.Visits{},
		projections.UnitRegister{},
		projections.ReturnVisits,
		projections.VacantUnits,
		projections.VacantMonths{},
		projections.Patrols{},
		projections.Activities,
		projections.ActivityPlans,
		projections.Archives,
		projections.ArchiveAccessLog{},
		projections.Quality{},
		projections.IntegrityReports,
		projections.TrainingPlans,
		projections.AuditEvents{},
	}
}

// Start opens the stores, starts the projections, the policies and the
// HTTP server, and returns once the server is listening.
func Start(ctx context.Context, cfg Config) (_ *App, err error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	localtime.SetZone(cfg.zone) // the calendar read models and aggregates derive days and months in
	a := &App{cfg: cfg, logger: cfg.Logger}
	defer func() {
		if err != nil {
			a.closeStores()
		}
	}()
	if a.events, err = openEventStore(ctx, cfg); err != nil {
		return nil, err
	}
	if a.search, err = openSearchStore(ctx, cfg); err != nil {
		return nil, err
	}
	key, err := auth.LoadOrCreateKey(cfg.TokenKeyFile)
	if err != nil {
		return nil, err
	}
	if a.keys, err = OpenKeys(ctx, cfg); err != nil {
		return nil, err
	}
	a.streams = commands.CachedStreams(a.events, streamCacheEvents)
	a.handlers = commands.NewHandlers(a.streams, cfg.Clock, nil, a.keys)
	a.handlers.UseKeyRegister(keyRegister{a.search})         // R-K3: the ledger is the key register's
	a.handlers.UseServiceLedger(serviceLedger{a.search})     // R-F4: ledger totals from the records
	a.handlers.UseUnitRenovations(unitRenovations{a.search}) // R-R5: no occupancy while the renovation is open
	a.handlers.UseReceiptBills(receiptBills{a.search})       // R-M3: move-in fee receipts are bills' payments
	if a.audit, err = openAudit(ctx, cfg, a.events); err != nil {
		return nil, err
	}

	if a.leases, err = openLeases(ctx, cfg, a.search); err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	a.holder = fmt.Sprintf("%s/%d/%s", host, os.Getpid(), uuid.NewString()[:8])

	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	a.cancel = cancel
	if err := a.startProjections(runCtx); err != nil {
		cancel()
		return nil, err
	}
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		if err := a.audit.Run(runCtx); err != nil {
			a.logger.Error("audit log stopped", "err", err)
		}
	}()
	revoked, revokedAt, err := loadRevocations(ctx, a.events)
	if err != nil {
		cancel()
		a.wg.Wait()
		return nil, err
	}
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		a.followRevocations(runCtx, revoked, revokedAt)
	}()
	a.policies = policy.New(a.search, cfg.Clock, a.logger, policy.Rules(a.handlers))
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		a.policies.Run(runCtx, cfg.PolicyInterval)
	}()

	issuer := auth.NewIssuer(key, nil, auth.WithMaxTTL(cfg.TokenMaxTTL), auth.WithRevocations(revoked))
	credentials := commands.NewCredentialHandlers(a.streams, cfg.Clock, a.keys, auth.Argon2id{},
		signInTokens{issuer: issuer, ttl: min(SignInTTL, cfg.TokenMaxTTL)}, revoked.Add)
	api := httpapi.New(httpapi.Deps{
		Audit:    a.audit,
		Synonyms: synonyms.New(cfg.SynonymsDir, a.logger).For,
		Tokens:   issuer,
		TokenID: func(tok string) (string, commands.Principal, error) {
			c, err := issuer.Inspect(tok)
			return c.ID, c.Principal, err
		},
		Revoke: func(ctx context.Context, m commands.Meta, cmd commands.RevokeToken) (commands.Result, error) {
			r, err := a.handlers.Token.Revoke.Handle(ctx, m, cmd)
			if err == nil {
				revoked.Add(r.ID) // this server at once; the others as they follow $all
			}
			return r, err
		},
		OnDuty:      a.onDuty(),
		Credentials: credentials,
		Console:     console.Handler(),
		Limits:      cfg.Limits,
		Events:      a.events,
		Reads:       a.search,
		Commands:    a.handlers,
		Projections: Projections(a.keys),
		Keys:        a.keys,
		Scratch:     func() httpapi.Scratch { return blevestore.OpenMemory() },
		Zone:        cfg.zone,
		Ready:       a.Ready,
		Logger:      a.logger,
		Routes:      []func(*echo.Group){a.adminRoutes, a.backupRoutes},
		Now:         cfg.Clock.Now,
	})
	a.listener, err = net.Listen("tcp", cfg.Addr)
	if err != nil {
		cancel()
		a.wg.Wait()
		return nil, fmt.Errorf("listening on %s: %w", cfg.Addr, err)
	}
	if cfg.CompactAtStart {
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			a.compact(runCtx)
		}()
	}
	a.http = &http.Server{Handler: api, ReadHeaderTimeout: min(10*time.Second, cfg.ReadTimeout), ReadTimeout: cfg.ReadTimeout,
		WriteTimeout: cfg.WriteTimeout, IdleTimeout: cfg.IdleTimeout, MaxHeaderBytes: cfg.MaxHeaderBytes,
		ErrorLog: slog.NewLogLogger(a.logger.Handler(), slog.LevelDebug)}
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		if err := a.http.Serve(a.listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.logger.Error("http server stopped", "err", err)
		}
	}()
	a.logger.Info("butler is serving", "addr", a.Addr(), "data", cfg.DataDir, "eventstore", storeName(cfg.EventStore, "embedded"),
		"search", storeName(cfg.Elasticsearch, "embedded bleve"))
	return a, nil
}

func storeName(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// OpenEventStore opens the event store cfg names (cfg validated), for
// commands that read the log without running the server.
func OpenEventStore(ctx context.Context, cfg Config) (eventstore.Store, error) {
	return openEventStore(ctx, cfg)
}

func openEventStore(ctx context.Context, cfg Config) (eventstore.Store, error) {
	if cfg.EventStore != "" {
		return openESDB(ctx, cfg)
	}
	s, err := embedded.Open(filepath.Join(cfg.DataDir, "events"), embedded.WithLogger(cfg.Logger))
	if err != nil {
		return nil, fmt.Errorf("opening the embedded event store in %s: %w", cfg.DataDir, err)
	}
	return s, nil
}

func openSearchStore(ctx context.Context, cfg Config) (SearchStore, error) {
	if cfg.Elasticsearch != "" {
		return openElasticsearch(ctx, cfg)
	}
	s, err := blevestore.Open(filepath.Join(cfg.DataDir, "index"))
	if err != nil {
		return nil, fmt.Errorf("opening the embedded index in %s: %w", cfg.DataDir, err)
	}
	return s, nil
}

// streamCacheEvents bounds the events the command handlers keep in memory
// between commands (about 12 MiB).
const streamCacheEvents = 20_000

// Lease timing: a holder renews every leaseTTL/3 and stops its projection
// when it could not renew for 2/3 of the TTL, before anyone may take over.
const leaseTTL = 6 * time.Second

// startProjections runs every projection under its lease: one Watermill
// router with one named handler per projection, fed by its own subscriber
// from its own checkpoint, in exactly one process at a time.
func (a *App) startProjections(ctx context.Context) error {
	hub, err := eventbus.NewHub(ctx, a.events, 0, a.logger)
	if err != nil {
		return err
	}
	a.hub = hub
	for _, p := range Projections(a.keys) {
		r := projections.NewRunner(p, a.search, a.logger)
		if err := r.Init(ctx); err != nil {
			return err
		}
		a.runners = append(a.runners, r)
	}
	if err := a.checkDefinitions(ctx); err != nil {
		return err
	}
	warm, cold, err := a.coldRunners(ctx)
	if err != nil {
		return err
	}
	a.wg.Add(len(warm))
	for _, r := range warm {
		go func() {
			defer a.wg.Done()
			a.runLeased(ctx, r)
		}()
	}
	if len(cold) == 0 {
		return nil
	}
	// Read models starting from nothing on a long log take the rebuild's
	// path first: the log read once for all of them, replayed in large
	// batches and compacted; then they go live from where it ended.
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		ps := make([]projections.Projection, len(cold))
		for i, r := range cold {
			ps[i] = r.Projection()
		}
		start := time.Now()
		n, err := projections.ReplayAll(ctx, a.events, a.search, ps, projections.ReplayOptions{Logger: a.logger})
		if err == nil {
			err = projections.CompactAll(ctx, a.search, ps)
		}
		if err != nil && ctx.Err() == nil {
			a.logger.Error("cold start replay failed; the read models catch up live instead", "err", err)
		} else if err == nil {
			a.logger.Info("cold start: read models replayed", "read_models", len(ps), "events", n,
				"seconds", time.Since(start).Seconds(), "events_per_s", float64(n)/max(time.Since(start).Seconds(), 1e-3))
		}
		a.wg.Add(len(cold))
		for _, r := range cold {
			go func() {
				defer a.wg.Done()
				a.runLeased(ctx, r)
			}()
		}
	}()
	return nil
}

// checkDefinitions compares each read model's definition with the one its
// index was built by. An index built from nothing by this code takes the
// current one; an index built by another (or before definitions were
// recorded) is stale: the server holding its lease rebuilds it while the
// old index keeps answering (runWhileHeld).
func (a *App) checkDefinitions(ctx context.Context) error {
	a.stale = map[string]string{}
	a.rebuilding = make(chan struct{}, 1)
	names := make([]string, len(a.runners))
	for i, r := range a.runners {
		names[i] = r.Projection().Name()
	}
	recorded, err := projections.RecordedDefinitions(ctx, a.search, names)
	if err != nil {
		return fmt.Errorf("reading the read models' definitions: %w", err)
	}
	fresh := map[string]string{}
	for _, r := range a.runners {
		name, want := r.Projection().Name(), projections.Definition(r.Projection())
		have, found := recorded[name]
		switch {
		case found && have == want:
		case r.Status().Checkpoint == 0:
			fresh[name] = want
		default:
			a.logger.Info("read model built by another definition: it will be rebuilt", "projection", name, "built_by", have, "now", want)
			a.stale[name] = want
		}
	}
	if err := projections.RecordDefinitions(ctx, a.search, fresh); err != nil {
		return fmt.Errorf("recording the read models' definitions: %w", err)
	}
	return nil
}

// rebuildStale rebuilds a read model whose index another definition built,
// then records the current one. The live runner keeps the old index
// current meanwhile.
func (a *App) rebuildStale(ctx context.Context, r *projections.Runner) {
	name := r.Projection().Name()
	a.staleMu.Lock()
	_, ok := a.stale[name]
	a.staleMu.Unlock()
	if !ok {
		return
	}
	select {
	case a.rebuilding <- struct{}{}:
		defer func() { <-a.rebuilding }()
	case <-ctx.Done():
		return
	}
	// Rebuild records the definition it built by.
	res, err := r.Rebuild(ctx, a.events, a.search)
	if errors.Is(err, projections.ErrRebuildRunning) {
		return
	}
	if err != nil {
		if ctx.Err() == nil {
			a.logger.Error("rebuilding a read model of another definition failed; the next start tries again", "projection", name, "err", err)
		}
		return
	}
	a.staleMu.Lock()
	delete(a.stale, name)
	a.staleMu.Unlock()
	a.logger.Info("read model rebuilt for its new definition", "projection", name, "events", res.Events, "seconds", res.Seconds)
}

// coldRunners splits the runners into those that go live at once and those
// that start from nothing on a long log. Only the embedded index takes the
// bulk path: this process is its only writer, while on Elasticsearch
// another server may hold a read model's lease.
func (a *App) coldRunners(ctx context.Context) (warm, cold []*projections.Runner, err error) {
	if a.cfg.Elasticsearch != "" {
		return a.runners, nil, nil
	}
	head, err := a.events.ReadAll(ctx, event.End, event.Backward, 1)
	if err != nil {
		return nil, nil, err
	}
	if len(head) == 0 || uint64(head[0].Position) < a.cfg.ColdReplayMin {
		return a.runners, nil, nil
	}
	for _, r := range a.runners {
		if r.Status().Checkpoint == 0 {
			cold = append(cold, r)
		} else {
			warm = append(warm, r)
		}
	}
	return warm, cold, nil
}

// runLeased runs one projection whenever this process holds its lease.
func (a *App) runLeased(ctx context.Context, r *projections.Runner) {
	name := r.Projection().Name()
	for ctx.Err() == nil {
		ok, err := a.leases.Acquire(ctx, name, a.holder, leaseTTL)
		if err != nil {
			a.logger.Warn("projection lease", "projection", name, "err", err)
		}
		if !ok {
			if !sleepCtx(ctx, leaseTTL/3) {
				return
			}
			continue
		}
		a.logger.Info("projection lease acquired", "projection", name, "holder", a.holder)
		a.runWhileHeld(ctx, r)
	}
}

// projectionBatchInterval spaces a read model's batches under load: each
// batch is one index write (a segment the embedded index persists and later
// merges), so 33 read models writing per event would spend the CPU on
// merging rather than on commands. It adds at most this much to the lag,
// and nothing to an event that follows a quiet spell.
const projectionBatchInterval = 50 * time.Millisecond

// runWhileHeld runs the projection's router until the lease is lost or ctx ends.
func (a *App) runWhileHeld(ctx context.Context, r *projections.Runner) {
	name := r.Projection().Name()
	if err := r.Init(ctx); err != nil { // another holder may have moved the checkpoint
		a.logger.Error("projection init", "projection", name, "err", err)
		return
	}
	router, err := a.newRouter()
	if err != nil {
		a.logger.Error("projection router", "projection", name, "err", err)
		return
	}
	sub := eventbus.NewSubscriber(a.hub, r.Start, eventbus.Options{MinInterval: projectionBatchInterval, Logger: a.logger})
	router.AddConsumerHandler(name, "$all", sub, func(msg *message.Message) error {
		batch, err := eventbus.Events(msg)
		if err != nil {
			return err
		}
		return r.HandleBatch(msg.Context(), batch)
	})
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := router.Run(ctx); err != nil {
			a.logger.Error("projection router stopped", "projection", name, "err", err)
		}
	}()
	held, release := context.WithCancel(ctx)
	rebuilt := make(chan struct{})
	go func() {
		defer close(rebuilt)
		a.rebuildStale(held, r)
	}()
	defer func() {
		release()
		<-rebuilt
		_ = router.Close()
		<-done
		release, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		_ = a.leases.Release(release, name, a.holder)
		cancel()
	}()
	renewed := time.Now()
	t := time.NewTicker(leaseTTL / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-done:
			return
		case <-t.C:
		}
		ok, err := a.leases.Acquire(ctx, name, a.holder, leaseTTL)
		switch {
		case err == nil && ok:
			renewed = time.Now()
		case err == nil && !ok:
			a.logger.Warn("projection lease lost to another process", "projection", name)
			return
		case time.Since(renewed) > 2*leaseTTL/3:
			a.logger.Error("projection lease could not be renewed in time; stopping", "projection", name, "err", err)
			return
		}
	}
}

func (a *App) newRouter() (*message.Router, error) {
	wlog := watermill.NewSlogLoggerWithLevelMapping(a.logger, map[slog.Level]slog.Level{slog.LevelInfo: slog.LevelDebug})
	router, err := message.NewRouter(message.RouterConfig{CloseTimeout: a.cfg.ShutdownTimeout}, wlog)
	if err != nil {
		return nil, err
	}
	router.AddMiddleware(
		middleware.Recoverer,
		middleware.Retry{MaxRetries: 5, InitialInterval: 100 * time.Millisecond, MaxInterval: 2 * time.Second, Multiplier: 2, Logger: wlog}.Middleware,
	)
	return router, nil
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// Addr is the address the HTTP server listens on.
func (a *App) Addr() string { return a.listener.Addr().String() }

// Events is the program's event store.
func (a *App) Events() eventstore.Store { return a.events }

// Search is the program's read-model store.
func (a *App) Search() projections.SearchStore { return a.search }

// Handlers are the program's command handlers.
func (a *App) Handlers() *commands.Handlers { return a.handlers }

// Handler is the HTTP API's handler (its routes: httpapi.Routes).
func (a *App) Handler() http.Handler { return a.http.Handler }

// Audit is the program's verifiable log.
func (a *App) Audit() *audit.Log { return a.audit }

// Policies are the program's time policies.
func (a *App) Policies() *policy.Runner { return a.policies }

// ProjectionStatus reports every projection with its lag behind $all.
type ProjectionStatus struct {
	projections.Status
	Head       event.Position `json:"head"`
	LagEvents  uint64         `json:"lag_events"`
	LagSeconds float64        `json:"lag_seconds"`
}

// Status reports each projection's progress against the head of $all.
func (a *App) Status(ctx context.Context) ([]ProjectionStatus, error) {
	head, err := a.events.ReadAll(ctx, event.End, event.Backward, 1)
	if err != nil {
		return nil, err
	}
	var headPos event.Position
	if len(head) > 0 {
		headPos = head[0].Position
	}
	out := make([]ProjectionStatus, 0, len(a.runners))
	for _, r := range a.runners {
		st := ProjectionStatus{Status: r.Status(), Head: headPos}
		// Another process may hold the lease and be further on; this one's
		// runner may be ahead of its last checkpoint write.
		if cp, err := a.search.Checkpoint(ctx, st.Name); err == nil && cp > st.Checkpoint {
			st.Checkpoint = cp
		}
		if st.Checkpoint < headPos {
			next, err := a.events.ReadAll(ctx, st.Checkpoint, event.Forward, 1)
			if err != nil {
				return nil, err
			}
			if len(next) > 0 {
				// The program's clock stamps the events (a test's or the
				// demo's may run elsewhere in time than the wall clock).
				st.LagSeconds = max(0, a.cfg.Clock.Now().Sub(next[0].RecordedAt).Seconds())
			}
			// Positions need not be contiguous (EventStoreDB), so this
			// counts the events still to read, up to a bound.
			st.LagEvents = a.countAfter(ctx, st.Checkpoint, headPos)
		}
		out = append(out, st)
	}
	return out, nil
}

// countAfter counts events after from up to head; the embedded store
// numbers positions without gaps, so the difference is exact there.
func (a *App) countAfter(ctx context.Context, from, head event.Position) uint64 {
	if a.cfg.EventStore == "" {
		return uint64(head - from)
	}
	const bound = 10000
	evs, err := a.events.ReadAll(ctx, from, event.Forward, bound)
	if err != nil {
		return 0
	}
	return uint64(len(evs))
}

// Ready reports nil when every projection is caught up to within one second.
func (a *App) Ready(ctx context.Context) error {
	sts, err := a.Status(ctx)
	if err != nil {
		return err
	}
	for _, st := range sts {
		if st.Checkpoint < st.Head && st.LagSeconds > 1 {
			return fmt.Errorf("projection %s is %.1f s behind (%d events)", st.Name, st.LagSeconds, st.LagEvents)
		}
	}
	return nil
}

// WaitCaughtUp waits until every projection has handled position pos.
func (a *App) WaitCaughtUp(ctx context.Context, pos event.Position) error {
	for {
		done := true
		for _, r := range a.runners {
			if r.Status().Checkpoint >= pos {
				continue
			}
			if cp, err := a.search.Checkpoint(ctx, r.Projection().Name()); err != nil || cp < pos {
				done = false
			}
		}
		if done {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// Close drains HTTP requests, stops projections and policies, and closes
// the stores.
func (a *App) Close(ctx context.Context) error {
	var errs []error
	a.closed.Do(func() {
		ctx, cancel := context.WithTimeout(ctx, a.cfg.ShutdownTimeout)
		defer cancel()
		if a.http != nil {
			if err := a.http.Shutdown(ctx); err != nil {
				errs = append(errs, fmt.Errorf("draining http: %w", err))
			}
		}
		if a.cancel != nil {
			a.cancel()
		}
		a.wg.Wait()
		errs = append(errs, a.closeStores())
	})
	return errors.Join(errs...)
}

func (a *App) closeStores() error {
	var errs []error
	if a.audit != nil {
		errs = append(errs, a.audit.Close())
	}
	if a.search != nil {
		errs = append(errs, a.search.Close())
	}
	if a.events != nil {
		errs = append(errs, a.events.Close())
	}
	return errors.Join(errs...)
}

// OpenKeys opens the households' data keys (cfg validated): the master key
// (--data-key, created on first start) and the key store, in the data
// directory (DATA/keys) or, with --elasticsearch, an index beside the read
// models so that every server sees a key the moment it is made or destroyed.
func OpenKeys(ctx context.Context, cfg Config) (*personal.Sealer, error) {
	master, err := personal.LoadOrCreateKey(cfg.DataKeyFile)
	if err != nil {
		return nil, err
	}
	var ks personal.KeyStore
	if cfg.Elasticsearch != "" {
		if ks, err = eskeys.Open(ctx, cfg.Elasticsearch, cfg.IndexPrefix); err != nil {
			return nil, fmt.Errorf("opening the data keys in Elasticsearch: %w", err)
		}
	} else if ks, err = personal.OpenDir(filepath.Join(cfg.DataDir, "keys")); err != nil {
		return nil, err
	}
	return personal.NewSealer(ks, master, personal.WithClock(cfg.Clock.Now))
}

// openAudit opens the verifiable log: its derived tree in DATA/audit, its
// signing key in the audit key file.
func openAudit(ctx context.Context, cfg Config, store audit.Store) (*audit.Log, error) {
	key, err := audit.LoadOrCreateKey(cfg.AuditKeyFile)
	if err != nil {
		return nil, err
	}
	return audit.Open(ctx, store, audit.Options{
		Dir:      filepath.Join(cfg.DataDir, "audit"),
		Signer:   audit.NewSigner(key),
		Interval: cfg.AuditInterval,
		Every:    cfg.AuditEvery,
		Clock:    cfg.Clock.Now,
		Logger:   cfg.Logger,
	})
}

// compact merges every read model's index into one segment while the
// server answers (Config.CompactAtStart).
func (a *App) compact(ctx context.Context) {
	start := time.Now()
	ps := make([]projections.Projection, len(a.runners))
	for i, r := range a.runners {
		ps[i] = r.Projection()
	}
	if err := projections.CompactAll(ctx, a.search, ps); err != nil {
		if ctx.Err() == nil {
			a.logger.Warn("compacting the read models failed; the index's own merges go on", "err", err)
		}
		return
	}
	a.logger.Info("read models compacted", "read_models", len(ps), "seconds", time.Since(start).Seconds())
}
