package commands

import (
	"context"
	"errors"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/archive"
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
	keys := keyStream(cmd.KeyID)
	k, rev, judged, err := loadAsSystem(ctx, h.d, keys)
	if err != nil {
		return PolicyResult{}, err
	}
	// Both records' events are caused by the key's latest event: the
	// state whose pending forms the rule files.
	if m.CausationID == "" {
		m = m.causedBy(judged)
	}
	forms := k.PendingLoanForms()
	if len(forms) == 0 {
		return PolicyResult{Result: Result{ID: cmd.KeyID, Revision: rev}}, nil
	}
	docs := map[string]bool{} // the documents now in the archive's catalogue
	changed := false
	filed, err := recordAsSystem(ctx, h.d, m, systemStream[*archive.Archive]{id: cmd.ArchiveID, name: archive.Stream(cmd.ArchiveID),
		decode: archive.Decode, rebuild: archive.FromHistory, codes: archiveCodes},
		func(a *archive.Archive, now time.Time) (bool, error) {
			if a.Project() != k.Project() {
				return false, apperr.Errorf(apperr.NotFound, "not_found", "no archive %s in the key's project", cmd.ArchiveID)
			}
			for _, f := range forms {
				form := keyLoanForm(f)
				// Already in the catalogue: filed by an earlier run whose key record did not land.
				if err := a.FileKeyLoanForm(form, now); err != nil && !errors.Is(err, archive.ErrDuplicateDocument) {
					return false, err
				}
				docs[archive.KeyLoanFormDocument(form)] = true
			}
			changed = len(a.Changes()) > 0
			return changed, nil
		})
	if err != nil {
		return PolicyResult{}, err
	}
	if changed && !filed.Recorded {
		// The archive moved under us: nothing is filed now, the next run files again.
		return PolicyResult{Result: Result{ID: cmd.KeyID, Revision: rev}}, nil
	}
	return recordAsSystem(ctx, h.d, m, keys, func(k *key.Key, now time.Time) (bool, error) {
		n := 0
		for _, f := range k.PendingLoanForms() {
			doc := archive.KeyLoanFormDocument(keyLoanForm(f))
			if !docs[doc] {
				continue // a form that came after the archive's filing waits for the next run
			}
			if err := k.RecordLoanFormFiled(f.Loan, f.Stage, cmd.ArchiveID, doc, now); err != nil {
				return false, err
			}
			n++
		}
		return n > 0, nil
	})
}

// keyLoanForm is a key's loan form as the archive files it.
func keyLoanForm(f key.LoanForm) archive.KeyLoanForm {
	return archive.KeyLoanForm{KeyID: f.KeyID, Tag: f.Tag, Unit: f.Unit, Loan: f.Loan, Stage: f.Stage, Borrower: f.Borrower,
		Authorisation: f.Authorisation, AuthorisationRef: f.AuthorisationRef, LentAt: f.LentAt, Due: f.Due, ReturnedAt: f.ReturnedAt}
}
