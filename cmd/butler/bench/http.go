package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/butler-pm/butler/cmd/butler/app"
	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/domain/complaint"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/infra/auth"
)

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// httpBench sends commands to a running program as a butler would.
type httpBench struct {
	url    string
	token  string
	client *http.Client
}

func newHTTPBench(dataDir, url string) (*httpBench, error) {
	key, err := auth.LoadOrCreateKey(filepath.Join(dataDir, auth.KeyFile))
	if err != nil {
		return nil, err
	}
	tok, err := auth.NewIssuer(key, nil).Issue(commands.Principal{StaffID: "b-001", Role: commands.RoleButler, Project: "p1", District: "d1"}, time.Hour)
	if err != nil {
		return nil, err
	}
	return &httpBench{url: url, token: tok, client: &http.Client{Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}}}, nil
}

// post sends one command and decodes {"id","revision"}.
func (h *httpBench) post(ctx context.Context, path string, body any) (commands.Result, int, error) {
	buf, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url+path, bytes.NewReader(buf))
	if err != nil {
		return commands.Result{}, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+h.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := h.client.Do(req)
	if err != nil {
		return commands.Result{}, 0, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return commands.Result{}, resp.StatusCode, err
	}
	if resp.StatusCode/100 != 2 {
		return commands.Result{}, resp.StatusCode, fmt.Errorf("POST %s: %d %s", path, resp.StatusCode, raw)
	}
	var r commands.Result
	return r, resp.StatusCode, json.Unmarshal(raw, &r)
}

// command is one client's next command: a registration, then follow-ups on
// it (a record gets a few events, as in real use).
type client struct {
	h  *httpBench
	id string
	n  int
}

func (c *client) next(ctx context.Context) (commands.Result, string, error) {
	if c.id == "" || c.n >= 4 {
		r, _, err := c.h.post(ctx, "/api/v1/complaints", map[string]any{"unit": "3-2-501", "owner": "王秀英", "phone": "13812345678",
			"category": "漏水", "description": "业主反映楼上卫生间漏水，天花板渗水严重", "soothing": "已向业主致歉并安抚情绪"})
		if err != nil {
			return r, "", err
		}
		c.id, c.n = r.ID, 0
		return r, complaint.Stream(r.ID), nil
	}
	c.n++
	r, _, err := c.h.post(ctx, "/api/v1/complaints/"+c.id+"/follow-up", map[string]any{"channel": "phone", "note": "电话告知业主师傅明天上门"})
	return r, complaint.Stream(c.id), err
}

// closedLoop runs clients that each send the next command as soon as the
// last was answered, for d; it returns latencies, errors and commands/s.
func (h *httpBench) closedLoop(ctx context.Context, clients int, d time.Duration) ([]time.Duration, int, float64) {
	var mu sync.Mutex
	var all []time.Duration
	var errs atomic.Int64
	var wg sync.WaitGroup
	deadline := time.Now().Add(d)
	start := time.Now()
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &client{h: h}
			var lat []time.Duration
			for time.Now().Before(deadline) {
				t := time.Now()
				if _, _, err := c.next(ctx); err != nil {
					errs.Add(1)
					c.id = ""
					continue
				}
				lat = append(lat, time.Since(t))
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return all, int(errs.Load()), float64(len(all)) / time.Since(start).Seconds()
}

// paced sends commands at a steady total rate from clients concurrent
// clients for d (an open loop: a slow answer does not slow the next
// send) and returns each command's latency and the rate achieved.
func (h *httpBench) paced(ctx context.Context, clients, rate int, d time.Duration) ([]time.Duration, int, float64) {
	var mu sync.Mutex
	var all []time.Duration
	var errs atomic.Int64
	jobs := make(chan time.Time, rate)
	var wg sync.WaitGroup
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &client{h: h}
			var lat []time.Duration
			for due := range jobs {
				if _, _, err := c.next(ctx); err != nil {
					errs.Add(1)
					c.id = ""
					continue
				}
				// From when it was due: time spent waiting for a free
				// client counts, as it would for a real caller.
				lat = append(lat, time.Since(due))
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		}()
	}
	start := time.Now()
	interval := time.Second / time.Duration(rate)
	for i := 0; ; i++ {
		at := start.Add(time.Duration(i) * interval)
		if at.Sub(start) >= d {
			break
		}
		time.Sleep(time.Until(at))
		jobs <- at
	}
	close(jobs)
	wg.Wait()
	return all, int(errs.Load()), float64(len(all)) / time.Since(start).Seconds()
}

// lag sends commands at a steady rate and measures, for each, the time
// from its acknowledgement (committed) to the moment every read model has
// applied its position (searchable).
func (h *httpBench) lag(ctx context.Context, a *app.App, rate int, d time.Duration) ([]time.Duration, float64, error) {
	type pending struct {
		pos   event.Position
		acked time.Time
	}
	var mu sync.Mutex
	var waiting []pending
	var lags []time.Duration
	var sent atomic.Int64
	jobs := make(chan struct{}, rate)
	var wg sync.WaitGroup
	for i := 0; i < 64; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &client{h: h}
			for range jobs {
				r, stream, err := c.next(ctx)
				acked := time.Now()
				if err != nil {
					c.id = ""
					continue
				}
				sent.Add(1)
				recs, err := a.Events().ReadStream(ctx, stream, r.Revision, event.Forward, 1)
				if err != nil || len(recs) == 0 {
					continue
				}
				mu.Lock()
				waiting = append(waiting, pending{recs[0].Position, acked})
				mu.Unlock()
			}
		}()
	}
	stop := make(chan struct{})
	trackerDone := make(chan struct{})
	go func() {
		defer close(trackerDone)
		for {
			select {
			case <-stop:
				return
			case <-time.After(500 * time.Microsecond):
			}
			cp := a.MinCheckpoint()
			now := time.Now()
			mu.Lock()
			kept := waiting[:0]
			for _, p := range waiting {
				if p.pos <= cp {
					lags = append(lags, now.Sub(p.acked))
				} else {
					kept = append(kept, p)
				}
			}
			waiting = kept
			mu.Unlock()
		}
	}()
	start := time.Now()
	interval := time.Second / time.Duration(rate)
	for i := 0; ; i++ {
		at := start.Add(time.Duration(i) * interval)
		if at.Sub(start) >= d {
			break
		}
		time.Sleep(time.Until(at))
		jobs <- struct{}{}
	}
	close(jobs)
	wg.Wait()
	achieved := float64(sent.Load()) / time.Since(start).Seconds()
	// Let the last ones land.
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		left := len(waiting)
		mu.Unlock()
		if left == 0 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(stop)
	<-trackerDone
	mu.Lock()
	defer mu.Unlock()
	if len(waiting) > 0 {
		return lags, achieved, fmt.Errorf("projection lag: %d commands still not searchable 10 s after the run", len(waiting))
	}
	return lags, achieved, nil
}

// waitReady polls /readyz until it answers 200.
func waitReady(ctx context.Context, url string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"/readyz", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	return fmt.Errorf("not ready within %s of restart", timeout)
}

// headOf is the last position of the program's $all.
func headOf(ctx context.Context, a *app.App) event.Position {
	recs, err := a.Events().ReadAll(ctx, event.End, event.Backward, 1)
	if err != nil || len(recs) == 0 {
		return 0
	}
	return recs[0].Position
}
