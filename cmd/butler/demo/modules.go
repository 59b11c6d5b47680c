package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/activity"
	"github.com/butler-pm/butler/domain/commandcentre"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/fee/plan"
	"github.com/butler-pm/butler/domain/key/reconcile"
	"github.com/butler-pm/butler/domain/movein"
	"github.com/butler-pm/butler/domain/renovation"
	"github.com/butler-pm/butler/domain/renovation/register"
	"github.com/butler-pm/butler/domain/staff/training"
	"github.com/butler-pm/butler/domain/visit"
	"github.com/butler-pm/butler/domain/workorder"
)

// The modules beyond complaints, repairs and bills: keys, renovations,
// move-ins, visits, vacant units, patrols, activities, the command centre,
// archives and the fee ledgers. Each plans its records up front, as the
// rest of the generator does; what depends on an earlier outcome (an id, a
// key on loan) is decided when its step runs.

// run is do for steps that need only the error.
func (g *gen) run(what string, f func(ctx context.Context) error) error {
	_, err := g.do(what, f)
	return err
}

// dayAt is date d at hh:mm in Shanghai.
func dayAt(d time.Time, hh, mm int) time.Time {
	d = d.In(Shanghai)
	return time.Date(d.Year(), d.Month(), d.Day(), hh, mm, 0, 0, Shanghai)
}

func (g *gen) randomTime(from, to time.Time) time.Time {
	if !to.After(from) {
		return from
	}
	return from.Add(time.Duration(g.rng.Int64N(int64(to.Sub(from)))))
}

func isoWeek(t time.Time) string {
	y, w := t.In(Shanghai).ISOWeek()
	return fmt.Sprintf("%d-W%02d", y, w)
}

// count is n a year scaled to the period, at least min.
func (g *gen) count(perYear float64, least int) int {
	return max(least, int(math.Round(perYear*float64(g.o.Months)/12)))
}

// planModules lays out every module's records; the staff are registered
// on day0, so everything starts the day after.
func (g *gen) planModules(day0 time.Time) {
	start := dayAt(day0.AddDate(0, 0, 1), 9, 0)
	g.planVacantAndKeys(start)
	g.chooseKeyClients()
	g.registerUnits(day0)
	g.planRenovations(start)
	g.planMoveIns(start)
	g.planVisitPlans(start)
	g.planPatrols(start)
	g.planActivities(start)
	g.planCommandCentre(start)
	g.planArchives(start)
	g.planFeeLedgers(start)
	g.planQuality(start)
	g.planVerifications(start)
	g.planArchiveQuarters(start)
	g.planWorkPlans(start)
	g.planFoundProperty(start)
	g.planSpecialWeather(start)
	g.planDebriefs(start)
}

var (
	custodian  = commands.Principal{StaffID: "k-001", Role: commands.RoleCustodian}
	archivist  = commands.Principal{StaffID: "ar-001", Role: commands.RoleArchivist}
	cashier    = commands.Principal{StaffID: "c-001", Role: commands.RoleCashier}
	operations = commands.Principal{StaffID: "ops-001", Role: commands.RoleOperations}
	quality    = commands.Principal{StaffID: "qa-001", Role: commands.RoleQuality}
	operator2  = commands.Principal{StaffID: "op-002", Role: commands.RoleOperator}
)

func (g *gen) as(p commands.Principal) commands.Principal { p.Project = g.o.Project; return p }

func (g *gen) cleaner(district string) commands.Principal {
	return commands.Principal{StaffID: "cl-" + district[1:], Role: commands.RoleCleaner, Project: g.o.Project, District: district}
}

func (g *gen) engineer(district string) commands.Principal {
	return commands.Principal{StaffID: g.pick(g.engineers[district]), Role: commands.RoleEngineer, Project: g.o.Project}
}

// ---- vacant units and the keys the custodian holds ----

type keyState struct {
	tag               string
	onLoan, lost, bad bool
}

func (g *gen) planVacantAndKeys(start time.Time) {
	nVacant := max(2, len(g.households)/50)
	perm := g.rng.Perm(len(g.households))
	var keyUnits []household
	for i := 0; i < nVacant; i++ {
		hh := g.households[perm[i]]
		keyUnits = append(keyUnits, hh)
		g.rs.vacantUnits[hh.unit] = true // registered vacant (R-H1)
		g.planVacantUnit(hh, g.work(g.randomTime(start, start.Add(72*time.Hour))))
	}
	// Owners who leave a spare key with the custodian (钥匙托管).
	for i := nVacant; i < nVacant+max(1, len(g.households)/100); i++ {
		keyUnits = append(keyUnits, g.households[perm[i]])
	}
	for _, hh := range keyUnits {
		g.keyUnits[hh.unit] = true // their archives hold the loan forms (R-K5)
	}
	keys := make([]*keyState, len(keyUnits))
	ids := make([]string, len(keyUnits))
	g.rs.keys, g.rs.keyIDs = keys, ids // R-K3: the key register the counts are checked against
	for i, hh := range keyUnits {
		k := &keyState{tag: fmt.Sprintf("K-%04d", i+1)}
		keys[i] = k
		g.at(start.Add(time.Duration(i)*time.Minute), func() error {
			return g.run("key register", func(ctx context.Context) error {
				r, err := g.h.Key.Register.Handle(ctx, meta(g.as(custodian)), commands.RegisterKey{Unit: hh.unit, Tag: k.tag, District: hh.district})
				ids[i] = r.ID
				return err
			})
		})
	}
	lossAt := map[int]time.Time{}
	for n := 0; n < g.count(2, 1) && n < len(keys); n++ {
		lossAt[g.rng.IntN(len(keys))] = dayAt(g.randomTime(start.AddDate(0, 0, 20), g.until), 18, 0)
	}
	// Loans: each key is lent now and then, for a repair or a viewing, on
	// the owner's signed authorisation, and comes back the same day.
	for i, hh := range keyUnits {
		end := g.until
		if t, ok := lossAt[i]; ok {
			end = t.AddDate(0, 0, -1)
		}
		for t := start.AddDate(0, 0, 2+g.rng.IntN(40)); t.Before(end); t = t.AddDate(0, 0, 15+g.rng.IntN(60)) {
			out := dayAt(t, 9+g.rng.IntN(5), g.rng.IntN(60))
			due := dayAt(t, 18, 0)
			back := out.Add(g.between(time.Hour, 6*time.Hour))
			late := g.chance(0.06)
			if late {
				back = due.Add(g.between(30*time.Minute, 2*time.Hour))
			}
			ref := fmt.Sprintf("SQ-%s-%s", out.Format("20060102"), keys[i].tag[2:])
			borrower, purpose := g.pick(keyBorrowers), g.pick(keyPurposes)
			k := keys[i]
			g.at(out, func() error {
				ok, err := g.do("key lend", func(ctx context.Context) error {
					_, err := g.h.Key.Lend.Handle(ctx, meta(g.as(custodian)), commands.LendKey{KeyID: ids[i], Borrower: borrower, Purpose: purpose,
						AuthorisedBy: hh.owner, AuthorisationRef: ref, Due: due.Format(time.RFC3339)})
					return err
				})
				if !ok {
					return err
				}
				k.onLoan = true
				// R-K5: the server's rule files the signed form into the
				// unit's archive within its minute; R-K2 looks at the loan
				// once it is due.
				g.fileKeyForms(g.tick(g.clock.Now()), ids[i], hh.unit)
				g.policy(g.tick(due), "key loan overdue policy", func(ctx context.Context) (bool, error) { return g.h.RecordKeyLoanOverdue(ctx, ids[i]) })
				g.at(back, func() error {
					ok, err := g.do("key return", func(ctx context.Context) error {
						_, err := g.h.Key.Return.Handle(ctx, meta(g.as(custodian)), commands.ReturnKey{KeyID: ids[i]})
						return err
					})
					if ok {
						k.onLoan = false
						g.fileKeyForms(g.tick(g.clock.Now()), ids[i], hh.unit)
					}
					return err
				})
				return nil
			})
		}
		if t, ok := lossAt[i]; ok {
			k := keys[i]
			g.at(t.Add(-time.Hour), func() error { k.bad = true; return nil }) // missing at the evening count
			g.at(dayAt(t.AddDate(0, 0, 1), 9, 10), func() error {
				k.lost = true
				return g.run("key report loss", func(ctx context.Context) error {
					_, err := g.h.Key.ReportLoss.Handle(ctx, meta(g.as(custodian)), commands.ReportKeyLoss{KeyID: ids[i], Note: "晚间盘点时钥匙柜中找不到，复查监控仍未找到"})
					return err
				})
			})
			g.at(dayAt(t.AddDate(0, 0, 2), 15, 0), func() error {
				return g.run("key approve loss", func(ctx context.Context) error {
					_, err := g.h.Key.ApproveLoss.Handle(ctx, meta(g.manager), commands.ApproveKeyLoss{KeyID: ids[i], Accountable: custodian.StaffID, Note: "更换门锁，费用由责任人承担"})
					return err
				})
			})
		}
	}
	// The evening count most days, the supervisor's check on Mondays, and
	// the missed-day rule (R-K3) as the day without a count ends.
	for d := start; d.Before(g.until); d = d.AddDate(0, 0, 1) {
		if g.chance(0.98) {
			g.at(dayAt(d, 19, 0).Add(time.Duration(g.rng.IntN(40))*time.Minute), func() error {
				ledger, counted := 0, 0
				var missing []string
				for _, k := range keys {
					if k.lost || k.onLoan {
						continue
					}
					ledger++
					if k.bad {
						missing = append(missing, k.tag)
						continue
					}
					counted++
				}
				note := "账物相符"
				if len(missing) > 0 {
					note = "钥匙缺失，明早上报"
				}
				return g.run("key reconcile", func(ctx context.Context) error {
					_, err := g.h.Key.Reconcile.Handle(ctx, meta(g.as(custodian)), commands.ReconcileKeys{Ledger: &ledger, Counted: &counted, MissingTags: missing, Note: note})
					return err
				})
			})
		} else {
			day := reconcile.DayOf(d)
			g.at(g.tick(dayAt(d.AddDate(0, 0, 1), 0, 0)), func() error {
				return g.run("key reconciliation missed policy", func(ctx context.Context) error {
					_, err := g.h.RecordKeyReconciliationMissed(ctx, g.o.Project, day)
					return err
				})
			})
		}
		if d.Weekday() == time.Monday {
			matches := g.chance(0.95)
			note := ""
			if !matches {
				note = "登记簿借出记录与钥匙柜位置不一致，已要求保管员更正"
			}
			g.at(dayAt(d, 10, 30), func() error {
				return g.run("key supervisor check", func(ctx context.Context) error {
					_, err := g.h.Key.CheckRegister.Handle(ctx, meta(g.supervisor), commands.CheckKeyRegister{Matches: &matches, Note: note})
					return err
				})
			})
		}
	}
}

func (g *gen) planVacantUnit(hh household, t0 time.Time) {
	var id string
	bp := hh.butler
	occupyAt := time.Time{}
	if g.chance(0.15) {
		occupyAt = g.work(g.randomTime(t0.AddDate(0, 1, 0), g.until.Add(-12*time.Hour)))
	}
	vu := &vacantUnit{hh: hh}
	g.rs.vacant = append(g.rs.vacant, vu)
	g.at(t0, func() error {
		ok, err := g.do("vacant register", func(ctx context.Context) error {
			r, err := g.h.Vacant.Register.Handle(ctx, meta(bp), commands.RegisterVacantUnit{Unit: hh.unit, Owner: hh.owner})
			id = r.ID
			return err
		})
		if !ok {
			return err
		}
		vu.id = id
		for m := time.Date(t0.Year(), t0.Month(), 1, 0, 0, 0, 0, Shanghai); m.Before(g.until); m = m.AddDate(0, 1, 0) {
			end := m.AddDate(0, 1, 0)
			if !occupyAt.IsZero() && !m.Before(occupyAt) {
				break
			}
			lo := m
			if lo.Before(t0) {
				lo = t0.Add(time.Hour)
			}
			for _, svc := range []string{"inspection", "ventilation", "cleaning"} {
				if g.chance(g.slack(hh.district, 0.005, 0.04)) {
					continue // forgotten: the month-end policy records it
				}
				at := dayAt(g.randomTime(lo, end.Add(-24*time.Hour)), 10+g.rng.IntN(6), g.rng.IntN(60))
				if !occupyAt.IsZero() && !at.Before(occupyAt) {
					continue
				}
				who := bp
				if svc == "cleaning" {
					who = g.cleaner(hh.district)
				}
				svc := svc
				g.at(at, func() error {
					return g.run("vacant service", func(ctx context.Context) error {
						_, err := g.h.Vacant.Service.Handle(ctx, meta(who), commands.ServiceVacantUnit{UnitID: id, Service: svc, Notes: vacantNotes[svc]})
						return err
					})
				})
				if svc == "inspection" && occupyAt.IsZero() && g.chance(0.06) {
					g.planVacantFinding(&id, bp, hh.district, at.Add(30*time.Minute))
				}
			}
			// Extra services after special weather: planSpecialWeather (R-V2).
			month := m.Format("2006-01")
			g.at(g.tick(dayAt(end, 0, 0)), func() error {
				return g.run("vacant month policy", func(ctx context.Context) error {
					_, err := g.h.Vacant.RecordMonth.Handle(ctx, commands.Meta{}, commands.RecordVacantMonth{UnitID: id, Month: month})
					return err
				})
			})
		}
		if !occupyAt.IsZero() {
			g.at(occupyAt, func() error {
				ok, err := g.do("vacant occupy", func(ctx context.Context) error {
					_, err := g.h.Vacant.Occupy.Handle(ctx, meta(bp), commands.OccupyVacantUnit{UnitID: id})
					return err
				})
				if !ok {
					return err
				}
				vu.occupied = true
				return g.setUnitOccupied(hh)
			})
		}
		return nil
	})
}

func (g *gen) planVacantFinding(id *string, bp commands.Principal, district string, t time.Time) {
	desc := g.pick(vacantFindings)
	eng := g.engineer(district)
	g.at(t, func() error {
		var n int
		ok, err := g.do("vacant finding open", func(ctx context.Context) error {
			r, err := g.h.Vacant.OpenFinding.Handle(ctx, meta(bp), commands.OpenVacantFinding{UnitID: *id, Description: desc})
			n = int(r.Revision) // unused beyond success
			return err
		})
		_ = n
		if !ok {
			return err
		}
		idx := g.vacantFindingIndex(*id)
		g.at(g.work(t.Add(g.between(2*time.Hour, 24*time.Hour))), func() error {
			return g.run("vacant finding contact", func(ctx context.Context) error {
				_, err := g.h.Vacant.ContactContractor.Handle(ctx, meta(eng), commands.ContactVacantContractor{UnitID: *id, Finding: idx, Contractor: g.pick(contractors)})
				return err
			})
		})
		g.at(g.work(t.Add(g.between(2*24*time.Hour, 6*24*time.Hour))), func() error {
			return g.run("vacant finding close", func(ctx context.Context) error {
				_, err := g.h.Vacant.CloseFinding.Handle(ctx, meta(bp), commands.CloseVacantFinding{UnitID: *id, Finding: idx, Result: "已维修完毕，拍照存档"})
				return err
			})
		})
		return nil
	})
}

// fileKeyForms runs the R-K5 filing rule on a key at t: its loan forms go
// to the archive of its unit.
func (g *gen) fileKeyForms(t time.Time, keyID, unit string) {
	g.policy(t, "key loan forms policy", func(ctx context.Context) (bool, error) {
		arc, ok := g.archiveOf[unit]
		if !ok {
			return false, nil // no archive yet: the forms wait, as on the server
		}
		return g.h.FileKeyLoanForms(ctx, keyID, arc)
	})
}

// vacantFindingIndex is the index of the finding just opened on a unit.
func (g *gen) vacantFindingIndex(id string) int {
	g.vacantFindingCount[id]++
	return g.vacantFindingCount[id] - 1
}

// ---- renovations ----

func (g *gen) planRenovations(start time.Time) {
	// Filed evenly over the period (each at a random moment of its own
	// slot), so that some renovation is always under way.
	n := g.count(float64(len(g.households))*0.03, 1)
	slot := g.until.AddDate(0, 0, -3).Sub(start) / time.Duration(n)
	for i := 0; i < n; i++ {
		hh := g.households[g.rng.IntN(len(g.households))]
		for g.rs.vacantUnits[hh.unit] {
			hh = g.households[g.rng.IntN(len(g.households))] // an owner who lives there: R-R5 would hold up a vacant unit's occupancy
		}
		from := start.Add(time.Duration(i) * slot)
		g.planRenovation(hh, dayAt(g.randomTime(from, from.Add(slot)), 9+g.rng.IntN(7), g.rng.IntN(60)))
	}
	// The supervisor checks the register twice a week (Tuesday, Friday);
	// the policy looks at each week once it has ended.
	for d := start; d.Before(g.until); d = d.AddDate(0, 0, 1) {
		switch d.Weekday() {
		case time.Tuesday, time.Friday:
			if g.chance(0.985) {
				matches := g.chance(0.95)
				g.at(dayAt(d, 15, 0), func() error {
					ids := append([]string(nil), g.renovationsOpen...)
					if len(ids) == 0 {
						return nil
					}
					note := ""
					if !matches {
						note = "有一户装修登记表未附施工人员名单，已要求管家补齐"
					}
					return g.run("renovation register check", func(ctx context.Context) error {
						_, err := g.h.Renovation.CheckRegister.Handle(ctx, meta(g.supervisor), commands.CheckRenovationRegister{Renovations: ids, Matches: &matches, Note: note})
						return err
					})
				})
			}
		case time.Monday:
			week := register.WeekOf(d.AddDate(0, 0, -1))
			g.at(g.tick(dayAt(d, 0, 0)), func() error {
				if !g.renovationsSeen {
					return nil // no renovation filed yet
				}
				return g.run("renovation register policy", func(ctx context.Context) error {
					_, err := g.h.RecordRegisterChecksShort(ctx, g.o.Project, week)
					return err
				})
			})
		}
	}
}

func (g *gen) planRenovation(hh household, t0 time.Time) {
	bp := hh.butler
	contractor := g.pick(contractors)
	filing := commands.FileRenovation{Unit: hh.unit, Owner: hh.owner, Contractor: contractor, Description: g.pick(renovationWorks),
		Documents: []renovation.Document{{Kind: renovation.DocApplication, Ref: "ZX-" + t0.Format("0102") + "-" + hh.unit}}}
	days := 18 + g.rng.IntN(25)
	violation := g.chance(0.15)
	finding := g.chance(0.3)
	var id string
	g.at(t0, func() error {
		ok, err := g.do("renovation file", func(ctx context.Context) error {
			r, err := g.h.Renovation.File.Handle(ctx, meta(bp), filing)
			id = r.ID
			return err
		})
		if !ok {
			return err
		}
		g.renovationsSeen = true
		g.renovationsOpen = append(g.renovationsOpen, id)
		g.rs.renovationsOf[hh.unit] = append(g.rs.renovationsOf[hh.unit], id)
		t := t0
		for _, kind := range renovation.RequiredDocuments[1:] {
			t = g.work(t.Add(g.between(30*time.Minute, 20*time.Hour)))
			kind := kind
			g.at(t, func() error {
				return g.run("renovation document", func(ctx context.Context) error {
					_, err := g.h.Renovation.FileDocument.Handle(ctx, meta(bp), commands.FileRenovationDocument{RenovationID: id, Kind: string(kind), Ref: string(kind) + "-" + hh.unit})
					return err
				})
			})
		}
		approve := dayAt(t.AddDate(0, 0, 1), 10, 0)
		g.at(approve, func() error {
			return g.run("renovation approve", func(ctx context.Context) error {
				_, err := g.h.Renovation.Approve.Handle(ctx, meta(g.supervisor), commands.ApproveRenovation{RenovationID: id})
				return err
			})
		})
		site := dayAt(approve.AddDate(0, 0, 1), 9, 30)
		g.at(site, func() error {
			return g.run("renovation site check", func(ctx context.Context) error {
				_, err := g.h.Renovation.CheckSite.Handle(ctx, meta(bp), commands.CheckRenovationSite{RenovationID: id, Note: "现场查看原始结构、管线与成品保护情况，拍照留底"})
				return err
			})
		})
		g.at(site.Add(time.Hour), func() error {
			return g.run("renovation briefing", func(ctx context.Context) error {
				_, err := g.h.Renovation.BriefRules.Handle(ctx, meta(bp), commands.BriefRenovationRules{RenovationID: id, Owner: hh.owner, Contractor: contractor})
				return err
			})
		})
		begin := dayAt(site.AddDate(0, 0, 1+g.rng.IntN(3)), 8, 30)
		g.at(begin, func() error {
			return g.run("renovation start", func(ctx context.Context) error {
				_, err := g.h.Renovation.Start.Handle(ctx, meta(bp), commands.StartRenovation{RenovationID: id})
				return err
			})
		})
		vDay := 2 + g.rng.IntN(max(1, days-6))
		for d := 0; d <= days; d++ { // the completion day is a day of work too (R-R3)
			day := begin.AddDate(0, 0, d)
			if d > 0 && d < days && g.chance(0.03) {
				// Missed: the R-R3 rule records it as the day ends.
				g.at(g.tick(dayAt(day.AddDate(0, 0, 1), 0, 0)), func() error {
					return g.run("renovation inspection missed policy", func(ctx context.Context) error {
						_, err := g.h.RecordMissedInspections(ctx, id)
						return err
					})
				})
				continue
			}
			check := map[string]bool{}
			for _, item := range renovation.Checklist {
				check[item] = !g.chance(0.02)
			}
			note := "各项正常"
			for _, item := range renovation.Checklist { // in order: the same seed, the same note
				if !check[item] {
					note = "发现" + checklistNames[item] + "不到位，已现场提醒整改"
				}
			}
			g.at(dayAt(day, 10+g.rng.IntN(6), g.rng.IntN(30)), func() error {
				return g.run("renovation inspect", func(ctx context.Context) error {
					_, err := g.h.Renovation.Inspect.Handle(ctx, meta(bp), commands.InspectRenovation{RenovationID: id, Checklist: check, Note: note})
					return err
				})
			})
			if violation && d == vDay {
				vt := dayAt(day, 16, 30)
				desc := g.pick(renovationViolations)
				g.at(vt, func() error {
					return g.run("renovation violation", func(ctx context.Context) error {
						_, err := g.h.Renovation.RecordViolation.Handle(ctx, meta(bp), commands.RecordRenovationViolation{RenovationID: id, Description: desc,
							Evidence: []string{"photo-" + vt.Format("0102-1504")}, ReportedTo: g.supervisor.StaffID})
						return err
					})
				})
				g.at(g.work(vt.Add(g.between(20*time.Hour, 40*time.Hour))), func() error {
					return g.run("renovation violation rectify", func(ctx context.Context) error {
						_, err := g.h.Renovation.RectifyViolation.Handle(ctx, meta(bp), commands.RectifyRenovationViolation{RenovationID: id, ViolationID: "v1", Note: "已恢复原状并经管家复查"})
						return err
					})
				})
				g.at(g.work(vt.Add(g.between(44*time.Hour, 70*time.Hour))), func() error {
					return g.run("renovation violation close", func(ctx context.Context) error {
						_, err := g.h.Renovation.CloseViolation.Handle(ctx, meta(g.supervisor), commands.CloseRenovationViolation{RenovationID: id, ViolationID: "v1"})
						return err
					})
				})
			}
		}
		done := dayAt(begin.AddDate(0, 0, days), 17, 30)
		g.renovationTalks(id, hh, approve, begin, done)
		g.at(done, func() error {
			return g.run("renovation complete", func(ctx context.Context) error {
				_, err := g.h.Renovation.Complete.Handle(ctx, meta(bp), commands.CompleteRenovation{RenovationID: id})
				return err
			})
		})
		eng := g.engineer(hh.district)
		var findings []string
		if finding {
			findings = []string{g.pick(acceptanceFindings)}
		}
		accept := dayAt(done.AddDate(0, 0, 1+g.rng.IntN(2)), 10, 0)
		g.at(accept, func() error {
			return g.run("renovation acceptance", func(ctx context.Context) error {
				_, err := g.h.Renovation.InspectForAcceptance.Handle(ctx, meta(eng), commands.InspectRenovationForAcceptance{RenovationID: id, Findings: findings})
				return err
			})
		})
		closeAt := accept.Add(3 * time.Hour)
		if finding {
			fix := g.work(accept.Add(g.between(24*time.Hour, 72*time.Hour)))
			g.at(fix, func() error {
				return g.run("renovation fix finding", func(ctx context.Context) error {
					_, err := g.h.Renovation.FixFinding.Handle(ctx, meta(eng), commands.FixRenovationFinding{RenovationID: id, Finding: 0, Note: "复验合格"})
					return err
				})
			})
			closeAt = g.work(fix.Add(2 * time.Hour))
		}
		g.at(closeAt, func() error {
			g.renovationsOpen = slices.DeleteFunc(g.renovationsOpen, func(x string) bool { return x == id })
			return g.run("renovation close", func(ctx context.Context) error {
				_, err := g.h.Renovation.Close.Handle(ctx, meta(bp), commands.CloseRenovation{RenovationID: id})
				return err
			})
		})
		return nil
	})
}

// ---- move-ins of newly handed-over units ----

func (g *gen) planMoveIns(start time.Time) {
	n := g.count(float64(len(g.households))*0.02, 1)
	building := (len(g.households)+71)/72 + 1
	last := g.households[len(g.households)-1].district // the newest buildings are next to it
	var bs []commands.Principal
	for _, hh := range g.households {
		if hh.district == last && (len(bs) == 0 || bs[0] != hh.butler) && len(bs) < 2 {
			bs = append(bs, hh.butler)
		}
	}
	for i := 0; i < n; i++ {
		k := i % 72
		unit := fmt.Sprintf("%d-%d-%d%02d", building+i/72, k/36+1, (k%36)/2+1, k%2+1)
		owner := g.pick(surnames) + g.pick(givenNames)
		g.planMoveIn(unit, owner, last, bs[i%len(bs)], dayAt(g.randomTime(start, g.until.AddDate(0, 0, -2)), 9+g.rng.IntN(6), 0))
	}
}

func (g *gen) planMoveIn(unit, owner, district string, bp commands.Principal, t0 time.Time) {
	var id string
	var defects []string
	for j := 0; j < g.rng.IntN(3); j++ {
		defects = append(defects, moveInDefects[(j+g.rng.IntN(len(moveInDefects)))%len(moveInDefects)])
	}
	if len(defects) == 2 && defects[0] == defects[1] {
		defects = defects[:1]
	}
	g.at(t0, func() error {
		ok, err := g.do("move-in open", func(ctx context.Context) error {
			r, err := g.h.MoveIn.Open.Handle(ctx, meta(bp), commands.OpenMoveIn{Unit: unit, Owner: owner})
			id = r.ID
			return err
		})
		if !ok {
			return err
		}
		t := t0
		next := func() time.Time { t = t.Add(g.between(10*time.Minute, 40*time.Minute)); return t }
		steps := []struct {
			what string
			f    func(ctx context.Context) error
		}{
			{"move-in documents", func(ctx context.Context) error {
				_, err := g.h.MoveIn.ReviewDocuments.Handle(ctx, meta(bp), commands.ReviewMoveInDocuments{MoveInID: id, Note: "身份证、购房合同、入伙通知书已核对"})
				return err
			}},
			{"move-in fees", func(ctx context.Context) error {
				// R-M3: the receipt is the payment of the unit's first bill.
				receipt, err := g.moveInBill(bp, unit)
				if err != nil || receipt == "" {
					return err
				}
				_, err = g.h.MoveIn.CollectFees.Handle(ctx, meta(g.as(cashier)), commands.CollectMoveInFees{MoveInID: id, Receipts: []string{receipt}})
				return err
			}},
			{"move-in agreements", func(ctx context.Context) error {
				_, err := g.h.MoveIn.SignAgreements.Handle(ctx, meta(bp), commands.SignMoveInAgreements{MoveInID: id, Agreements: []string{movein.AgreementPreliminaryService}})
				return err
			}},
			{"move-in forms", func(ctx context.Context) error {
				_, err := g.h.MoveIn.FillForms.Handle(ctx, meta(bp), commands.FillMoveInForms{MoveInID: id, Forms: []string{movein.FormOwnerInformation}, Photos: []string{"owner-" + unit}})
				return err
			}},
			{"move-in inspect", func(ctx context.Context) error {
				_, err := g.h.MoveIn.InspectUnit.Handle(ctx, meta(bp), commands.InspectMoveInUnit{MoveInID: id, Defects: defects, Note: "业主与管家共同验房"})
				return err
			}},
			{"move-in keys", func(ctx context.Context) error {
				_, err := g.h.MoveIn.HandOverKeys.Handle(ctx, meta(bp), commands.HandOverMoveInKeys{MoveInID: id, Keys: []string{"入户门钥匙×3", "信报箱钥匙×1"}})
				return err
			}},
		}
		for _, s := range steps {
			s := s
			g.at(next(), func() error { return g.run(s.what, s.f) })
		}
		g.at(next(), func() error { g.fileMoveInDocuments(id, unit); return nil }) // R-M3
		if g.chance(0.12) {
			// R-M4: a group-complaint risk at the hand-over site.
			reason := g.pick(moveInRisks)
			g.at(next(), func() error {
				ok, err := g.do("move-in flag risk", func(ctx context.Context) error {
					_, err := g.h.MoveIn.FlagRisk.Handle(ctx, meta(bp), commands.FlagMoveInRisk{MoveInID: id, Reason: reason})
					return err
				})
				if !ok {
					return err
				}
				return g.acknowledgeLast(movein.Stream(id))
			})
		}
		for j := range defects {
			did := fmt.Sprintf("d%d", j+1)
			g.at(dayAt(t.AddDate(0, 0, 1), 10, j), func() error {
				return g.run("move-in defect to developer", func(ctx context.Context) error {
					_, err := g.h.MoveIn.HandDefectToDeveloper.Handle(ctx, meta(bp), commands.HandMoveInDefectToDeveloper{MoveInID: id, DefectID: did, DeveloperRef: "KF-" + unit + "-" + did})
					return err
				})
			})
			eng := g.engineer(district)
			g.at(g.work(t.Add(g.between(3*24*time.Hour, 15*24*time.Hour))), func() error {
				return g.run("move-in defect resolved", func(ctx context.Context) error {
					_, err := g.h.MoveIn.ResolveDefect.Handle(ctx, meta(eng), commands.ResolveMoveInDefect{MoveInID: id, DefectID: did, Note: "开发商维修完毕，业主确认"})
					return err
				})
			})
		}
		g.at(g.work(t.Add(g.between(5*24*time.Hour, 30*24*time.Hour))), func() error {
			return g.run("move-in occupied", func(ctx context.Context) error {
				_, err := g.h.MoveIn.RecordOccupied.Handle(ctx, meta(bp), commands.RecordMoveInOccupied{MoveInID: id})
				return err
			})
		})
		g.planArchive(unit, owner, "", district, t.Add(2*time.Hour))
		return nil
	})
}

// ---- visits ----

func (g *gen) planVisitPlans(start time.Time) {
	byButler := map[string][]household{}
	perDistrict := map[string]int{}
	var order []commands.Principal
	for _, hh := range g.households {
		if !slices.Contains(order, hh.butler) {
			order = append(order, hh.butler)
		}
		if g.rs.vacantUnits[hh.unit] {
			continue // R-H1: plans hold registered, occupied units
		}
		byButler[hh.butler.StaffID] = append(byButler[hh.butler.StaffID], hh)
		perDistrict[hh.district]++
	}
	for m := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, Shanghai); m.Before(g.until); m = m.AddDate(0, 1, 0) {
		planAt := dayAt(m, 9, 0)
		if planAt.Before(start) {
			planAt = start
		}
		for _, bp := range order {
			mine := byButler[bp.StaffID]
			total := perDistrict[bp.District]
			// R-H1: each butler plans 9% of the district (8% is the floor),
			// so that a missed visit or two still leaves the plan met.
			need := min(len(mine), (9*total+99)/100+1)
			if need*100 < 8*total {
				continue // a butler with too few households to plan alone
			}
			var hs []household
			for _, j := range g.rng.Perm(len(mine))[:need] {
				hs = append(hs, mine[j])
			}
			g.planMonthOfVisits(bp, m, planAt, hs, total)
		}
	}
}

func (g *gen) planMonthOfVisits(bp commands.Principal, month, planAt time.Time, hs []household, total int) {
	var units []string
	for _, hh := range hs {
		units = append(units, hh.unit)
	}
	g.at(planAt, func() error {
		var planID string
		ok, err := g.do("visit plan", func(ctx context.Context) error {
			r, err := g.h.Visit.Plan.Handle(ctx, meta(bp), commands.PlanVisits{Month: month.Format("2006-01"), Households: units})
			planID = r.ID
			return err
		})
		if !ok {
			return err
		}
		end := month.AddDate(0, 1, 0)
		for _, hh := range hs {
			if g.chance(g.slack(bp.District, 0.01, 0.12)) {
				continue // not visited: rare, but frequent in the bad patch
			}
			at := g.work(g.randomTime(planAt.Add(time.Hour), end.Add(-5*time.Hour)))
			var opinions []string
			if g.chance(0.25) {
				opinions = append(opinions, g.pick(visitOpinions))
			}
			hh := hh
			notes := g.pick(visitNotes)
			g.at(at, func() error { return g.recordVisit(bp, hh, "routine", planID, notes, opinions) })
		}
		return nil
	})
}

// recordVisit records a visit, then rectifies and feeds back its opinions.
func (g *gen) recordVisit(bp commands.Principal, hh household, kind, planID, notes string, opinions []string) error {
	var id string
	ok, err := g.do("visit record", func(ctx context.Context) error {
		r, err := g.h.Visit.Record.Handle(ctx, meta(bp), commands.RecordVisit{Household: hh.unit, Kind: kind, PlanID: planID,
			Notes: notes, Opinions: opinions, Satisfaction: g.satisfaction(hh.district)})
		id = r.ID
		return err
	})
	if !ok {
		return err
	}
	now := g.clock.Now()
	for i, op := range opinions {
		i := i
		fix := g.work(now.Add(g.between(4*time.Hour, 5*24*time.Hour)))
		g.at(fix, func() error {
			return g.run("visit rectify", func(ctx context.Context) error {
				_, err := g.h.Visit.RectifyOpinion.Handle(ctx, meta(bp), commands.RectifyOpinion{VisitID: id, Opinion: i, Action: rectifications[op]})
				return err
			})
		})
		g.at(g.work(fix.Add(g.between(time.Hour, 48*time.Hour))), func() error {
			return g.run("visit feedback", func(ctx context.Context) error {
				_, err := g.h.Visit.FeedBackOpinion.Handle(ctx, meta(bp), commands.FeedBackOpinion{VisitID: id, Opinion: i, Channel: g.pick([]string{"phone", "visit"}), Note: "业主对整改结果表示认可"})
				return err
			})
		})
		if g.chance(0.05) {
			g.at(g.work(now.Add(time.Hour)), func() error {
				ok, err := g.do("visit warn", func(ctx context.Context) error {
					_, err := g.h.Visit.WarnCommonProblem.Handle(ctx, meta(bp), commands.WarnCommonProblem{VisitID: id, Problem: "多户业主反映：" + op})
					return err
				})
				if !ok {
					return err
				}
				return g.acknowledgeLast(visit.Stream(id))
			})
		}
	}
	g.lastVisit = id
	return nil
}

// openDue runs the R-H3 policy on a record at t, as the server's rule
// does for every finished repair, resolved complaint and bill in arrears
// (the command decides whether a return visit is due). A due it opens is
// remembered for the butler's visit, and the overdue rule runs on it once
// its deadline has passed.
func (g *gen) openDue(t time.Time, source, id string) {
	g.at(t, func() error {
		var r commands.PolicyResult
		ok, err := g.do("return visit due policy", func(ctx context.Context) error {
			var err error
			r, err = g.h.Visit.OpenRequiredReturnVisit.Handle(ctx, commands.Meta{}, commands.OpenRequiredReturnVisit{Source: source, ID: id})
			return err
		})
		if !ok || !r.Recorded {
			return err
		}
		g.dues[id] = true
		by, err := g.dueBy(id)
		if err != nil || by.IsZero() {
			return err
		}
		g.policy(g.tick(by), "return visit overdue policy", func(ctx context.Context) (bool, error) {
			r, err := g.h.Visit.MarkReturnVisitOverdue.Handle(ctx, commands.Meta{}, commands.MarkReturnVisitOverdue{DueID: id})
			return r.Recorded, err
		})
		return nil
	})
}

// dueBy reads a required return visit's deadline from its opening (zero:
// none, as for a leak repair, whose visit waits for rain).
func (g *gen) dueBy(id string) (time.Time, error) {
	recs, err := g.store.ReadStream(g.ctx, visit.DueStream(id), 0, event.Forward, 1)
	if err != nil || len(recs) == 0 {
		return time.Time{}, fmt.Errorf("demo: reading return visit %s: %v", id, err)
	}
	var d struct {
		DueBy time.Time `json:"due_by"`
	}
	if err := json.Unmarshal(recs[0].Data, &d); err != nil {
		return time.Time{}, fmt.Errorf("demo: return visit %s: %w", id, err)
	}
	return d.DueBy, nil
}

// returnVisit records the return visit in person and, when a return visit
// was required, marks it done with it.
func (g *gen) returnVisit(bp commands.Principal, hh household, dueID, notes string) error {
	g.lastVisit = ""
	if err := g.recordVisit(bp, hh, string(visit.KindReturn), "", notes, nil); err != nil || g.lastVisit == "" || !g.dues[dueID] {
		return err
	}
	vid := g.lastVisit
	delete(g.dues, dueID)
	return g.run("return visit satisfy", func(ctx context.Context) error {
		_, err := g.h.Visit.SatisfyReturnVisit.Handle(ctx, meta(bp), commands.SatisfyReturnVisit{DueID: dueID, VisitID: vid})
		return err
	})
}

var urgentWithin = workorder.UrgentReturnVisitWithin

// ---- patrols ----

func (g *gen) planPatrols(start time.Time) {
	byDistrict := map[string][]household{}
	for _, hh := range g.households {
		byDistrict[hh.district] = append(byDistrict[hh.district], hh)
	}
	for _, d := range g.sum.Districts {
		hs := byDistrict[d.ID]
		if len(hs) == 0 {
			continue
		}
		for day := start; day.Before(g.until); day = day.AddDate(0, 0, 1) {
			if !g.chance(0.95) {
				continue
			}
			hh := hs[g.rng.IntN(len(hs))]
			bp := hh.butler
			areas := []string{g.pick(patrolAreas), g.pick(patrolAreas), fmt.Sprintf("%s号楼大堂", hh.unit[:len(hh.unit)-len("-1-101")])}
			var findings []string
			var kind repairKind
			if g.chance(0.08) {
				kind = repairKinds[3]
				findings = []string{g.pick(kind.descriptions)}
			}
			at := dayAt(day, 10+g.rng.IntN(6), g.rng.IntN(60))
			g.at(at, func() error {
				var pid string
				ok, err := g.do("patrol record", func(ctx context.Context) error {
					r, err := g.h.Vacant.RecordPatrol.Handle(ctx, meta(bp), commands.RecordPatrol{Areas: areas, Findings: findings})
					pid = r.ID
					return err
				})
				if !ok || len(findings) == 0 {
					return err
				}
				g.at(at.Add(10*time.Minute), func() error {
					var wid string
					ok, err := g.do("patrol finding to work order", func(ctx context.Context) error {
						r, err := g.h.Vacant.ReportPatrolFinding.Handle(ctx, meta(bp), commands.ReportPatrolFinding{PatrolID: pid, Finding: 0, Warranty: "out", Place: areas[0]})
						wid = r.ID
						return err
					})
					if !ok {
						return err
					}
					g.sum.WorkOrders++
					g.monthWorkOrders[g.clock.Now().In(Shanghai).Format("2006-01")] = append(g.monthWorkOrders[g.clock.Now().In(Shanghai).Format("2006-01")], wid)
					reg := commands.RegisterWorkOrder{Unit: hh.unit, Description: findings[0], Area: "public", Warranty: "out"}
					g.continueWorkOrder(wid, hh, reg, kind, g.clock.Now())
					return nil
				})
				return nil
			})
		}
	}
}

// ---- activities ----

func (g *gen) planActivities(start time.Time) {
	for y := g.from.Year(); y <= g.until.Year(); y++ {
		dec := time.Date(y, 12, 1, 0, 0, 0, 0, Shanghai)
		h := g.h.Activity
		responses := 120 + g.rng.IntN(200)
		steps := []struct {
			at     time.Time
			by     commands.Principal
			action string
			do     func(context.Context, commands.Meta) (commands.Result, error)
		}{
			{dayAt(dec.AddDate(0, 0, 4), 10, 0), g.supervisor, "survey", func(ctx context.Context, m commands.Meta) (commands.Result, error) {
				return h.SurveyPlan.Handle(ctx, m, commands.SurveyActivityPlan{Year: y + 1, Responses: responses, Findings: "业主希望增加亲子活动和老年人健康讲座"})
			}},
			{dayAt(dec.AddDate(0, 0, 11), 10, 0), g.supervisor, "draft", func(ctx context.Context, m commands.Meta) (commands.Result, error) {
				return h.DraftPlan.Handle(ctx, m, commands.DraftActivityPlan{Year: y + 1, Activities: activityTitles()})
			}},
			{dayAt(dec.AddDate(0, 0, 19), 10, 0), g.as(operations), "approve", func(ctx context.Context, m commands.Meta) (commands.Result, error) {
				return h.ApprovePlan.Handle(ctx, m, commands.ApproveActivityPlan{Year: y + 1})
			}},
		}
		for _, s := range steps {
			if s.at.Before(start) || !s.at.Before(g.until) {
				continue
			}
			g.at(s.at, func() error {
				return g.run("activity plan "+s.action, func(ctx context.Context) error {
					_, err := s.do(ctx, meta(s.by))
					return err
				})
			})
		}
	}
	for y := g.from.Year(); y <= g.until.Year(); y++ {
		for _, a := range activities {
			date := time.Date(y, a.month, a.day, 0, 0, 0, 0, Shanghai)
			propose := dayAt(date.AddDate(0, 0, -30), 10, 0)
			if propose.Before(start) || !propose.Before(g.until) {
				continue
			}
			g.planActivity(a, date, propose)
		}
	}
}

func (g *gen) planActivity(a activitySpec, date, propose time.Time) {
	bp := g.households[g.rng.IntN(len(g.households))].butler
	participants := 40 + g.rng.IntN(160)
	g.at(propose, func() error {
		var id string
		ok, err := g.do("activity propose", func(ctx context.Context) error {
			r, err := g.h.Activity.Propose.Handle(ctx, meta(g.supervisor), commands.ProposeActivity{Title: a.title, Date: date.Format(time.DateOnly),
				Organisation: "客服部、" + bp.District + "片区管家", Content: a.content, Publicity: "公告栏张贴通知、业主微信群发布", BudgetFen: int64(300000 + g.rng.IntN(700000)),
				Risks: "人员密集注意疏导，老人儿童看护，备好急救药箱", Large: a.large, District: bp.District})
			id = r.ID
			return err
		})
		if !ok {
			return err
		}
		h := g.h.Activity
		responses := participants * 3 / 10
		steps := []struct {
			at     time.Time
			by     commands.Principal
			action string
			do     func(context.Context, commands.Meta) (commands.Result, error)
		}{
			{propose.AddDate(0, 0, 3), g.as(operations), "approve", func(ctx context.Context, m commands.Meta) (commands.Result, error) {
				return h.Approve.Handle(ctx, m, commands.ApproveActivity{ActivityID: id})
			}},
			{propose.AddDate(0, 0, 6), g.as(quality), "approve", func(ctx context.Context, m commands.Meta) (commands.Result, error) {
				return h.Approve.Handle(ctx, m, commands.ApproveActivity{ActivityID: id})
			}},
			{dayAt(date, 9, 30), g.supervisor, "hold", func(ctx context.Context, m commands.Meta) (commands.Result, error) {
				return h.Hold.Handle(ctx, m, commands.HoldActivity{ActivityID: id, Participants: participants})
			}},
			{dayAt(date.AddDate(0, 0, 1), 15, 0), g.supervisor, "survey", func(ctx context.Context, m commands.Meta) (commands.Result, error) {
				return h.Survey.Handle(ctx, m, commands.SurveyActivity{ActivityID: id, Responses: responses, Satisfied: responses * 9 / 10})
			}},
			{dayAt(date.AddDate(0, 0, 2), 16, 0), g.supervisor, "summarise", func(ctx context.Context, m commands.Meta) (commands.Result, error) {
				return h.Summarise.Handle(ctx, m, commands.SummariseActivity{ActivityID: id, Summary: a.title + "顺利举办，业主参与积极，满意度较高；下次提前做好场地遮阳"})
			}},
		}
		// R-A4: the server's rule looks at the activity once its summary is due.
		g.policy(g.tick(dayAt(date, 9, 30).Add(activity.SummaryWithin)), "activity summary policy", func(ctx context.Context) (bool, error) {
			return g.h.RecordActivitySummaryOverdue(ctx, id)
		})
		for _, s := range steps {
			g.at(s.at, func() error {
				return g.run("activity "+s.action, func(ctx context.Context) error {
					_, err := s.do(ctx, meta(s.by))
					return err
				})
			})
		}
		return nil
	})
}

// ---- command centre ----

func (g *gen) planCommandCentre(start time.Time) {
	ops := []commands.Principal{g.operator, g.as(operator2)}
	g.at(dayAt(start, 8, 0), func() error { return g.shift(dayAt(start, 8, 0), false, "", ops, 0) })
	for m := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, Shanghai); m.Before(g.until); m = m.AddDate(0, 1, 0) {
		at := dayAt(m.AddDate(0, 0, 9+g.rng.IntN(15)), 14, 30)
		if at.Before(start) || !at.Before(g.until) {
			continue
		}
		kind := []string{"fire", "elevator_entrapment", "suspicious_person", "wall_climbing"}[int(m.Month())%4]
		people := 8 + g.rng.IntN(20)
		g.at(at, func() error {
			return g.run("cc drill", func(ctx context.Context) error {
				_, err := g.h.CommandCentre.RecordDrill.Handle(ctx, meta(g.supervisor), commands.RecordDrill{Type: kind, Participants: people})
				return err
			})
		})
		if g.chance(0.5) {
			g.planEmergency(dayAt(m.AddDate(0, 0, g.rng.IntN(25)), 20, 10+g.rng.IntN(40)))
		}
	}
}

// shift opens a shift, logs and handles its messages, hands over what is
// left to the next operator, closes, and opens the next shift.
func (g *gen) shift(at time.Time, night bool, previous string, ops []commands.Principal, turn int) error {
	op := ops[turn%2]
	var id string
	ok, err := g.do("cc shift open", func(ctx context.Context) error {
		r, err := g.h.CommandCentre.OpenShift.Handle(ctx, meta(op), commands.OpenShift{Night: night, Previous: previous})
		id = r.ID
		return err
	})
	if !ok {
		return err
	}
	end := at.Add(12 * time.Hour)
	for _, mid := range g.carried {
		mid := mid
		g.at(at.Add(g.between(10*time.Minute, time.Hour)), func() error {
			return g.run("cc handle carried message", func(ctx context.Context) error {
				_, err := g.h.CommandCentre.HandleMessage.Handle(ctx, meta(op), commands.HandleMessage{ShiftID: id, MessageID: mid, Result: "接班后已电话回复业主并派单处理"})
				return err
			})
		})
	}
	g.carried = nil
	n := g.rng.IntN(3)
	if night {
		n = g.rng.IntN(2)
	}
	var carried []string
	for i := 0; i < n; i++ {
		t := at.Add(g.between(time.Hour, 11*time.Hour))
		msg := ccMessages[g.rng.IntN(len(ccMessages))]
		from := g.households[g.rng.IntN(len(g.households))].unit
		carry := end.Sub(t) < 2*time.Hour && g.chance(0.6)
		g.at(t, func() error {
			ok, err := g.do("cc log message", func(ctx context.Context) error {
				_, err := g.h.CommandCentre.LogMessage.Handle(ctx, meta(op), commands.LogMessage{ShiftID: id, From: from, Content: msg.content})
				return err
			})
			if !ok {
				return err
			}
			mid, err := g.lastMessageID(id)
			if err != nil {
				return err
			}
			if carry {
				carried = append(carried, mid)
				return nil
			}
			g.at(g.clock.Now().Add(g.between(5*time.Minute, 50*time.Minute)), func() error {
				return g.run("cc handle message", func(ctx context.Context) error {
					_, err := g.h.CommandCentre.HandleMessage.Handle(ctx, meta(op), commands.HandleMessage{ShiftID: id, MessageID: mid, Result: msg.result})
					return err
				})
			})
			return nil
		})
	}
	next := ops[(turn+1)%2]
	g.at(end.Add(-5*time.Minute), func() error {
		return g.run("cc hand over", func(ctx context.Context) error {
			_, err := g.h.CommandCentre.HandOverShift.Handle(ctx, meta(op), commands.HandOverShift{ShiftID: id, To: next.StaffID})
			return err
		})
	})
	g.at(end.Add(-time.Minute), func() error {
		return g.run("cc close shift", func(ctx context.Context) error {
			_, err := g.h.CommandCentre.CloseShift.Handle(ctx, meta(op), commands.CloseShift{ShiftID: id})
			return err
		})
	})
	if !night && at.Weekday() == time.Wednesday {
		passed := g.chance(0.92)
		g.at(end.Add(-3*time.Minute), func() error {
			notes := "交接内容完整，未完成事项已逐条交接"
			if !passed {
				notes = "交接记录缺少未结留言的处理进度"
			}
			return g.run("cc hand-over check", func(ctx context.Context) error {
				_, err := g.h.CommandCentre.RecordHandoverCheck.Handle(ctx, meta(g.supervisor), commands.RecordHandoverCheck{ShiftID: id, Passed: passed, Notes: notes})
				return err
			})
		})
	}
	g.at(end, func() error {
		g.carried = carried
		return g.shift(end, !night, id, ops, turn+1)
	})
	return nil
}

// lastMessageID reads the id of the message just logged on a shift.
func (g *gen) lastMessageID(shiftID string) (string, error) {
	recs, err := g.store.ReadStream(g.ctx, commandcentre.ShiftStream(shiftID), math.MaxUint64, event.Backward, 1)
	if err != nil || len(recs) == 0 {
		return "", fmt.Errorf("demo: reading shift %s: %v", shiftID, err)
	}
	var m struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(recs[0].Data, &m); err != nil || m.ID == "" {
		return "", fmt.Errorf("demo: message id on shift %s: %v", shiftID, err)
	}
	return m.ID, nil
}

func (g *gen) planEmergency(at time.Time) {
	if at.Before(g.from) || !at.Before(g.until) {
		return
	}
	kind := g.pick([]string{"elevator_entrapment", "elevator_entrapment", "suspicious_person", "wall_climbing"})
	district := g.sum.Districts[g.rng.IntN(len(g.sum.Districts))].ID
	loc := fmt.Sprintf("%d号楼", 1+g.rng.IntN(max(1, len(g.households)/72)))
	g.at(at, func() error {
		var id string
		ok, err := g.do("cc emergency", func(ctx context.Context) error {
			r, err := g.h.CommandCentre.ReportEmergency.Handle(ctx, meta(g.operator), commands.ReportEmergency{Type: kind, Location: loc, District: district})
			id = r.ID
			return err
		})
		if !ok {
			return err
		}
		t := at
		for _, step := range emergencySteps[kind] {
			step := step
			t = t.Add(g.between(2*time.Minute, 10*time.Minute))
			g.at(t, func() error {
				return g.run("cc emergency step", func(ctx context.Context) error {
					_, err := g.h.CommandCentre.CompleteEmergencyStep.Handle(ctx, meta(g.operator), commands.CompleteEmergencyStep{EmergencyID: id, Step: step})
					return err
				})
			})
		}
		g.at(t.Add(15*time.Minute), func() error {
			return g.run("cc emergency close", func(ctx context.Context) error {
				_, err := g.h.CommandCentre.CloseEmergency.Handle(ctx, meta(g.operator), commands.CloseEmergency{EmergencyID: id, Summary: emergencySummaries[kind]})
				return err
			})
		})
		return nil
	})
}

// ---- archives ----

func (g *gen) planArchives(start time.Time) {
	n := max(3, len(g.households)/10)
	var chosen []household
	for _, hh := range g.households {
		if g.keyUnits[hh.unit] {
			chosen = append(chosen, hh) // the custodian's keys' units: their loan forms are filed there
		}
	}
	withDocs := map[string]bool{}
	for _, j := range g.rng.Perm(len(g.households))[:n] {
		withDocs[g.households[j].unit] = true
	}
	// Every household has its archive (R-W8, R-C6 file into it): the
	// archivist enters them over the first working days, 09:00–19:00.
	for _, hh := range g.households {
		if !g.keyUnits[hh.unit] {
			chosen = append(chosen, hh)
		}
	}
	for i, hh := range chosen {
		at := dayAt(start.AddDate(0, 0, i/300), 9, 0).Add(time.Duration(i%300) * 2 * time.Minute)
		g.planArchiveDocs(hh.unit, hh.owner, hh.phone, hh.district, at, g.keyUnits[hh.unit] || withDocs[hh.unit])
	}
	for m := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, Shanghai); m.Before(g.until); m = m.AddDate(0, 1, 0) {
		// A loan a month, signed by the project manager, and a catalogue check.
		loan := dayAt(m.AddDate(0, 0, 5+g.rng.IntN(15)), 10, 0)
		check := dayAt(m.AddDate(0, 0, 24), 15, 0)
		borrower := g.households[g.rng.IntN(len(g.households))].butler
		purpose := g.pick([]string{"核对业主产权信息", "办理车位租赁手续", "处理投诉需查阅装修档案"})
		missingOne := g.chance(0.1)
		if loan.After(start) && loan.Before(g.until) {
			g.at(loan, func() error {
				if len(g.archives) == 0 {
					return nil
				}
				id := g.archives[g.rng.IntN(len(g.archives))]
				if g.archivesOnLoan[id] {
					return nil
				}
				g.archivesOnLoan[id] = true
				g.at(loan.Add(time.Minute), func() error {
					return g.run("archive request loan", func(ctx context.Context) error {
						_, err := g.h.Archive.RequestLoan.Handle(ctx, meta(g.as(archivist)), commands.RequestArchiveLoan{ArchiveID: id, Borrower: borrower.StaffID, Purpose: purpose})
						return err
					})
				})
				g.at(loan.Add(2*time.Hour), func() error {
					return g.run("archive sign loan", func(ctx context.Context) error {
						_, err := g.h.Archive.SignLoan.Handle(ctx, meta(g.manager), commands.SignArchiveLoan{ArchiveID: id})
						return err
					})
				})
				g.at(loan.Add(2*time.Hour+30*time.Minute), func() error {
					return g.run("archive read", func(ctx context.Context) error {
						_, err := g.h.Archive.Read.Handle(ctx, meta(g.supervisor), commands.ReadArchive{ArchiveID: id, What: "owner,phone"})
						return err
					})
				})
				g.at(g.work(loan.Add(g.between(24*time.Hour, 72*time.Hour))), func() error {
					delete(g.archivesOnLoan, id)
					return g.run("archive return", func(ctx context.Context) error {
						_, err := g.h.Archive.Return.Handle(ctx, meta(g.as(archivist)), commands.ReturnArchive{ArchiveID: id})
						return err
					})
				})
				return nil
			})
		}
		if check.After(start) && check.Before(g.until) {
			g.at(check, func() error {
				for k := 0; k < min(5, len(g.archives)); k++ {
					id := g.archives[g.rng.IntN(len(g.archives))]
					var missing []string
					if missingOne && k == 0 && g.rs.archiveDocs[id] {
						missing = []string{"业主身份证复印件"}
					}
					if err := g.run("archive catalogue check", func(ctx context.Context) error {
						_, err := g.h.Archive.Check.Handle(ctx, meta(g.supervisor), commands.CheckArchive{ArchiveID: id, Missing: missing})
						return err
					}); err != nil {
						return err
					}
				}
				return nil
			})
		}
	}
}

func (g *gen) planArchive(unit, owner, phone, district string, at time.Time) {
	g.planArchiveDocs(unit, owner, phone, district, at, true)
}

// planArchiveDocs opens a unit's archive at at, with its documents
// catalogued when docs.
func (g *gen) planArchiveDocs(unit, owner, phone, district string, at time.Time, docs bool) {
	g.at(at, func() error {
		var id string
		ok, err := g.do("archive open", func(ctx context.Context) error {
			r, err := g.h.Archive.Open.Handle(ctx, meta(g.as(archivist)), commands.OpenArchive{Household: unit, Owner: owner, Phone: phone, District: district})
			id = r.ID
			return err
		})
		if !ok {
			return err
		}
		g.archives = append(g.archives, id)
		if _, ok := g.archiveOf[unit]; !ok {
			g.archiveOf[unit] = id
		}
		g.archiveOpened(unit, id, district)
		if !docs {
			return nil
		}
		g.rs.archiveDocs[id] = true
		for i, doc := range []struct{ name, kind string }{{"业主身份证复印件", "identity"}, {"购房合同复印件", "contract"}, {"入伙资料登记表", "form"}} {
			doc := doc
			g.at(at.Add(time.Duration(i+1)*5*time.Minute), func() error {
				return g.run("archive add document", func(ctx context.Context) error {
					_, err := g.h.Archive.AddDocument.Handle(ctx, meta(g.as(archivist)), commands.AddArchiveDocument{ArchiveID: id, Document: doc.name, Kind: doc.kind})
					return err
				})
			})
		}
		return nil
	})
}

// ---- fee collection plans and ledgers ----

func (g *gen) planFeeLedgers(start time.Time) {
	for m := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, Shanghai); m.Before(g.until); m = m.AddDate(0, 1, 0) {
		at := dayAt(m, 9, 30)
		if at.Before(start) {
			at = start.Add(30 * time.Minute)
		}
		month := m.Format("2006-01")
		revise := g.chance(0.15)
		g.at(at, func() error {
			targets := g.collectionTargets(month)
			if len(targets) == 0 {
				return nil // nothing billed this month
			}
			ok, err := g.do("fee plan set", func(ctx context.Context) error {
				_, err := g.h.Fee.SetCollectionPlan.Handle(ctx, meta(g.supervisor), commands.SetCollectionPlan{Month: month, Targets: targets})
				return err
			})
			if !ok || !revise {
				return err
			}
			for i := range targets {
				targets[i].TargetFen = targets[i].TargetFen * 9 / 10
			}
			g.at(at.AddDate(0, 0, 10), func() error {
				return g.run("fee plan revise", func(ctx context.Context) error {
					_, err := g.h.Fee.ReviseCollectionPlan.Handle(ctx, meta(g.supervisor), commands.ReviseCollectionPlan{PlanID: commands.FeePlanID(g.o.Project, month), Targets: targets, Reason: "部分业主长期出差，调整本月收缴目标"})
					return err
				})
			})
			return nil
		})
	}
	// Weekly: the cashier compares the service-centre and cashier ledgers
	// for the week just ended (Monday morning).
	for d := start; d.Before(g.until); d = d.AddDate(0, 0, 1) {
		if d.Weekday() != time.Monday || !d.AddDate(0, 0, -7).After(g.from) {
			continue
		}
		week := isoWeek(d.AddDate(0, 0, -1))
		g.rs.skipWeek[week] = g.chance(0.08) // the cashier misses booking a cash payment
		at := dayAt(d, 10, 0)
		g.at(at, func() error {
			note := "两账核对一致"
			if g.rs.skipped[week] {
				note = "收银台少记一笔现金收费"
			}
			var id string
			ok, err := g.do("fee ledger reconcile", func(ctx context.Context) error {
				r, err := g.h.Fee.ReconcileLedgers.Handle(ctx, meta(g.as(cashier)), commands.ReconcileFeeLedgers{Week: week, Note: note})
				id = r.ID
				return err
			})
			if !ok || !g.rs.skipped[week] {
				return err
			}
			g.at(g.work(at.Add(g.between(3*time.Hour, 48*time.Hour))), func() error {
				return g.run("fee ledger explain", func(ctx context.Context) error {
					_, err := g.h.Fee.ExplainLedgerMismatch.Handle(ctx, meta(g.supervisor), commands.ExplainLedgerMismatch{ReconciliationID: id, Explanation: "现金收据已找到，系收银员漏记出纳台账，已在台账备注并批评教育"})
					return err
				})
			})
			return nil
		})
	}
}

// collectionTargets are the month's plan per butler: the fen of the
// bills they issue in the month (planFees), none for a month without.
func (g *gen) collectionTargets(month string) []plan.Target {
	var order []commands.Principal
	seen := map[string]bool{}
	for _, hh := range g.households {
		if !seen[hh.butler.StaffID] {
			seen[hh.butler.StaffID] = true
			order = append(order, hh.butler)
		}
	}
	var out []plan.Target
	for _, b := range order {
		if fen := g.targets[month+"|"+b.StaffID]; fen > 0 {
			out = append(out, plan.Target{Butler: b.StaffID, District: b.District, TargetFen: fen})
		}
	}
	return out
}

// ---- the supervisor's quality work (R-W6, R-S3, R-S4, R-H4) ----

// SpringFestivals are the Spring Festival's dates (春节) the demo knows;
// the supervisor visits every key client in the ten days before each.
func SpringFestivals() []time.Time { return slices.Clone(springFestivals) }

var springFestivals = []time.Time{
	time.Date(2025, 1, 29, 0, 0, 0, 0, Shanghai), time.Date(2026, 2, 17, 0, 0, 0, 0, Shanghai),
	time.Date(2027, 2, 6, 0, 0, 0, 0, Shanghai), time.Date(2028, 1, 26, 0, 0, 0, 0, Shanghai),
	time.Date(2029, 2, 13, 0, 0, 0, 0, Shanghai), time.Date(2030, 2, 3, 0, 0, 0, 0, Shanghai),
}

// KeyClients is how many key clients (重点客户) a compound of households
// has: one in a hundred households, at least two.
func KeyClients(households int) int { return max(2, households/100) }

// planQuality lays out the supervisor's routine: a weekly patrol with its
// self-inspection report, the monthly spot check of a quarter of last
// month's work orders against the paper records (R-W6: at least 20%),
// key-client visits (2–3 a month, and every key client before the Spring
// Festival) and the monthly training plan with its sessions held.
func (g *gen) planQuality(start time.Time) {
	sup := g.supervisor
	// Weekly patrols, on Wednesday afternoons.
	for w := start; w.Before(g.until); w = w.AddDate(0, 0, 1) {
		if w.Weekday() != time.Wednesday {
			continue
		}
		at := dayAt(w, 14, g.rng.IntN(90))
		dist := g.sum.Districts[g.rng.IntN(len(g.sum.Districts))].ID
		areas := []string{g.pick(patrolAreas), g.pick(patrolAreas), g.pick(patrolAreas)}
		slices.Sort(areas)
		areas = slices.Compact(areas)
		var problems []string
		report := "巡查区域秩序良好，保洁、绿化、设施状况正常"
		if g.chance(0.3) {
			p := g.pick(supervisorPatrolProblems)
			problems = []string{p}
			report = "发现" + p + "，已当场安排整改并记录"
		}
		if at.Before(g.until) {
			g.at(at, func() error {
				return g.run("supervisor patrol", func(ctx context.Context) error {
					_, err := g.h.Staff.RecordSupervisorPatrol.Handle(ctx, meta(sup), commands.RecordSupervisorPatrol{Areas: areas, Report: report, Problems: problems, District: dist})
					return err
				})
			})
		}
	}
	// Spot checks: early each month, a quarter of last month's work orders.
	for m := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, Shanghai).AddDate(0, 1, 0); m.Before(g.until); m = m.AddDate(0, 1, 0) {
		month := m.AddDate(0, -1, 0).Format("2006-01")
		at := dayAt(m.AddDate(0, 0, 2), 9, 0)
		g.at(at, func() error {
			ids := g.monthWorkOrders[month]
			n := (len(ids)*25 + 99) / 100
			t := at
			for _, j := range g.rng.Perm(len(ids))[:n] {
				id := ids[j]
				t = t.Add(g.between(5*time.Minute, 25*time.Minute))
				if t.Hour() >= 18 {
					t = dayAt(t.AddDate(0, 0, 1), 9, 0)
				}
				matches := !g.chance(0.05)
				problem := ""
				if !matches {
					problem = g.pick(spotCheckProblems)
				}
				g.at(t, func() error {
					var check string
					ok, err := g.do("spot check", func(ctx context.Context) error {
						r, err := g.h.Staff.RecordSpotCheck.Handle(ctx, meta(sup), commands.RecordSpotCheck{WorkOrderID: id, Matches: matches, Problem: problem})
						check = r.ID
						return err
					})
					if !ok || matches {
						return err
					}
					g.at(g.work(g.clock.Now().Add(g.between(20*time.Hour, 60*time.Hour))), func() error {
						return g.run("spot check correct", func(ctx context.Context) error {
							_, err := g.h.Staff.CorrectSpotCheck.Handle(ctx, meta(sup), commands.CorrectSpotCheck{CheckID: check, Action: "已要求管家补录维修记录并在班前会通报"})
							return err
						})
					})
					return nil
				})
			}
			return nil
		})
	}
	// Key clients: the supervisor visits two or three a month, and every
	// one in the ten days before the Spring Festival.
	clients := g.rs.keyClients
	keyVisit := func(hh household, at time.Time, festival bool) {
		if at.Before(start) || !at.Before(g.until) {
			return
		}
		notes := g.pick(keyClientNotes)
		if festival {
			notes = "春节前走访，送上新春慰问品，听取对物业服务的意见"
		}
		g.at(at, func() error {
			return g.run("key-client visit", func(ctx context.Context) error {
				_, err := g.h.Visit.Record.Handle(ctx, meta(sup), commands.RecordVisit{Household: hh.unit, Kind: "key_client", Festival: festival, Notes: notes, District: hh.district})
				return err
			})
		})
	}
	for m := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, Shanghai); m.Before(g.until); m = m.AddDate(0, 1, 0) {
		for i := 0; i < 2+g.rng.IntN(2); i++ {
			keyVisit(clients[g.rng.IntN(len(clients))], dayAt(m.AddDate(0, 0, 3+g.rng.IntN(24)), 10+g.rng.IntN(6), g.rng.IntN(60)), false)
		}
	}
	for _, sf := range springFestivals {
		for i, hh := range clients {
			keyVisit(hh, dayAt(sf.AddDate(0, 0, -10+i*9/len(clients)), 10+g.rng.IntN(6), g.rng.IntN(60)), true)
		}
	}
	// Training: a plan for each month, drafted on the 25th of the month
	// before and approved by the quality department; two sessions, held
	// as planned (one in fifty slips and is not held).
	for m := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, Shanghai).AddDate(0, 1, 0); m.Before(g.until); m = m.AddDate(0, 1, 0) {
		period := m.Format("2006-01")
		draft := dayAt(m.AddDate(0, 0, -6), 10, 0)
		if draft.Before(start) {
			draft = start.Add(3 * time.Hour)
		}
		var sessions []training.PlannedSession
		days := []int{8 + g.rng.IntN(5), 20 + g.rng.IntN(5)}
		for i, d := range days {
			sessions = append(sessions, training.PlannedSession{SessionID: fmt.Sprintf("s%d", i+1), Topic: g.pick(trainingTopics),
				Type: training.SessionTypes[g.rng.IntN(len(training.SessionTypes))], PlannedOn: m.AddDate(0, 0, d-1).Format(time.DateOnly),
				Audience: []string{commands.RoleButler, commands.RoleEngineer}})
		}
		id := commands.TrainingPlanID(g.o.Project, period)
		g.at(draft, func() error {
			return g.run("training plan draft", func(ctx context.Context) error {
				_, err := g.h.Staff.DraftTrainingPlan.Handle(ctx, meta(sup), commands.DraftTrainingPlan{Period: period, Sessions: sessions})
				return err
			})
		})
		g.at(draft.Add(26*time.Hour), func() error {
			return g.run("training plan approve", func(ctx context.Context) error {
				_, err := g.h.Staff.ApproveTrainingPlan.Handle(ctx, meta(g.as(quality)), commands.ApproveTrainingPlan{PlanID: id})
				return err
			})
		})
		var attendees []string
		for _, d := range g.sum.Districts {
			attendees = append(attendees, d.Butlers...)
			attendees = append(attendees, g.engineers[d.ID]...)
		}
		for _, s := range sessions {
			on, _ := time.ParseInLocation(time.DateOnly, s.PlannedOn, Shanghai)
			note := "培训后进行了现场考核"
			if g.chance(0.05) {
				on, note = on.AddDate(0, 0, 3), "因台风预警顺延三天举行，培训后进行了现场考核"
			}
			g.at(dayAt(on, 16, 30), func() error {
				return g.run("training session held", func(ctx context.Context) error {
					_, err := g.h.Staff.RecordTrainingSession.Handle(ctx, meta(sup), commands.RecordTrainingSession{PlanID: id, SessionID: s.SessionID,
						HeldOn: on.Format(time.DateOnly), Attendees: attendees, Note: note})
					return err
				})
			})
		}
	}
}
