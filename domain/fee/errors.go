package fee

import "errors"

// Domain errors: each states the rule that was broken.
var (
	ErrNotIssued        = errors.New("the bill has not been issued")
	ErrBillIncomplete   = errors.New("a bill names its project, district, unit and the butler who collects it")
	ErrPeriodInvalid    = errors.New("a bill's period is a month (YYYY-MM)")
	ErrNoItems          = errors.New("a bill has at least one charge")
	ErrAmountInvalid    = errors.New("amounts are whole fen (分) greater than zero")
	ErrItemNameMissing  = errors.New("every charge says what it is for")
	ErrDueMissing       = errors.New("a bill says when it is due")
	ErrReceiptMissing   = errors.New("no payment without a receipt number: 收费不给票据 is forbidden (R-F2)")
	ErrOverpaid         = errors.New("a payment cannot exceed what the bill still owes")
	ErrPaid             = errors.New("the bill is fully paid")
	ErrReceiptReused    = errors.New("the receipt number is already recorded on this bill")
	ErrUnknownChannel   = errors.New("arrears are chased by phone, visit, bill or sms (R-F3)")
	ErrNotInArrears     = errors.New("the bill is not overdue: there are no arrears to chase")
	ErrReminderNoteMiss = errors.New("a reminder records what was said or sent")
	ErrFlagReasonMiss   = errors.New("flagging an influential owner in arrears says why (R-F6)")
	ErrAlreadyFlagged   = errors.New("the bill's owner is already flagged as influential")
	ErrNotFlagged       = errors.New("guidance (疏导) is recorded for an owner flagged as influential (R-F6)")
	ErrGuidanceNoteMiss = errors.New("guidance records what was discussed with the owner")
)
