package projections_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/projections"
)

// auditEvent is a recorded event of any type, as the log holds it.
func auditEvent(pos event.Position, stream string, rev uint64, typ, staff, role, project, district string, at time.Time) event.Recorded {
	return event.Recorded{Event: event.Event{ID: fmt.Sprintf("ev-%d", pos), Type: typ, Data: json.RawMessage(`{"any":"payload"}`),
		Meta: event.Metadata{Actor: event.Actor{StaffID: staff, Role: role}, Project: project, District: district,
			OccurredAt: at.Add(-time.Minute), CorrelationID: fmt.Sprintf("corr-%d", pos), CausationID: fmt.Sprintf("cause-%d", pos)}},
		Stream: stream, Revision: rev, Position: pos, RecordedAt: at}
}

func TestAuditEventsHoldEveryEventOfAProject(t *testing.T) {
	t.Parallel()
	r := newRig(t, projections.AuditEvents{})
	ctx := context.Background()
	at := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	batch := []event.Recorded{
		auditEvent(1, "complaint-a", 0, "complaint.registered.v1", "b-001", "butler", "p1", "d1", at),
		auditEvent(2, "workorder-b", 0, "workorder.registered.v1", "b-002", "butler", "p1", "d2", at.Add(time.Hour)),
		auditEvent(3, "complaint-a", 1, "complaint.followed_up.v1", "b-001", "butler", "p1", "d1", at.Add(2*time.Hour)),
		// A type no read model knows, a system actor, another project, no project.
		auditEvent(4, "novel-c", 0, "novel.happened.v9", "system", "system", "p1", "d1", at.Add(3*time.Hour)),
		auditEvent(5, "complaint-x", 0, "complaint.registered.v1", "b-101", "butler", "p2", "d1", at.Add(4*time.Hour)),
		auditEvent(6, "system-y", 0, "system.noted.v1", "system", "system", "", "", at.Add(5*time.Hour)),
	}
	if err := r.runs[0].HandleBatch(ctx, batch[:3]); err != nil {
		t.Fatal(err)
	}
	if err := r.runs[0].HandleBatch(ctx, batch[3:]); err != nil {
		t.Fatal(err)
	}

	var got projections.AuditEvent
	r.doc(projections.AuditEventsIndex, "ev-3", &got)
	want := projections.AuditEvent{ID: "ev-3", Position: 3, Stream: "complaint-a", Revision: 1, Type: "complaint.followed_up.v1",
		Actor: "b-001", Role: "butler", Project: "p1", District: "d1", OccurredAt: at.Add(2*time.Hour - time.Minute),
		RecordedAt: at.Add(2 * time.Hour), CorrelationID: "corr-3", CausationID: "cause-3",
		Seq: "00000000000000000003", At: "2026-07-01T11:00:00.000000000Z"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("document\n%+v, want\n%+v", got, want)
	}
	// The JSON names are the ones the audit feed and its proofs read.
	raw, err := r.store.Get(ctx, projections.AuditEventsIndex, "ev-3")
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	if err := json.Unmarshal(raw.Source, &fields); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"id", "position", "stream", "revision", "type", "actor", "role", "project", "district",
		"occurred_at", "recorded_at", "correlation_id", "causation_id"} {
		if _, ok := fields[f]; !ok {
			t.Errorf("document has no %q: %s", f, raw.Source)
		}
	}
	if _, ok := fields["position"].(float64); !ok {
		t.Errorf("position is not a number: %s", raw.Source)
	}
	if _, err := r.store.Get(ctx, projections.AuditEventsIndex, "ev-6"); !errors.Is(err, projections.ErrNotFound) {
		t.Fatalf("an event without a project is in the feed: %v", err)
	}

	search := func(q projections.Query) []string {
		t.Helper()
		q.Sort = []projections.Sort{{Field: projections.AuditEventFieldPosition}}
		res, err := r.store.Search(ctx, projections.AuditEventsIndex, q)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		return ids
	}
	p1 := func(terms map[string][]string) map[string][]string {
		terms[projections.AuditEventFieldProject] = []string{"p1"}
		return terms
	}
	for name, c := range map[string]struct {
		q    projections.Query
		want []string
	}{
		"the project, by position": {projections.Query{Terms: p1(map[string][]string{})}, []string{"ev-1", "ev-2", "ev-3", "ev-4"}},
		"a stream":                 {projections.Query{Terms: p1(map[string][]string{projections.AuditEventFieldStream: {"complaint-a"}})}, []string{"ev-1", "ev-3"}},
		"a type":                   {projections.Query{Terms: p1(map[string][]string{projections.AuditEventFieldType: {"novel.happened.v9"}})}, []string{"ev-4"}},
		"an actor":                 {projections.Query{Terms: p1(map[string][]string{projections.AuditEventFieldActor: {"b-002"}})}, []string{"ev-2"}},
		"a district":               {projections.Query{Terms: p1(map[string][]string{projections.AuditEventFieldDistrict: {"d1"}})}, []string{"ev-1", "ev-3", "ev-4"}},
		"recorded from 10:00 to 12:00": {projections.Query{Terms: p1(map[string][]string{}),
			Ranges: []projections.Range{projections.AuditTimeRange(at.Add(time.Hour), at.Add(3*time.Hour))}}, []string{"ev-2", "ev-3"}},
		"after position 2": {projections.Query{Terms: p1(map[string][]string{}),
			Ranges: []projections.Range{projections.AuditAfter(2)}}, []string{"ev-3", "ev-4"}},
		"another project": {projections.Query{Terms: map[string][]string{projections.AuditEventFieldProject: {"p2"}}}, []string{"ev-5"}},
	} {
		if got := search(c.q); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %v, want %v", name, got, c.want)
		}
	}

	// A replay (after a rebuild switched generations, or a redelivery) changes nothing.
	if err := r.runs[0].HandleBatch(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if got := search(projections.Query{Terms: p1(map[string][]string{})}); len(got) != 4 {
		t.Fatalf("after a replay: %v", got)
	}
}

// The index name and the fields the feed filters and sorts on are what
// the feed and the proofs rely on.
func TestAuditEventsSchemaIndexesWhatTheFeedFilters(t *testing.T) {
	t.Parallel()
	s := projections.AuditEvents{}.Schema()
	for f, k := range map[string]projections.FieldKind{
		projections.AuditEventFieldPosition: projections.Keyword, projections.AuditEventFieldRecordedAt: projections.Keyword,
		projections.AuditEventFieldProject: projections.Keyword, projections.AuditEventFieldDistrict: projections.Keyword,
		projections.AuditEventFieldStream: projections.Keyword, projections.AuditEventFieldType: projections.Keyword,
		projections.AuditEventFieldActor: projections.Keyword,
	} {
		if s.Fields[f] != k {
			t.Errorf("field %s is indexed as %v, want %v", f, s.Fields[f], k)
		}
	}
	if s.Name != projections.AuditEventsIndex || (projections.AuditEvents{}).Name() != "audit-events" {
		t.Fatalf("index name %q", s.Name)
	}
}
