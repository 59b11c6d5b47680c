package commandcentre

import "errors"

// Domain errors: each states the rule that was broken.
var (
	ErrNotOpened             = errors.New("the shift has not been opened")
	ErrOpenIncomplete        = errors.New("a shift needs an id, a project and an operator")
	ErrPreviousNotHandedOver = errors.New("the previous shift has not handed over yet")
	ErrShiftClosed           = errors.New("the shift is closed: nothing more can be recorded on it")
	ErrMessageIncomplete     = errors.New("a customer message names who sent it and what they said")
	ErrUnknownMessage        = errors.New("no such open message in this shift")
	ErrResultMissing         = errors.New("handling a message says what was done")
	ErrNextOperatorMissing   = errors.New("a hand-over names the next shift's operator")
	ErrAlreadyHandedOver     = errors.New("the shift has already handed over")
	ErrMessagesOpen          = errors.New("the shift cannot close while a message is neither handled nor handed over")
	ErrUnknownEmergency      = errors.New("an emergency is fire, wall_climbing, elevator_entrapment or suspicious_person")
	ErrLocationMissing       = errors.New("an emergency report says where it is")
	ErrNotReported           = errors.New("the emergency has not been reported")
	ErrEmergencyClosed       = errors.New("the emergency is closed")
	ErrUnknownStep           = errors.New("the step is not in this emergency's procedure")
	ErrStepDone              = errors.New("this procedure step is already done")
	ErrStepsOutstanding      = errors.New("an emergency closes only once every procedure step is done")
	ErrSummaryMissing        = errors.New("closing an emergency needs a summary")
	ErrParticipantsMissing   = errors.New("a drill has at least one participant")
	ErrShiftMissing          = errors.New("a hand-over check names the shift checked")
)
