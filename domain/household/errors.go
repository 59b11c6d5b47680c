package household

import "errors"

var (
	// ErrUnitMissing: a household is named by its unit code.
	ErrUnitMissing = errors.New("a household needs its unit code")
	// ErrOwnerMissing: a contact names the owner.
	ErrOwnerMissing = errors.New("a household's contact names the owner")
	// ErrReasonMissing: an erasure says why (PIPL art. 47: the owner's request, …).
	ErrReasonMissing = errors.New("an erasure needs a reason")
	// ErrAlreadyErased: the household's personal data is erased already
	// and nothing was recorded since.
	ErrAlreadyErased = errors.New("the household's personal data is already erased")
	// ErrKeyDestroyed: the data key a value was sealed under is destroyed;
	// the value can never be read again (R-D3, erasure).
	ErrKeyDestroyed = errors.New("the household's data key is destroyed: the value is erased")
	// ErrRouteMissing: a read record names the endpoint.
	ErrRouteMissing = errors.New("a record of a read names the endpoint and the households read")
)
