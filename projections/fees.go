package projections

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/fee"
	"github.com/butler-pm/butler/domain/fee/cashbook"
	"github.com/butler-pm/butler/domain/fee/debrief"
	"github.com/butler-pm/butler/domain/fee/fastroute"
	"github.com/butler-pm/butler/domain/fee/ledger"
	"github.com/butler-pm/butler/domain/fee/plan"
	"github.com/butler-pm/butler/domain/localtime"
)

// Fee read-model names and stream prefixes.
const (
	FeeBillsIndex           = "fee-bills"
	FeePlansIndex           = "fee-plans"
	FeeReconciliationsIndex = "fee-reconciliations"
	FeeCollectionIndex      = "fee-collection"
)

// FeeBill is the fee ledger (收费台账): one document per bill, amounts in fen.
type FeeBill struct {
	ID             string     `json:"id"`
	Project        string     `json:"project"`
	District       string     `json:"district"`
	Unit           string     `json:"unit"`
	Butler         string     `json:"butler"`
	Period         string     `json:"period"`
	Items          []fee.Item `json:"items"`
	TotalFen       int64      `json:"total_fen"`
	PaidFen        int64      `json:"paid_fen"`
	OutstandingFen int64      `json:"outstanding_fen"`
	Status         string     `json:"status"` // unpaid, part_paid, paid
	DueAt          time.Time  `json:"due_at"`
	InArrears      bool       `json:"in_arrears"`
	ArrearsBucket  string     `json:"arrears_bucket,omitempty"`
	DaysOverdue    int        `json:"days_overdue,omitempty"`
	// NextAgeingAt is when the bill enters its next ageing bucket, for the
	// ageing policy; nil once paid or over 180 days.
	NextAgeingAt *time.Time    `json:"next_ageing_at,omitempty"`
	Payments     []FeePayment  `json:"payments"`
	Receipts     []string      `json:"receipts"`
	Reminders    []FeeReminder `json:"reminders"`
	// R-F6: an influential owner in arrears, handled by guidance (疏导).
	Influential       bool          `json:"influential"`
	InfluentialReason string        `json:"influential_reason,omitempty"`
	Guidance          []FeeReminder `json:"guidance"`
	Guided            bool          `json:"guided"`
	Text              string        `json:"text"`
	IssuedAt          time.Time     `json:"issued_at"`
	Stamped
}

// FeePayment is one receipted payment (R-F2).
type FeePayment struct {
	AmountFen int64     `json:"amount_fen"`
	ReceiptNo string    `json:"receipt_no"`
	Method    string    `json:"method,omitempty"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
}

// FeeReminder is one attempt to collect arrears (R-F3).
type FeeReminder struct {
	Channel string    `json:"channel"`
	Note    string    `json:"note"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
}

// FeeBills projects bill streams.
var FeeBills = StreamModel[FeeBill]{Index: FeeBillsIndex, Prefix: fee.StreamPrefix, Decode: fee.Decode,
	Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "unit": Keyword, "butler": Keyword, "period": Keyword,
		"status": Keyword, "arrears_bucket": Keyword, "receipts": Keyword,
		"in_arrears": Bool, "text": Text, "influential": Bool, "guided": Bool,
		"total_fen": Number, "paid_fen": Number, "outstanding_fen": Number, "days_overdue": Number,
		"due_at": Date, "next_ageing_at": Date, "issued_at": Date, "updated_at": Date,
	},
	Fold: func(d *FeeBill, id string, p event.Payload, e event.Recorded) {
		by := e.Meta.Actor.StaffID
		switch p := p.(type) {
		case fee.Billed:
			*d = FeeBill{ID: id, Project: p.Project, District: p.District, Unit: p.Unit, Butler: p.Butler, Period: p.Period,
				Items: p.Items, TotalFen: p.TotalFen, OutstandingFen: p.TotalFen, Status: "unpaid", DueAt: p.Due,
				Payments: []FeePayment{}, Receipts: []string{}, Reminders: []FeeReminder{}, IssuedAt: p.At,
				Stamped: Stamped{UpdatedAt: p.At}}
			next := p.Due
			d.NextAgeingAt = &next
		case fee.PaymentRecorded:
			d.PaidFen += p.AmountFen
			d.OutstandingFen = d.TotalFen - d.PaidFen
			d.Payments = append(d.Payments, FeePayment{AmountFen: p.AmountFen, ReceiptNo: p.ReceiptNo, Method: p.Method, By: by, At: p.At})
			d.Receipts = append(d.Receipts, p.ReceiptNo)
			d.Status = "part_paid"
			if d.OutstandingFen == 0 {
				d.Status, d.InArrears, d.ArrearsBucket, d.DaysOverdue, d.NextAgeingAt = "paid", false, "", 0, nil
			}
		case fee.ArrearsReminded:
			d.Reminders = append(d.Reminders, FeeReminder{Channel: string(p.Channel), Note: p.Note, By: by, At: p.At})
		case fee.InfluentialFlagged:
			d.Influential, d.InfluentialReason = true, p.Reason
		case fee.GuidanceRecorded:
			d.Guidance = append(d.Guidance, FeeReminder{Channel: "guidance", Note: p.Note, By: by, At: p.At})
			d.Guided = true
		case fee.ArrearsAged:
			d.InArrears, d.ArrearsBucket, d.DaysOverdue = p.Bucket != "", string(p.Bucket), p.DaysOverdue
			d.NextAgeingAt = nil
			if days, ok := map[fee.Bucket]int{fee.Bucket0To30: 31, fee.Bucket31To90: 91, fee.Bucket91To180: 181}[p.Bucket]; ok {
				next := d.DueAt.Add(time.Duration(days) * 24 * time.Hour)
				d.NextAgeingAt = &next
			}
		}
		parts := []string{d.Unit}
		for _, it := range d.Items {
			parts = append(parts, it.Name)
		}
		for _, r := range d.Reminders {
			parts = append(parts, r.Note)
		}
		if d.Guidance == nil {
			d.Guidance = []FeeReminder{}
		}
		for _, g := range d.Guidance {
			parts = append(parts, g.Note)
		}
		d.Text = strings.Join(parts, " ")
	},
}

// FeePlan is one month's collection plan with its targets per butler (R-F1).
type FeePlan struct {
	ID             string        `json:"id"`
	Project        string        `json:"project"`
	District       string        `json:"district"`
	Month          string        `json:"month"`
	Targets        []plan.Target `json:"targets"`
	Butlers        []string      `json:"butlers"`
	TotalTargetFen int64         `json:"total_target_fen"`
	SetBy          string        `json:"set_by"`
	Revisions      []string      `json:"revisions"`
	Text           string        `json:"text"`
	SetAt          time.Time     `json:"set_at"`
	Stamped
}

// FeePlans projects collection-plan streams.
var FeePlans = StreamModel[FeePlan]{Index: FeePlansIndex, Prefix: plan.StreamPrefix, Decode: plan.Decode,
	Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "month": Keyword, "butlers": Keyword, "set_by": Keyword,
		"text": Text, "total_target_fen": Number, "set_at": Date, "updated_at": Date,
	},
	Fold: func(d *FeePlan, id string, p event.Payload, e event.Recorded) {
		var targets []plan.Target
		switch p := p.(type) {
		case plan.Set:
			*d = FeePlan{ID: id, Project: p.Project, Month: p.Month, SetBy: e.Meta.Actor.StaffID, Revisions: []string{},
				SetAt: p.At, Stamped: Stamped{UpdatedAt: p.At}}
			targets = p.Targets
		case plan.Revised:
			targets = p.Targets
			d.Revisions = append(d.Revisions, p.Reason)
		}
		d.Targets, d.Butlers, d.TotalTargetFen = targets, []string{}, 0
		for _, t := range targets {
			d.Butlers = append(d.Butlers, t.Butler)
			d.TotalTargetFen += t.TargetFen
		}
		d.Text = strings.Join(d.Revisions, " ")
	},
}

// FeeReconciliation is one weekly comparison of the two ledgers (R-F4).
type FeeReconciliation struct {
	ID            string `json:"id"`
	Project       string `json:"project"`
	District      string `json:"district"`
	Week          string `json:"week"`
	Month         string `json:"month"`
	ReconciledBy  string `json:"reconciled_by"`
	ServiceFen    int64  `json:"service_ledger_fen"`
	CashierFen    int64  `json:"cashier_ledger_fen"`
	DifferenceFen int64  `json:"difference_fen"`
	// FromRecords: both totals were taken from what was recorded (R-F4,
	// feeledger.reconciled.v2), with the receipts in only one ledger.
	FromRecords   bool       `json:"from_records"`
	OnlyInService []string   `json:"only_in_service,omitempty"`
	OnlyInCashier []string   `json:"only_in_cashier,omitempty"`
	Mismatch      bool       `json:"mismatch"`
	Explained     bool       `json:"explained"`
	Open          bool       `json:"open"`
	Explanation   string     `json:"explanation,omitempty"`
	ExplainedBy   string     `json:"explained_by,omitempty"`
	Note          string     `json:"note,omitempty"`
	ReconciledAt  time.Time  `json:"reconciled_at"`
	ExplainedAt   *time.Time `json:"explained_at,omitempty"`
	Stamped
}

// FeeReconciliations projects ledger-reconciliation streams.
var FeeReconciliations = StreamModel[FeeReconciliation]{Index: FeeReconciliationsIndex, Prefix: ledger.StreamPrefix, Decode: ledger.Decode,
	Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "week": Keyword, "month": Keyword, "reconciled_by": Keyword,
		"mismatch": Bool, "explained": Bool, "open": Bool, "explanation": Text, "note": Text,
		"difference_fen": Number, "reconciled_at": Date, "updated_at": Date,
	},
	Fold: func(d *FeeReconciliation, id string, p event.Payload, e event.Recorded) {
		switch p := p.(type) {
		case ledger.Reconciled:
			*d = FeeReconciliation{ID: id, Project: p.Project, Week: p.Week, Month: localtime.Month(p.At),
				ReconciledBy: e.Meta.Actor.StaffID, ServiceFen: p.ServiceFen, CashierFen: p.CashierFen,
				DifferenceFen: p.ServiceFen - p.CashierFen, Note: p.Note, ReconciledAt: p.At, Stamped: Stamped{UpdatedAt: p.At}}
		case ledger.ReconciledV2:
			*d = FeeReconciliation{ID: id, Project: p.Project, Week: p.Week, Month: localtime.Month(p.At),
				ReconciledBy: e.Meta.Actor.StaffID, ServiceFen: p.ServiceFen, CashierFen: p.CashierFen,
				DifferenceFen: p.ServiceFen - p.CashierFen, FromRecords: true, OnlyInService: p.OnlyInService,
				OnlyInCashier: p.OnlyInCashier, Note: p.Note, ReconciledAt: p.At, Stamped: Stamped{UpdatedAt: p.At}}
		case ledger.MismatchFound:
			d.Mismatch = true
		case ledger.MismatchExplained:
			at := p.At
			d.Explained, d.Explanation, d.ExplainedBy, d.ExplainedAt = true, p.Explanation, e.Meta.Actor.StaffID, &at
		}
		d.Open = d.Mismatch && !d.Explained
	},
}

// FeeCollection is one butler's collection in one month against the
// month's plan (R-F1, R-F5): the target, the money received on the
// butler's bills in that month (by payment date), and the ids behind both.
// Fed by plans and bills, so it is versioned by global position.
type FeeCollection struct {
	ID           string   `json:"id"`
	Kind         string   `json:"kind"` // "butler-month", or "plan" (the plan's last butlers, for revisions)
	Project      string   `json:"project"`
	District     string   `json:"district"`
	Month        string   `json:"month"`
	Butler       string   `json:"butler"`
	PlanID       string   `json:"plan_id,omitempty"`
	TargetFen    int64    `json:"target_fen"`
	CollectedFen int64    `json:"collected_fen"`
	Bills        []string `json:"bills"`
	Receipts     []string `json:"receipts"`
	PlanButlers  []string `json:"plan_butlers,omitempty"`
}

// FeeCollectionID is the document id of a butler's month.
func FeeCollectionID(project, month, butler string) string {
	return project + "|" + month + "|" + butler
}

// FeeCollections projects plans and payments into per-butler months.
type FeeCollections struct{}

func (FeeCollections) Name() string { return FeeCollectionIndex }

func (FeeCollections) Schema() Schema {
	return Schema{Name: FeeCollectionIndex, Fields: map[string]FieldKind{
		"id": Keyword, "kind": Keyword, "project": Keyword, "district": Keyword, "month": Keyword, "butler": Keyword,
		"plan_id": Keyword, "bills": Keyword, "target_fen": Number, "collected_fen": Number,
	}}
}

func (FeeCollections) Apply(ctx context.Context, e event.Recorded, docs *Docs) error {
	switch {
	case strings.HasPrefix(e.Stream, plan.StreamPrefix):
		planID := strings.TrimPrefix(e.Stream, plan.StreamPrefix)
		p, err := plan.Decode(e.Type, e.Data)
		if err != nil {
			return err
		}
		var targets []plan.Target
		switch p := p.(type) {
		case plan.Set:
			targets = p.Targets
		case plan.Revised:
			targets = p.Targets
		}
		meta, fresh, err := collectionDoc(ctx, docs, "plan:"+planID, e)
		if err != nil || !fresh {
			return err
		}
		if s, ok := p.(plan.Set); ok {
			meta.Month = s.Month
		}
		meta.Kind, meta.Project, meta.PlanID = "plan", e.Meta.Project, planID
		seen := map[string]bool{}
		for _, t := range targets {
			seen[t.Butler] = true
			d, fresh, err := collectionDoc(ctx, docs, FeeCollectionID(e.Meta.Project, meta.Month, t.Butler), e)
			if err != nil {
				return err
			}
			if fresh {
				d.District, d.Butler, d.Month, d.PlanID, d.TargetFen = t.District, t.Butler, meta.Month, planID, t.TargetFen
				if err := putCollection(docs, d, e); err != nil {
					return err
				}
			}
		}
		// A butler dropped by a revision has no target any more.
		for _, b := range meta.PlanButlers {
			if seen[b] {
				continue
			}
			d, fresh, err := collectionDoc(ctx, docs, FeeCollectionID(e.Meta.Project, meta.Month, b), e)
			if err != nil {
				return err
			}
			if fresh {
				d.TargetFen, d.PlanID = 0, ""
				if err := putCollection(docs, d, e); err != nil {
					return err
				}
			}
		}
		meta.PlanButlers = meta.PlanButlers[:0]
		for _, t := range targets {
			meta.PlanButlers = append(meta.PlanButlers, t.Butler)
		}
		return putCollection(docs, meta, e)
	case strings.HasPrefix(e.Stream, fee.StreamPrefix):
		if e.Type != fee.TypePaymentRecorded {
			return nil
		}
		p, err := fee.Decode(e.Type, e.Data)
		if err != nil {
			return err
		}
		pay := p.(fee.PaymentRecorded)
		month := localtime.Month(pay.At)
		d, fresh, err := collectionDoc(ctx, docs, FeeCollectionID(e.Meta.Project, month, pay.Butler), e)
		if err != nil || !fresh {
			return err
		}
		d.Butler, d.Month = pay.Butler, month
		if d.District == "" {
			d.District = e.Meta.District
		}
		d.CollectedFen += pay.AmountFen
		billID := strings.TrimPrefix(e.Stream, fee.StreamPrefix)
		if !feeContains(d.Bills, billID) {
			d.Bills = append(d.Bills, billID)
		}
		d.Receipts = append(d.Receipts, pay.ReceiptNo)
		return putCollection(docs, d, e)
	}
	return nil
}

// collectionDoc loads a document; fresh is false when the event is a
// replay (its position is not newer than the document's version).
func collectionDoc(ctx context.Context, docs *Docs, id string, e event.Recorded) (FeeCollection, bool, error) {
	cur, found, err := docs.Get(ctx, id)
	if err != nil {
		return FeeCollection{}, false, err
	}
	d := FeeCollection{ID: id, Kind: "butler-month", Project: e.Meta.Project, Bills: []string{}, Receipts: []string{}}
	if !found {
		return d, true, nil
	}
	if cur.Version >= uint64(e.Position) {
		return d, false, nil
	}
	if err := json.Unmarshal(cur.Source, &d); err != nil {
		return d, false, fmt.Errorf("decoding document %s: %w", id, err)
	}
	return d, true, nil
}

func putCollection(docs *Docs, d FeeCollection, e event.Recorded) error {
	src, err := json.Marshal(d)
	if err != nil {
		return err
	}
	docs.Put(Document{ID: d.ID, Version: uint64(e.Position), Source: src})
	return nil
}

func feeContains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// FeeCashierWeeksIndex is the cashier-ledger weeks read model's name.
const FeeCashierWeeksIndex = "fee-cashier-weeks"

// FeeCashierWeek is one project's cashier ledger for one ISO week (R-F4):
// the entries booked, their total, and whether the week ended without a
// reconciliation (recorded by the weekly rule).
type FeeCashierWeek struct {
	ID       string            `json:"id"`
	Project  string            `json:"project"`
	District string            `json:"district"`
	Week     string            `json:"week"`
	Month    string            `json:"month"` // the month of the week's Monday
	Entries  []FeeCashierEntry `json:"entries"`
	Receipts []string          `json:"receipts"`
	TotalFen int64             `json:"total_fen"`
	// Unreconciled: the week ended with no reconciliation of the ledgers.
	Unreconciled   bool       `json:"unreconciled"`
	UnreconciledAt *time.Time `json:"unreconciled_at,omitempty"`
	Stamped
}

// FeeCashierEntry is one entry of the cashier ledger.
type FeeCashierEntry struct {
	ReceiptNo string    `json:"receipt_no"`
	AmountFen int64     `json:"amount_fen"`
	Method    string    `json:"method,omitempty"`
	Note      string    `json:"note,omitempty"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
}

// FeeCashierWeeks projects cashier-ledger week streams.
var FeeCashierWeeks = StreamModel[FeeCashierWeek]{Index: FeeCashierWeeksIndex, Prefix: cashbook.StreamPrefix, Decode: cashbook.Decode,
	Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "week": Keyword, "month": Keyword, "receipts": Keyword,
		"unreconciled": Bool, "total_fen": Number, "updated_at": Date,
	},
	Fold: func(d *FeeCashierWeek, id string, p event.Payload, e event.Recorded) {
		d.ID, d.Project = id, e.Meta.Project
		if d.Entries == nil {
			d.Entries, d.Receipts = []FeeCashierEntry{}, []string{}
		}
		setWeek := func(week string) {
			d.Week = week
			if start, ok := cashbook.WeekStart(week); ok {
				d.Month = localtime.Month(start)
			}
		}
		switch p := p.(type) {
		case cashbook.EntryBooked:
			setWeek(p.Week)
			d.Entries = append(d.Entries, FeeCashierEntry{ReceiptNo: p.ReceiptNo, AmountFen: p.AmountFen, Method: p.Method,
				Note: p.Note, By: e.Meta.Actor.StaffID, At: p.At})
			d.Receipts = append(d.Receipts, p.ReceiptNo)
			d.TotalFen += p.AmountFen
		case cashbook.ReconciliationMissed:
			setWeek(p.Week)
			at := p.At
			d.Unreconciled, d.UnreconciledAt = true, &at
		}
	},
}

// ServicePayments is the customer-service fee ledger between from and to
// (R-F4): every payment recorded on the project's bills in that time, its
// total and receipts, read from the fee-bills read model. A bill paid in
// the time was updated since from, so only those bills are read.
func ServicePayments(ctx context.Context, store SearchStore, project string, from, to time.Time) (ledger.Side, error) {
	side := ledger.Side{Receipts: []string{}}
	q := Query{Terms: map[string][]string{FeeBillFieldProject: {project}},
		Ranges: []Range{{Field: FeeBillFieldUpdatedAt, Min: from}},
		Sort:   []Sort{{Field: FeeBillFieldUpdatedAt}}, Size: 500}
	for {
		res, err := store.Search(ctx, FeeBillsIndex, q)
		if err != nil {
			return ledger.Side{}, err
		}
		for _, h := range res.Hits {
			var b FeeBill
			if err := json.Unmarshal(h.Source, &b); err != nil {
				return ledger.Side{}, fmt.Errorf("bill %s: %w", h.ID, err)
			}
			for _, pay := range b.Payments {
				if !pay.At.Before(from) && pay.At.Before(to) {
					side.TotalFen += pay.AmountFen
					side.Receipts = append(side.Receipts, pay.ReceiptNo)
				}
			}
		}
		if len(res.Hits) < q.Size || res.Cursor == "" {
			return side, nil
		}
		q.After = res.Cursor
	}
}

// BillsOfReceipts finds, among a unit's bills, the bill each receipt was
// recorded on (R-M3: the move-in's fees in the fee ledger); receipts no
// bill of the unit has are left out.
func BillsOfReceipts(ctx context.Context, store SearchStore, project, unit string, receipts []string) (map[string]string, error) {
	out := map[string]string{}
	if len(receipts) == 0 {
		return out, nil
	}
	res, err := store.Search(ctx, FeeBillsIndex, Query{Terms: map[string][]string{
		FeeBillFieldProject: {project}, "unit": {unit}, "receipts": receipts}, Size: 1000})
	if err != nil {
		return nil, err
	}
	for _, h := range res.Hits {
		var b FeeBill
		if err := json.Unmarshal(h.Source, &b); err != nil {
			return nil, fmt.Errorf("bill %s: %w", h.ID, err)
		}
		for _, r := range b.Receipts {
			out[r] = b.ID
		}
	}
	for r := range out {
		if !slices.Contains(receipts, r) {
			delete(out, r)
		}
	}
	return out, nil
}

// Collection-practice read models (R-F6).
const (
	FeeDebriefsIndex   = "fee-debriefs"
	FeeFastRoutesIndex = "fee-fast-routes"
)

// FeeDebrief is one day's debrief of the collection team (R-F6).
type FeeDebrief struct {
	ID        string             `json:"id"`
	Project   string             `json:"project"`
	District  string             `json:"district"`
	Day       string             `json:"day"`
	Month     string             `json:"month"`
	HeldBy    string             `json:"held_by"`
	Attendees []string           `json:"attendees"`
	Obstacles []debrief.Obstacle `json:"obstacles"`
	Units     []string           `json:"units"`
	Decisions string             `json:"decisions"`
	Text      string             `json:"text"`
	HeldAt    time.Time          `json:"held_at"`
	Stamped
}

// FeeDebriefs projects collection-team days.
var FeeDebriefs = StreamModel[FeeDebrief]{Index: FeeDebriefsIndex, Prefix: debrief.StreamPrefix, Decode: debrief.Decode,
	Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "day": Keyword, "month": Keyword, "held_by": Keyword,
		"attendees": Keyword, "units": Keyword, "text": Text, "held_at": Date, "updated_at": Date,
	},
	Fold: func(d *FeeDebrief, id string, p event.Payload, e event.Recorded) {
		if h, ok := p.(debrief.Held); ok {
			*d = FeeDebrief{ID: id, Project: h.Project, Day: h.Day, Month: h.Day[:min(7, len(h.Day))], HeldBy: e.Meta.Actor.StaffID,
				Attendees: h.Attendees, Obstacles: h.Obstacles, Units: []string{}, Decisions: h.Decisions, HeldAt: h.At,
				Stamped: Stamped{UpdatedAt: h.At}}
			parts := []string{h.Decisions}
			for _, o := range h.Obstacles {
				parts = append(parts, o.Description)
				if o.Unit != "" {
					d.Units = appendOnce(d.Units, o.Unit)
				}
			}
			d.Text = strings.Join(parts, " ")
		}
	},
}

// FeeFastRoute is one obstacle on the fast route (直通车, R-F6), tracked
// to resolution.
type FeeFastRoute struct {
	ID         string     `json:"id"`
	Project    string     `json:"project"`
	District   string     `json:"district"`
	Unit       string     `json:"unit"`
	BillID     string     `json:"bill_id,omitempty"`
	Department string     `json:"department"`
	Obstacle   string     `json:"obstacle"`
	RaisedBy   string     `json:"raised_by"`
	Status     string     `json:"status"` // open, resolved
	DueBy      time.Time  `json:"due_by"`
	Resolution string     `json:"resolution,omitempty"`
	ResolvedBy string     `json:"resolved_by,omitempty"`
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
	OnTime     bool       `json:"resolved_on_time"`
	Month      string     `json:"month"`
	Text       string     `json:"text"`
	RaisedAt   time.Time  `json:"raised_at"`
	Stamped
}

// FeeFastRoutes projects fast-route obstacles.
var FeeFastRoutes = StreamModel[FeeFastRoute]{Index: FeeFastRoutesIndex, Prefix: fastroute.StreamPrefix, Decode: fastroute.Decode,
	Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "unit": Keyword, "bill_id": Keyword, "department": Keyword,
		"raised_by": Keyword, "status": Keyword, "month": Keyword, "resolved_on_time": Bool, "text": Text,
		"due_by": Date, "raised_at": Date, "resolved_at": Date, "updated_at": Date,
	},
	Fold: func(d *FeeFastRoute, id string, p event.Payload, e event.Recorded) {
		switch p := p.(type) {
		case fastroute.Raised:
			*d = FeeFastRoute{ID: id, Project: p.Project, District: p.District, Unit: p.Unit, BillID: p.BillID, Department: p.Department,
				Obstacle: p.Obstacle, RaisedBy: e.Meta.Actor.StaffID, Status: "open", DueBy: p.DueBy, Month: localtime.Month(p.At),
				RaisedAt: p.At, Stamped: Stamped{UpdatedAt: p.At}}
		case fastroute.Resolved:
			at := p.At
			d.Status, d.Resolution, d.ResolvedBy, d.ResolvedAt = "resolved", p.Resolution, e.Meta.Actor.StaffID, &at
			d.OnTime = !at.After(d.DueBy)
		}
		d.Text = strings.TrimSpace(d.Unit + " " + d.Obstacle + " " + d.Resolution)
	},
}
