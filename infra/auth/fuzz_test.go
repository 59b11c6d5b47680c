package auth

import (
	"strings"
	"testing"
	"time"
)

// FuzzVerify: any text as a bearer token is refused with an error or
// accepted with a complete principal; never a panic. Seeds:
// testdata/fuzz/FuzzVerify/ (the valid seed is signed with the fuzz key,
// "k" × 32, and expires in 2027; the clock is fixed before that).
func FuzzVerify(f *testing.F) {
	key := []byte(strings.Repeat("k", 32))
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	iss := NewIssuer(key, func() time.Time { return now }, WithRevocations(NewRevocations()))
	f.Fuzz(func(t *testing.T, token string) {
		p, err := iss.Verify(token)
		if err == nil {
			if verr := Validate(p); verr != nil {
				t.Fatalf("accepted an incomplete principal %+v: %v", p, verr)
			}
		}
		if c, err := iss.Inspect(token); err == nil && c.ID == "" {
			t.Fatalf("Inspect accepted a token without an id: %+v", c)
		}
	})
}
