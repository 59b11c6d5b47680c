package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/key/reconcile"
)

// keyDayNamespace makes a key-register day's id from its project and date,
// so that every command about one day finds the same stream.
var keyDayNamespace = uuid.MustParse("6f1d7c52-8e0a-4b59-9a52-3d7f0c6b2a11")

// KeyDayID is the id of a project's key register on a day (YYYY-MM-DD).
func KeyDayID(project, day string) string {
	return uuid.NewSHA1(keyDayNamespace, []byte(project+"\x00"+day)).String()
}

var keyDayCodes = map[error]string{
	reconcile.ErrNotOpened:          "not_opened",
	reconcile.ErrDayInvalid:         "day_invalid",
	reconcile.ErrCountNegative:      "count_negative",
	reconcile.ErrMissingTagsUnequal: "missing_tags_unequal",
	reconcile.ErrNotToday:           "not_today",
	reconcile.ErrCheckNoteMissing:   "check_note_missing",
	reconcile.ErrRegisterInvalid:    "register_invalid",
}

// onKeyDay loads (or opens) a project's key-register day, runs act and
// appends what it recorded. recorded false: nothing to append.
func onKeyDay(ctx context.Context, d handlerDeps, actor event.Actor, c chain, project, day string, ifMatch *uint64,
	act func(kd *reconcile.Day, now time.Time) (bool, error)) (PolicyResult, error) {
	id := KeyDayID(project, day)
	stream := reconcile.Stream(id)
	h, err := d.readHistory(ctx, stream, reconcile.Decode)
	if err != nil {
		return PolicyResult{}, err
	}
	var kd *reconcile.Day
	expected := event.NoStream()
	if h.exists {
		if kd, err = reconcile.FromHistory(h.payloads); err != nil {
			return PolicyResult{}, fmt.Errorf("rebuild %s: %w", stream, err)
		}
		expected = event.Exact(h.revision)
	} else if kd, err = reconcile.Open(project, day); err != nil {
		return PolicyResult{}, domainError(err, keyDayCodes)
	}
	if ifMatch != nil {
		if err := checkIfMatch(Meta{IfMatch: ifMatch}, h.revision); err != nil || !h.exists {
			return PolicyResult{}, apperr.Errorf(apperr.PreconditionFailed, "precondition_failed", "the record is not at revision %d", *ifMatch)
		}
	}
	now := d.clock.Now()
	recorded, err := act(kd, now)
	if err != nil {
		return PolicyResult{}, domainError(err, keyDayCodes)
	}
	if !recorded {
		return PolicyResult{Result: Result{ID: id, Revision: h.revision}}, nil
	}
	rev, err := d.appendChanges(ctx, stream, expected, actor, project, kd.District(), c, now, kd.Changes())
	if err != nil {
		return PolicyResult{}, err
	}
	return PolicyResult{Result: Result{ID: id, Revision: rev}, Recorded: true}, nil
}

// KeyRegister counts a project's keys on the key register (R-K3): the
// ledger a reconciliation is made against. The server's is the key read
// model (cmd/butler/app), so it lags the event store by the read model's
// delay (well under a second): a key registered, lent, returned or lost in
// that moment before a count is not yet in the ledger, and the difference
// shows as a discrepancy the custodian explains in the note (the counts
// used are kept in the event).
type KeyRegister interface {
	CountKeys(ctx context.Context, project string) (reconcile.Register, error)
}

// ReconcileKeys is the custodian's daily count of keys against the ledger
// (R-K3), recorded on today's key-register day. A difference is recorded as
// a discrepancy; MissingTags names the keys not found. With a key register
// (the server) the ledger is the register's count of keys in custody:
// Ledger may be left out, and one that differs from it is refused
// (ledger_not_register). Without one (the demo generator) Ledger is
// required.
type ReconcileKeys struct {
	Ledger      *int     `json:"ledger"`
	Counted     *int     `json:"counted"`
	MissingTags []string `json:"missing_tags"`
	Note        string   `json:"note"`
}

type ReconcileKeysHandler struct {
	d        handlerDeps
	register KeyRegister
}

// WithRegister takes the ledger from the key register (R-K3).
func (h ReconcileKeysHandler) WithRegister(r KeyRegister) ReconcileKeysHandler {
	h.register = r
	return h
}

func NewReconcileKeysHandler(store EventStore, clock Clock, ids IDGenerator) ReconcileKeysHandler {
	return ReconcileKeysHandler{d: newHandlerDeps(store, clock, ids)}
}

func (h ReconcileKeysHandler) Handle(ctx context.Context, m Meta, cmd ReconcileKeys) (Result, error) {
	bad := map[string]string{}
	if cmd.Ledger == nil && h.register == nil {
		bad["ledger"] = "required: the number of keys the ledger says are in custody"
	}
	if cmd.Counted == nil {
		bad["counted"] = "required: the number of keys counted"
	}
	if len(bad) > 0 {
		return Result{}, apperr.Invalid(bad)
	}
	if err := requireRole(m.Principal, keyCustodianRoles...); err != nil {
		return Result{}, err
	}
	day := reconcile.DayOf(h.d.clock.Now())
	if h.register == nil {
		r, err := onKeyDay(ctx, h.d, m.Principal.Actor(), m.chain(), m.Principal.Project, day, m.IfMatch, func(kd *reconcile.Day, now time.Time) (bool, error) {
			return true, kd.Reconcile(*cmd.Ledger, *cmd.Counted, cmd.MissingTags, cmd.Note, now)
		})
		return r.Result, err
	}
	// R-K3: the ledger is the key register's, not the caller's.
	reg, err := h.register.CountKeys(ctx, m.Principal.Project)
	if err != nil {
		return Result{}, fmt.Errorf("counting the key register: %w", err)
	}
	if cmd.Ledger != nil && *cmd.Ledger != reg.InCustody() {
		return Result{}, apperr.Errorf(apperr.Unprocessable, "ledger_not_register",
			"the ledger is the key register's: %d keys in custody (%d registered, %d lost, %d on loan), not %d",
			reg.InCustody(), reg.Registered, reg.Lost, reg.OnLoan, *cmd.Ledger)
	}
	r, err := onKeyDay(ctx, h.d, m.Principal.Actor(), m.chain(), m.Principal.Project, day, m.IfMatch, func(kd *reconcile.Day, now time.Time) (bool, error) {
		return true, kd.ReconcileWithRegister(reg, *cmd.Counted, cmd.MissingTags, cmd.Note, now)
	})
	return r.Result, err
}
