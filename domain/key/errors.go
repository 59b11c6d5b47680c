package key

import "errors"

// Domain errors: each states the rule that was broken.
var (
	ErrNotRegistered          = errors.New("the key has not been registered")
	ErrRegistrationIncomplete = errors.New("a key is registered with its project, district, unit, tag and custodian (R-K1)")
	ErrOnLoan                 = errors.New("the key is out on loan: it must be returned before it is lent again (R-K2)")
	ErrNotOnLoan              = errors.New("the key is not out on loan")
	ErrBorrowerMissing        = errors.New("a loan names who borrows the key")
	ErrAuthorisationMissing   = errors.New("a loan needs the owner's signed authorisation: who signed and its reference (R-K2)")
	ErrDueMissing             = errors.New("a loan says when the key is due back, after the time of lending")
	ErrLost                   = errors.New("the key is reported lost: nothing but the loss approval can be recorded on it")
	ErrLossNotReported        = errors.New("a loss must be reported before the project manager approves it (R-K4)")
	ErrLossNoteMissing        = errors.New("a loss report says what happened")
	ErrAccountableMissing     = errors.New("the approval of a lost key names who is accountable (R-K4)")
	ErrNoLoanForm             = errors.New("there is no such loan form waiting to be filed (R-K5)")
	ErrLoanFormFiled          = errors.New("this loan form is already filed in the owner's archive (R-K5)")
	ErrFilingIncomplete       = errors.New("a filed loan form names the archive and the catalogue entry it went into (R-K5)")
)
