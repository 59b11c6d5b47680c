package commands

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/credential"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/staff"
)

// credentialIssueRoles may hand a staff member an activation code: the
// project manager and the supervisor, who bring staff on board.
var credentialIssueRoles = []string{RoleProjectManager, RoleSupervisor}

// credentialCodes are the stable error codes of refused credential rules.
var credentialCodes = map[error]string{
	credential.ErrCodeInvalid:      "activation_code_invalid",
	credential.ErrCodeExpired:      "activation_code_expired",
	credential.ErrPasswordWeak:     "password_weak",
	credential.ErrActivationExpiry: "activation_expiry_invalid",
	// Sign-in answers these itself (401, 429); mapped for completeness.
	credential.ErrNoPassword:    "password_not_set",
	credential.ErrWrongPassword: "sign_in_failed",
	credential.ErrThrottled:     "sign_in_throttled",
}

// Passwords hashes and checks passwords (infra/auth: argon2id).
type Passwords interface {
	HashPassword(password string) (string, error)
	CheckPassword(password, hash string) (bool, error)
}

// TokenIssuer signs the bearer token a sign-in returns: the same kind of
// token `butler token issue` prints, so its lifetime and revocation apply.
type TokenIssuer interface {
	IssueToken(p Principal) (token, id string, expires time.Time, err error)
}

// ActivationTTL is how long an activation code is valid.
const ActivationTTL = 72 * time.Hour

// CredentialHandlers are the console's sign-in commands: activation
// codes, passwords, sign-in and sign-out. They are built beside the other
// handlers because they need the password hasher and the token issuer.
type CredentialHandlers struct {
	d         handlerDeps
	passwords Passwords
	tokens    TokenIssuer
	revoked   func(jti string)
}

// NewCredentialHandlers builds them; keys seals the password hashes,
// revoked is told of each token a sign-out revokes (this server refuses it
// at once; the others as they follow the log).
func NewCredentialHandlers(store EventStore, clock Clock, keys PersonalKeys, passwords Passwords, tokens TokenIssuer, revoked func(jti string)) *CredentialHandlers {
	d := newHandlerDeps(store, clock, nil)
	d.keys = keys
	if revoked == nil {
		revoked = func(string) {}
	}
	return &CredentialHandlers{d: d, passwords: passwords, tokens: tokens, revoked: revoked}
}

// Activation is the answer to IssueActivation: the path the staff member
// opens, with the code after '#' (it never reaches a server's logs).
type Activation struct {
	StaffID       string    `json:"staff_id"`
	ActivationURL string    `json:"activation_url"`
	Code          string    `json:"-"`
	ExpiresAt     time.Time `json:"expires_at"`
}

// registeredStaff reads a registered staff member of the caller's project;
// another project's staff member is not found.
func (h *CredentialHandlers) registeredStaff(ctx context.Context, project, id string) (*staff.Staff, error) {
	hist, err := h.d.readHistory(ctx, staff.Stream(id), staff.Decode)
	if err != nil {
		return nil, err
	}
	if !hist.exists {
		return nil, apperr.Errorf(apperr.NotFound, "not_found", "no registered staff member %s in project %s", id, project)
	}
	s, err := staff.FromHistory(hist.payloads)
	if err != nil {
		return nil, fmt.Errorf("rebuild %s: %w", staff.Stream(id), err)
	}
	if s.Project() != project {
		return nil, apperr.Errorf(apperr.NotFound, "not_found", "no registered staff member %s in project %s", id, project)
	}
	return s, nil
}

func (h *CredentialHandlers) load(ctx context.Context, staffID string) (*credential.Credential, streamHistory, error) {
	hist, err := h.d.readHistory(ctx, credential.Stream(staffID), credential.Decode)
	if err != nil {
		return nil, hist, err
	}
	c, err := credential.FromHistory(staffID, hist.payloads)
	if err != nil {
		return nil, hist, fmt.Errorf("rebuild %s: %w", credential.Stream(staffID), err)
	}
	return c, hist, nil
}

func expected(h streamHistory) event.ExpectedRevision {
	if !h.exists {
		return event.NoStream()
	}
	return event.Exact(h.revision)
}

func codeHash(code string) string {
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:])
}

// IssueActivation hands a registered staff member of the caller's project
// a one-time code to set (or reset) their password, valid ActivationTTL.
// The code is the staff id, a dot and 32 random bytes; only its SHA-256
// is recorded.
func (h *CredentialHandlers) IssueActivation(ctx context.Context, m Meta, staffID string) (Activation, error) {
	if err := requireRole(m.Principal, credentialIssueRoles...); err != nil {
		return Activation{}, err
	}
	return h.issue(ctx, m.Principal.Actor(), m.Principal.Project, m.chain(), staffID)
}

// OperatorActor records what an operator did on the command line
// (`butler staff activate`), where no token names anyone.
var OperatorActor = event.Actor{StaffID: "operator", Role: "system"}

// IssueActivationAsOperator is IssueActivation for an operator on the
// command line, who holds the data directory rather than a token.
func (h *CredentialHandlers) IssueActivationAsOperator(ctx context.Context, project, staffID string) (Activation, error) {
	return h.issue(ctx, OperatorActor, project, chain{}, staffID)
}

func (h *CredentialHandlers) issue(ctx context.Context, actor event.Actor, project string, ch chain, staffID string) (Activation, error) {
	s, err := h.registeredStaff(ctx, project, staffID)
	if err != nil {
		return Activation{}, err
	}
	c, hist, err := h.load(ctx, staffID)
	if err != nil {
		return Activation{}, err
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return Activation{}, err
	}
	code := staffID + "." + base64.RawURLEncoding.EncodeToString(secret)
	now := h.d.clock.Now()
	if err := c.IssueActivation(codeHash(code), ActivationTTL, now); err != nil {
		return Activation{}, domainError(err, credentialCodes)
	}
	if _, err := h.d.appendChanges(ctx, credential.Stream(staffID), expected(hist), actor, s.Project(), s.District(), ch, now, c.Changes()); err != nil {
		return Activation{}, err
	}
	return Activation{StaffID: staffID, ActivationURL: "/activate#" + code, Code: code, ExpiresAt: now.Add(ActivationTTL)}, nil
}

// Activate is POST /auth/activate's body.
type Activate struct {
	Code     string `json:"code"`
	Password string `json:"password"`
}

// Activated answers an activation: whose password was set.
type Activated struct {
	StaffID string `json:"staff_id"`
	Project string `json:"project"`
	Role    string `json:"role"`
}

var errCodeUnknown = apperr.Errorf(apperr.Unprocessable, "activation_code_invalid", "%s", credential.ErrCodeInvalid)

// Activate sets the password with a one-time code; it needs no token.
func (h *CredentialHandlers) Activate(ctx context.Context, cmd Activate) (Activated, error) {
	code := strings.TrimSpace(cmd.Code)
	i := strings.LastIndexByte(code, '.')
	if i <= 0 || len(code) > 200 {
		return Activated{}, errCodeUnknown
	}
	staffID := code[:i]
	c, hist, err := h.load(ctx, staffID)
	if err != nil {
		return Activated{}, err
	}
	if !hist.exists {
		return Activated{}, errCodeUnknown
	}
	if err := credential.CheckPassword(staffID, cmd.Password); err != nil {
		return Activated{}, apperr.Invalid(map[string]string{"password": err.Error()})
	}
	// The scope and actor come from the register, not from the caller.
	recs, err := event.ReadStreamWhole(ctx, h.d.store, credential.Stream(staffID), readPage)
	if err != nil {
		return Activated{}, err
	}
	project := recs[0].Meta.Project
	s, err := h.registeredStaff(ctx, project, staffID)
	if err != nil {
		return Activated{}, err
	}
	phc, err := h.passwords.HashPassword(cmd.Password)
	if err != nil {
		return Activated{}, err
	}
	sealed, err := h.d.keys.Seal(ctx, credential.Stream(staffID), []byte(phc))
	if err != nil {
		return Activated{}, err
	}
	now := h.d.clock.Now()
	if err := c.Activate(codeHash(code), sealed, now); err != nil {
		return Activated{}, domainError(err, credentialCodes)
	}
	actor := event.Actor{StaffID: staffID, Role: s.Role()}
	if _, err := h.d.appendChanges(ctx, credential.Stream(staffID), expected(hist), actor, s.Project(), s.District(), chain{}, now, c.Changes()); err != nil {
		return Activated{}, err
	}
	return Activated{StaffID: staffID, Project: s.Project(), Role: s.Role()}, nil
}

// SignIn is POST /auth/sign-in's body.
type SignIn struct {
	StaffID  string `json:"staff_id"`
	Password string `json:"password"`
	Project  string `json:"project"`
}

// SignedIn is a sign-in's answer: the token and what it carries.
type SignedIn struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	Role      string    `json:"role"`
	Project   string    `json:"project"`
	District  string    `json:"district"` // empty for a project-wide role
	StaffID   string    `json:"staff_id"`
	// RetryAfter is how long to wait before the next attempt, when a
	// sign-in was refused for too many wrong passwords.
	RetryAfter time.Duration `json:"-"`
}

var errSignIn = apperr.Errorf(apperr.Unauthorized, "sign_in_failed", "%s", credential.ErrWrongPassword)

// SignIn checks a staff member's password and returns a token for their
// role and district in the register. An unknown staff id, another
// project's, one without a password and a wrong password all get the same
// answer; a wrong password is recorded, and past credential.FreeFailures
// in a row each attempt waits longer (429 sign_in_throttled).
func (h *CredentialHandlers) SignIn(ctx context.Context, cmd SignIn) (SignedIn, error) {
	id, project := strings.TrimSpace(cmd.StaffID), strings.TrimSpace(cmd.Project)
	if id == "" || project == "" || cmd.Password == "" || len(id) > 64 || len(cmd.Password) > 512 {
		return SignedIn{}, apperr.Invalid(map[string]string{"staff_id": "required", "project": "required", "password": "required"})
	}
	s, err := h.registeredStaff(ctx, project, id)
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Kind == apperr.NotFound {
		return SignedIn{}, errSignIn
	}
	if err != nil {
		return SignedIn{}, err
	}
	c, hist, err := h.load(ctx, id)
	if err != nil {
		return SignedIn{}, err
	}
	sealed, err := c.Hash()
	if err != nil {
		return SignedIn{}, errSignIn
	}
	now := h.d.clock.Now()
	if wait := c.Wait(now); wait > 0 {
		return SignedIn{RetryAfter: wait}, apperr.Errorf(apperr.TooManyRequests, "sign_in_throttled",
			"%s: %d s", credential.ErrThrottled, int(wait.Seconds()+0.999))
	}
	phc, err := h.d.keys.Open(ctx, credential.Stream(id), sealed)
	if err != nil {
		return SignedIn{}, fmt.Errorf("opening the password hash of %s: %w", id, err)
	}
	ok, err := h.passwords.CheckPassword(cmd.Password, string(phc))
	if err != nil {
		return SignedIn{}, fmt.Errorf("checking the password of %s: %w", id, err)
	}
	p := Principal{StaffID: id, Role: s.Role(), Project: s.Project(), District: s.District()}
	out := SignedIn{Role: p.Role, Project: p.Project, District: p.District, StaffID: id}
	var jti string
	if ok {
		if out.Token, jti, out.ExpiresAt, err = h.tokens.IssueToken(p); err != nil {
			return SignedIn{}, err
		}
	}
	signErr := c.SignIn(ok, jti, out.ExpiresAt, now)
	if signErr != nil && !errors.Is(signErr, credential.ErrWrongPassword) {
		return SignedIn{}, domainError(signErr, credentialCodes)
	}
	// The staff member is the actor of their own sign-in: what a failure
	// records is that someone tried their id.
	if _, err := h.d.appendChanges(ctx, credential.Stream(id), expected(hist), p.Actor(), p.Project, p.District, chain{}, now, c.Changes()); err != nil {
		return SignedIn{}, err
	}
	if signErr != nil {
		return SignedIn{}, errSignIn
	}
	return out, nil
}

// SignOut revokes the token the caller signed in with, whatever their role.
func (h *CredentialHandlers) SignOut(ctx context.Context, m Meta, tokenID string) error {
	r := RevokeToken{TokenID: tokenID, Reason: "signed out"}
	if _, err := (RevokeTokenHandler{h.d}).handle(ctx, m, r); err != nil {
		return err
	}
	h.revoked(tokenID)
	return nil
}
