// Package docs runs the shell examples of README.md and docs/**/*.md
// against the real program, so that every command a page shows works when
// a reader copies it.
//
// The conventions the pages follow are written down in docs/README.md
// ("Examples"); in short:
//
//   - A ```sh block is run with bash, in order with the page's other
//     blocks (variables carry over), in a fresh directory holding a link to
//     the checkout (so `go build -o butler ./cmd/butler` works) and ./butler,
//     against a fresh, empty Butler started in-process on port 0 with its
//     data directory in ./data. Every 127.0.0.1:8080 in a block is replaced
//     by the server's real address before it runs.
//   - Every curl answer must be 2xx, unless a line `# expect: NNN` comes
//     before that curl in the block. The number of answers must equal the
//     number of curl commands in the block's text.
//   - ```sh server starts a long-running server: it runs in the background
//     in a fresh directory until /readyz answers 200, then gets SIGTERM and
//     must exit 0.
//   - ```sh ci is the test command: its `go test` lines must be the one
//     .ci/run runs (it is not run here, which would recurse).
//   - ```sh norun is shown, not run (it needs an engine or hours): each
//     `./butler SUB --flag` must name flags `butler SUB -h` lists, and each
//     `go test` must name packages that exist.
package docs

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/butler-pm/butler/cmd/butler/app"
	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/test/harness"
)

// documentedAddr is the address the pages use; the test swaps in its own.
const documentedAddr = "127.0.0.1:8080"

type block struct {
	page  string
	line  int    // of the opening fence, 1-based
	kind  string // "", "server", "ci" or "norun"
	text  string
	curls int   // curl commands in the text
	want  []int // per curl: the expected status, or 0 for any 2xx
}

func (b block) String() string { return fmt.Sprintf("%s:%d", b.page, b.line) }

var (
	fenceOpen  = regexp.MustCompile("^```\\s*(\\S*)\\s*(.*)$")
	curlWord   = regexp.MustCompile(`(^|[\s;&|(])curl\s`)
	expectLine = regexp.MustCompile(`^\s*#\s*expect:\s*(\d{3})\s*$`)
)

// parse returns the page's sh blocks. Other shell dialects are refused, so
// that no example escapes the test by its fence.
func parse(t *testing.T, page, text string) []block {
	var out []block
	var cur *block
	var body []string
	for i, line := range strings.Split(text, "\n") {
		if cur == nil {
			m := fenceOpen.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			switch m[1] {
			case "sh":
				kind := strings.TrimSpace(m[2])
				if kind != "" && kind != "server" && kind != "ci" && kind != "norun" {
					t.Errorf("%s:%d: unknown sh block kind %q (want server, ci or norun)", page, i+1, kind)
				}
				cur, body = &block{page: page, line: i + 1, kind: kind}, nil
			case "bash", "shell", "console", "zsh":
				t.Errorf("%s:%d: a ```%s block: write shell examples as ```sh so that they are tested", page, i+1, m[1])
				cur, body = &block{page: page, line: i + 1, kind: "ignored"}, nil
			default:
				cur, body = &block{page: page, line: i + 1, kind: "other"}, nil
			}
			continue
		}
		if strings.HasPrefix(line, "```") {
			cur.text = strings.Join(body, "\n") + "\n"
			if cur.kind != "other" && cur.kind != "ignored" {
				countCurls(t, cur)
				out = append(out, *cur)
			}
			cur = nil
			continue
		}
		body = append(body, line)
	}
	if cur != nil {
		t.Errorf("%s:%d: fence never closed", page, cur.line)
	}
	return out
}

// countCurls counts the curl commands of a block and attaches each
// `# expect: NNN` to the next one.
func countCurls(t *testing.T, b *block) {
	pending := 0
	for _, line := range strings.Split(b.text, "\n") {
		if m := expectLine.FindStringSubmatch(line); m != nil {
			if pending != 0 {
				t.Errorf("%s: two expect lines before one curl", b)
			}
			pending, _ = strconv.Atoi(m[1])
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		for range curlWord.FindAllStringIndex(line, -1) {
			b.curls++
			b.want = append(b.want, pending)
			pending = 0
		}
	}
	if pending != 0 {
		t.Errorf("%s: `# expect: %d` with no curl after it", b, pending)
	}
}

func repoRoot(t *testing.T) string {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("the repository root %s has no go.mod: %v", root, err)
	}
	return root
}

func pages(t *testing.T, root string) []string {
	out := []string{"README.md"}
	err := filepath.WalkDir(filepath.Join(root, "docs"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".md") {
			rel, _ := filepath.Rel(root, path)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestExamples(t *testing.T) {
	var missing []string
	for _, tool := range []string{"bash", "curl", "jq", "go", "python3", "openssl"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) > 0 {
		if os.Getenv("CI") != "" {
			// .ci/run installs them: their absence there is a broken CI, not a skip.
			t.Fatalf("the documentation's examples need %v on PATH; .ci/run should have installed them", missing)
		}
		t.Skipf("SKIPPED: the documentation's examples need %v on PATH to run; none of them was checked", missing)
	}
	root := repoRoot(t)
	ci := ciTestCommand(t, root)
	total := 0
	for _, page := range pages(t, root) {
		raw, err := os.ReadFile(filepath.Join(root, page))
		if err != nil {
			t.Fatal(err)
		}
		blocks := parse(t, page, string(raw))
		if len(blocks) == 0 {
			continue
		}
		total += len(blocks)
		t.Run(page, func(t *testing.T) {
			t.Parallel()
			runPage(t, root, ci, blocks)
		})
	}
	t.Logf("%d sh blocks", total)
}

// ciTestCommand is the `go test` command .ci/run runs, without its pipe.
func ciTestCommand(t *testing.T, root string) string {
	raw, err := os.ReadFile(filepath.Join(root, ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "#") || !strings.Contains(line, "go test") {
			continue
		}
		if i := strings.Index(line, " 2>&1"); i >= 0 {
			line = line[:i]
		}
		if i := strings.Index(line, " |"); i >= 0 {
			line = line[:i]
		}
		// CI adds -json for its per-package summary (test/testsummary);
		// the command a person runs is the same without it.
		return strings.TrimSuffix(strings.TrimSpace(line), " -json")
	}
	t.Fatal(".ci/run runs no go test")
	return ""
}

// workDir makes a directory that looks like the checkout (every top-level
// entry linked, except what examples create) for the examples to run in.
func workDir(t *testing.T, root string) string {
	dir := t.TempDir()
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		switch e.Name() {
		case ".git", "data", "demo", "butler":
			continue
		}
		if err := os.Symlink(filepath.Join(root, e.Name()), filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type page struct {
	t       *testing.T
	root    string
	dir     string
	binDir  string // the curl wrapper
	state   string // the shell variables carried from block to block
	sync    *httptest.Server
	server  *app.App
	builds  bool // the page builds ./butler itself
	started bool
}

func runPage(t *testing.T, root, ci string, blocks []block) {
	p := &page{t: t, root: root, dir: workDir(t, root), binDir: t.TempDir()}
	p.state = filepath.Join(p.binDir, "state.sh")
	for _, b := range blocks {
		if b.kind == "" && strings.Contains(b.text, "go build -o butler ./cmd/butler") {
			p.builds = true
		}
	}
	if !p.builds {
		// Pages other than the README take ./butler as built.
		if err := os.Symlink(harness.Binary(t), filepath.Join(p.dir, "butler")); err != nil {
			t.Fatal(err)
		}
	}
	count := map[string]int{}
	curls := 0
	for _, b := range blocks {
		ok := true
		switch b.kind {
		case "":
			if strings.Contains(b.text, "butler serve") || strings.Contains(b.text, "go test") {
				// It would never end, or run the suite inside itself.
				t.Errorf("%s: a plain sh block starts a server or the tests: mark it ```sh server, ci or norun", b)
				return
			}
			ok = p.run(b)
			curls += b.curls
		case "server":
			ok = p.serve(b)
		case "ci":
			ok = checkCI(t, p.dir, ci, b)
		case "norun":
			ok = p.check(b)
		}
		if !ok {
			return // later blocks build on this one
		}
		count[b.kind]++
	}
	t.Logf("%d blocks run (%d curl answers checked), %d servers started and stopped, %d test commands checked against .ci/run, %d shown but not run (flags and packages checked)",
		count[""], curls, count["server"], count["ci"], count["norun"])
}

// start runs the in-process server the page's examples talk to.
func (p *page) start() {
	if p.started {
		return
	}
	p.started = true
	t := p.t
	a, err := app.Start(context.Background(), app.Config{
		Addr: "127.0.0.1:0", DataDir: filepath.Join(p.dir, "data"),
		// docs/audit.md's examples wait for a checkpoint: sign every second.
		AuditInterval: time.Second,
		Logger:        slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		t.Fatalf("starting butler: %v", err)
	}
	p.server = a
	t.Cleanup(func() {
		if err := a.Close(context.Background()); err != nil {
			t.Errorf("closing butler: %v", err)
		}
	})
	// Before each call the curl wrapper asks here to wait until every read
	// model has applied every event recorded so far: a reader typing the
	// next command gives the read models the same second.
	p.sync = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
		defer cancel()
		head, err := a.Events().ReadAll(ctx, event.End, event.Backward, 1)
		if err == nil && len(head) > 0 {
			err = a.WaitCaughtUp(ctx, head[0].Position)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(p.sync.Close)
	real, err := exec.LookPath("curl")
	if err != nil {
		t.Fatal(err)
	}
	wrapper := `#!/usr/bin/env bash
# The docs test's curl: waits for the read models, then runs the real curl
# and logs the answer's status.
` + strconv.Quote(real) + ` -fsS -o /dev/null "$BUTLER_DOCS_SYNC" || echo "docs test: read models did not catch up" >&2
err=$(mktemp)
` + strconv.Quote(real) + ` "$@" -w '%{stderr}DOCS-STATUS %{http_code} %{method} %{url_effective}\n' 2>"$err"
rc=$?
grep '^DOCS-STATUS ' "$err" >>"$BUTLER_DOCS_LOG"
grep -v '^DOCS-STATUS ' "$err" >&2
rm -f "$err"
exit $rc
`
	if err := os.WriteFile(filepath.Join(p.binDir, "curl"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
}

// run runs one block in the page's shell state and checks every answer.
func (p *page) run(b block) bool {
	t := p.t
	text := b.text
	if strings.Contains(text, "curl") || strings.Contains(text, documentedAddr) {
		p.start()
		text = strings.ReplaceAll(text, documentedAddr, p.server.Addr())
	}
	log := filepath.Join(p.binDir, "calls.log")
	_ = os.Remove(log)
	script := `set -euo pipefail
__docs_base=" $(compgen -v | tr '\n' ' ') "
if [ -f "$BUTLER_DOCS_STATE" ]; then source "$BUTLER_DOCS_STATE"; fi
` + text + `
for __docs_v in $(compgen -v); do
  case "$__docs_v" in __docs*|BASH*|FUNCNAME|PIPESTATUS|_) continue;; esac
  case "$__docs_base" in *" $__docs_v "*) continue;; esac
  declare -p "$__docs_v"
done >"$BUTLER_DOCS_STATE.new"
mv "$BUTLER_DOCS_STATE.new" "$BUTLER_DOCS_STATE"
`
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", "-c", script)
	cmd.Dir = p.dir
	// TZ: `date` in an example names the project's day and week
	// (Asia/Shanghai, the server's default --timezone), as on the
	// machine of a property company's staff; on a UTC machine between
	// 16:00 and midnight the two days differ.
	cmd.Env = append(os.Environ(), "TZ=Asia/Shanghai",
		"PATH="+p.binDir+string(os.PathListSeparator)+os.Getenv("PATH"),
		"BUTLER_DOCS_LOG="+log, "BUTLER_DOCS_STATE="+p.state)
	if p.sync != nil {
		cmd.Env = append(cmd.Env, "BUTLER_DOCS_SYNC="+p.sync.URL)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	calls := readCalls(log)
	fail := func(format string, args ...any) bool {
		t.Errorf("%s: %s\n--- block:\n%s--- answers:\n%s\n--- output:\n%s", b, fmt.Sprintf(format, args...), b.text, strings.Join(calls, "\n"), out.String())
		return false
	}
	if err != nil {
		return fail("bash: %v", err)
	}
	if len(calls) != b.curls {
		return fail("%d curl answers, but the block has %d curl commands (one call per curl, no loops)", len(calls), b.curls)
	}
	for i, c := range calls {
		f := strings.Fields(c)
		status, _ := strconv.Atoi(f[1])
		switch want := b.want[i]; {
		case want == 0 && (status < 200 || status > 299):
			return fail("call %d answered %d: mark an expected error with `# expect: %d` before its curl", i+1, status, status)
		case want != 0 && status != want:
			return fail("call %d answered %d, the block expects %d", i+1, status, want)
		}
	}
	return true
}

func readCalls(path string) []string {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		if l = strings.TrimPrefix(l, "DOCS-STATUS "); l != "" {
			out = append(out, "DOCS-STATUS "+l)
		}
	}
	return out
}

var servingLine = regexp.MustCompile(`msg="butler is serving" addr=(\S+)`)

// serve runs a server block in the background in a fresh directory until
// /readyz answers, then stops it the way an operator would.
func (p *page) serve(b block) bool {
	t := p.t
	dir := workDir(t, p.root)
	if _, err := os.Stat(filepath.Join(p.dir, "butler")); err == nil {
		if err := os.Symlink(filepath.Join(p.dir, "butler"), filepath.Join(dir, "butler")); err != nil {
			t.Fatal(err)
		}
	}
	// bash waits for the server on SIGTERM (the trap) and exits with its status.
	script := "trap ':' TERM\n" + strings.ReplaceAll(b.text, documentedAddr, "127.0.0.1:0")
	cmd := exec.Command("bash", "--noprofile", "--norc", "-c", script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "BUTLER_ADDR=127.0.0.1:0")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var logBuf bytes.Buffer
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			mu.Lock()
			logBuf.WriteString(sc.Text() + "\n")
			mu.Unlock()
			if m := servingLine.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case addr <- m[1]:
				default:
				}
			}
		}
	}()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	logged := func() string { mu.Lock(); defer mu.Unlock(); return logBuf.String() }
	fail := func(format string, args ...any) bool {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		t.Errorf("%s: %s\n--- block:\n%s--- log:\n%s", b, fmt.Sprintf(format, args...), b.text, logged())
		return false
	}
	// The demo generates a year first: about a minute on a quiet machine.
	deadline := time.After(10 * time.Minute)
	var url string
	select {
	case url = <-addr:
	case err := <-exited:
		return fail("exited before serving: %v", err)
	case <-deadline:
		return fail("not serving after 10 minutes")
	}
	for ready := false; !ready; {
		resp, err := http.Get("http://" + url + "/readyz")
		if err == nil {
			ready = resp.StatusCode == http.StatusOK
			resp.Body.Close()
		}
		select {
		case err := <-exited:
			return fail("exited before /readyz answered 200: %v", err)
		case <-deadline:
			return fail("/readyz not 200 after 10 minutes")
		case <-time.After(200 * time.Millisecond):
		}
	}
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			return fail("after SIGTERM: %v", err)
		}
	case <-time.After(time.Minute):
		return fail("still running a minute after SIGTERM")
	}
	t.Logf("%s: served on %s, /readyz 200, stopped cleanly", b, url)
	return true
}

// checkCI checks a test-command block against .ci/run.
func checkCI(t *testing.T, dir, ci string, b block) bool {
	ok := true
	tests := 0
	for _, line := range commandLines(b.text) {
		if strings.Contains(line, "go test") {
			tests++
			if line != ci {
				t.Errorf("%s: %q is not the command .ci/run runs: %q", b, line, ci)
				ok = false
			}
			continue
		}
		for _, path := range regexp.MustCompile(`\btest/[\w/.-]+`).FindAllString(line, -1) {
			if st, err := os.Stat(filepath.Join(dir, path)); err != nil || st.Mode()&0o111 == 0 {
				t.Errorf("%s: %s is not an executable in the checkout", b, path)
				ok = false
			}
		}
	}
	if tests == 0 {
		t.Errorf("%s: a ci block without go test", b)
		ok = false
	}
	return ok
}

// commandLines returns a block's commands, comments dropped and
// continuation lines joined.
func commandLines(text string) []string {
	var out []string
	cur := ""
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") || trimmed == "" {
			continue
		}
		if i := strings.Index(trimmed, "  #"); i >= 0 {
			trimmed = strings.TrimSpace(trimmed[:i])
		}
		if strings.HasSuffix(trimmed, "\\") {
			cur += strings.TrimSuffix(trimmed, "\\") + " "
			continue
		}
		out = append(out, strings.Join(strings.Fields(cur+trimmed), " "))
		cur = ""
	}
	return out
}

var flagWord = regexp.MustCompile(`(?:^|\s)--?([a-z][a-z0-9-]*)`)

// check checks a block that is shown but not run.
func (p *page) check(b block) bool {
	t := p.t
	ok := true
	for _, line := range commandLines(b.text) {
		f := strings.Fields(line)
		switch {
		case len(f) >= 2 && f[0] == "./butler":
			sub := []string{f[1]}
			if (f[1] == "token" || f[1] == "projections" || f[1] == "audit") && len(f) >= 3 {
				sub = append(sub, f[2])
			}
			help, _ := exec.Command(filepath.Join(p.dir, "butler"), append(slices.Clone(sub), "-h")...).CombinedOutput()
			for _, m := range flagWord.FindAllStringSubmatch(strings.Join(f[len(sub)+1:], " "), -1) {
				if !strings.Contains(string(help), "  -"+m[1]+" ") && !strings.Contains(string(help), "  -"+m[1]+"\n") {
					t.Errorf("%s: `butler %s -h` lists no flag -%s", b, strings.Join(sub, " "), m[1])
					ok = false
				}
			}
		case strings.Contains(line, "go test"):
			for _, w := range f {
				if strings.HasPrefix(w, "./") && w != "./..." {
					if _, err := os.Stat(filepath.Join(p.dir, w)); err != nil {
						t.Errorf("%s: no package %s", b, w)
						ok = false
					}
				}
			}
		default:
			t.Logf("%s: shown, not run or checked: %s", b, line)
		}
	}
	return ok
}
