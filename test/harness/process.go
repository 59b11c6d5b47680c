package harness

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The real binary, for the tests that kill it: build it once with Binary,
// run `butler serve` with StartProcess, talk to it with Do.

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// Binary builds the real program once per test run.
func Binary(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "butler-crash-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "butler")
		cmd := exec.Command("go", "build", "-o", binPath, "github.com/butler-pm/butler/cmd/butler")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

var servingLine = regexp.MustCompile(`msg="butler is serving" addr=(\S+)`)

// process is the real binary running `butler serve`.
type Process struct {
	Cmd    *exec.Cmd
	URL    string
	mu     sync.Mutex
	stderr bytes.Buffer // the log, for failure messages
	exited chan struct{}
}

var client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

func StartProcess(t testing.TB, bin, dir string, extra ...string) *Process {
	t.Helper()
	// The tests' clients send faster than people: no rate limits.
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--data", dir, "--policy-interval", "1h",
		"--rate-address", "off", "--rate-token", "off"}, extra...)...)
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &Process{Cmd: cmd, exited: make(chan struct{})}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.stderr.WriteString(line + "\n")
			p.mu.Unlock()
			if m := servingLine.FindStringSubmatch(line); m != nil {
				addr <- m[1]
			}
		}
	}()
	go func() {
		_ = cmd.Wait()
		close(p.exited)
	}()
	select {
	case a := <-addr:
		p.URL = "http://" + a
		return p
	case <-p.exited:
		t.Fatalf("butler serve exited before serving:\n%s", p.Log())
	case <-time.After(60 * time.Second):
		p.Kill()
		t.Fatalf("butler serve did not start within 60 s:\n%s", p.Log())
	}
	return nil
}

func (p *Process) Log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.stderr.String()
	if len(s) > 8000 {
		s = "…" + s[len(s)-8000:]
	}
	return s
}

// Exited is closed when the process has ended.
func (p *Process) Exited() <-chan struct{} { return p.exited }

// Kill sends SIGKILL and waits for the process to be gone.
func (p *Process) Kill() {
	_ = p.Cmd.Process.Signal(syscall.SIGKILL)
	<-p.exited
}

// stop sends SIGTERM and reports whether the process exited cleanly.
func (p *Process) Stop(t testing.TB) {
	t.Helper()
	_ = p.Cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		p.Kill()
		t.Fatalf("butler did not exit within 30 s of SIGTERM:\n%s", p.Log())
	}
	if st := p.Cmd.ProcessState; st == nil || !st.Success() {
		t.Fatalf("butler did not exit cleanly on SIGTERM (%v):\n%s", st, p.Log())
	}
}

type Answer struct {
	Status int
	Body   map[string]any
	Raw    []byte
}

func (p *Process) Do(method, path, tok string, body any) (Answer, error) {
	var r io.Reader
	if body != nil {
		buf, _ := json.Marshal(body)
		r = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, p.URL+path, r)
	if err != nil {
		return Answer{}, err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		return Answer{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return Answer{}, err
	}
	a := Answer{Status: resp.StatusCode, Raw: raw}
	_ = json.Unmarshal(raw, &a.Body)
	return a, nil
}

func IssueToken(t testing.TB, bin, dir string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, append([]string{"token", "issue", "--data", dir}, args...)...).Output()
	if err != nil {
		t.Fatalf("token issue: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// waitCaughtUp waits until every projection has reached the head of $all.
func (p *Process) WaitCaughtUp(t testing.TB, tok string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last []byte
	for time.Now().Before(deadline) {
		a, err := p.Do(http.MethodGet, "/api/v1/admin/projections", tok, nil)
		if err == nil && a.Status == http.StatusOK {
			last = a.Raw
			done := true
			list, _ := a.Body["projections"].([]any)
			for _, x := range list {
				m, _ := x.(map[string]any)
				if m["checkpoint"].(float64) < m["head"].(float64) {
					done = false
				}
			}
			if done && len(list) > 0 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("projections did not catch up within %s: %s\n%s", timeout, last, p.Log())
}
