package complaint

import "errors"

// Domain errors: each states the rule that was broken.
var (
	ErrNotRegistered            = errors.New("the complaint has not been registered")
	ErrRegistrationIncomplete   = errors.New("a complaint needs its project, district, unit, category and description")
	ErrSoothingMissing          = errors.New("the owner must be soothed before the complaint is registered: record what was said")
	ErrAssigneeMissing          = errors.New("a complaint is dispatched to a named assignee")
	ErrNoteMissing              = errors.New("a communication record needs a note of what was said")
	ErrUnknownChannel           = errors.New("the channel must be one of phone, visit, service_desk, wechat, sms")
	ErrReturnVisitChannel       = errors.New("a return visit is made by phone or in person (visit)")
	ErrReasonMissing            = errors.New("a reason must be given")
	ErrExpectedByNotFuture      = errors.New("the expected completion time must be in the future")
	ErrResolutionMissing        = errors.New("a resolution must say how the complaint was handled")
	ErrNotDispatched            = errors.New("a complaint must be dispatched before it is resolved")
	ErrAlreadyResolved          = errors.New("the complaint is already resolved")
	ErrNotResolved              = errors.New("a return visit comes after the complaint is resolved")
	ErrSatisfactionRange        = errors.New("satisfaction is rated from 1 to 5")
	ErrReturnVisitDone          = errors.New("the return visit is already recorded")
	ErrReturnVisitMissing       = errors.New("a complaint cannot be closed before its return visit is recorded")
	ErrClosed                   = errors.New("the complaint is closed: nothing more can be recorded on it")
	ErrTopLevel                 = errors.New("the complaint is already escalated to the project manager: there is no higher level")
	ErrRiskAlreadyFlagged       = errors.New("the group-complaint risk is already flagged and the project manager warned")
	ErrValidityReasonMissing    = errors.New("a resolution judges the complaint valid or not (有效投诉) and gives the reason (R-C7)")
	ErrAlreadyImportant         = errors.New("the complaint is already marked important")
	ErrImportantNeedsSupervisor = errors.New("an important complaint is handled by the supervisor personally: a butler cannot resolve or close it (R-C5)")
	ErrEscalatedAboveCaller     = errors.New("the complaint is escalated above the caller's level: whoever it was escalated to resolves and closes it (R-C5)")
	ErrUnknownEntry             = errors.New("the complaint has no such communication record")
	ErrEntryFiled               = errors.New("the communication record is already filed in the archive")
)
