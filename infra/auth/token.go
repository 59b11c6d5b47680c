// Package auth issues and verifies the bearer tokens that carry a
// principal: staff id, role, project and district. Tokens are HS256 JWTs
// signed with a key kept in the data directory (or given explicitly, so
// several servers behind a load balancer share it).
package auth

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/butler-pm/butler/commands"
)

// KeyFile is the signing key's file name inside the data directory.
const KeyFile = "token.key"

// LoadOrCreateKey reads the signing key at path, creating a random 32-byte
// key (mode 0600) when the file does not exist yet.
func LoadOrCreateKey(path string) ([]byte, error) {
	key, err := os.ReadFile(path)
	if err == nil {
		if len(key) < 32 {
			return nil, fmt.Errorf("token key %s is shorter than 32 bytes", path)
		}
		return key, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("reading token key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("creating token key directory: %w", err)
	}
	key = make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		// Another process created it first: use theirs.
		return LoadOrCreateKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("creating token key: %w", err)
	}
	if _, err := f.Write(key); err != nil {
		f.Close()
		return nil, fmt.Errorf("writing token key: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("syncing token key: %w", err)
	}
	return key, f.Close()
}

type claims struct {
	Role     string `json:"role"`
	Project  string `json:"project"`
	District string `json:"district,omitempty"`
	jwt.RegisteredClaims
}

// DefaultMaxTTL is the longest a token may be valid unless configured
// otherwise: a token is issued for at most this long, and one claiming a
// longer life is refused.
const DefaultMaxTTL = 30 * 24 * time.Hour

// Revocations is the set of revoked token ids (jti), fed from the
// revocation events; an Issuer refuses every token in it.
type Revocations struct {
	mu  sync.RWMutex
	ids map[string]struct{}
}

// NewRevocations returns an empty set.
func NewRevocations() *Revocations { return &Revocations{ids: map[string]struct{}{}} }

// Add records that the token id is revoked.
func (r *Revocations) Add(jti string) {
	r.mu.Lock()
	r.ids[jti] = struct{}{}
	r.mu.Unlock()
}

// Revoked reports whether the token id is revoked.
func (r *Revocations) Revoked(jti string) bool {
	if r == nil {
		return false
	}
	r.mu.RLock()
	_, ok := r.ids[jti]
	r.mu.RUnlock()
	return ok
}

// Len is how many token ids are revoked.
func (r *Revocations) Len() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.ids)
}

// Option tunes an Issuer.
type Option func(*Issuer)

// WithMaxTTL sets the longest lifetime a token may have (default
// DefaultMaxTTL), at issue and at verification.
func WithMaxTTL(d time.Duration) Option { return func(i *Issuer) { i.maxTTL = d } }

// WithRevocations makes Verify refuse the tokens revoked in r.
func WithRevocations(r *Revocations) Option { return func(i *Issuer) { i.revoked = r } }

// Issuer signs and verifies tokens with one key.
type Issuer struct {
	key     []byte
	now     func() time.Time
	maxTTL  time.Duration
	revoked *Revocations

	// verified remembers tokens already verified (by their exact text)
	// until they expire: a client sends the same token with every request,
	// and parsing and checking it again was a measurable share of a
	// command's CPU. Bounded: it is emptied when full.
	mu       sync.Mutex
	verified map[string]verifiedToken
}

type verifiedToken struct {
	p       commands.Principal
	jti     string
	expires time.Time
}

// verifiedCacheSize bounds the verified-token cache (a few hundred KiB).
const verifiedCacheSize = 4096

// NewIssuer returns an issuer for key; now is the clock (nil: time.Now).
func NewIssuer(key []byte, now func() time.Time, opts ...Option) *Issuer {
	if now == nil {
		now = time.Now
	}
	i := &Issuer{key: key, now: now, maxTTL: DefaultMaxTTL, verified: map[string]verifiedToken{}}
	for _, o := range opts {
		o(i)
	}
	return i
}

// Issue signs a token for p valid for ttl (positive, at most the maximum
// lifetime), with a new random id (jti) to revoke it by.
func (i *Issuer) Issue(p commands.Principal, ttl time.Duration) (string, error) {
	if err := Validate(p); err != nil {
		return "", err
	}
	if ttl <= 0 || ttl > i.maxTTL {
		return "", fmt.Errorf("a token is valid for a positive time of at most %s (asked: %s)", i.maxTTL, ttl)
	}
	now := i.now()
	c := claims{
		Role: p.Role, Project: p.Project, District: p.District,
		RegisteredClaims: jwt.RegisteredClaims{
			ID:        uuid.NewString(),
			Subject:   p.StaffID,
			Issuer:    "butler",
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
		},
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(i.key)
}

// Claims are what a token says about itself.
type Claims struct {
	ID        string
	Principal commands.Principal
	Expires   time.Time
}

// Inspect checks a token's signature (not its expiry, lifetime or
// revocation) and returns its claims: what a revocation needs.
func (i *Issuer) Inspect(token string) (Claims, error) {
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return i.key, nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithIssuer("butler"), jwt.WithoutClaimsValidation())
	if err != nil {
		return Claims{}, err
	}
	if c.ID == "" {
		return Claims{}, errors.New("the token has no id (jti): it was issued by an older Butler and is refused anyway")
	}
	var exp time.Time
	if c.ExpiresAt != nil {
		exp = c.ExpiresAt.Time
	}
	return Claims{ID: c.ID, Expires: exp,
		Principal: commands.Principal{StaffID: c.Subject, Role: c.Role, Project: c.Project, District: c.District}}, nil
}

// Verify checks a token's signature and expiry and returns its principal.
// A token verified before is accepted from memory until its expiry.
func (i *Issuer) Verify(token string) (commands.Principal, error) {
	now := i.now()
	i.mu.Lock()
	v, ok := i.verified[token]
	i.mu.Unlock()
	if ok && now.Before(v.expires) {
		if i.revoked.Revoked(v.jti) {
			return commands.Principal{}, ErrRevoked
		}
		return v.p, nil
	}
	v, err := i.verify(token)
	if err != nil {
		return commands.Principal{}, err
	}
	if i.revoked.Revoked(v.jti) {
		return commands.Principal{}, ErrRevoked
	}
	i.mu.Lock()
	if len(i.verified) >= verifiedCacheSize {
		clear(i.verified)
	}
	i.verified[token] = v
	i.mu.Unlock()
	return v.p, nil
}

// ErrRevoked is a token that was revoked.
var ErrRevoked = errors.New("the token was revoked")

func (i *Issuer) verify(token string) (verifiedToken, error) {
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return i.key, nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithIssuer("butler"), jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(i.now))
	if err != nil {
		return verifiedToken{}, err
	}
	if c.ID == "" {
		return verifiedToken{}, errors.New("the token has no id (jti): issue a new one")
	}
	// WithExpirationRequired: ExpiresAt is set.
	if c.IssuedAt == nil {
		return verifiedToken{}, errors.New("the token has no issue time (iat)")
	}
	// A minute's grace for servers whose clocks differ a little.
	if c.IssuedAt.After(i.now().Add(time.Minute)) {
		return verifiedToken{}, errors.New("the token was issued in the future")
	}
	if life := c.ExpiresAt.Sub(c.IssuedAt.Time); life <= 0 || life > i.maxTTL {
		return verifiedToken{}, fmt.Errorf("the token claims a lifetime of %s; at most %s is accepted", life, i.maxTTL)
	}
	p := commands.Principal{StaffID: c.Subject, Role: c.Role, Project: c.Project, District: c.District}
	if err := Validate(p); err != nil {
		return verifiedToken{}, err
	}
	return verifiedToken{p: p, jti: c.ID, expires: c.ExpiresAt.Time}, nil
}

// Validate checks that a principal is complete: a known role, a staff id,
// a project, and a district unless the role acts across the project.
func Validate(p commands.Principal) error {
	var errs []error
	if p.StaffID == "" {
		errs = append(errs, errors.New("staff id is required"))
	}
	if !commands.ValidRole(p.Role) {
		errs = append(errs, fmt.Errorf("unknown role %q (known: %v)", p.Role, commands.Roles))
	}
	if p.Project == "" {
		errs = append(errs, errors.New("project is required"))
	}
	if p.District == "" && !p.ProjectWide() {
		errs = append(errs, fmt.Errorf("role %q acts in one district: district is required", p.Role))
	}
	return errors.Join(errs...)
}
