package workorder

import "errors"

// Domain errors: each states the rule that was broken.
var (
	ErrNotRegistered            = errors.New("the work order has not been registered")
	ErrRegistrationIncomplete   = errors.New("a work order needs its project, district and a description")
	ErrUnitMissing              = errors.New("an in-home repair names the owner's unit")
	ErrUnknownArea              = errors.New("the area must be unit (owner's home) or public")
	ErrUnknownWarranty          = errors.New("the warranty must be in or out")
	ErrAssigneeMissing          = errors.New("a work order is dispatched to a named assignee")
	ErrNotDispatched            = errors.New("a work order must be dispatched before work starts")
	ErrAlreadyStarted           = errors.New("work has already started on this work order")
	ErrNotStarted               = errors.New("a work order must be started before it is completed")
	ErrResultMissing            = errors.New("completion must say what was done")
	ErrAlreadyCompleted         = errors.New("the work order is already completed")
	ErrNotCompleted             = errors.New("the repair must be completed first")
	ErrSignerMissing            = errors.New("the owner's confirmation names who signed")
	ErrAlreadyConfirmed         = errors.New("the owner has already confirmed this repair")
	ErrOwnerConfirmationMissing = errors.New("an in-home repair needs the owner's confirmation before its return visit and closing")
	ErrUnknownChannel           = errors.New("the channel must be one of phone, visit, service_desk, wechat, sms")
	ErrReturnVisitChannel       = errors.New("a return visit is made by phone or in person (visit)")
	ErrNoteMissing              = errors.New("a communication record needs a note of what was said")
	ErrSatisfactionRange        = errors.New("satisfaction is rated from 1 to 5")
	ErrNoRainSinceCompletion    = errors.New("a leak repair's return visit waits for the first rainy day after the repair: no rainy day is recorded after the completion date")
	ErrReturnVisitDone          = errors.New("the return visit is already recorded")
	ErrReturnVisitMissing       = errors.New("a work order cannot be closed before its return visit is recorded")
	ErrClosed                   = errors.New("the work order is closed: nothing more can be recorded on it")
	// R-W5: an urgent leak repair has two return visits, each named by its kind.
	ErrUnknownVisitKind     = errors.New("the return visit's kind must be standard, urgent_24h or after_rain")
	ErrVisitKindNotRequired = errors.New("this repair does not need a return visit of that kind (urgent_24h for urgent repairs, after_rain for leak repairs, standard for the others)")
	// R-W4: a public-area repair is signed off after repair by the district's butler or a supervisor.
	ErrPublicSignOffMissing = errors.New("a public-area repair needs its sign-off by the district's butler or a supervisor before its return visit and closing")
	ErrPublicSignOffRole    = errors.New("a public-area repair is signed off by the district's butler or a supervisor")
	ErrSignOffByRepairer    = errors.New("whoever did the repair cannot sign it off")
	// R-W7: return visits are verified by call-back or recording.
	ErrNoReturnVisitToVerify     = errors.New("only a return visit that was recorded can be verified")
	ErrUnknownVerificationMethod = errors.New("a return visit is verified by call_back (calling the owner) or recording (checking the call's recording)")
	ErrUnknownVerificationResult = errors.New("a verification finds ok, not_reached or false")
	ErrVerificationNoteMissing   = errors.New("a return visit found false needs a note of what was found")
	// R-W8: the forms are filed once, into the archive of the repair's unit.
	ErrFormsNotDue = errors.New("only a closed in-home repair's forms are filed into the owner's archive")
	ErrFormsFiled  = errors.New("the work order's forms are already filed")
)
