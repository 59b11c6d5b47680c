package e2e

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/butler-pm/butler/test/harness"
)

// BenchmarkPersonalDataRead measures what the access record costs a read:
// a complaint's detail read by a role that sees the owner (one
// personaldata.read.v1 appended, fsynced, before the answer) and by one
// that sees it masked (nothing recorded); and a command's latency alone,
// and while 8 readers read without pause, masked (nothing recorded) or
// unmasked (each read recorded): the difference of the last two is what
// the records cost commands, beyond the reads' own load. Run with
// go test ./test/e2e/ -run '^$' -bench PersonalDataRead -benchtime 500x
func BenchmarkPersonalDataRead(b *testing.B) {
	s := harness.Start(b, harness.Options{})
	butler := s.Token("butler", "b-001", "p1", "d1")
	cid := s.Must(http.StatusCreated, "POST", "/api/v1/complaints", butler, map[string]any{
		"unit": privUnit, "owner": privOwner, "phone": privPhone, "category": "噪音", "description": "噪音", "soothing": "已致歉"}).JSON["id"].(string)
	s.WaitFor("/api/v1/complaints/"+cid, butler, func(map[string]any) error { return nil })
	for _, c := range []struct{ name, role string }{{"unmasked-recorded", "supervisor"}, {"masked-not-recorded", "analyst"}} {
		tok := s.Token(c.role, "x-001", "p1", "")
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				s.Must(http.StatusOK, "GET", "/api/v1/complaints/"+cid, tok, nil)
			}
		})
	}
	for _, rc := range []struct {
		name    string
		readers int
		role    string
		pause   time.Duration
	}{{"command-alone", 0, "", 0},
		{"command-with-8-masked-readers-at-25/s-each", 8, "analyst", 40 * time.Millisecond},
		{"command-with-8-recorded-readers-at-25/s-each", 8, "supervisor", 40 * time.Millisecond},
		{"command-with-8-masked-readers-flat-out", 8, "analyst", 0},
		{"command-with-8-recorded-readers-flat-out", 8, "supervisor", 0}} {
		readers := rc.readers
		b.Run(rc.name, func(b *testing.B) {
			stop := make(chan struct{})
			var wg sync.WaitGroup
			for i := 0; i < readers; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					tok := s.Token(rc.role, "r-00"+string(rune('1'+i)), "p1", "")
					for {
						select {
						case <-stop:
							return
						default:
							s.Do("GET", "/api/v1/complaints/"+cid, tok, nil)
							time.Sleep(rc.pause)
						}
					}
				}()
			}
			time.Sleep(100 * time.Millisecond)
			for b.Loop() {
				s.Must(http.StatusOK, "POST", "/api/v1/complaints/"+cid+"/follow-up", butler, map[string]any{"channel": "phone", "note": "跟进"})
			}
			close(stop)
			wg.Wait()
		})
	}
}
