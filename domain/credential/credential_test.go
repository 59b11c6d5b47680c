package credential_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/credential"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/household"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func issued(code string, at time.Time) credential.ActivationIssued {
	return credential.ActivationIssued{StaffID: "b-001", CodeHash: code, ExpiresAt: at.Add(72 * time.Hour), At: at}
}

var sealed = household.Sealed{KeyID: "k1", Nonce: []byte{1}, Ciphertext: []byte{2}}

func set(code string) credential.PasswordSet {
	return credential.PasswordSet{StaffID: "b-001", CodeHash: code, Hash: sealed, At: t0}
}

func failed(n int, at time.Time) credential.SignInFailed {
	return credential.SignInFailed{StaffID: "b-001", Failures: n, At: at}
}

func TestCredential(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		given []event.Payload
		when  func(c *credential.Credential) error
		then  []string // event types recorded
		err   error
	}{
		{"activation sets the password once", []event.Payload{issued("c1", t0)},
			func(c *credential.Credential) error { return c.Activate("c1", sealed, t0.Add(time.Hour)) },
			[]string{credential.TypePasswordSet}, nil},
		{"a used code is refused", []event.Payload{issued("c1", t0), set("c1")},
			func(c *credential.Credential) error { return c.Activate("c1", sealed, t0.Add(time.Hour)) }, nil, credential.ErrCodeInvalid},
		{"an older code is refused once a new one is issued", []event.Payload{issued("c1", t0), issued("c2", t0)},
			func(c *credential.Credential) error { return c.Activate("c1", sealed, t0.Add(time.Hour)) }, nil, credential.ErrCodeInvalid},
		{"an expired code is refused", []event.Payload{issued("c1", t0)},
			func(c *credential.Credential) error { return c.Activate("c1", sealed, t0.Add(73*time.Hour)) }, nil, credential.ErrCodeExpired},
		{"an activation lasts at most 7 days", nil,
			func(c *credential.Credential) error { return c.IssueActivation("c1", 8*24*time.Hour, t0) }, nil, credential.ErrActivationExpiry},
		{"no sign-in before a password is set", []event.Payload{issued("c1", t0)},
			func(c *credential.Credential) error { return c.SignIn(true, "j", t0, t0) }, nil, credential.ErrNoPassword},
		{"a wrong password is recorded", []event.Payload{issued("c1", t0), set("c1")},
			func(c *credential.Credential) error { return c.SignIn(false, "", time.Time{}, t0) },
			[]string{credential.TypeSignInFailed}, credential.ErrWrongPassword},
		{"after three wrong passwords the next waits a second", []event.Payload{issued("c1", t0), set("c1"), failed(1, t0), failed(2, t0), failed(3, t0)},
			func(c *credential.Credential) error { return c.SignIn(true, "j", t0, t0.Add(500*time.Millisecond)) }, nil, credential.ErrThrottled},
		{"once the wait is over the right password signs in", []event.Payload{issued("c1", t0), set("c1"), failed(1, t0), failed(2, t0), failed(3, t0)},
			func(c *credential.Credential) error { return c.SignIn(true, "j", t0, t0.Add(time.Second)) },
			[]string{credential.TypeSignedIn}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := credential.FromHistory("b-001", tc.given)
			if err != nil {
				t.Fatal(err)
			}
			err = tc.when(c)
			if !errors.Is(err, tc.err) || (tc.err == nil && err != nil) {
				t.Fatalf("error %v, want %v", err, tc.err)
			}
			var got []string
			for _, p := range c.Changes() {
				got = append(got, p.EventType())
			}
			if len(got) != len(tc.then) || (len(got) > 0 && got[0] != tc.then[0]) {
				t.Fatalf("recorded %v, want %v", got, tc.then)
			}
		})
	}
}

func TestWaitDoublesUpToFifteenMinutes(t *testing.T) {
	t.Parallel()
	h := []event.Payload{issued("c1", t0), set("c1")}
	for i := 1; i <= 30; i++ {
		h = append(h, failed(i, t0))
		c, _ := credential.FromHistory("b-001", h)
		want := time.Duration(0)
		if i >= credential.FreeFailures {
			want = min(credential.MaxWait, time.Second<<(i-credential.FreeFailures))
		}
		if got := c.Wait(t0); got != want {
			t.Fatalf("after %d failures wait %s, want %s", i, got, want)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	t.Parallel()
	for pw, ok := range map[string]bool{"short": false, "b-001": false, "正确的马电池订书钉": true, "longenough": true} {
		if err := credential.CheckPassword("b-001", pw); (err == nil) != ok {
			t.Errorf("%q: %v", pw, err)
		}
	}
}

func TestDecodeRoundTrip(t *testing.T) {
	t.Parallel()
	for _, p := range []event.Payload{issued("c1", t0), set("c1"), failed(2, t0), credential.SignedIn{StaffID: "b-001", TokenID: "j", At: t0}} {
		data, _ := json.Marshal(p)
		got, err := credential.Decode(p.EventType(), data)
		if err != nil || got.EventType() != p.EventType() {
			t.Fatalf("%s: %v %v", p.EventType(), got, err)
		}
	}
}
