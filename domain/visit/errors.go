package visit

import "errors"

// Domain errors: each states the rule that was broken.
var (
	ErrPlanIncomplete        = errors.New("a visit plan names the butler, the month and at least one household")
	ErrHouseholdCountMissing = errors.New("a visit plan is measured against the district's register of units: register the district's units first (POST /api/v1/units)")
	ErrUnregisteredUnit      = errors.New("a visit plan names units of the district's register only")
	ErrVacantUnit            = errors.New("a visit plan names occupied units: a vacant unit has no household to visit")
	ErrDuplicateHousehold    = errors.New("a monthly visit plan lists each household once")
	ErrCoverageTooLow        = errors.New("a monthly visit plan covers at least 8% of the district's households")
	ErrNotPlanned            = errors.New("the visit plan does not exist")
	ErrVisitIncomplete       = errors.New("a visit names the visitor and the household")
	ErrUnknownKind           = errors.New("a visit is routine, key_client or return")
	ErrKeyClientBySupervisor = errors.New("key-client visits are made by a supervisor")
	ErrNotAKeyClient         = errors.New("a key-client visit is to a household in the key-client register (R-H7)")
	ErrSatisfaction          = errors.New("a visit's satisfaction is a rating from 1 to 5, or none")
	ErrNotVisited            = errors.New("the visit has not been recorded")
	ErrUnknownOpinion        = errors.New("no such opinion on this visit")
	ErrActionMissing         = errors.New("a rectification says what was done")
	ErrAlreadyRectified      = errors.New("this opinion is already rectified")
	ErrNotRectified          = errors.New("feedback to the owner comes after the opinion is rectified")
	ErrAlreadyFedBack        = errors.New("the owner has already been given feedback on this opinion")
	ErrFeedbackChannel       = errors.New("feedback is given by phone or visit")
	ErrProblemMissing        = errors.New("a warning describes the common problem")
	ErrUnknownReason         = errors.New("a required return visit is for an urgent_repair, leak_repair, complaint, misfortune or fee_collection")
	ErrDueIncomplete         = errors.New("a required return visit names the household")
	ErrNotDue                = errors.New("the required return visit does not exist")
	ErrDueDone               = errors.New("this required return visit is already done")
	ErrWrongHousehold        = errors.New("the visit was to another household")
	ErrVisitBeforeDue        = errors.New("the visit was made before the return visit became due")
)
