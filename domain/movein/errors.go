package movein

import "errors"

// Domain errors: each states the rule that was broken.
var (
	ErrNotOpened           = errors.New("the move-in has not been opened")
	ErrOpenIncomplete      = errors.New("a move-in names its project, district, unit, owner and butler")
	ErrStepDone            = errors.New("this move-in step is already recorded")
	ErrNoteMissing         = errors.New("the document review says what was reviewed")
	ErrReceiptsMissing     = errors.New("fees collected at move-in are recorded with their receipt numbers (R-F2)")
	ErrAgreementMissing    = errors.New("the signed agreements include the preliminary property-service agreement (R-M3)")
	ErrFormsMissing        = errors.New("the forms filled include the owner information form, with photos (R-M3)")
	ErrStepsIncomplete     = errors.New("keys are handed over last: documents reviewed, fees collected, agreements signed, forms filled and the unit inspected first (R-M1)")
	ErrKeysMissing         = errors.New("the key handover lists the key tags handed over")
	ErrUnknownDefect       = errors.New("no such inspection defect on this move-in")
	ErrDefectHandedOver    = errors.New("the defect is already handed to the developer")
	ErrDeveloperRef        = errors.New("handing a defect to the developer records the developer's reference (R-M2)")
	ErrDefectNotHandedOver = errors.New("a defect is handed to the developer before it is resolved (R-M2)")
	ErrDefectResolved      = errors.New("the defect is already resolved")
	ErrNotCompleted        = errors.New("the owner takes up residence after the keys are handed over")
	ErrAlreadyOccupied     = errors.New("the owner's residence is already recorded")
	ErrReceiptNotBilled    = errors.New("a move-in fee receipt is the receipt of a payment recorded on one of the unit's bills (R-M3: fees in the fee ledger)")
	ErrNothingToFile       = errors.New("the move-in has no document waiting for the owner's archive")
)
