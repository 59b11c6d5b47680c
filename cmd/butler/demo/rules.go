package demo

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/archive"
	"github.com/butler-pm/butler/domain/complaint"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/fee"
	"github.com/butler-pm/butler/domain/fee/debrief"
	"github.com/butler-pm/butler/domain/fee/ledger"
	"github.com/butler-pm/butler/domain/key/reconcile"
	"github.com/butler-pm/butler/domain/renovation"
	"github.com/butler-pm/butler/domain/staff"
	"github.com/butler-pm/butler/domain/staff/workplan"
	"github.com/butler-pm/butler/domain/vacant"
	"github.com/butler-pm/butler/domain/warning"
	"github.com/butler-pm/butler/domain/workorder"
)

// What the rules of issue 13 ask of the demo: the register of units and
// its key clients (R-H1, R-H7), the complaints' daily reviews and time
// rules (R-C2, R-C6, R-C8), the warnings' acknowledgements (R-C4, R-H5,
// R-M4), the return visits' verification and the forms' filing (R-W7,
// R-W8), the archives' quarterly checks (R-D2) and the supervisor's staff
// duties (R-S1, R-S4, R-S7, R-S8, R-S9, R-F5). Each time rule runs as the
// clock passes the moment the server's rule would first see it due.

// rulesState is the live state these steps read and write.
type rulesState struct {
	openComplaints  map[string]bool           // complaints not yet resolved
	vacantUnits     map[string]bool           // units registered vacant
	keyClients      []household               // the key-client register
	visitedWO       map[string][]visitedOrder // month -> work orders return-visited in it
	rainAt          map[time.Time]time.Time   // rainy date -> when it was recorded
	pendingFiling   map[string][]func()       // unit -> filings waiting for its archive
	archiveDist     map[string]string         // archive -> district
	archiveOpenedAt map[string]time.Time
	archiveDocs     map[string]bool
	vacant          []*vacantUnit      // the vacant register (R-V2)
	obstacles       []debrief.Obstacle // for the next collection debrief (R-F6)
	payments        []payment          // the customer-service ledger (R-F4)
	skipWeek        map[string]bool    // weeks the cashier misses booking a cash payment
	skipped         map[string]bool    // weeks a cash payment was not booked
	keys            []*keyState        // the custodian's keys (R-K3)
	keyIDs          []string
	renovationsOf   map[string][]string // unit -> its renovations (R-R5)
	receiptBills    map[string]string   // unit|receipt -> bill (R-M3)
}

type visitedOrder struct {
	id, district string
	paid         bool
}

func (g *gen) initRules() {
	g.rs = rulesState{openComplaints: map[string]bool{}, vacantUnits: map[string]bool{}, visitedWO: map[string][]visitedOrder{},
		rainAt: map[time.Time]time.Time{}, pendingFiling: map[string][]func(){}, archiveDist: map[string]string{}, archiveOpenedAt: map[string]time.Time{}, archiveDocs: map[string]bool{}, skipWeek: map[string]bool{}, skipped: map[string]bool{},
		renovationsOf: map[string][]string{}, receiptBills: map[string]string{}}
}

// ---- the register of units (R-H1, R-H7) ----

// registerUnits: the project manager registers each district's units
// (vacant ones as vacant) on day0, before any plan, and marks the key
// clients the supervisor visits.
func (g *gen) registerUnits(day0 time.Time) {
	at := dayAt(day0, 15, 30)
	for _, d := range g.sum.Districts {
		var units []commands.UnitEntry
		for _, hh := range g.households {
			if hh.district != d.ID {
				continue
			}
			e := commands.UnitEntry{Unit: hh.unit}
			if g.rs.vacantUnits[hh.unit] {
				e.Status = "vacant"
			}
			units = append(units, e)
		}
		for len(units) > 0 {
			batch := units[:min(len(units), 1000)]
			units = units[len(batch):]
			dist := d.ID
			g.at(at, func() error {
				return g.run("unit register", func(ctx context.Context) error {
					_, err := g.h.Unit.Register.Handle(ctx, meta(g.manager), commands.RegisterUnits{District: dist, Units: batch})
					return err
				})
			})
			at = at.Add(time.Minute)
		}
	}
	for i, hh := range g.rs.keyClients {
		hh := hh
		reason := keyClientReasons[i%len(keyClientReasons)]
		g.at(at.Add(time.Duration(10+i)*time.Minute), func() error {
			return g.run("key client mark", func(ctx context.Context) error {
				_, err := g.h.Unit.MarkKeyClient.Handle(ctx, meta(g.supervisor), commands.MarkKeyClient{Unit: hh.unit, District: hh.district, Reason: reason})
				return err
			})
		})
	}
}

var keyClientReasons = []string{"业主委员会委员，关注小区公共事务", "长期在外，房屋由物业托管", "独居高龄老人，需重点关怀", "小区意见领袖，常在业主群发声", "曾多次投诉，需持续跟进满意度"}

// chooseKeyClients picks the key clients among occupied households, a few
// per district.
func (g *gen) chooseKeyClients() {
	n := KeyClients(len(g.households))
	for _, j := range g.rng.Perm(len(g.households)) {
		if len(g.rs.keyClients) == n {
			break
		}
		if hh := g.households[j]; !g.rs.vacantUnits[hh.unit] {
			g.rs.keyClients = append(g.rs.keyClients, hh)
		}
	}
}

// setUnitStatus records a vacant unit's occupation in the register.
func (g *gen) setUnitOccupied(hh household) error {
	return g.run("unit status", func(ctx context.Context) error {
		_, err := g.h.Unit.SetStatus.Handle(ctx, meta(g.supervisor), commands.SetUnitStatus{Unit: hh.unit, District: hh.district, Status: "occupied"})
		return err
	})
}

// ---- warnings (R-C4, R-H5, R-M4) ----

// acknowledgeLast: the project manager acknowledges the warning the last
// event of stream raised, most within hours, a few never.
func (g *gen) acknowledgeLast(stream string) error {
	recs, err := g.store.ReadStream(g.ctx, stream, math.MaxUint64, event.Backward, 1)
	if err != nil || len(recs) == 0 {
		return fmt.Errorf("demo: reading %s: %v", stream, err)
	}
	if g.chance(0.08) {
		return nil // stays open: the project manager's inbox shows it
	}
	id := warning.ID(stream, uint64(recs[0].Revision))
	note := g.pick([]string{"已与主管沟通，今日内到现场了解情况", "已安排专人跟进，每日汇报进展", "已知悉，要求片区管家做好业主安抚"})
	g.at(g.work(g.clock.Now().Add(g.between(20*time.Minute, 5*time.Hour))), func() error {
		return g.run("warning acknowledge", func(ctx context.Context) error {
			_, err := g.h.Warning.Acknowledge.Handle(ctx, meta(g.manager), commands.AcknowledgeWarning{WarningID: id, Note: note})
			return err
		})
	})
	return nil
}

// ---- complaints (R-C2, R-C6, R-C8) ----

// complaintTimeRules: R-C2 looks at the complaint once its deadline has
// passed; s-001 looks at it every day after its registration day until it
// is resolved (a few days slip, more in the bad patch), and R-C8 records
// each ended day without a look.
func (g *gen) complaintTimeRules(id string, hh household, category string, registered time.Time) {
	g.rs.openComplaints[id] = true
	g.policy(g.tick(complaint.DeadlineFor(category, registered)), "complaint overdue policy", func(ctx context.Context) (bool, error) {
		return g.h.RecordComplaintOverdue(ctx, id)
	})
	var day func(d time.Time)
	day = func(d time.Time) {
		skip := g.chance(g.slack(hh.district, 0.02, 0.35))
		ch := ""
		if g.chance(0.2) {
			ch = "phone"
		}
		note := g.pick(reviewNotes)
		g.at(dayAt(d, 9+g.rng.IntN(3), g.rng.IntN(60)), func() error {
			if !g.rs.openComplaints[id] {
				return nil // resolved: no day after needs a look
			}
			if !skip {
				ok, err := g.do("complaint review", func(ctx context.Context) error {
					_, err := g.h.Complaint.Review.Handle(ctx, meta(g.supervisor), commands.ReviewComplaint{ComplaintID: id, Note: note, Channel: ch})
					return err
				})
				if err != nil {
					return err
				}
				if ok && ch != "" {
					g.fileComplaint(id, hh.unit)
				}
			}
			g.policy(g.tick(dayAt(d.AddDate(0, 0, 1), 0, 0)), "complaint review missed policy", func(ctx context.Context) (bool, error) {
				return g.h.RecordMissedComplaintReviews(ctx, id)
			})
			day(d.AddDate(0, 0, 1))
			return nil
		})
	}
	day(dayAt(registered, 0, 0).AddDate(0, 0, 1))
}

var reviewNotes = []string{"跟进处理进度，督促责任人按时完成", "查看处理记录，情况正常推进中", "与管家核实进展，要求今日反馈业主", "已了解维修安排，提醒注意沟通"}

// fileComplaint runs R-C6's filing rule on a complaint a minute after a
// record: into the archive of its unit, or, without one yet, once the
// archive opens (the server's rule files on its next tick then).
func (g *gen) fileComplaint(id, unit string) {
	g.fileInto(unit, "complaint records policy", func(ctx context.Context, arc string) (bool, error) {
		return g.h.FileComplaintRecords(ctx, id, arc)
	})
}

// fileWorkOrderForms runs R-W8's filing rule on a closed in-home repair.
func (g *gen) fileWorkOrderForms(id, unit string) {
	g.fileInto(unit, "work order forms policy", func(ctx context.Context, arc string) (bool, error) {
		return g.h.FileWorkOrderForms(ctx, id, arc)
	})
}

func (g *gen) fileInto(unit, what string, f func(ctx context.Context, arc string) (bool, error)) {
	g.at(g.tick(g.clock.Now()), func() error {
		arc, ok := g.archiveOf[unit]
		if !ok {
			g.rs.pendingFiling[unit] = append(g.rs.pendingFiling[unit], func() { g.fileInto(unit, what, f) })
			return nil
		}
		return g.run(what, func(ctx context.Context) error {
			_, err := f(ctx, arc)
			return err
		})
	})
}

// archiveOpened files what waited for the unit's archive.
func (g *gen) archiveOpened(unit, id, district string) {
	g.rs.archiveDist[id] = district
	g.rs.archiveOpenedAt[id] = g.clock.Now()
	waiting := g.rs.pendingFiling[unit]
	delete(g.rs.pendingFiling, unit)
	for _, f := range waiting {
		f()
	}
}

// ---- work orders (R-W5, R-W7) ----

// afterRainPolicy runs R-W5's leak rule when the after-rain visit's days
// after the first rain have ended.
func (g *gen) afterRainPolicy(id string, rain time.Time) {
	g.policy(g.tick(workorder.AfterRainDueBy(rain)), "after-rain visit policy", func(ctx context.Context) (bool, error) {
		return g.h.RecordAfterRainVisitOverdue(ctx, id)
	})
}

// returnVisited remembers a work order's return visit for the month's
// verification.
func (g *gen) returnVisited(id string, hh household, paid bool) {
	m := g.clock.Now().In(Shanghai).Format("2006-01")
	g.rs.visitedWO[m] = append(g.rs.visitedWO[m], visitedOrder{id: id, district: hh.district, paid: paid})
}

// planVerifications: early each month the supervisor calls back owners of
// last month's return visits (R-W7): every paid service and about one in
// seven of the others (fewer in the bad patch); most are confirmed, some
// owners cannot be reached, now and then the visit did not happen.
func (g *gen) planVerifications(start time.Time) {
	for m := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, Shanghai).AddDate(0, 1, 0); m.Before(g.until); m = m.AddDate(0, 1, 0) {
		month := m.AddDate(0, -1, 0).Format("2006-01")
		at := dayAt(m.AddDate(0, 0, 3), 9, 0)
		g.at(at, func() error {
			t := at
			for _, w := range g.rs.visitedWO[month] {
				if !w.paid && !g.chance(g.slack(w.district, 0.14, 0.05)) {
					continue
				}
				t = t.Add(g.between(4*time.Minute, 12*time.Minute))
				if t.Hour() >= 18 {
					t = dayAt(t.AddDate(0, 0, 1), 9, 0)
				}
				method := "call_back"
				if g.chance(0.3) {
					method = "recording"
				}
				result, note := "ok", "业主确认管家已回访，对维修结果满意"
				switch r := g.rng.Float64(); {
				case r < 0.006:
					result, note = "false", "业主表示未接到回访电话，已约谈管家并补做回访"
				case r < 0.07:
					result, note = "not_reached", "电话两次无人接听，下月再抽查"
				}
				if method == "recording" && result == "not_reached" {
					method = "call_back"
				}
				id := w.id
				g.at(t, func() error {
					return g.run("work order verify return visit", func(ctx context.Context) error {
						_, err := g.h.WorkOrder.VerifyReturnVisit.Handle(ctx, meta(g.supervisor), commands.VerifyWorkOrderReturnVisit{WorkOrderID: id, Method: method, Result: result, Note: note})
						return err
					})
				})
			}
			return nil
		})
	}
}

// ---- archives (R-D2) ----

// planArchiveQuarters: the archivist checks the catalogue of every
// archive once a calendar quarter, a few a working day; now and then one
// is forgotten (more in the bad patch) and the R-D2 rule records it as
// the quarter ends.
func (g *gen) planArchiveQuarters(start time.Time) {
	q := time.Date(start.Year(), time.Month((int(start.Month())-1)/3*3+1), 1, 0, 0, 0, 0, Shanghai)
	for ; q.Before(g.until); q = q.AddDate(0, 3, 0) {
		qs, qe := q, q.AddDate(0, 3, 0)
		first := dayAt(qs.AddDate(0, 0, 1), 8, 0)
		if first.Before(start) {
			first = start
		}
		g.at(first, func() error {
			var days []time.Time
			for d := dayAt(first, 0, 0); d.Before(qe.AddDate(0, 0, -7)); d = d.AddDate(0, 0, 1) {
				if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday && !dayAt(d, 16, 0).Before(first) {
					days = append(days, d)
				}
			}
			ids := slices.Clone(g.archives)
			if len(days) == 0 {
				return nil
			}
			for i, id := range ids {
				if archive.Quarter(g.rs.archiveOpenedAt[id]) == archive.Quarter(qs) {
					continue // opened this quarter: catalogued, first due next quarter
				}
				d := days[i*len(days)/max(len(ids), 1)]
				at := dayAt(d, 9+g.rng.IntN(7), g.rng.IntN(60))
				dist := g.rs.archiveDist[id]
				if g.chance(g.slack(dist, 0.003, 0.02)) {
					g.policy(g.tick(qe), "archive check missed policy", func(ctx context.Context) (bool, error) { return g.h.RecordMissedArchiveChecks(ctx, id) })
					continue
				}
				g.archiveCheck(id, at, qe)
			}
			return nil
		})
	}
}

// archiveCheck checks one archive at t, or a few days later if it is on
// loan; a check that cannot be made in the quarter is recorded missed.
func (g *gen) archiveCheck(id string, t, quarterEnd time.Time) {
	g.at(t, func() error {
		if g.archivesOnLoan[id] {
			next := t.AddDate(0, 0, 4)
			if next.Before(quarterEnd) {
				g.archiveCheck(id, next, quarterEnd)
			} else {
				g.policy(g.tick(quarterEnd), "archive check missed policy", func(ctx context.Context) (bool, error) { return g.h.RecordMissedArchiveChecks(ctx, id) })
			}
			return nil
		}
		return g.run("archive quarterly check", func(ctx context.Context) error {
			_, err := g.h.Archive.Check.Handle(ctx, meta(g.as(archivist)), commands.CheckArchive{ArchiveID: id})
			return err
		})
	})
}

// ---- staff (R-S1, R-S4, R-S7, R-S8, R-S9, R-F5) ----

// planStaffDuties: the supervisor's duties to each subordinate: a profile
// in the first weeks, a 10–15 minute talk every week (R-S7; a few weeks
// slip, the rule records them), and for each butler a pre-shift and a
// mystery-customer check a month (R-S1) and the month's appraisal by the
// 30th (R-F5; now and then late).
func (g *gen) planStaffDuties(id, role, district string, day0 time.Time) {
	sup := g.supervisor
	if slices.Contains(staff.SubordinateRoles, role) {
		prof := staffProfiles[g.rng.IntN(len(staffProfiles))]
		g.at(g.work(dayAt(day0.AddDate(0, 0, 2+g.rng.IntN(12)), 10+g.rng.IntN(7), g.rng.IntN(60))), func() error {
			return g.run("staff profile", func(ctx context.Context) error {
				_, err := g.h.Staff.RecordProfile.Handle(ctx, meta(sup), commands.RecordStaffProfile{StaffID: id, Background: prof[0], Personality: prof[1], Interests: prof[2], Strengths: prof[3], Weaknesses: prof[4]})
				return err
			})
		})
		// Weeks from the first Monday after onboarding.
		w := dayAt(day0, 0, 0).AddDate(0, 0, 1)
		for w.Weekday() != time.Monday {
			w = w.AddDate(0, 0, 1)
		}
		for ; w.Before(g.until); w = w.AddDate(0, 0, 7) {
			week := staff.WeekOf(w)
			if g.chance(g.slack(district, 0.01, 0.2)) {
				g.policy(g.tick(w.AddDate(0, 0, 7)), "weekly talk missed policy", func(ctx context.Context) (bool, error) {
					r, err := g.h.Staff.RecordTalkMissed.Handle(ctx, commands.Meta{}, commands.RecordTalkMissed{StaffID: id, Week: week})
					return r.Recorded, err
				})
				continue
			}
			at := dayAt(w.AddDate(0, 0, g.rng.IntN(5)), 9+g.rng.IntN(8), g.rng.IntN(60))
			mins := 10 + g.rng.IntN(6)
			method := g.pick([]string{"face_to_face", "face_to_face", "face_to_face", "shift_meeting", "weekly_meeting"})
			notes := g.pick(talkNotes)
			g.at(at, func() error {
				return g.run("weekly talk", func(ctx context.Context) error {
					_, err := g.h.Staff.HoldOneToOne.Handle(ctx, meta(sup), commands.HoldOneToOne{StaffID: id, Minutes: mins, Method: method, Notes: notes})
					return err
				})
			})
		}
	}
	if role != commands.RoleButler {
		return
	}
	for m := time.Date(day0.Year(), day0.Month(), 1, 0, 0, 0, 0, Shanghai); m.Before(g.until); m = m.AddDate(0, 1, 0) {
		month := m.Format("2006-01")
		if m.After(day0) {
			passed := g.chance(0.92)
			notes := "神秘访客到访服务中心，接待礼仪、首问负责执行到位"
			if !passed {
				notes = "神秘访客来电咨询，未使用标准用语、未做记录，已当面指出"
			}
			g.at(dayAt(m.AddDate(0, 0, 5+g.rng.IntN(18)), 14+g.rng.IntN(4), g.rng.IntN(60)), func() error {
				return g.run("mystery customer check", func(ctx context.Context) error {
					_, err := g.h.Staff.CheckBehaviour.Handle(ctx, meta(g.as(quality)), commands.CheckBehaviour{StaffID: id, Method: "mystery_customer", Passed: passed, Notes: notes})
					return err
				})
			})
		}
		due, _ := staff.AppraisalDue(month)
		at := dayAt(m.AddDate(0, 0, 24+g.rng.IntN(4)), 15, g.rng.IntN(60))
		if earliest := dayAt(day0, 17, 0); at.Before(earliest) {
			at = earliest
		}
		if !at.Before(due) {
			continue // onboarded after the month's appraisal
		}
		if g.chance(g.slack(district, 0.03, 0.15)) {
			at = g.work(due.Add(g.between(10*time.Hour, 3*24*time.Hour)))
			g.policy(g.tick(due), "appraisal overdue policy", func(ctx context.Context) (bool, error) {
				r, err := g.h.Staff.RecordAppraisalOverdue.Handle(ctx, commands.Meta{}, commands.RecordAppraisalOverdue{StaffID: id, Month: month})
				return r.Recorded, err
			})
		}
		score := 72 + g.rng.IntN(24)
		g.at(at, func() error {
			return g.run("staff appraisal", func(ctx context.Context) error {
				_, err := g.h.Staff.Appraise.Handle(ctx, meta(sup), commands.AppraiseStaff{StaffID: id, Month: month, Score: score, Notes: "本月收缴、回访与行为规范综合评定"})
				return err
			})
		})
	}
}

var talkNotes = []string{
	"了解本周工作难点，约定下周跟进事项", "沟通家庭情况与工作状态，给予鼓励", "复盘本周投诉处理，明确改进点",
	"听取对排班的意见，已反馈给经理", "讨论业主回访话术，现场演练",
}

var staffProfiles = [][5]string{
	{"物业管理专业毕业，从业三年", "开朗外向", "篮球、摄影", "沟通能力强，业主认可度高", "文书记录不够细致"},
	{"退伍军人，从业五年", "沉稳踏实", "跑步", "执行力强，应急处置果断", "与年轻业主沟通方式较单一"},
	{"酒店管理转行，从业两年", "细心耐心", "烘焙、阅读", "服务礼仪规范", "遇到冲突时容易紧张"},
	{"本地人，熟悉周边社区，从业八年", "热情直爽", "象棋", "业主关系广，协调能力强", "对新系统使用不熟练"},
}

// planWorkPlans: the supervisor drafts the department's plan in the first
// days of each month, discusses it with the butlers, sets a goal with two
// of them and shares progress near the month's end; most targets are met.
func (g *gen) planWorkPlans(start time.Time) {
	for m := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, Shanghai).AddDate(0, 1, 0); m.Before(g.until); m = m.AddDate(0, 1, 0) {
		month := m.Format("2006-01")
		targets := []workplan.Target{
			{TargetID: "t1", Area: "visits", Description: "各管家完成本月走访计划", Unit: "户", Value: float64(len(g.households) * 9 / 100)},
			{TargetID: "t2", Area: "collection", Description: "物业费收缴率", Unit: "%", Value: 95},
			{TargetID: "t3", Area: "return_visits", Description: "投诉与维修回访率", Unit: "%", Value: 100},
			{TargetID: "t4", Area: "training", Description: "组织业务培训", Unit: "次", Value: 2},
		}
		var butlers []string
		for _, d := range g.sum.Districts {
			butlers = append(butlers, d.Butlers...)
		}
		goalOwners := []string{g.pick(butlers), g.pick(butlers)}
		if goalOwners[0] == goalOwners[1] {
			goalOwners = goalOwners[:1]
		}
		draft := dayAt(m.AddDate(0, 0, 1+g.rng.IntN(2)), 10, 0)
		var id string
		g.at(draft, func() error {
			ok, err := g.do("work plan draft", func(ctx context.Context) error {
				r, err := g.h.Staff.DraftWorkPlan.Handle(ctx, meta(g.supervisor), commands.DraftWorkPlan{Month: month, Targets: targets})
				id = r.ID
				return err
			})
			if !ok {
				return err
			}
			g.at(draft.Add(5*time.Hour), func() error {
				return g.run("work plan discuss", func(ctx context.Context) error {
					_, err := g.h.Staff.DiscussWorkPlan.Handle(ctx, meta(g.supervisor), commands.DiscussWorkPlan{PlanID: id, Attendees: butlers, Notes: "逐项讨论本月目标，明确分工与完成时间"})
					return err
				})
			})
			for i, owner := range goalOwners {
				goal := workplan.Target{TargetID: fmt.Sprintf("g%d", i+1), Area: "visits", Description: "本人完成走访并收集业主意见", Unit: "户", Value: float64(10 + g.rng.IntN(10)), Owner: owner}
				g.at(draft.AddDate(0, 0, 1).Add(time.Duration(i)*30*time.Minute), func() error {
					return g.run("work plan goal", func(ctx context.Context) error {
						_, err := g.h.Staff.SetWorkPlanGoal.Handle(ctx, meta(g.supervisor), commands.SetWorkPlanGoal{PlanID: id, Target: goal})
						return err
					})
				})
				achieved := goal.Value
				if g.chance(g.slack(BadDistrict, 0.1, 0.25)) {
					achieved = math.Round(goal.Value * 0.8)
				}
				g.at(dayAt(m.AddDate(0, 1, -3), 16, i*20), func() error {
					return g.run("work plan progress", func(ctx context.Context) error {
						_, err := g.h.Staff.ShareWorkPlanProgress.Handle(ctx, meta(g.supervisor), commands.ShareWorkPlanProgress{PlanID: id, TargetID: goal.TargetID, Achieved: achieved, Note: "月末进展"})
						return err
					})
				})
			}
			for i, t := range targets {
				achieved := t.Value
				if g.chance(g.slack(BadDistrict, 0.08, 0.2)) {
					achieved = math.Round(t.Value * 0.9)
				}
				tid := t.TargetID
				g.at(dayAt(m.AddDate(0, 1, -2), 16, i*10), func() error {
					return g.run("work plan progress", func(ctx context.Context) error {
						_, err := g.h.Staff.ShareWorkPlanProgress.Handle(ctx, meta(g.supervisor), commands.ShareWorkPlanProgress{PlanID: id, TargetID: tid, Achieved: achieved, Note: "月末在例会上通报进展"})
						return err
					})
				})
			}
			return nil
		})
	}
}

// planFoundProperty: a found item every few weeks, handed in to the
// custodian within hours and mostly claimed; one or two stay unclaimed and
// are disposed of after 90 days. One butler declares a relative.
func (g *gen) planFoundProperty(start time.Time) {
	n := g.count(14, 1)
	for i := 0; i < n; i++ {
		item := foundItems[g.rng.IntN(len(foundItems))]
		hh := g.households[g.rng.IntN(len(g.households))]
		finder := hh.butler
		if g.chance(0.4) {
			finder = g.cleaner(hh.district)
		}
		found := dayAt(g.randomTime(start, g.until.AddDate(0, 0, -3)), 9+g.rng.IntN(8), g.rng.IntN(60))
		unclaimed := i%7 == 3
		claimant := g.households[g.rng.IntN(len(g.households))].unit
		g.at(found.Add(g.between(10*time.Minute, 50*time.Minute)), func() error {
			var id string
			ok, err := g.do("found property register", func(ctx context.Context) error {
				r, err := g.h.Staff.RegisterFoundProperty.Handle(ctx, meta(finder), commands.RegisterFoundProperty{Description: item[0], Place: item[1], FoundAt: found.Format(time.RFC3339), District: hh.district})
				id = r.ID
				return err
			})
			if !ok {
				return err
			}
			handIn := g.work(g.clock.Now().Add(g.between(20*time.Minute, 4*time.Hour)))
			g.at(handIn, func() error {
				return g.run("found property hand in", func(ctx context.Context) error {
					_, err := g.h.Staff.HandInFoundProperty.Handle(ctx, meta(g.as(custodian)), commands.HandInFoundProperty{ItemID: id, Storage: "服务中心失物柜"})
					return err
				})
			})
			if unclaimed {
				g.at(dayAt(handIn.AddDate(0, 0, 91), 10, 0), func() error {
					return g.run("found property dispose", func(ctx context.Context) error {
						_, err := g.h.Staff.DisposeFoundProperty.Handle(ctx, meta(g.manager), commands.DisposeFoundProperty{ItemID: id, Method: "donated", Reason: "公告招领90天无人认领，捐赠社区慈善点"})
						return err
					})
				})
				return nil
			}
			g.at(g.work(handIn.Add(g.between(3*time.Hour, 6*24*time.Hour))), func() error {
				return g.run("found property return", func(ctx context.Context) error {
					_, err := g.h.Staff.ReturnFoundProperty.Handle(ctx, meta(g.as(custodian)), commands.ReturnFoundProperty{ItemID: id, ClaimantUnit: claimant, Proof: item[2]})
					return err
				})
			})
			return nil
		})
	}
	if len(g.sum.Districts) > 2 {
		b := g.sum.Districts[2].Butlers[0]
		unit := ""
		for _, hh := range g.households {
			if hh.district == g.sum.Districts[2].ID && hh.butler.StaffID != b {
				unit = hh.unit
				break
			}
		}
		if unit != "" {
			g.at(dayAt(start.AddDate(0, 0, 20), 11, 0), func() error {
				return g.run("staff declare relative", func(ctx context.Context) error {
					_, err := g.h.Staff.DeclareRelative.Handle(ctx, meta(g.supervisor), commands.DeclareRelative{StaffID: b, Unit: unit, Relation: "表姐"})
					return err
				})
			})
		}
	}
}

var foundItems = [][3]string{
	{"黑色钱包一个", "3号楼电梯轿厢", "业主说出钱包内证件姓名与现金数额"},
	{"儿童滑板车", "中心花园滑梯旁", "业主出示购买照片"},
	{"钥匙一串（含门禁卡）", "地下车库B区", "业主现场试开家门"},
	{"手机一部", "会所健身房", "业主解锁手机"},
	{"雨伞一把", "服务中心门口", "业主描述伞面图案"},
}

var (
	validReasons     = []string{"经核实情况属实，属物业服务范围", "业主反映问题属实，物业负有跟进责任", "核实属实，已按流程处理"}
	invalidReasons   = []string{"市政道路施工引起，非物业服务范围，已协助向街道反映", "邻里之间的纠纷，物业已协助调解", "经现场核实，反映情况不属实"}
	importantReasons = []string{"业主情绪激动，扬言向媒体反映", "同一问题本月第二次投诉", "涉及老人安全，需主管亲自跟进"}
)

var moveInRisks = []string{"多位业主对交付标准有异议，在现场聚集议论", "业主对车位配比不满，有联名投诉苗头", "部分业主认为公摊面积偏大，情绪激动"}

// ---- the modules' rules (R-R7, R-V2, R-M3, R-F6) ----

// renovationTalks: the supervisor assigns the renovation's area and butler
// (R-R7) and the butler talks with the renovating owner every four to six
// days of work; a talk now and then slips past the week (more in the bad
// patch), and the rule records it when the week is up.
func (g *gen) renovationTalks(id string, hh household, approve, begin, done time.Time) {
	area := hh.unit[:len(hh.unit)-len("-1-101")] + "号楼"
	g.at(approve.Add(40*time.Minute), func() error {
		return g.run("renovation assign", func(ctx context.Context) error {
			_, err := g.h.Renovation.Assign.Handle(ctx, meta(g.supervisor), commands.AssignRenovation{RenovationID: id, Area: area, Butler: hh.butler.StaffID})
			return err
		})
	})
	last := begin
	overdue := func(since time.Time) {
		g.policy(g.tick(since.Add(renovation.TalkInterval)), "renovation talk overdue policy", func(ctx context.Context) (bool, error) {
			r, err := g.h.Renovation.RecordTalkOverdue.Handle(ctx, commands.Meta{}, commands.RecordRenovationTalkOverdue{RenovationID: id})
			return r.Recorded, err
		})
	}
	for at := dayAt(begin.AddDate(0, 0, 4+g.rng.IntN(3)), 11+g.rng.IntN(6), g.rng.IntN(60)); at.Before(done); at = dayAt(at.AddDate(0, 0, 4+g.rng.IntN(3)), 11+g.rng.IntN(6), g.rng.IntN(60)) {
		if g.chance(g.slack(hh.district, 0.04, 0.25)) {
			continue // slipped
		}
		if at.After(last.Add(renovation.TalkInterval)) {
			overdue(last)
		}
		ch, note := g.pick([]string{"on_site", "on_site", "phone", "visit"}), g.pick(renovationTalkNotes)
		g.at(at, func() error {
			return g.run("renovation owner talk", func(ctx context.Context) error {
				_, err := g.h.Renovation.TalkWithOwner.Handle(ctx, meta(hh.butler), commands.TalkWithRenovatingOwner{RenovationID: id, Channel: ch, Note: note})
				return err
			})
		})
		last = at
	}
	if done.After(last.Add(renovation.TalkInterval)) {
		overdue(last)
	}
}

var renovationTalkNotes = []string{"提醒施工时间与噪音管理，业主表示理解", "沟通阳台改造方案，告知不得改动承重墙", "提醒建筑垃圾袋装并按时清运", "了解工期进展，提醒做好成品保护", "告知电梯使用须提前预约并做好防护"}

// fileMoveInDocuments runs R-M3's filing rule once the move-in's
// documents are in, into the archive of the unit (when it opens).
func (g *gen) fileMoveInDocuments(id, unit string) {
	g.fileInto(unit, "move-in documents policy", func(ctx context.Context, arc string) (bool, error) {
		return g.h.FileMoveInDocuments(ctx, id, arc)
	})
}

// vacantUnit is a unit on the vacant register, for the special weather.
type vacantUnit struct {
	id       string
	hh       household
	occupied bool
}

// planSpecialWeather: a few days of special weather a year (plum rains in
// June, typhoons and strong wind in summer, heat waves, now and then
// snow); the operator records each in the morning, the R-V2 rule makes an
// extra service of every vacant unit due, and the butlers do it by the
// end of the next day (a few forgotten, more in the bad patch; the rule
// records them).
func (g *gen) planSpecialWeather(start time.Time) {
	kinds := map[time.Month][]string{1: {"snow"}, 6: {"long_rain", "long_rain"}, 7: {"typhoon", "heat"}, 8: {"typhoon", "heat", "strong_wind"}, 9: {"typhoon"}}
	for m := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, Shanghai); m.Before(g.until); m = m.AddDate(0, 1, 0) {
		ks := kinds[m.Month()]
		if m.Month() == 1 && !g.chance(0.5) {
			ks = nil
		}
		used := map[int]bool{}
		for _, kind := range ks {
			day := 3 + g.rng.IntN(24)
			if used[day] {
				continue
			}
			used[day] = true
			date := m.AddDate(0, 0, day-1)
			rec := dayAt(date, 7, 40+g.rng.IntN(15))
			if rec.Before(start) || !rec.Before(g.until) {
				continue
			}
			g.at(rec, func() error {
				ok, err := g.do("special weather", func(ctx context.Context) error {
					_, err := g.h.RainyDay.RecordSpecialWeather.Handle(ctx, meta(g.operator), commands.RecordSpecialWeather{Date: date.Format(time.DateOnly), Kind: kind})
					return err
				})
				if !ok {
					return err
				}
				dueBy, _ := vacant.WeatherDueBy(date.Format(time.DateOnly))
				for _, u := range g.rs.vacant {
					if u.occupied || u.id == "" {
						continue
					}
					g.policy(g.tick(rec), "vacant weather due policy", func(ctx context.Context) (bool, error) {
						return g.h.OpenVacantWeatherService(ctx, u.id, kind, date.Format(time.DateOnly))
					})
					g.policy(g.tick(dueBy), "vacant weather missed policy", func(ctx context.Context) (bool, error) {
						return g.h.RecordVacantWeatherServicesMissed(ctx, u.id)
					})
					if g.chance(g.slack(u.hh.district, 0.03, 0.2)) {
						continue // forgotten
					}
					at := g.work(rec.Add(g.between(90*time.Minute, 26*time.Hour)))
					if !at.Before(dueBy) {
						at = dayAt(dueBy.AddDate(0, 0, -1), 17, g.rng.IntN(60))
					}
					g.at(at, func() error {
						if u.occupied {
							return nil
						}
						return g.run("vacant weather service", func(ctx context.Context) error {
							_, err := g.h.Vacant.WeatherService.Handle(ctx, meta(u.hh.butler), commands.WeatherServiceVacantUnit{UnitID: u.id, Weather: kind, Notes: weatherNotes[kind]})
							return err
						})
					})
				}
				return nil
			})
		}
	}
}

var weatherNotes = map[string]string{
	"long_rain": "检查阳台地漏、窗户密封与墙面渗水情况", "typhoon": "关闭门窗，加固阳台物品，检查窗户密封",
	"strong_wind": "关闭门窗，检查外窗与阳台物品", "heat": "检查电路与冰箱等电器，开窗通风",
	"snow": "检查水管防冻与阳台积雪",
}

// ---- the collection practice (R-F6) ----

// collectionPractice: at an arrears visit the butler sometimes finds an
// obstacle within the property's duty and puts it on the fast route
// (直通车: an engineer resolves it, mostly within three days), or an
// influential owner whose bill is flagged and who gets a guidance talk;
// obstacles go to the next daily debrief.
func (g *gen) collectionPractice(hh household, billID string) error {
	now := g.clock.Now()
	switch r := g.rng.Float64(); {
	case r < 0.15:
		ob := fastRouteObstacles[g.rng.IntN(len(fastRouteObstacles))]
		var fid string
		ok, err := g.do("fee fast route", func(ctx context.Context) error {
			r, err := g.h.Fee.RaiseFastRoute.Handle(ctx, meta(hh.butler), commands.RaiseFastRoute{Unit: hh.unit, BillID: billID, Department: ob[0], Obstacle: ob[1], District: hh.district})
			fid = r.ID
			return err
		})
		if !ok {
			return err
		}
		g.rs.obstacles = append(g.rs.obstacles, debrief.Obstacle{Unit: hh.unit, BillID: billID, Description: ob[1], FastRouteID: fid})
		resolveAt := g.work(now.Add(g.between(4*time.Hour, 60*time.Hour)))
		if g.chance(g.slack(hh.district, 0.05, 0.25)) {
			resolveAt = g.work(now.Add(g.between(80*time.Hour, 6*24*time.Hour)))
		}
		eng := g.engineer(hh.district)
		g.at(resolveAt, func() error {
			return g.run("fee fast route resolve", func(ctx context.Context) error {
				_, err := g.h.Fee.ResolveFastRoute.Handle(ctx, meta(eng), commands.ResolveFastRoute{ObstacleID: fid, Resolution: ob[2]})
				return err
			})
		})
	case r < 0.25:
		reason := g.pick([]string{"业主委员会委员", "在业主群中有较大影响力", "曾组织业主集体反映问题"})
		ok, err := g.do("fee flag influential", func(ctx context.Context) error {
			_, err := g.h.Fee.FlagInfluential.Handle(ctx, meta(hh.butler), commands.FlagInfluentialOwner{BillID: billID, Reason: reason})
			return err
		})
		if !ok || g.chance(g.slack(hh.district, 0.02, 0.3)) {
			return err // no guidance talk: rare, but frequent in the bad patch
		}
		g.at(g.work(now.Add(g.between(24*time.Hour, 5*24*time.Hour))), func() error {
			return g.run("fee guidance", func(ctx context.Context) error {
				_, err := g.h.Fee.RecordGuidance.Handle(ctx, meta(g.supervisor), commands.RecordArrearsGuidance{BillID: billID, Note: "主管上门疏导，解释物业费用途与近期整改，业主同意月底前缴清"})
				return err
			})
		})
	case r < 0.55:
		g.rs.obstacles = append(g.rs.obstacles, debrief.Obstacle{Unit: hh.unit, BillID: billID, Description: g.pick(plainObstacles)})
	}
	return nil
}

var fastRouteObstacles = [][3]string{
	{"engineering", "业主因楼上渗水未修复拒缴物业费", "已更换楼上卫生间防水层，渗水停止"},
	{"cleaning", "业主反映楼道长期无人清扫", "已调整保洁排班，每日清扫两次"},
	{"security", "业主反映车库门禁故障，外来车辆随意进出", "已修复车库道闸并加强巡逻"},
	{"landscaping", "业主反映窗前树木遮光，要求修剪", "已修剪窗前树木"},
	{"customer_service", "业主对上次投诉处理不满意", "主管再次上门沟通，业主表示认可"},
}

var plainObstacles = []string{"业主长期在外地，联系不上", "业主对物业费标准有异议", "业主表示近期资金紧张，申请延期", "房屋出租，租户与业主互相推诿"}

// planDebriefs: the collection team's debrief every working day at the end
// of the afternoon (R-F6), with the obstacles met since the last one.
func (g *gen) planDebriefs(start time.Time) {
	var butlers []string
	for _, d := range g.sum.Districts {
		butlers = append(butlers, d.Butlers...)
	}
	for d := dayAt(start, 0, 0); d.Before(g.until); d = d.AddDate(0, 0, 1) {
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday || g.chance(0.03) {
			continue
		}
		at := dayAt(d, 17, 30+g.rng.IntN(20))
		g.at(at, func() error {
			obstacles := g.rs.obstacles
			g.rs.obstacles = nil
			decisions := "今日无新增收费障碍，按计划继续催缴"
			if len(obstacles) > 0 {
				decisions = "逐户分析欠费原因：物业责任内的问题走直通车，其余由管家继续跟进"
			}
			return g.run("fee debrief", func(ctx context.Context) error {
				_, err := g.h.Fee.HoldDebrief.Handle(ctx, meta(g.supervisor), commands.HoldCollectionDebrief{Attendees: butlers, Obstacles: obstacles, Decisions: decisions})
				return err
			})
		})
	}
}

// ---- the two ledgers (R-F4) ----

type payment struct {
	at      time.Time
	receipt string
	fen     int64
}

// paymentRecorded: a payment recorded on a bill is the customer-service
// ledger's; the cashier books it into the cashier ledger within minutes,
// the same day, except, in a few weeks, one cash payment (the weekly
// reconciliation finds it and the supervisor explains it).
func (g *gen) paymentRecorded(receipt string, fen int64, method string) {
	now := g.clock.Now()
	g.rs.payments = append(g.rs.payments, payment{at: now, receipt: receipt, fen: fen})
	week := isoWeek(now)
	if method == "cash" && g.rs.skipWeek[week] && !g.rs.skipped[week] {
		g.rs.skipped[week] = true
		return
	}
	at := now.Add(g.between(time.Minute, 10*time.Minute))
	if at.In(Shanghai).Hour() >= 20 || at.In(Shanghai).Day() != now.In(Shanghai).Day() {
		at = now // at once, before the desk closes
	}
	g.at(at, func() error {
		return g.run("fee cashier entry", func(ctx context.Context) error {
			_, err := g.h.Fee.BookCashierEntry.Handle(ctx, meta(g.as(cashier)), commands.BookCashierEntry{ReceiptNo: receipt, AmountFen: fen, Method: method, Note: "收银台收款"})
			return err
		})
	})
}

// demoServiceLedger is the customer-service ledger as the server's read
// model gives it: the payments recorded on bills between from and to.
type demoServiceLedger struct{ g *gen }

func (l demoServiceLedger) PaymentsBetween(_ context.Context, _ string, from, to time.Time) (ledger.Side, error) {
	var side ledger.Side
	for _, p := range l.g.rs.payments {
		if !p.at.Before(from) && p.at.Before(to) {
			side.TotalFen += p.fen
			side.Receipts = append(side.Receipts, p.receipt)
		}
	}
	return side, nil
}

// ---- what the server's read models tell the handlers (R-K3, R-R5, R-M3) ----

// The server's handlers check some rules against read models: the key
// register's counts (R-K3), a unit's renovations (R-R5), the bills of a
// move-in's receipts (R-M3), the customer-service ledger (R-F4). The demo
// runs without read models and answers from what it generated.
func (g *gen) useRegisters() {
	g.h.UseServiceLedger(demoServiceLedger{g})
	g.h.UseKeyRegister(demoRegisters{g})
	g.h.UseUnitRenovations(demoRegisters{g})
	g.h.UseReceiptBills(demoRegisters{g})
}

type demoRegisters struct{ g *gen }

func (r demoRegisters) CountKeys(context.Context, string) (reconcile.Register, error) {
	var reg reconcile.Register
	for i, k := range r.g.rs.keys {
		if r.g.rs.keyIDs[i] == "" {
			continue
		}
		reg.Registered++
		switch {
		case k.lost:
			reg.Lost++
		case k.onLoan:
			reg.OnLoan++
		}
	}
	return reg, nil
}

func (r demoRegisters) RenovationsOfUnit(_ context.Context, _, unit string) ([]string, error) {
	return slices.Clone(r.g.rs.renovationsOf[unit]), nil
}

func (r demoRegisters) BillsOfReceipts(_ context.Context, _, unit string, receipts []string) (map[string]string, error) {
	out := map[string]string{}
	for _, rc := range receipts {
		if b, ok := r.g.rs.receiptBills[unit+"|"+rc]; ok {
			out[rc] = b
		}
	}
	return out, nil
}

// moveInBill: at the hand-over the butler bills the new unit's first
// quarter (物业费 and the refuse fee) and the owner pays it at the desk;
// the receipt is what the move-in's fee step names (R-M3).
func (g *gen) moveInBill(bp commands.Principal, unit string) (string, error) {
	now := g.clock.Now()
	items := []fee.Item{{Name: "物业费（首季度）", AmountFen: int64(90+g.rng.IntN(50)) * 250 * 3}, {Name: "生活垃圾清运费", AmountFen: 3000}}
	var billID string
	ok, err := g.do("move-in bill", func(ctx context.Context) error {
		r, err := g.h.Fee.IssueBill.Handle(ctx, meta(bp), commands.IssueBill{Unit: unit, Period: now.In(Shanghai).Format("2006-01"), Items: items, Due: now.AddDate(0, 0, 7).In(Shanghai).Format(time.DateOnly)})
		billID = r.ID
		return err
	})
	if !ok {
		return "", err
	}
	g.sum.Bills++
	g.sum.Payments++
	receipt := "RZ-" + unit
	total := items[0].AmountFen + items[1].AmountFen
	ok, err = g.do("move-in payment", func(ctx context.Context) error {
		_, err := g.h.Fee.RecordPayment.Handle(ctx, meta(bp), commands.RecordFeePayment{BillID: billID, AmountFen: total, ReceiptNo: receipt, Method: "wechat"})
		return err
	})
	if !ok {
		return "", err
	}
	g.paymentRecorded(receipt, total, "wechat")
	g.rs.receiptBills[unit+"|"+receipt] = billID
	return receipt, nil
}
