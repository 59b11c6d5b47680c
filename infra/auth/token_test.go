package auth

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/butler-pm/butler/commands"
)

func TestIssueVerifyRoundTrip(t *testing.T) {
	t.Parallel()
	key, err := LoadOrCreateKey(filepath.Join(t.TempDir(), KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	iss := NewIssuer(key, nil)
	p := commands.Principal{StaffID: "s-001", Role: commands.RoleButler, Project: "p1", District: "d1"}
	tok, err := iss.Issue(p, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	got, err := iss.Verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	if got != p {
		t.Fatalf("verify: got %+v, want %+v", got, p)
	}
}

func TestKeyIsStableAcrossLoads(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), KeyFile)
	k1, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(k1) != string(k2) {
		t.Fatal("second load returned a different key: tokens issued before a restart would stop working")
	}
}

func TestVerifyRefuses(t *testing.T) {
	t.Parallel()
	key := []byte(strings.Repeat("k", 32))
	other := []byte(strings.Repeat("o", 32))
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	iss := NewIssuer(key, func() time.Time { return now })
	p := commands.Principal{StaffID: "s", Role: commands.RoleSupervisor, Project: "p"}
	tok, err := iss.Issue(p, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewIssuer(other, func() time.Time { return now }).Verify(tok); err == nil {
		t.Error("a token signed with another key was accepted")
	}
	if _, err := NewIssuer(key, func() time.Time { return now.Add(2 * time.Minute) }).Verify(tok); err == nil {
		t.Error("an expired token was accepted")
	}
	if _, err := iss.Verify(tok[:len(tok)-2]); err == nil {
		t.Error("a truncated token was accepted")
	}
}

func TestIssueRefusesIncompletePrincipals(t *testing.T) {
	t.Parallel()
	iss := NewIssuer([]byte(strings.Repeat("k", 32)), nil)
	for name, p := range map[string]commands.Principal{
		"unknown role":            {StaffID: "s", Role: "janitor", Project: "p", District: "d"},
		"butler without district": {StaffID: "s", Role: commands.RoleButler, Project: "p"},
		"no project":              {StaffID: "s", Role: commands.RoleSupervisor},
		"no staff":                {Role: commands.RoleSupervisor, Project: "p"},
	} {
		if _, err := iss.Issue(p, time.Hour); err == nil {
			t.Errorf("%s: token issued", name)
		}
	}
}

// A token accepted once (and remembered) is still refused after it expires,
// and remembering one token does not let an altered copy through.
func TestVerifiedTokensAreRememberedOnlyUntilExpiry(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	iss := NewIssuer([]byte(strings.Repeat("k", 32)), clock)
	p := commands.Principal{StaffID: "s", Role: commands.RoleButler, Project: "p", District: "d"}
	tok, err := iss.Issue(p, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second time from memory
		if got, err := iss.Verify(tok); err != nil || got != p {
			t.Fatalf("verify: %+v, %v", got, err)
		}
	}
	// Alter one signature character well before its end (the last one
	// carries unused padding bits).
	b := []byte(tok)
	if b[len(b)-5] == 'A' {
		b[len(b)-5] = 'B'
	} else {
		b[len(b)-5] = 'A'
	}
	forged := string(b)
	if _, err := iss.Verify(forged); err == nil {
		t.Error("a token with an altered signature was accepted after the genuine one was verified")
	}
	mu.Lock()
	now = now.Add(time.Minute + time.Second)
	mu.Unlock()
	if _, err := iss.Verify(tok); err == nil {
		t.Error("a remembered token was accepted after its expiry")
	}
}

// A token lives at most the maximum lifetime: longer or non-positive TTLs
// are refused at issue, and so is a token claiming a longer life at
// verification.
func TestMaximumLifetime(t *testing.T) {
	t.Parallel()
	key := []byte(strings.Repeat("k", 32))
	p := commands.Principal{StaffID: "s", Role: commands.RoleSupervisor, Project: "p"}
	iss := NewIssuer(key, nil)
	for _, ttl := range []time.Duration{-time.Hour, 0, DefaultMaxTTL + time.Second, 87600 * time.Hour} {
		if _, err := iss.Issue(p, ttl); err == nil {
			t.Errorf("ttl %s was issued", ttl)
		}
	}
	long, err := NewIssuer(key, nil, WithMaxTTL(60*24*time.Hour)).Issue(p, 45*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := iss.Verify(long); err == nil {
		t.Error("a token living 45 days was accepted with a 30-day maximum")
	}
	if _, err := NewIssuer(key, nil, WithMaxTTL(60*24*time.Hour)).Verify(long); err != nil {
		t.Errorf("with a 60-day maximum: %v", err)
	}
}

// A revoked token is refused, even when it was verified (and cached)
// before; others are not.
func TestRevokedTokensAreRefused(t *testing.T) {
	t.Parallel()
	key := []byte(strings.Repeat("k", 32))
	revoked := NewRevocations()
	iss := NewIssuer(key, nil, WithRevocations(revoked))
	p := commands.Principal{StaffID: "s", Role: commands.RoleSupervisor, Project: "p"}
	tok, _ := iss.Issue(p, time.Hour)
	other, _ := iss.Issue(p, time.Hour)
	if _, err := iss.Verify(tok); err != nil {
		t.Fatal(err)
	}
	c, err := iss.Inspect(tok)
	if err != nil || c.ID == "" || c.Principal != p {
		t.Fatalf("inspect: %+v %v", c, err)
	}
	if o, _ := iss.Inspect(other); o.ID == c.ID {
		t.Fatal("two tokens share an id")
	}
	revoked.Add(c.ID)
	if _, err := iss.Verify(tok); err != ErrRevoked {
		t.Fatalf("revoked token: %v", err)
	}
	if _, err := iss.Verify(other); err != nil {
		t.Fatalf("another token: %v", err)
	}
}
