package httpapi

import (
	"net/http"
	"testing"

	"github.com/butler-pm/butler/domain/apperr"
)

// Every kind has its own status, so a client can tell them apart without
// reading the code string.
func TestEveryKindHasItsOwnStatus(t *testing.T) {
	seen := map[int]apperr.Kind{}
	for _, k := range apperr.Kinds() {
		s, ok := statuses[k]
		if !ok {
			t.Errorf("kind %s has no HTTP status", k)
			continue
		}
		if other, dup := seen[s]; dup {
			t.Errorf("kinds %s and %s share status %d", k, other, s)
		}
		seen[s] = k
		if got := statusOf(&apperr.Error{Kind: k}); got != s {
			t.Errorf("statusOf(%s) = %d, want %d", k, got, s)
		}
	}
	if got := statusOf(&apperr.Error{Kind: apperr.Kind(99)}); got != http.StatusInternalServerError {
		t.Errorf("an unknown kind answers %d, want 500", got)
	}
}
