package district

import (
	"errors"
	"testing"
	"time"
)

func TestRegister(t *testing.T) {
	r := New("p1")
	now := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	if err := r.Add("d1", "东区", now); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		code, name string
		want       error
	}{{"d1", "东区", ErrRegistered}, {"../../x", "x", ErrCode}, {"", "x", ErrCode}, {"d 2", "x", ErrCode}, {"d2", " ", ErrName}} {
		if err := r.Add(c.code, c.name, now); !errors.Is(err, c.want) {
			t.Errorf("Add(%q, %q) = %v, want %v", c.code, c.name, err, c.want)
		}
	}
	if err := r.Add(" d2 ", "西区", now); err != nil || !r.Has("d2") || r.Name("d2") != "西区" || len(r.Changes()) != 2 {
		t.Fatalf("d2: %v %v", err, r.Codes())
	}
}
