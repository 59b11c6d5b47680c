package token_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/token"
)

func TestRevoke(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for name, id := range map[string]string{"empty": "", "blank": "  ", "too long": strings.Repeat("x", 65)} {
		if _, err := token.Revoke(id, "", now); !errors.Is(err, token.ErrTokenIDMissing) {
			t.Errorf("%s: got %v, want ErrTokenIDMissing", name, err)
		}
	}
	r, err := token.Revoke(" 0190-abc ", " 离职 ", now)
	if err != nil || r.TokenID != "0190-abc" || r.Reason != "离职" || !r.At.Equal(now) {
		t.Fatalf("revoke: %+v %v", r, err)
	}
	p, err := token.Decode(token.TypeRevoked, []byte(`{"jti":"x","at":"2026-03-02T09:00:00Z"}`))
	if err != nil || p.(token.Revoked).TokenID != "x" {
		t.Fatalf("decode: %+v %v", p, err)
	}
}
