package demo

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/complaint"
	"github.com/butler-pm/butler/domain/fee"
	"github.com/butler-pm/butler/domain/workorder"
	"github.com/butler-pm/butler/infra/eventstore/embedded"
	"github.com/butler-pm/butler/infra/personal"
)

// Shanghai is the compound's time zone.
var Shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// Options shape the generated compound.
type Options struct {
	// Households is the number of units with an owner (default 2,000).
	Households int
	// Months of operations, ending at Until (default 12).
	Months int
	// Seed makes the run reproducible (same seed and Until, same events).
	Seed uint64
	// Until is the end of the simulated period (default: today 00:00 in Shanghai).
	Until time.Time
	// Project is the compound's project id (default "p1").
	Project string
	// Districts is the number of districts (片区), each with two butlers (default 4).
	Districts int
	Logger    *slog.Logger
	// Keys seals households' contacts (default: DemoKeys in memory).
	Keys commands.PersonalKeys
	// Follow, when set, runs beside the generation (Run only): it gets the
	// store being written, the keys that open its households' contacts, and
	// a channel closed when the generation has ended, so it can fold the
	// events into read models on the core the generation leaves idle. The
	// store closes when it returns; its error is Run's.
	Follow func(ctx context.Context, events *embedded.Store, keys *personal.Sealer, generated <-chan struct{}) error
}

func (o *Options) defaults() error {
	if o.Households == 0 {
		o.Households = 2000
	}
	if o.Months == 0 {
		o.Months = 12
	}
	if o.Households < 1 || o.Months < 1 || o.Months > 120 {
		return fmt.Errorf("demo: households must be ≥ 1 and months 1–120, got %d and %d", o.Households, o.Months)
	}
	if o.Until.IsZero() {
		now := time.Now().In(Shanghai)
		o.Until = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, Shanghai)
	}
	if o.Project == "" {
		o.Project = "p1"
	}
	if o.Districts == 0 {
		o.Districts = 4
	}
	if o.Districts < 1 || o.Districts > len(districtNames) {
		return fmt.Errorf("demo: districts must be 1–%d", len(districtNames))
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return nil
}

// District is one generated district with its butlers.
type District struct {
	ID      string
	Name    string
	Butlers []string
}

// Summary is what a run produced.
type Summary struct {
	Project             string
	Districts           []District
	Supervisor, Manager string
	From, Until         time.Time
	Households          int
	Staff               int
	Complaints          int
	WorkOrders          int
	RainyDays           int
	Bills, Payments     int
	Commands            int
	// Refused counts commands the domain refused; a correct generator has none.
	Refused int
	Events  uint64
	Elapsed time.Duration
}

// Run generates into the embedded event store of dataDir (DIR/events),
// which must be empty; the store records the simulated time. Households'
// contacts are sealed under keys in DIR/keys, wrapped by the master key
// in dataKeyFile ("" is DIR/data.key), as the server keeps them.
func Run(ctx context.Context, dataDir, dataKeyFile string, o Options) (Summary, error) {
	if err := o.defaults(); err != nil {
		return Summary{}, err
	}
	if !Empty(dataDir) {
		return Summary{}, fmt.Errorf("demo: %s already holds an event store; demo data goes into an empty data directory", dataDir)
	}
	clock := NewClock(o.Until.AddDate(0, -o.Months, 0))
	if dataKeyFile == "" {
		dataKeyFile = filepath.Join(dataDir, "data.key")
	}
	master, err := personal.LoadOrCreateKey(dataKeyFile)
	if err != nil {
		return Summary{}, err
	}
	ks, err := personal.OpenDir(filepath.Join(dataDir, "keys"))
	if err != nil {
		return Summary{}, err
	}
	buffered := newBufferedKeys()
	sealer, err := DemoKeys(buffered, master, o.Seed, clock)
	if err != nil {
		return Summary{}, err
	}
	o.Keys = sealer
	// A fresh directory, made again if the run is cut short: appends need
	// not wait for the disk one by one (Close makes them durable).
	store, err := embedded.Open(filepath.Join(dataDir, "events"), embedded.WithClock(clock.Now), embedded.WithLogger(o.Logger), embedded.WithoutSync())
	if err != nil {
		return Summary{}, err
	}
	generated := make(chan struct{})
	followed := make(chan error, 1)
	followCtx, stopFollowing := context.WithCancel(ctx)
	defer stopFollowing()
	if o.Follow != nil {
		go func() { followed <- o.Follow(followCtx, store, sealer, generated) }()
	} else {
		followed <- nil
	}
	sum, genErr := Generate(ctx, store, clock, o)
	if genErr != nil {
		stopFollowing() // the data directory is no good: stop folding it
	}
	close(generated)
	if genErr == nil {
		genErr = buffered.flush(ctx, ks)
	}
	followErr := <-followed
	head, err := store.Head(ctx)
	if err == nil {
		sum.Events = uint64(head)
	}
	return sum, errors.Join(genErr, followErr, store.Close())
}

// Empty reports whether dataDir has no event store yet.
func Empty(dataDir string) bool {
	entries, err := os.ReadDir(filepath.Join(dataDir, "events"))
	return err != nil || len(entries) == 0
}

// Generate runs the simulation on store: clock must be at the start of the
// period (Until minus Months) and is moved to each step's time in turn.
func Generate(ctx context.Context, store commands.EventStore, clock *Clock, o Options) (Summary, error) {
	if err := o.defaults(); err != nil {
		return Summary{}, err
	}
	started := time.Now()
	g := &gen{
		ctx: ctx, o: o, clock: clock,
		rng:   rand.New(rand.NewPCG(o.Seed, o.Seed+1)),
		from:  o.Until.AddDate(0, -o.Months, 0),
		until: o.Until,
		store: store, vacantFindingCount: map[string]int{}, archivesOnLoan: map[string]bool{},
		dues: map[string]bool{}, archiveOf: map[string]string{}, keyUnits: map[string]bool{}, targets: map[string]int64{}, monthWorkOrders: map[string][]string{},
	}
	clock.Set(g.from)
	if o.Keys == nil {
		k, err := DemoKeys(personal.NewMemory(), make([]byte, 32), o.Seed, clock)
		if err != nil {
			return Summary{}, err
		}
		o.Keys = k
	}
	g.h = NewHandlers(store, clock, NewIDs(o.Seed, clock), o.Keys)
	g.useRegisters() // the rules the server checks against its read models (R-F4, R-K3, R-M3, R-R5)
	g.sum = Summary{Project: o.Project, From: g.from, Until: g.until, Households: o.Households}
	g.plan()
	for g.queue.Len() > 0 {
		if err := ctx.Err(); err != nil {
			return g.sum, err
		}
		s := heap.Pop(&g.queue).(*step)
		if s.at.After(g.until) {
			continue // beyond the period: the record stays open, as recent ones are
		}
		clock.Set(s.at)
		if err := s.run(); err != nil {
			return g.sum, err
		}
	}
	g.sum.Elapsed = time.Since(started)
	return g.sum, nil
}

// step is one command at a simulated time.
type step struct {
	at  time.Time
	seq int
	run func() error
}

type queue []*step

func (q queue) Len() int { return len(q) }
func (q queue) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}
func (q queue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)   { *q = append(*q, x.(*step)) }
func (q *queue) Pop() any {
	old := *q
	s := old[len(old)-1]
	*q = old[:len(old)-1]
	return s
}

type household struct {
	unit, owner, phone, district string
	butler                       commands.Principal
	area                         int     // m², for the property fee
	payer                        float64 // how likely the owner pays a bill
}

type gen struct {
	ctx         context.Context
	o           Options
	clock       *Clock
	rng         *rand.Rand
	h           *commands.Handlers
	from, until time.Time
	queue       queue
	seq         int
	sum         Summary

	households []household
	engineers  map[string][]string // district -> engineer ids
	supervisor commands.Principal
	manager    commands.Principal
	operator   commands.Principal
	rainy      []time.Time // rainy dates, in order

	// Live state the modules' steps read when they run.
	store              commands.EventStore
	vacantFindingCount map[string]int
	renovationsOpen    []string
	renovationsSeen    bool
	archives           []string
	archivesOnLoan     map[string]bool
	carried            []string // messages handed over to the next shift
	lastVisit          string
	dues               map[string]bool     // records whose required return visit is open
	archiveOf          map[string]string   // unit -> its archive
	keyUnits           map[string]bool     // units whose key the custodian holds
	targets            map[string]int64    // month|butler -> fen billed that month
	monthWorkOrders    map[string][]string // month -> work orders registered in it
	rs                 rulesState          // what the rules of issue 13 need (rules.go)
}

func (g *gen) at(t time.Time, run func() error) {
	g.seq++
	// Whole seconds read better in histories than nanoseconds.
	heap.Push(&g.queue, &step{at: t.Truncate(time.Second), seq: g.seq, run: run})
}

func (g *gen) pick(list []string) string { return list[g.rng.IntN(len(list))] }
func (g *gen) chance(p float64) bool     { return g.rng.Float64() < p }
func (g *gen) between(lo, hi time.Duration) time.Duration {
	return lo + time.Duration(g.rng.Int64N(int64(hi-lo)+1))
}

// do runs one command; a refusal by the domain is counted, not fatal (the
// record simply stops there), anything else ends the run.
func (g *gen) do(what string, f func(ctx context.Context) error) (bool, error) {
	g.sum.Commands++
	err := f(g.ctx)
	if err == nil {
		return true, nil
	}
	var appErr *apperr.Error
	if errors.As(err, &appErr) && appErr.Kind != apperr.Internal && appErr.Kind != apperr.Unavailable {
		g.sum.Refused++
		g.o.Logger.Warn("demo command refused", "command", what, "at", g.clock.Now(), "code", appErr.Code, "err", err)
		return false, nil
	}
	return false, fmt.Errorf("demo: %s at %s: %w", what, g.clock.Now().Format(time.RFC3339), err)
}

func meta(p commands.Principal) commands.Meta { return commands.Meta{Principal: p} }

// plan lays out staff, households, rainy days and every record's first step.
func (g *gen) plan() {
	o := g.o
	g.initRules()
	g.supervisor = commands.Principal{StaffID: "s-001", Role: commands.RoleSupervisor, Project: o.Project}
	g.manager = commands.Principal{StaffID: "pm-001", Role: commands.RoleProjectManager, Project: o.Project}
	g.operator = commands.Principal{StaffID: "op-001", Role: commands.RoleOperator, Project: o.Project}
	g.sum.Supervisor, g.sum.Manager = g.supervisor.StaffID, g.manager.StaffID
	g.engineers = map[string][]string{}
	day0 := time.Date(g.from.Year(), g.from.Month(), g.from.Day(), 8, 30, 0, 0, Shanghai)

	// Staff: registered, trained and assessed before the first records.
	type member struct{ id, role, district string }
	var staff []member
	butlers := map[string][]commands.Principal{}
	for d := 0; d < o.Districts; d++ {
		id := fmt.Sprintf("d%d", d+1)
		dist := District{ID: id, Name: districtNames[d]}
		for b := 0; b < 2; b++ {
			sid := fmt.Sprintf("b-%03d", d*2+b+1)
			dist.Butlers = append(dist.Butlers, sid)
			staff = append(staff, member{sid, commands.RoleButler, id})
			butlers[id] = append(butlers[id], commands.Principal{StaffID: sid, Role: commands.RoleButler, Project: o.Project, District: id})
			eid := fmt.Sprintf("e-%03d", d*2+b+1)
			staff = append(staff, member{eid, commands.RoleEngineer, ""})
			g.engineers[id] = append(g.engineers[id], eid)
		}
		g.sum.Districts = append(g.sum.Districts, dist)
	}
	staff = append(staff, member{g.supervisor.StaffID, commands.RoleSupervisor, ""}, member{g.manager.StaffID, commands.RoleProjectManager, ""},
		member{g.operator.StaffID, commands.RoleOperator, ""}, member{operator2.StaffID, commands.RoleOperator, ""},
		member{custodian.StaffID, commands.RoleCustodian, ""}, member{archivist.StaffID, commands.RoleArchivist, ""},
		member{cashier.StaffID, commands.RoleCashier, ""}, member{operations.StaffID, commands.RoleOperations, ""},
		member{quality.StaffID, commands.RoleQuality, ""})
	for d := 0; d < o.Districts; d++ {
		c := g.cleaner(fmt.Sprintf("d%d", d+1))
		staff = append(staff, member{c.StaffID, c.Role, c.District})
	}
	// The project's district register comes first: records go only there.
	for _, dist := range g.sum.Districts {
		g.at(day0.Add(-time.Minute), func() error {
			_, err := g.do("district register", func(ctx context.Context) error {
				_, err := g.h.District.Register.Handle(ctx, meta(g.manager), commands.RegisterDistrict{Code: dist.ID, Name: dist.Name})
				return err
			})
			return err
		})
	}
	for i, m := range staff {
		m := m
		name := g.pick(surnames) + g.pick(givenNames)
		t := day0.Add(time.Duration(i) * time.Minute)
		g.at(t, func() error {
			ok, err := g.do("staff register", func(ctx context.Context) error {
				_, err := g.h.Staff.Register.Handle(ctx, meta(g.supervisor), commands.RegisterStaff{StaffID: m.id, Name: name, Role: m.role, District: m.district})
				return err
			})
			if ok {
				g.sum.Staff++
			}
			return err
		})
		g.at(t.Add(2*time.Hour), func() error {
			_, err := g.do("staff training", func(ctx context.Context) error {
				_, err := g.h.Staff.AttendTraining.Handle(ctx, meta(g.supervisor), commands.AttendTraining{StaffID: m.id, Session: "入职培训-" + g.from.Format("200601"), Topic: g.pick(trainingTopics)})
				return err
			})
			return err
		})
		score := 65 + g.rng.IntN(34)
		g.at(t.Add(6*time.Hour), func() error {
			_, err := g.do("staff assessment", func(ctx context.Context) error {
				_, err := g.h.Staff.Assess.Handle(ctx, meta(g.supervisor), commands.AssessStaff{StaffID: m.id, Kind: "written", Onboarding: true, Score: score})
				return err
			})
			return err
		})
		if m.role == commands.RoleButler {
			g.planStaffRoutine(m.id, day0)
		}
		g.planStaffDuties(m.id, m.role, m.district, day0)
	}

	// Households: buildings of 2 entrances × 18 floors × 2 flats, districts in blocks.
	perBuilding := 72
	buildings := (o.Households + perBuilding - 1) / perBuilding
	for i := 0; i < o.Households; i++ {
		b := i / perBuilding
		k := i % perBuilding
		unit := fmt.Sprintf("%d-%d-%d%02d", b+1, k/36+1, (k%36)/2+1, k%2+1)
		d := b * o.Districts / max(buildings, 1)
		did := fmt.Sprintf("d%d", d+1)
		bs := butlers[did]
		g.households = append(g.households, household{
			unit: unit, owner: g.pick(surnames) + g.pick(givenNames), district: did,
			phone:  fmt.Sprintf("1%d%09d", 3+g.rng.IntN(7), g.rng.IntN(1_000_000_000)),
			butler: bs[k%len(bs)],
			area:   70 + g.rng.IntN(71),
			payer:  []float64{0.995, 0.99, 0.98, 0.96, 0.8}[g.rng.IntN(5)],
		})
	}
	for i := range g.households {
		g.planFees(g.households[i], i/2) // each butler has every month of the half year
	}

	// Rain: more in the plum-rain and typhoon months.
	start := day0.Add(24 * time.Hour)
	for d := start; d.Before(g.until); d = d.AddDate(0, 0, 1) {
		p := [13]float64{0, .25, .28, .33, .35, .38, .55, .45, .42, .33, .22, .2, .18}[d.Month()]
		if g.chance(p) {
			date := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, Shanghai)
			g.rainy = append(g.rainy, date)
			rec := date.Add(7*time.Hour + 30*time.Minute)
			if g.chance(0.2) {
				rec = date.Add(15*time.Hour + 30*time.Minute) // the rain began in the afternoon
			}
			g.rs.rainAt[date] = rec
			g.at(rec, func() error {
				ok, err := g.do("rainy day", func(ctx context.Context) error {
					_, err := g.h.RainyDay.Record.Handle(ctx, meta(g.operator), commands.RecordRainyDay{Date: date.Format(time.DateOnly)})
					return err
				})
				if ok {
					g.sum.RainyDays++
				}
				return err
			})
		}
	}

	// Records: complaints ~0.4 and repairs ~1.5 per household and year.
	span := g.until.Sub(start)
	years := float64(o.Months) / 12
	nc := int(math.Round(float64(o.Households) * 0.4 * years))
	nw := int(math.Round(float64(o.Households) * 1.5 * years))
	for i := 0; i < nc; i++ {
		hh := g.households[g.rng.IntN(len(g.households))]
		g.planComplaint(hh, g.workingTime(start.Add(time.Duration(g.rng.Int64N(int64(span))))))
	}
	for i := 0; i < nw; i++ {
		hh := g.households[g.rng.IntN(len(g.households))]
		g.planWorkOrder(hh, g.workingTime(start.Add(time.Duration(g.rng.Int64N(int64(span))))))
	}
	g.planModules(day0)
}

// workingTime moves t into service-desk hours (08:00–20:00).
func (g *gen) workingTime(t time.Time) time.Time {
	t = t.In(Shanghai)
	if h := t.Hour(); h < 8 || h >= 20 {
		t = time.Date(t.Year(), t.Month(), t.Day(), 8+g.rng.IntN(12), g.rng.IntN(60), 0, 0, Shanghai)
	}
	return t
}

// planStaffRoutine: a monthly pre-shift check (R-S1); the weekly talks are planStaffDuties'.
func (g *gen) planStaffRoutine(id string, day0 time.Time) {
	for m := 1; m <= g.o.Months; m++ {
		first := time.Date(day0.Year(), day0.Month()+time.Month(m), 1, 9, 30, 0, 0, Shanghai)
		t := first.AddDate(0, 0, g.rng.IntN(20))
		passed := g.chance(0.93)
		g.at(t, func() error {
			_, err := g.do("behaviour check", func(ctx context.Context) error {
				_, err := g.h.Staff.CheckBehaviour.Handle(ctx, meta(g.supervisor), commands.CheckBehaviour{StaffID: id, Method: "pre_shift", Passed: passed, Notes: "班前检查仪容仪表与工作日志"})
				return err
			})
			return err
		})
	}
}

// satisfaction drifts: the compound improves over the year, while one
// district has a bad patch in the middle months.
func (g *gen) satisfaction(district string) int {
	progress := float64(g.clock.Now().Sub(g.from)) / float64(g.until.Sub(g.from))
	mean := 4.1 + 0.4*progress
	if g.bad(district) {
		mean -= 0.9
	}
	s := int(math.Round(mean + g.rng.NormFloat64()*0.6))
	return min(max(s, 1), 5)
}

// bad reports the documented bad patch: district d2 in the middle of the
// period (BadPatch), when its butlers were short-handed (one on sick
// leave, a newcomer covering). Satisfaction drops, return visits run late
// and repairs slip there.
func (g *gen) bad(district string) bool {
	from, to := BadPatch(g.from, g.until)
	now := g.clock.Now()
	return district == BadDistrict && now.After(from) && now.Before(to)
}

// BadDistrict is the district with the documented bad patch.
const BadDistrict = "d2"

// BadPatch is when the bad patch lasts in a period from..until: from 35%
// to 65% of it (in a year, early in month 5 to late in month 9).
func BadPatch(from, until time.Time) (time.Time, time.Time) {
	span := until.Sub(from)
	return from.Add(span * 35 / 100), from.Add(span * 65 / 100)
}

// slack is the chance something is forgotten or late: usual in a
// well-run district, bad in the bad patch.
func (g *gen) slack(district string, usual, bad float64) float64 {
	if g.bad(district) {
		return bad
	}
	return usual
}

// work moves t forward into staff's working hours (08:00–20:00 in
// Shanghai): what would fall at night waits for the morning.
func (g *gen) work(t time.Time) time.Time {
	t = t.In(Shanghai)
	switch h := t.Hour(); {
	case h < 8:
		return time.Date(t.Year(), t.Month(), t.Day(), 8, 0, 0, 0, Shanghai).Add(g.between(0, 90*time.Minute))
	case h >= 20:
		return time.Date(t.Year(), t.Month(), t.Day()+1, 8, 0, 0, 0, Shanghai).Add(g.between(0, 90*time.Minute))
	}
	return t
}

// tick is when the server's time rules, which tick every minute, first
// see a deadline passed: a minute after it, or, for a deadline in the
// period's last minute or at its very end, at its end (where `serve
// --demo` takes over).
func (g *gen) tick(deadline time.Time) time.Time {
	t := deadline.Add(time.Minute)
	if t.After(g.until) && !deadline.After(g.until) {
		t = g.until // a day that ends with the period ends before the server starts
	}
	return t
}

// policy runs a time rule's command on one record at t, as the server's
// policy runner does: the domain decides whether anything is recorded.
func (g *gen) policy(t time.Time, what string, f func(ctx context.Context) (bool, error)) {
	g.at(t, func() error {
		return g.run(what, func(ctx context.Context) error {
			_, err := f(ctx)
			return err
		})
	})
}

func (g *gen) comment(s int) string { return g.pick(commentsBySatisfaction[s]) }

func channel(g *gen) string {
	return g.pick([]string{"phone", "phone", "visit", "wechat", "sms", "service_desk"})
}

// planComplaint: soothe and register, dispatch, follow up, perhaps explain
// a delay, escalate or flag a group risk, resolve, return visit, close.
func (g *gen) planComplaint(hh household, t0 time.Time) {
	kind := complaintKinds[g.rng.IntN(len(complaintKinds))]
	text := kind.cases[g.rng.IntN(len(kind.cases))]
	bp := hh.butler
	var id string
	reg := commands.RegisterComplaint{Unit: hh.unit, Owner: hh.owner, Phone: hh.phone, Category: kind.category,
		Description: text.description, Soothing: g.pick(soothings)}
	assignee := bp.StaffID
	if kind.category == "漏水" || kind.category == "电梯" || kind.category == "安全" {
		assignee = g.pick(g.engineers[hh.district])
	}
	escalation := escalationReasons
	if kind.risky {
		escalation = append(slices.Clone(escalationReasons), "涉及多户业主，需主管协调")
	}
	delayed := g.chance(0.08)
	escalate := g.chance(0.06)
	risky := kind.risky && g.chance(0.05)
	// R-C5: a few a month are important (the supervisor's own), and an
	// escalated one is resolved and closed at the level it reached.
	important := !escalate && g.chance(0.06)
	handler := bp
	if escalate || important {
		handler = g.supervisor
	}
	// R-C7: one in fifteen is not a valid complaint.
	valid, validity := true, g.pick(validReasons)
	if g.chance(0.07) {
		valid, validity = false, g.pick(invalidReasons)
	}
	g.at(t0, func() error {
		ok, err := g.do("complaint register", func(ctx context.Context) error {
			r, err := g.h.Complaint.Register.Handle(ctx, meta(bp), reg)
			id = r.ID
			return err
		})
		if !ok {
			return err
		}
		g.sum.Complaints++
		g.complaintTimeRules(id, hh, kind.category, g.clock.Now())
		if important {
			reason := g.pick(importantReasons)
			g.at(g.work(t0.Add(g.between(30*time.Minute, 2*time.Hour))), func() error {
				return g.run("complaint mark important", func(ctx context.Context) error {
					_, err := g.h.Complaint.MarkImportant.Handle(ctx, meta(g.supervisor), commands.MarkComplaintImportant{ComplaintID: id, Reason: reason})
					return err
				})
			})
		}
		// A bad patch (R-C3's documented dip) decides at registration.
		visited := !g.chance(g.slack(hh.district, 0.015, 0.12))
		t := g.work(t0.Add(g.between(10*time.Minute, 3*time.Hour)))
		g.at(t, func() error {
			ok, err := g.do("complaint dispatch", func(ctx context.Context) error {
				_, err := g.h.Complaint.Dispatch.Handle(ctx, meta(bp), commands.DispatchComplaint{ComplaintID: id, Assignee: assignee})
				return err
			})
			if !ok {
				return err
			}
			t := g.clock.Now()
			// R-C2: urgent categories are resolved within a day, the others
			// within three; follow-ups come at that pace.
			urgentCat := slices.Contains(complaint.UrgentCategories, kind.category)
			gap := 12 * time.Hour
			if urgentCat {
				gap = 3 * time.Hour
			}
			dispatched := t
			for i := 0; i < 1+g.rng.IntN(3); i++ {
				t = g.work(t.Add(g.between(time.Hour, gap)))
				note := g.pick(complaintFollowUps)
				ch := channel(g)
				g.at(t, func() error {
					ok, err := g.do("complaint follow-up", func(ctx context.Context) error {
						_, err := g.h.Complaint.FollowUp.Handle(ctx, meta(bp), commands.FollowUpComplaint{ComplaintID: id, Channel: ch, Note: note})
						return err
					})
					if ok {
						g.fileComplaint(id, hh.unit)
					}
					return err
				})
			}
			if risky {
				g.at(g.work(t.Add(time.Hour)), func() error {
					ok, err := g.do("complaint flag risk", func(ctx context.Context) error {
						_, err := g.h.Complaint.FlagRisk.Handle(ctx, meta(bp), commands.FlagComplaintRisk{ComplaintID: id, Reason: g.pick(riskReasons)})
						return err
					})
					if !ok {
						return err
					}
					return g.acknowledgeLast(complaint.Stream(id))
				})
			}
			if escalate {
				g.at(g.work(t.Add(2*time.Hour)), func() error {
					_, err := g.do("complaint escalate", func(ctx context.Context) error {
						_, err := g.h.Complaint.Escalate.Handle(ctx, meta(bp), commands.EscalateComplaint{ComplaintID: id, Reason: g.pick(escalation)})
						return err
					})
					return err
				})
			}
			extra := time.Duration(0)
			if delayed {
				extra = g.between(3*24*time.Hour, 7*24*time.Hour)
				g.at(g.work(dispatched.Add(g.between(30*time.Minute, 2*time.Hour))), func() error {
					by := g.clock.Now().Add(extra).In(Shanghai).Format(time.DateOnly)
					_, err := g.do("complaint explain delay", func(ctx context.Context) error {
						_, err := g.h.Complaint.ExplainDelay.Handle(ctx, meta(bp), commands.ExplainComplaintDelay{ComplaintID: id, Reason: text.delay, ExpectedBy: by})
						return err
					})
					return err
				})
			}
			res := g.work(t.Add(time.Hour + extra + g.between(0, gap)))
			if g.chance(g.slack(hh.district, 0.03, 0.2)) {
				res = g.work(res.Add(g.between(24*time.Hour, 72*time.Hour))) // slipped, nobody told the owner
			}
			g.at(res, func() error {
				ok, err := g.do("complaint resolve", func(ctx context.Context) error {
					_, err := g.h.Complaint.Resolve.Handle(ctx, meta(handler), commands.ResolveComplaint{ComplaintID: id, Resolution: text.resolution, Valid: &valid, ValidityReason: validity})
					return err
				})
				if !ok {
					return err
				}
				delete(g.rs.openComplaints, id)
				// R-H3: the policy makes a return visit due; the butler goes.
				resolved := g.clock.Now()
				g.openDue(g.tick(resolved), "complaint", id)
				if !visited {
					return nil
				}
				g.at(g.work(resolved.Add(g.between(2*time.Hour, 40*time.Hour))), func() error {
					if err := g.returnVisit(bp, hh, id, "回访投诉处理结果：“"+text.resolution+"”，听取业主评价"); err != nil {
						return err
					}
					s := g.satisfaction(hh.district)
					ok, err := g.do("complaint return visit", func(ctx context.Context) error {
						_, err := g.h.Complaint.ReturnVisit.Handle(ctx, meta(bp), commands.ReturnVisitComplaint{ComplaintID: id,
							Channel: g.pick([]string{"phone", "visit"}), Satisfaction: s, Comment: g.pick(complaintComments[s])})
						return err
					})
					if !ok {
						return err
					}
					g.fileComplaint(id, hh.unit)
					g.at(g.work(g.clock.Now().Add(g.between(10*time.Minute, 24*time.Hour))), func() error {
						_, err := g.do("complaint close", func(ctx context.Context) error {
							_, err := g.h.Complaint.Close.Handle(ctx, meta(handler), commands.CloseComplaint{ComplaintID: id})
							return err
						})
						return err
					})
					return nil
				})
				return nil
			})
			return nil
		})
		return nil
	})
}

// planFees bills the property fee half-yearly in advance (物业费 at 2.5
// yuan/m² a month, plus shared utilities), each household in its own
// month of the half year (a sixth of the compound is billed each month,
// so each month's collection plan is that month's bills), and records the
// owner's payments: most pay before the due date, a few late, some not at
// all (arrears). The time rules run as they fall due: the ageing rule at
// the due date's end and at each bucket's start, the R-H3 rule once a
// bill is in arrears, and the butler visits the household within its week.
func (g *gen) planFees(hh household, offset int) {
	first := time.Date(g.from.Year(), g.from.Month(), 1, 10, 0, 0, 0, Shanghai).AddDate(0, 1+offset%6, 0)
	for q := first; q.Before(g.until); q = q.AddDate(0, 6, 0) {
		at := q.Add(time.Duration(g.rng.IntN(6*3600)) * time.Second)
		period := q.Format("2006-01")
		due := q.AddDate(0, 0, 24).Format(time.DateOnly)
		// The domain's due is the end of the due date.
		dueEnd := time.Date(q.Year(), q.Month(), q.Day()+25, 0, 0, 0, 0, Shanghai).Add(-time.Second)
		items := []fee.Item{{Name: "物业费", AmountFen: int64(hh.area) * 250 * 6}, {Name: "公摊水电", AmountFen: int64(1500 + g.rng.IntN(3000))}}
		total := items[0].AmountFen + items[1].AmountFen
		g.targets[period+"|"+hh.butler.StaffID] += total
		pays := g.chance(hh.payer)
		late := g.chance(0.07)
		split := g.chance(0.1)
		payAt := g.work(at.Add(g.between(6*time.Hour, 22*24*time.Hour)))
		if late {
			payAt = g.work(dueEnd.Add(g.between(2*24*time.Hour, 40*24*time.Hour)))
		}
		method := g.pick([]string{"wechat", "wechat", "alipay", "bank", "cash"})
		g.at(at, func() error {
			var id string
			ok, err := g.do("fee bill", func(ctx context.Context) error {
				r, err := g.h.Fee.IssueBill.Handle(ctx, meta(hh.butler), commands.IssueBill{Unit: hh.unit, Period: period, Items: items, Due: due})
				id = r.ID
				return err
			})
			if !ok {
				return err
			}
			g.sum.Bills++
			var paid int64
			for i, days := range []int{0, 31, 91, 181} {
				g.at(g.tick(dueEnd.AddDate(0, 0, days)), func() error {
					if paid >= total {
						return nil // paid: the rule finds nothing
					}
					recorded := false
					err := g.run("arrears ageing policy", func(ctx context.Context) error {
						var err error
						recorded, err = g.h.RecordArrearsAgeing(ctx, id)
						return err
					})
					if err != nil || !recorded || i > 0 {
						return err
					}
					// In arrears: the R-H3 rule makes a collection visit due.
					g.openDue(g.clock.Now(), "fee", id)
					visitAt := g.work(g.clock.Now().Add(g.between(24*time.Hour, 5*24*time.Hour)))
					if g.chance(g.slack(hh.district, 0.02, 0.15)) {
						visitAt = g.work(g.clock.Now().Add(g.between(8*24*time.Hour, 12*24*time.Hour)))
					}
					g.at(visitAt, func() error {
						if paid >= total {
							return nil // paid meanwhile
						}
						if err := g.returnVisit(hh.butler, hh, id, "上门沟通物业费缴纳事宜，了解业主未缴费的原因并告知缴费方式"); err != nil {
							return err
						}
						return g.collectionPractice(hh, id) // R-F6
					})
					return nil
				})
			}
			if !pays {
				for _, days := range []int{3, 33, 95} {
					g.at(g.work(dayAt(dueEnd.AddDate(0, 0, days), 10, 0)), func() error {
						return g.run("arrears reminder", func(ctx context.Context) error {
							_, err := g.h.Fee.RemindArrears.Handle(ctx, meta(hh.butler), commands.RemindArrears{BillID: id, Channel: g.pick([]string{"phone", "sms", "visit"}), Note: "提醒业主物业费已逾期，告知缴费方式"})
							return err
						})
					})
				}
				return nil
			}
			amounts := []int64{total}
			times := []time.Time{payAt}
			if split && !late {
				amounts = []int64{total / 2, total - total/2}
				times = []time.Time{g.work(at.Add(g.between(6*time.Hour, 5*24*time.Hour))), g.work(payAt.Add(time.Hour))}
			}
			for i, amt := range amounts {
				g.at(times[i], func() error {
					g.sum.Payments++
					receipt := fmt.Sprintf("RC%s-%05d-%d", period, g.sum.Payments, i)
					ok, err := g.do("fee payment", func(ctx context.Context) error {
						_, err := g.h.Fee.RecordPayment.Handle(ctx, meta(hh.butler), commands.RecordFeePayment{BillID: id, AmountFen: amt, ReceiptNo: receipt, Method: method})
						return err
					})
					if ok {
						paid += amt
						g.paymentRecorded(receipt, amt, method) // R-F4
					}
					return err
				})
			}
			return nil
		})
	}
}

// firstRainAfter is the first rainy date after t's date, or t's date if
// its rain was recorded after t (R-W5).
func (g *gen) firstRainAfter(t time.Time) (time.Time, bool) {
	t = t.In(Shanghai)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, Shanghai)
	for _, d := range g.rainy {
		if d.After(day) || d.Equal(day) && g.rs.rainAt[d].After(t) {
			return d, true
		}
	}
	return time.Time{}, false
}

// planWorkOrder: register, dispatch, start, maybe follow up (or breach the
// 3-day rule), complete, owner confirms in-home work, return visit (urgent
// within 24 h, leaks after the first rain), close.
func (g *gen) planWorkOrder(hh household, t0 time.Time) {
	month := t0.Month()
	leakP := 0.08
	if month >= 5 && month <= 9 {
		leakP = 0.25
	}
	var kind repairKind
	for {
		kind = repairKinds[g.rng.IntN(len(repairKinds))]
		if kind.leak == g.chance(leakP) {
			break
		}
	}
	area := "unit"
	if kind.public {
		area = "public"
	}
	warranty := "out"
	if g.chance(0.3) {
		warranty = "in"
	}
	reg := commands.RegisterWorkOrder{Unit: hh.unit, Description: g.pick(kind.descriptions), Area: area, Warranty: warranty,
		Paid: area == "unit" && warranty == "out" && g.chance(0.6), Leak: kind.leak,
		// An urgent leak gets its 24 h visit, then its after-rain one (R-W5).
		Urgent: g.chance(0.1)}
	bp := hh.butler
	g.at(t0, func() error {
		var id string
		ok, err := g.do("work order register", func(ctx context.Context) error {
			r, err := g.h.WorkOrder.Register.Handle(ctx, meta(bp), reg)
			id = r.ID
			return err
		})
		if !ok {
			return err
		}
		g.sum.WorkOrders++
		g.monthWorkOrders[t0.In(Shanghai).Format("2006-01")] = append(g.monthWorkOrders[t0.In(Shanghai).Format("2006-01")], id)
		g.continueWorkOrder(id, hh, reg, kind, t0)
		return nil
	})
}

// continueWorkOrder takes a registered work order on: the SLA policy,
// dispatch, start, follow-up, completion and what follows.
func (g *gen) continueWorkOrder(id string, hh household, reg commands.RegisterWorkOrder, kind repairKind, t0 time.Time) {
	bp := hh.butler
	eng := commands.Principal{StaffID: g.pick(g.engineers[hh.district]), Role: commands.RoleEngineer, Project: g.o.Project}
	bad := g.bad(hh.district)
	long := g.chance(0.12)                                 // takes 3–6 days
	talks := !g.chance(g.slack(hh.district, 0.06, 0.35))   // a long repair usually gets a communication record
	lateVisit := g.chance(g.slack(hh.district, 0.02, 0.2)) // urgent repair visited after 24 h
	visited := !g.chance(g.slack(hh.district, 0.02, 0.08))
	if reg.Urgent && !bad {
		visited = true // an urgent repair's owner always gets the call
	}
	if bad {
		long = g.chance(0.2)
	}
	// R-W3: the server's rule looks at every repair once its three days are up.
	g.policy(g.tick(t0.Add(72*time.Hour)), "SLA policy", func(ctx context.Context) (bool, error) { return g.h.RecordSLABreach(ctx, id) })
	g.at(g.work(t0.Add(g.between(5*time.Minute, 2*time.Hour))), func() error {
		ok, err := g.do("work order dispatch", func(ctx context.Context) error {
			_, err := g.h.WorkOrder.Dispatch.Handle(ctx, meta(bp), commands.DispatchWorkOrder{WorkOrderID: id, Assignee: eng.StaffID})
			return err
		})
		if !ok {
			return err
		}
		startAt := g.work(g.clock.Now().Add(g.between(30*time.Minute, 20*time.Hour)))
		if reg.Urgent {
			startAt = g.clock.Now().Add(g.between(10*time.Minute, time.Hour)) // urgent: at once, day or night
		}
		g.at(startAt, func() error {
			ok, err := g.do("work order start", func(ctx context.Context) error {
				_, err := g.h.WorkOrder.Start.Handle(ctx, meta(eng), commands.StartWorkOrder{WorkOrderID: id})
				return err
			})
			if !ok {
				return err
			}
			work := g.between(time.Hour, 8*time.Hour)
			if long {
				work = g.between(3*24*time.Hour, 6*24*time.Hour)
			}
			done := g.clock.Now().Add(work)
			if !reg.Urgent {
				done = g.work(done)
			}
			if followAt := g.work(g.clock.Now().Add(work / 3)); talks && (long || g.chance(0.5)) && followAt.Before(done) {
				note := g.pick(repairFollowUps)
				ch := channel(g)
				g.at(followAt, func() error {
					_, err := g.do("work order follow-up", func(ctx context.Context) error {
						_, err := g.h.WorkOrder.FollowUp.Handle(ctx, meta(bp), commands.FollowUpWorkOrder{WorkOrderID: id, Channel: ch, Note: note})
						return err
					})
					return err
				})
			}
			g.at(done, func() error { return g.completeWorkOrder(id, hh, reg, eng, bp, lateVisit, visited, kind) })
			return nil
		})
		return nil
	})
}

// resultFor is the repair's result that answers its description.
func resultFor(kind repairKind, description string) string {
	for i, d := range kind.descriptions {
		if d == description && i < len(kind.results) {
			return kind.results[i]
		}
	}
	return kind.results[0]
}

func (g *gen) completeWorkOrder(id string, hh household, reg commands.RegisterWorkOrder, eng, bp commands.Principal, lateVisit, visited bool, kind repairKind) error {
	ok, err := g.do("work order complete", func(ctx context.Context) error {
		_, err := g.h.WorkOrder.Complete.Handle(ctx, meta(eng), commands.CompleteWorkOrder{WorkOrderID: id, Result: resultFor(kind, reg.Description)})
		return err
	})
	if !ok {
		return err
	}
	done := g.clock.Now()
	// R-H3: the server's rule asks for every finished repair; the command
	// opens a return visit where one is due (urgent and leak repairs).
	g.openDue(g.tick(done), "workorder", id)
	if reg.Urgent {
		g.policy(g.tick(done.Add(urgentWithin)), "return-visit policy", func(ctx context.Context) (bool, error) { return g.h.RecordReturnVisitOverdue(ctx, id) })
	}
	ready := done
	if reg.Area == "unit" {
		ready = done.Add(g.between(10*time.Minute, 2*time.Hour))
		g.at(ready, func() error {
			_, err := g.do("work order confirm", func(ctx context.Context) error {
				_, err := g.h.WorkOrder.Confirm.Handle(ctx, meta(eng), commands.ConfirmWorkOrder{WorkOrderID: id, SignedBy: hh.owner})
				return err
			})
			return err
		})
	} else {
		// R-W4: the district's butler signs a public-area repair off.
		ready = g.work(done.Add(g.between(10*time.Minute, 2*time.Hour)))
		g.at(ready, func() error {
			_, err := g.do("work order public sign-off", func(ctx context.Context) error {
				_, err := g.h.WorkOrder.Confirm.Handle(ctx, meta(bp), commands.ConfirmWorkOrder{WorkOrderID: id})
				return err
			})
			return err
		})
	}
	// R-W5: a leak's after-rain visit is due within days of the first rain
	// after the repair; the rule looks once those days have ended.
	rain, rained := g.firstRainAfter(done)
	if reg.Leak && rained {
		g.afterRainPolicy(id, rain)
	}
	if !visited {
		return nil
	}
	type visitStep struct {
		at   time.Time
		kind string
	}
	var visits []visitStep
	if reg.Urgent {
		var visit time.Time
		if !lateVisit {
			visit = ready.Add(g.between(30*time.Minute, 20*time.Hour))
			if w := g.work(visit); w.Before(done.Add(urgentWithin)) {
				visit = w
			} else {
				visit = dayAt(visit, 19, g.rng.IntN(50)) // before the evening ends, within the 24 h
			}
		} else {
			visit = g.work(done.Add(g.between(26*time.Hour, 40*time.Hour)))
		}
		if !visit.After(ready.Add(time.Minute)) {
			visit = ready.Add(2 * time.Minute)
		}
		kind := ""
		if reg.Leak {
			kind = string(workorder.VisitUrgent24h)
		}
		visits = append(visits, visitStep{visit, kind})
	}
	if reg.Leak {
		if !rained {
			if len(visits) == 0 {
				return nil // no rain yet: the visit waits (R-W5)
			}
		} else {
			recorded := g.rs.rainAt[rain]
			visit := g.work(recorded.Add(g.between(90*time.Minute, 30*time.Hour)))
			if g.chance(g.slack(hh.district, 0.03, 0.25)) {
				visit = g.work(rain.Add(g.between(4*24*time.Hour+9*time.Hour, 6*24*time.Hour))) // after the 3 days
			}
			if len(visits) > 0 && !visit.After(visits[0].at.Add(time.Hour)) {
				visit = g.work(visits[0].at.Add(time.Hour + g.between(0, time.Hour)))
			}
			if !visit.After(ready.Add(time.Minute)) {
				visit = ready.Add(2 * time.Minute)
			}
			kind := ""
			if reg.Urgent {
				kind = string(workorder.VisitAfterRain)
			}
			visits = append(visits, visitStep{visit, kind})
		}
	}
	if len(visits) == 0 {
		visit := g.work(ready.Add(g.between(2*time.Hour, 72*time.Hour)))
		if !visit.After(ready.Add(time.Minute)) {
			visit = ready.Add(2 * time.Minute)
		}
		visits = append(visits, visitStep{visit, ""})
	}
	for n, v := range visits {
		last := n == len(visits)-1 && !(reg.Leak && !rained) // an urgent leak waits for its after-rain visit
		g.at(v.at, func() error {
			if n == 0 { // one visit in person; an urgent leak's after-rain one is a call
				if err := g.returnVisit(bp, hh, id, "回访维修结果：“"+resultFor(kind, reg.Description)+"”，了解使用情况"); err != nil {
					return err
				}
			}
			s := g.satisfaction(hh.district)
			ok, err := g.do("work order return visit", func(ctx context.Context) error {
				_, err := g.h.WorkOrder.ReturnVisit.Handle(ctx, meta(bp), commands.ReturnVisitWorkOrder{WorkOrderID: id, Kind: v.kind,
					Channel: g.pick([]string{"phone", "visit"}), Satisfaction: s, Comment: g.comment(s)})
				return err
			})
			if !ok || !last {
				return err
			}
			g.returnVisited(id, hh, reg.Paid)
			g.at(g.work(g.clock.Now().Add(g.between(10*time.Minute, 24*time.Hour))), func() error {
				ok, err := g.do("work order close", func(ctx context.Context) error {
					_, err := g.h.WorkOrder.Close.Handle(ctx, meta(bp), commands.CloseWorkOrder{WorkOrderID: id})
					return err
				})
				if ok && reg.Area == "unit" {
					g.fileWorkOrderForms(id, hh.unit) // R-W8
				}
				return err
			})
			return nil
		})
	}
	return nil
}
