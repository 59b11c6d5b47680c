package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/fee/cashbook"
)

// cashbookNamespace makes a cashier-ledger week's id from its project and
// ISO week, so that every command about one week finds the same stream.
var cashbookNamespace = uuid.MustParse("5a0f3d6e-2b7c-4e19-9d84-71c2e6a0b3f5")

// CashbookWeekID is the id of a project's cashier ledger for week (2026-W10).
func CashbookWeekID(project, week string) string {
	return uuid.NewSHA1(cashbookNamespace, []byte(project+"\x00"+week)).String()
}

var cashbookCodes = map[error]string{
	cashbook.ErrNotOpened:       "not_opened",
	cashbook.ErrWeekInvalid:     "week_invalid",
	cashbook.ErrEntryIncomplete: "entry_incomplete",
	cashbook.ErrReceiptBooked:   "receipt_booked",
	cashbook.ErrNotThisWeek:     "not_this_week",
	cashbook.ErrWeekNotOver:     "week_not_over",
}

// loadCashbookWeek is a project's cashier-ledger week as stored (a week
// with nothing booked is opened empty) and the revision to append at.
func loadCashbookWeek(ctx context.Context, d handlerDeps, project, week string) (*cashbook.Week, event.ExpectedRevision, error) {
	id := CashbookWeekID(project, week)
	h, err := d.readHistory(ctx, cashbook.Stream(id), cashbook.Decode)
	if err != nil {
		return nil, event.ExpectedRevision{}, err
	}
	if !h.exists {
		w, err := cashbook.Open(project, week)
		if err != nil {
			return nil, event.ExpectedRevision{}, domainError(err, cashbookCodes)
		}
		return w, event.NoStream(), nil
	}
	w, err := cashbook.FromHistory(h.payloads)
	if err != nil {
		return nil, event.ExpectedRevision{}, fmt.Errorf("rebuild %s: %w", cashbook.Stream(id), err)
	}
	return w, event.Exact(h.revision), nil
}

// BookCashierEntry is the cashier booking money received into the cashier
// ledger (出纳台账, R-F4), this week, under its receipt number.
type BookCashierEntry struct {
	ReceiptNo string `json:"receipt_no"`
	AmountFen int64  `json:"amount_fen"`
	Method    string `json:"method"`
	Note      string `json:"note"`
}

type BookCashierEntryHandler struct{ d handlerDeps }

func NewBookCashierEntryHandler(store EventStore, clock Clock, ids IDGenerator) BookCashierEntryHandler {
	return BookCashierEntryHandler{newHandlerDeps(store, clock, ids)}
}

func (h BookCashierEntryHandler) Handle(ctx context.Context, m Meta, cmd BookCashierEntry) (Result, error) {
	if bad := missing("receipt_no", cmd.ReceiptNo); bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, feeCashbookRoles...); err != nil {
		return Result{}, err
	}
	now := h.d.clock.Now()
	week := cashbook.WeekOf(now)
	w, expected, err := loadCashbookWeek(ctx, h.d, m.Principal.Project, week)
	if err != nil {
		return Result{}, err
	}
	if err := w.Book(cashbook.Entry{ReceiptNo: cmd.ReceiptNo, AmountFen: cmd.AmountFen, Method: cmd.Method, Note: cmd.Note}, now); err != nil {
		return Result{}, domainError(err, cashbookCodes)
	}
	id := CashbookWeekID(m.Principal.Project, week)
	rev, err := h.d.appendChanges(ctx, cashbook.Stream(id), expected, m.Principal.Actor(), w.Project(), w.District(), m.chain(), now, w.Changes())
	if err != nil {
		return Result{}, err
	}
	return Result{ID: id, Revision: rev}, nil
}

// RecordFeeWeekUnreconciled is the policy command of R-F4: a project's
// week that ended without a reconciliation of the two ledgers gets
// cashbook.reconciliation_missed.v1 once. The actor is the system; the
// policy decides from the reconciliations read model that none was made.
type RecordFeeWeekUnreconciled struct {
	Project string `json:"project"`
	Week    string `json:"week"`
}

type RecordFeeWeekUnreconciledHandler struct{ d handlerDeps }

func NewRecordFeeWeekUnreconciledHandler(store EventStore, clock Clock, ids IDGenerator) RecordFeeWeekUnreconciledHandler {
	return RecordFeeWeekUnreconciledHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordFeeWeekUnreconciledHandler) Handle(ctx context.Context, m Meta, cmd RecordFeeWeekUnreconciled) (PolicyResult, error) {
	if bad := missing("project", cmd.Project, "week", cmd.Week); bad != nil {
		return PolicyResult{}, apperr.Invalid(bad)
	}
	id := CashbookWeekID(cmd.Project, cmd.Week)
	return recordAsSystem(ctx, h.d, m, systemStream[*cashbook.Week]{id: id, name: cashbook.Stream(id),
		decode: cashbook.Decode, rebuild: cashbook.FromHistory, codes: cashbookCodes,
		open: func(time.Time) (*cashbook.Week, eventRef, bool, error) {
			return opened(cashbook.Open(cmd.Project, cmd.Week))
		}},
		func(w *cashbook.Week, now time.Time) (bool, error) { return w.RecordReconciliationMissed(now) })
}

// RecordFeeWeekUnreconciled runs the R-F4 weekly rule on one project's
// week; it reports whether the missing reconciliation was recorded now.
func (h *Handlers) RecordFeeWeekUnreconciled(ctx context.Context, project, week string) (bool, error) {
	r, err := h.Fee.RecordWeekUnreconciled.Handle(ctx, Meta{}, RecordFeeWeekUnreconciled{Project: project, Week: week})
	return r.Recorded, err
}
