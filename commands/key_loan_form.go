package commands

import (
	"context"
	"errors"
	"fmt"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/archive"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/key"
)

// FileKeyLoanForm is the R-K5 policy command: every loan form of the key
// not yet filed goes into the owner's archive ArchiveID (the archive of the
// key's unit, which the archive checks), then the key records the filing.
// The actor is the system.
//
// The two streams are written one after the other: if the key's record
// fails after the archive's, the next run finds the form already in the
// catalogue and records only the key's side, so each form is filed once.
type FileKeyLoanForm struct {
	KeyID     string `json:"key_id"`
	ArchiveID string `json:"archive_id"`
}

type FileKeyLoanFormHandler struct{ d handlerDeps }

func NewFileKeyLoanFormHandler(store EventStore, clock Clock, ids IDGenerator) FileKeyLoanFormHandler {
	return FileKeyLoanFormHandler{newHandlerDeps(store, clock, ids)}
}

func (h FileKeyLoanFormHandler) Handle(ctx context.Context, m Meta, cmd FileKeyLoanForm) (PolicyResult, error) {
	if bad := missing("key_id", cmd.KeyID, "archive_id", cmd.ArchiveID); bad != nil {
		return PolicyResult{}, apperr.Invalid(bad)
	}
	keyStream := key.Stream(cmd.KeyID)
	kh, err := h.d.readHistory(ctx, keyStream, key.Decode)
	if err != nil {
		return PolicyResult{}, err
	}
	if !kh.exists {
		return PolicyResult{}, apperr.Errorf(apperr.NotFound, "not_found", "%s does not exist", keyStream)
	}
	k, err := key.FromHistory(kh.payloads)
	if err != nil {
		return PolicyResult{}, fmt.Errorf("rebuild %s: %w", keyStream, err)
	}
	forms := k.PendingLoanForms()
	if len(forms) == 0 {
		return PolicyResult{Result: Result{ID: cmd.KeyID, Revision: kh.revision}}, nil
	}

	archiveStream := archive.Stream(cmd.ArchiveID)
	ah, err := h.d.readHistory(ctx, archiveStream, archive.Decode)
	if err != nil {
		return PolicyResult{}, err
	}
	if !ah.exists {
		return PolicyResult{}, apperr.Errorf(apperr.NotFound, "not_found", "%s does not exist", archiveStream)
	}
	a, err := archive.FromHistory(ah.payloads)
	if err != nil {
		return PolicyResult{}, fmt.Errorf("rebuild %s: %w", archiveStream, err)
	}
	if a.Project() != k.Project() {
		return PolicyResult{}, apperr.Errorf(apperr.NotFound, "not_found", "no archive %s in the key's project", cmd.ArchiveID)
	}
	now := h.d.clock.Now()
	docs := make([]string, len(forms))
	for i, f := range forms {
		form := archive.KeyLoanForm{KeyID: f.KeyID, Tag: f.Tag, Unit: f.Unit, Loan: f.Loan, Stage: f.Stage, Borrower: f.Borrower,
			AuthorisedBy: f.AuthorisedBy, AuthorisationRef: f.AuthorisationRef, LentAt: f.LentAt, Due: f.Due, ReturnedAt: f.ReturnedAt}
		docs[i] = archive.KeyLoanFormDocument(form)
		// Already in the catalogue: filed by an earlier run whose key record did not land.
		if err := a.FileKeyLoanForm(form, now); err != nil && !errors.Is(err, archive.ErrDuplicateDocument) {
			return PolicyResult{}, domainError(err, archiveCodes)
		}
	}
	if changes := a.Changes(); len(changes) > 0 {
		if _, err := h.d.appendChanges(ctx, archiveStream, event.Exact(ah.revision), event.System, a.Project(), a.District(),
			m.CorrelationID, now, changes); err != nil {
			return PolicyResult{}, err
		}
	}
	for i, f := range forms {
		if err := k.RecordLoanFormFiled(f.Loan, f.Stage, cmd.ArchiveID, docs[i], now); err != nil {
			return PolicyResult{}, domainError(err, keyCodes)
		}
	}
	rev, err := h.d.appendChanges(ctx, keyStream, event.Exact(kh.revision), event.System, k.Project(), k.District(), m.CorrelationID, now, k.Changes())
	if err != nil {
		return PolicyResult{}, err
	}
	return PolicyResult{Result: Result{ID: cmd.KeyID, Revision: rev}, Recorded: true}, nil
}
