package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/butler-pm/butler/cmd/butler/demo"
	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/infra/personal"
)

// spreadClock spreads the data set over a year: each command moves it on
// by one step, so registration dates (and date-range searches) cover the
// year however fast the data is written.
type spreadClock struct {
	start time.Time
	step  time.Duration
	n     atomic.Int64
}

func (c *spreadClock) Now() time.Time { return c.start.Add(time.Duration(c.n.Add(1)) * c.step) }

var (
	// words are the complaints' categories and the searches' words.
	words = []string{"漏水", "噪音", "电梯", "停车", "卫生", "维修", "装修", "门禁", "绿化", "安全"}
	descs = []string{"楼上卫生间漏水，天花板渗水严重", "夜间装修噪音扰民，影响休息", "电梯频繁故障停运，老人上下楼困难",
		"车位被外来车辆长期占用", "楼道垃圾未及时清运，气味难闻", "外墙渗水导致卧室墙面发霉", "单元门禁损坏，陌生人随意进出",
		"绿化带内堆放建筑垃圾", "厨房水管破裂，地面积水"}
)

// Keys seals the generated households' contacts, in memory: a replay in
// the same process (butler bench, test/bench) opens them as the server
// would; a replay in another process reads them as erased.
var Keys = personal.NewMemorySealer()

// Generate writes at least n events through the command handlers (64
// concurrent staff working complaints and repairs from registration to
// close), so the data set is what the program itself would have written.
func Generate(ctx context.Context, store commands.EventStore, n int, progress func(int)) error {
	const workers = 64
	clock := &spreadClock{start: time.Now().AddDate(-1, 0, 0), step: 365 * 24 * time.Hour / time.Duration(max(n, 1))}
	h := demo.NewHandlers(store, clock, commands.NewUUIDv7, Keys)
	staffEvents, err := onboardStaff(ctx, h)
	if err != nil {
		return fmt.Errorf("onboarding the staff: %w", err)
	}
	var written atomic.Int64
	written.Add(int64(staffEvents))
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				progress(int(written.Load()))
			}
		}
	}()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			d := fmt.Sprintf("d%d", w%4+1)
			bp := commands.Meta{Principal: commands.Principal{StaffID: fmt.Sprintf("b-%03d", w%8+1), Role: commands.RoleButler, Project: "p1", District: d}}
			eng := commands.Meta{Principal: commands.Principal{StaffID: fmt.Sprintf("e-%03d", w%8+1), Role: commands.RoleEngineer, Project: "p1"}}
			for written.Load() < int64(n) {
				var k int
				var err error
				if rng.IntN(3) == 0 {
					k, err = complaintLife(ctx, h, bp, rng)
				} else {
					k, err = workOrderLife(ctx, h, bp, eng, rng)
				}
				written.Add(int64(k))
				if err != nil {
					errs <- err
					cancel()
					return
				}
			}
		}()
	}
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

// onboardStaff puts the staff who write the data set (and the HTTP
// phase's butler b-001) in project p1's register, trained and assessed, so
// that every write passes the duty check (R-S2) as in a project whose
// register is in force. It returns the events written.
func onboardStaff(ctx context.Context, h *commands.Handlers) (int, error) {
	sup := commands.Meta{Principal: commands.Principal{StaffID: "s-001", Role: commands.RoleSupervisor, Project: "p1"}}
	staff := []commands.RegisterStaff{{StaffID: "s-001", Name: "主管一", Role: commands.RoleSupervisor}}
	for i := 1; i <= 8; i++ {
		staff = append(staff,
			commands.RegisterStaff{StaffID: fmt.Sprintf("b-%03d", i), Name: fmt.Sprintf("管家%d", i), Role: commands.RoleButler, District: fmt.Sprintf("d%d", (i-1)%4+1)},
			commands.RegisterStaff{StaffID: fmt.Sprintf("e-%03d", i), Name: fmt.Sprintf("工程%d", i), Role: commands.RoleEngineer})
	}
	events := 0
	for _, st := range staff {
		if _, err := h.Staff.Register.Handle(ctx, sup, st); err != nil {
			return 0, err
		}
		if _, err := h.Staff.AttendTraining.Handle(ctx, sup, commands.AttendTraining{StaffID: st.StaffID, Session: "入职培训", Topic: "服务规范"}); err != nil {
			return 0, err
		}
		r, err := h.Staff.Assess.Handle(ctx, sup, commands.AssessStaff{StaffID: st.StaffID, Kind: "written", Onboarding: true, Score: 90})
		if err != nil {
			return 0, err
		}
		events += int(r.Revision) + 1 // the staff member's stream, as it stands
	}
	return events, nil
}

// valid: the data set's complaints are judged valid when resolved (R-C7).
var valid = true

func complaintLife(ctx context.Context, h *commands.Handlers, m commands.Meta, rng *rand.Rand) (int, error) {
	r, err := h.Complaint.Register.Handle(ctx, m, commands.RegisterComplaint{Unit: fmt.Sprintf("%d-%d-%d", rng.IntN(30)+1, rng.IntN(2)+1, rng.IntN(1800)+101),
		Owner: "王秀英", Phone: "13812345678", Category: words[rng.IntN(len(words))], Description: descs[rng.IntN(len(descs))], Soothing: "已向业主致歉并安抚情绪"})
	if err != nil {
		return 0, err
	}
	id := r.ID
	steps := []func() error{
		func() error {
			_, err := h.Complaint.Dispatch.Handle(ctx, m, commands.DispatchComplaint{ComplaintID: id, Assignee: "e-001"})
			return err
		},
		func() error {
			_, err := h.Complaint.FollowUp.Handle(ctx, m, commands.FollowUpComplaint{ComplaintID: id, Channel: "phone", Note: "电话告知业主处理进度"})
			return err
		},
		func() error {
			_, err := h.Complaint.Resolve.Handle(ctx, m, commands.ResolveComplaint{ComplaintID: id, Resolution: "已协调处理完毕", Valid: &valid, ValidityReason: "业主反映属实，属物业服务范围"})
			return err
		},
		func() error {
			_, err := h.Complaint.ReturnVisit.Handle(ctx, m, commands.ReturnVisitComplaint{ComplaintID: id, Channel: "phone", Satisfaction: 3 + rng.IntN(3), Comment: "处理及时，比较满意"})
			return err
		},
		func() error {
			_, err := h.Complaint.Close.Handle(ctx, m, commands.CloseComplaint{ComplaintID: id})
			return err
		},
	}
	return runSteps(1, steps, rng)
}

func workOrderLife(ctx context.Context, h *commands.Handlers, bp, eng commands.Meta, rng *rand.Rand) (int, error) {
	r, err := h.WorkOrder.Register.Handle(ctx, bp, commands.RegisterWorkOrder{Unit: fmt.Sprintf("%d-%d-%d", rng.IntN(30)+1, rng.IntN(2)+1, rng.IntN(1800)+101),
		Description: descs[rng.IntN(len(descs))], Area: "unit", Warranty: "out", Paid: rng.IntN(2) == 0, Urgent: rng.IntN(10) == 0})
	if err != nil {
		return 0, err
	}
	id := r.ID
	steps := []func() error{
		func() error {
			_, err := h.WorkOrder.Dispatch.Handle(ctx, bp, commands.DispatchWorkOrder{WorkOrderID: id, Assignee: eng.Principal.StaffID})
			return err
		},
		func() error {
			_, err := h.WorkOrder.Start.Handle(ctx, eng, commands.StartWorkOrder{WorkOrderID: id})
			return err
		},
		func() error {
			_, err := h.WorkOrder.Complete.Handle(ctx, eng, commands.CompleteWorkOrder{WorkOrderID: id, Result: "更换阀门并做密封处理"})
			return err
		},
		func() error {
			_, err := h.WorkOrder.Confirm.Handle(ctx, eng, commands.ConfirmWorkOrder{WorkOrderID: id, SignedBy: "王秀英"})
			return err
		},
		func() error {
			_, err := h.WorkOrder.ReturnVisit.Handle(ctx, bp, commands.ReturnVisitWorkOrder{WorkOrderID: id, Channel: "phone", Satisfaction: 3 + rng.IntN(3), Comment: "师傅很专业，满意"})
			return err
		},
		func() error {
			_, err := h.WorkOrder.Close.Handle(ctx, bp, commands.CloseWorkOrder{WorkOrderID: id})
			return err
		},
	}
	return runSteps(1, steps, rng)
}

// runSteps runs a record's lifecycle; one in ten stops early, as open
// records do.
func runSteps(done int, steps []func() error, rng *rand.Rand) (int, error) {
	stopAt := len(steps)
	if rng.IntN(10) == 0 {
		stopAt = rng.IntN(len(steps))
	}
	for _, s := range steps[:stopAt] {
		if err := s(); err != nil {
			return done, err
		}
		done++
	}
	return done, nil
}
