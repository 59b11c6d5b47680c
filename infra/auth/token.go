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

// Issuer signs and verifies tokens with one key.
type Issuer struct {
	key []byte
	now func() time.Time

	// verified remembers tokens already verified (by their exact text)
	// until they expire: a client sends the same token with every request,
	// and parsing and checking it again was a measurable share of a
	// command's CPU. Bounded: it is emptied when full.
	mu       sync.Mutex
	verified map[string]verifiedToken
}

type verifiedToken struct {
	p       commands.Principal
	expires time.Time
}

// verifiedCacheSize bounds the verified-token cache (a few hundred KiB).
const verifiedCacheSize = 4096

// NewIssuer returns an issuer for key; now is the clock (nil: time.Now).
func NewIssuer(key []byte, now func() time.Time) *Issuer {
	if now == nil {
		now = time.Now
	}
	return &Issuer{key: key, now: now, verified: map[string]verifiedToken{}}
}

// Issue signs a token for p valid for ttl.
func (i *Issuer) Issue(p commands.Principal, ttl time.Duration) (string, error) {
	if err := Validate(p); err != nil {
		return "", err
	}
	now := i.now()
	c := claims{
		Role: p.Role, Project: p.Project, District: p.District,
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   p.StaffID,
			Issuer:    "butler",
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
		},
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(i.key)
}

// Verify checks a token's signature and expiry and returns its principal.
// A token verified before is accepted from memory until its expiry.
func (i *Issuer) Verify(token string) (commands.Principal, error) {
	now := i.now()
	i.mu.Lock()
	v, ok := i.verified[token]
	i.mu.Unlock()
	if ok && now.Before(v.expires) {
		return v.p, nil
	}
	p, expires, err := i.verify(token)
	if err != nil {
		return commands.Principal{}, err
	}
	i.mu.Lock()
	if len(i.verified) >= verifiedCacheSize {
		clear(i.verified)
	}
	i.verified[token] = verifiedToken{p: p, expires: expires}
	i.mu.Unlock()
	return p, nil
}

func (i *Issuer) verify(token string) (commands.Principal, time.Time, error) {
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return i.key, nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithIssuer("butler"), jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(i.now))
	if err != nil {
		return commands.Principal{}, time.Time{}, err
	}
	p := commands.Principal{StaffID: c.Subject, Role: c.Role, Project: c.Project, District: c.District}
	if err := Validate(p); err != nil {
		return commands.Principal{}, time.Time{}, err
	}
	// WithExpirationRequired: ExpiresAt is set.
	return p, c.ExpiresAt.Time, nil
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
