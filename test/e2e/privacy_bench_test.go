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
// that sees it masked (nothing recorded); and a command's latency while 8
// readers record their reads at the same time. Run with
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
	for _, readers := range []int{0, 8} {
		b.Run("command-with-readers-"+string(rune('0'+readers)), func(b *testing.B) {
			stop := make(chan struct{})
			var wg sync.WaitGroup
			for i := 0; i < readers; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					tok := s.Token("supervisor", "s-00"+string(rune('1'+i)), "p1", "")
					for {
						select {
						case <-stop:
							return
						default:
							s.Do("GET", "/api/v1/complaints/"+cid, tok, nil)
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
