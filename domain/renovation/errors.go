package renovation

import "errors"

// Domain errors: each states the rule that was broken.
var (
	ErrNotFiled              = errors.New("the renovation has not been filed")
	ErrFilingIncomplete      = errors.New("a renovation is filed with its project, district, unit, owner, contractor, butler and what will be done")
	ErrUnknownDocument       = errors.New("filing documents are: application, quality_confirmation, agreement, fees, department_review (R-R1)")
	ErrDocumentRefMissing    = errors.New("a filed document has a reference")
	ErrDocumentsIncomplete   = errors.New("approval needs every filing document: application, pre-renovation quality confirmation, agreement, fees and other departments' review (R-R1)")
	ErrAlreadyApproved       = errors.New("the renovation is already approved")
	ErrNotApproved           = errors.New("the renovation must be approved first")
	ErrSiteCheckMissing      = errors.New("work cannot start before the butler has checked the unit on site (R-R2)")
	ErrBriefingMissing       = errors.New("work cannot start before owner and contractor are briefed on the rules and forbidden acts (R-R2)")
	ErrBriefingAttendees     = errors.New("the rules briefing names the owner and the contractor who attended")
	ErrNotInProgress         = errors.New("the renovation is not in progress")
	ErrAlreadyStarted        = errors.New("work has already started")
	ErrChecklistIncomplete   = errors.New("a daily inspection covers every checklist item: finished-product protection, rubbish, working hours, walls, waterproofing, guard rails, terrace and balcony (R-R3)")
	ErrUnknownChecklistItem  = errors.New("unknown inspection checklist item")
	ErrViolationIncomplete   = errors.New("a violation is described, evidenced and reported to the supervisor (R-R4)")
	ErrUnknownViolation      = errors.New("no such violation on this renovation")
	ErrViolationNotRectified = errors.New("a violation stays open until it is rectified (R-R4)")
	ErrViolationClosed       = errors.New("the violation is already closed")
	ErrViolationsOpen        = errors.New("work cannot be completed while a violation is open (R-R4)")
	ErrNotCompleted          = errors.New("the work must be completed before the acceptance inspection")
	ErrUnknownFinding        = errors.New("no such open acceptance finding")
	ErrNotAccepted           = errors.New("the owner moves in only after the engineer's acceptance with every finding fixed (R-R5)")
	ErrClosed                = errors.New("the renovation is closed")
	// ErrUnitUnderRenovation is R-R5 seen from the unit: it is refused
	// occupancy while a renovation of it has started and is not closed.
	ErrAssignmentIncomplete = errors.New("an assignment names the area and the staff member who follows it (R-R7)")
	ErrTalkIncomplete       = errors.New("a talk with the renovating owner says how (on_site, phone, visit) and what was said (R-R7)")
	ErrUnitUnderRenovation  = errors.New("the unit is not occupied while its renovation is open: the owner moves in after engineering's completion inspection (竣工验收) with every problem fixed and the renovation closed (R-R5)")
)
