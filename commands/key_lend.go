package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/household"
	"github.com/butler-pm/butler/domain/key"
)

// LendKey lends a key on the owner's signed authorisation (R-K2): who
// signed and the form's reference; Due is when it must be back (RFC 3339,
// or a date meaning that day's end).
type LendKey struct {
	KeyID            string `json:"-"`
	Borrower         string `json:"borrower"`
	Purpose          string `json:"purpose"`
	AuthorisedBy     string `json:"authorised_by"`
	AuthorisationRef string `json:"authorisation_ref"`
	Due              string `json:"due"`
}

type LendKeyHandler struct{ d handlerDeps }

func NewLendKeyHandler(store EventStore, clock Clock, ids IDGenerator, keys PersonalKeys) LendKeyHandler {
	d := newHandlerDeps(store, clock, ids)
	d.keys = keys
	return LendKeyHandler{d}
}

func (h LendKeyHandler) Handle(ctx context.Context, m Meta, cmd LendKey) (Result, error) {
	bad := missing("borrower", cmd.Borrower, "due", cmd.Due)
	due, ok := parseInstant(cmd.Due, chinaTime)
	if cmd.Due != "" && !ok {
		if bad == nil {
			bad = map[string]string{}
		}
		bad["due"] = "a date (YYYY-MM-DD) or an RFC 3339 time"
	}
	if bad != nil {
		return Result{}, apperr.Invalid(bad)
	}
	return updateKey(ctx, h.d, m, cmd.KeyID, keyCustodianRoles, func(k *key.Key, now time.Time) error {
		return k.Lend(key.Loan{Borrower: cmd.Borrower, Purpose: cmd.Purpose, AuthorisedBy: cmd.AuthorisedBy,
			AuthorisationRef: cmd.AuthorisationRef, Due: due}, func(name string) (household.Sealed, error) {
			return h.d.sealFor(ctx, k.Project(), k.Unit(), name)
		}, now)
	})
}

// chinaTime is the projects' calendar for dates given without a time.
var chinaTime = time.FixedZone("CST", 8*3600)
