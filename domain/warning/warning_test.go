package warning_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/warning"
)

var t0 = time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)

func TestIDs(t *testing.T) {
	t.Parallel()
	id := warning.ID("complaint-0198-aa", 3)
	if id != "complaint-0198-aa.3" {
		t.Fatalf("id = %q", id)
	}
	if s, r, ok := warning.ParseID(id); !ok || s != "complaint-0198-aa" || r != 3 {
		t.Fatalf("parse = %q %d %v", s, r, ok)
	}
	for _, bad := range []string{"", "complaint-x", ".3", "complaint-x.", "complaint-x.03", "complaint-x.-1", "complaint-x.a"} {
		if _, _, ok := warning.ParseID(bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestAcknowledge(t *testing.T) {
	t.Parallel()
	raised := warning.Raised{ID: "complaint-c1.4", Source: "complaint-c1", Rule: "R-C4", Project: "p1", District: "d1", At: t0}
	now := t0.Add(90 * time.Minute)
	ack := warning.Acknowledged{WarningID: "complaint-c1.4", Source: "complaint-c1", Rule: "R-C4", Project: "p1", District: "d1",
		By: "pm-001", Note: "明日约谈业主代表", RaisedAt: t0, At: now}
	tests := []struct {
		name  string
		given []event.Payload
		r     warning.Raised
		by    string
		now   time.Time
		then  []event.Payload
		err   error
	}{
		{"R-C4 the project manager acknowledges a warning", nil, raised, "pm-001", now, []event.Payload{ack}, nil},
		{"once only", []event.Payload{ack}, raised, "pm-002", now, nil, warning.ErrAlreadyAcknowledged},
		{"who acknowledges is named", nil, raised, " ", now, nil, warning.ErrNotAWarning},
		{"not before it was raised", nil, raised, "pm-001", t0.Add(-time.Second), nil, warning.ErrAcknowledgedTooEarly},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w, err := warning.FromHistory(tt.given)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Acknowledge(tt.r, tt.by, " 明日约谈业主代表 ", tt.now); !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if got := w.Changes(); !reflect.DeepEqual(got, tt.then) && len(got)+len(tt.then) > 0 {
				t.Fatalf("then = %#v, want %#v", got, tt.then)
			}
		})
	}
	data, _ := json.Marshal(ack)
	if p, err := warning.Decode(warning.TypeAcknowledged, data); err != nil || !reflect.DeepEqual(p, ack) {
		t.Fatalf("round trip: %v %#v", err, p)
	}
}
