package archive_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/butler-pm/butler/domain/archive"
	"github.com/butler-pm/butler/domain/event"
)

func TestFileComplaintRecord(t *testing.T) {
	t.Parallel()
	now := t0.Add(time.Hour)
	rec := archive.ComplaintRecord{Document: "投诉处理记录 c1 #1", ComplaintID: "c1", Unit: "3-2-501", Entry: 1,
		Kind: "communication", Channel: "phone", Note: "电话告知进度", RecordedAt: t0}
	filed := archive.ComplaintRecordFiled{Document: "投诉处理记录 c1 #1", ComplaintID: "c1", Entry: 1, Kind: "communication",
		Channel: "phone", Note: "电话告知进度", RecordedAt: t0, At: now}
	otherUnit, noNote := rec, rec
	otherUnit.Unit = "9-9-909"
	noNote.Note = " "
	tests := []struct {
		name  string
		given []event.Payload
		r     archive.ComplaintRecord
		then  []event.Payload
		err   error
	}{
		{"R-C6 a complaint's call goes into the owner's archive", []event.Payload{opened}, rec, []event.Payload{filed}, nil},
		{"R-C6 once", []event.Payload{opened, filed}, rec, nil, archive.ErrDuplicateDocument},
		{"R-C6 only into the archive of the complaint's unit", []event.Payload{opened}, otherUnit, nil, archive.ErrComplaintWrongHousehold},
		{"R-C6 a record says what was said", []event.Payload{opened}, noNote, nil, archive.ErrComplaintRecordIncomplete},
		{"not into a lost archive", []event.Payload{opened, archive.Lost{Accountable: "ar-1", Reason: "遗失", At: t0}}, rec, nil, archive.ErrLost},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := archive.FromHistory(tt.given)
			if err != nil {
				t.Fatal(err)
			}
			if err := a.FileComplaintRecord(tt.r, now); !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if got := a.Changes(); !reflect.DeepEqual(got, tt.then) && len(got)+len(tt.then) > 0 {
				t.Fatalf("then = %#v, want %#v", got, tt.then)
			}
		})
	}
	data, _ := json.Marshal(filed)
	if p, err := archive.Decode(archive.TypeComplaintRecordFiled, data); err != nil || !reflect.DeepEqual(p, event.Payload(filed)) {
		t.Fatalf("round trip: %v %#v", err, p)
	}
}
