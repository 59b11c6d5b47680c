// Package credential is a staff member's console password. A project
// manager or supervisor issues a one-time activation code for a registered
// staff member; the staff member sets a password with it; each sign-in is
// checked against the password, and repeated failures are recorded and
// make the next attempt wait longer.
//
//	(none) --IssueActivation--> pending --Activate--> active
//	active --IssueActivation--> active, a new password pending (a reset)
//	active --SignIn ok--> active, failures 0
//	active --SignIn wrong--> active, failures+1 (then a wait before the next)
//
// The password itself is never recorded: the stream keeps its argon2id
// hash, sealed under a key of the credential's own (see docs/console.md),
// and the activation code's SHA-256.
package credential

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/household"
)

// StreamPrefix starts every credential stream: "credential-" + staff id.
// Staff ids are unique across projects, as the staff streams' are.
const StreamPrefix = "credential-"

// Stream is the stream of a staff member's credential.
func Stream(staffID string) string { return StreamPrefix + staffID }

// Stored event type names.
const (
	TypeActivationIssued = "credential.activation_issued.v1"
	TypePasswordSet      = "credential.password_set.v1"
	TypeSignInFailed     = "credential.sign_in_failed.v1"
	TypeSignedIn         = "credential.signed_in.v1"
)

// ActivationIssued: a one-time code to set the password was handed out;
// only its SHA-256 is kept.
type ActivationIssued struct {
	StaffID   string    `json:"staff_id"`
	CodeHash  string    `json:"code_sha256"`
	ExpiresAt time.Time `json:"expires_at"`
	At        time.Time `json:"at"`
}

// PasswordSet: the staff member set a password with the code; Hash is its
// argon2id hash (PHC string), sealed.
type PasswordSet struct {
	StaffID  string           `json:"staff_id"`
	CodeHash string           `json:"code_sha256"`
	Hash     household.Sealed `json:"hash"`
	At       time.Time        `json:"at"`
}

// SignInFailed: a sign-in gave the wrong password; Failures counts the
// failures since the last sign-in that succeeded.
type SignInFailed struct {
	StaffID  string    `json:"staff_id"`
	Failures int       `json:"failures"`
	At       time.Time `json:"at"`
}

// SignedIn: a sign-in succeeded and got the token with this id (jti).
type SignedIn struct {
	StaffID   string    `json:"staff_id"`
	TokenID   string    `json:"jti"`
	ExpiresAt time.Time `json:"expires_at"`
	At        time.Time `json:"at"`
}

func (ActivationIssued) EventType() string { return TypeActivationIssued }
func (PasswordSet) EventType() string      { return TypePasswordSet }
func (SignInFailed) EventType() string     { return TypeSignInFailed }
func (SignedIn) EventType() string         { return TypeSignedIn }

// Decode turns a stored event back into its payload.
func Decode(eventType string, data []byte) (event.Payload, error) {
	var p event.Payload
	switch eventType {
	case TypeActivationIssued:
		p = &ActivationIssued{}
	case TypePasswordSet:
		p = &PasswordSet{}
	case TypeSignInFailed:
		p = &SignInFailed{}
	case TypeSignedIn:
		p = &SignedIn{}
	default:
		return nil, fmt.Errorf("credential: unknown event type %q", eventType)
	}
	if err := json.Unmarshal(data, p); err != nil {
		return nil, fmt.Errorf("credential: decode %s: %w", eventType, err)
	}
	switch v := p.(type) {
	case *ActivationIssued:
		return *v, nil
	case *PasswordSet:
		return *v, nil
	case *SignInFailed:
		return *v, nil
	default:
		return *p.(*SignedIn), nil
	}
}

// The rules' errors.
var (
	ErrCodeInvalid      = errors.New("the activation code is not the latest one issued for this staff member, or it was used already")
	ErrCodeExpired      = errors.New("the activation code has expired: ask a project manager or supervisor for a new one")
	ErrPasswordWeak     = errors.New("a password has 8 to 128 characters and is not the staff id")
	ErrNoPassword       = errors.New("the staff member has no password yet: it is set with an activation code")
	ErrWrongPassword    = errors.New("the staff id or the password is wrong")
	ErrThrottled        = errors.New("too many wrong passwords: wait before the next attempt")
	ErrActivationExpiry = errors.New("an activation code is valid for a positive time of at most 7 days")
)

// MaxActivation is the longest an activation code may be valid.
const MaxActivation = 7 * 24 * time.Hour

// FreeFailures is how many wrong passwords in a row are allowed without a
// wait; after that each one doubles the wait, from one second up to
// MaxWait.
const (
	FreeFailures = 3
	MaxWait      = 15 * time.Minute
)

// Credential is one staff member's password and its sign-ins.
type Credential struct {
	staffID     string
	pending     *ActivationIssued
	hash        household.Sealed
	hasPassword bool
	failures    int
	lastFailure time.Time
	changes     []event.Payload
}

// New is a staff member's credential before anything was recorded.
func New(staffID string) *Credential { return &Credential{staffID: staffID} }

// FromHistory rebuilds a credential from its events.
func FromHistory(staffID string, history []event.Payload) (*Credential, error) {
	c := New(staffID)
	for _, p := range history {
		if err := c.apply(p); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// IssueActivation records a new one-time code (its SHA-256), valid for
// ttl; it replaces any code issued before.
func (c *Credential) IssueActivation(codeHash string, ttl time.Duration, now time.Time) error {
	if ttl <= 0 || ttl > MaxActivation {
		return ErrActivationExpiry
	}
	return c.record(ActivationIssued{StaffID: c.staffID, CodeHash: codeHash, ExpiresAt: now.Add(ttl), At: now})
}

// Activate sets the password with the code issued last, once: hash is the
// sealed hash of a password the caller checked with CheckPassword.
func (c *Credential) Activate(codeHash string, hash household.Sealed, now time.Time) error {
	if c.pending == nil || c.pending.CodeHash != codeHash {
		return ErrCodeInvalid
	}
	if !now.Before(c.pending.ExpiresAt) {
		return ErrCodeExpired
	}
	return c.record(PasswordSet{StaffID: c.staffID, CodeHash: codeHash, Hash: hash, At: now})
}

// CheckPassword checks a new password before it is hashed.
func CheckPassword(staffID, password string) error {
	n := utf8.RuneCountInString(password)
	if n < 8 || n > 128 || password == staffID || !utf8.ValidString(password) {
		return ErrPasswordWeak
	}
	return nil
}

// Wait is how long the next sign-in must wait after the wrong passwords
// recorded so far (zero: it may go ahead now).
func (c *Credential) Wait(now time.Time) time.Duration {
	if c.failures < FreeFailures {
		return 0
	}
	wait := MaxWait
	if n := c.failures - FreeFailures; n < 20 {
		wait = min(MaxWait, time.Second<<n)
	}
	return max(0, c.lastFailure.Add(wait).Sub(now))
}

// Hash is the sealed password hash a sign-in is checked against.
func (c *Credential) Hash() (household.Sealed, error) {
	if !c.hasPassword {
		return household.Sealed{}, ErrNoPassword
	}
	return c.hash, nil
}

// SignIn records the outcome of a sign-in whose password the caller
// checked against Hash: a wrong one is recorded as a failure (and
// returns ErrWrongPassword); while a wait is due nothing is recorded and
// ErrThrottled is returned.
func (c *Credential) SignIn(passwordOK bool, tokenID string, expires, now time.Time) error {
	if !c.hasPassword {
		return ErrNoPassword
	}
	if c.Wait(now) > 0 {
		return ErrThrottled
	}
	if !passwordOK {
		if err := c.record(SignInFailed{StaffID: c.staffID, Failures: c.failures + 1, At: now}); err != nil {
			return err
		}
		return ErrWrongPassword
	}
	return c.record(SignedIn{StaffID: c.staffID, TokenID: tokenID, ExpiresAt: expires, At: now})
}

// HasPassword reports whether a password was set.
func (c *Credential) HasPassword() bool { return c.hasPassword }

// Failures is the number of wrong passwords since the last sign-in.
func (c *Credential) Failures() int { return c.failures }

// Changes are the events recorded since the credential was loaded.
func (c *Credential) Changes() []event.Payload { return c.changes }

func (c *Credential) record(p event.Payload) error {
	if err := c.apply(p); err != nil {
		return err
	}
	c.changes = append(c.changes, p)
	return nil
}

func (c *Credential) apply(p event.Payload) error {
	switch e := p.(type) {
	case ActivationIssued:
		c.pending = &e
	case PasswordSet:
		c.pending, c.hash, c.hasPassword, c.failures = nil, e.Hash, true, 0
	case SignInFailed:
		c.failures, c.lastFailure = e.Failures, e.At
	case SignedIn:
		c.failures = 0
	default:
		return fmt.Errorf("credential: cannot apply %T", p)
	}
	return nil
}
