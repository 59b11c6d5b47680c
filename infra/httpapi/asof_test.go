package httpapi

import (
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/butler-pm/butler/domain/apperr"
)

// With every fold slot taken, another fold of the log waits a moment and
// is then refused with 503 and Retry-After, not queued without bound.
func TestFoldsOfTheLogAreBounded(t *testing.T) {
	t.Parallel()
	s := &server{folds: make(chan struct{}, 1), foldWait: 20 * time.Millisecond}
	ctx := func() echo.Context {
		return echo.New().NewContext(httptest.NewRequest("GET", "/api/v1/kpis/keys-lost?as_of=2026-03-01", nil), httptest.NewRecorder())
	}
	release, err := s.foldSlot(ctx())
	if err != nil {
		t.Fatal(err)
	}
	c := ctx()
	_, err = s.foldSlot(c)
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Kind != apperr.Unavailable || ae.Code != "as_of_busy" || c.Response().Header().Get("Retry-After") == "" {
		t.Fatalf("a fold beyond the bound: %v, Retry-After %q; want 503 as_of_busy with Retry-After", err, c.Response().Header().Get("Retry-After"))
	}
	release()
	if release, err = s.foldSlot(ctx()); err != nil {
		t.Fatalf("a slot freed is not taken: %v", err)
	}
	release()
}
