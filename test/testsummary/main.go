// Command testsummary reads `go test -json` on standard input, prints what
// go test prints without -v (package lines, and a failed test's output),
// and ends with what a reader of a CI
// log needs to see at once: per package, how many tests passed, failed and
// were skipped (with each skip's reason, so that a package whose every test
// skipped cannot pass for green), and a last line
// "N passed, M failed, K skipped".
//
//	go test -json ./... | go run ./test/testsummary
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// testEvent is one line of `go test -json` (cmd/test2json).
type testEvent struct {
	Action      string
	Package     string
	ImportPath  string
	Test        string
	Output      string
	FailedBuild string
}

type counts struct {
	passed, failed, skipped int
	// skips maps a skipped test to the last line it printed (its reason).
	skips map[string]string
	// buildFailed is set when the package did not compile.
	buildFailed bool
}

type summary struct {
	pkgs map[string]*counts
	// last holds each running test's last output line, for skip reasons.
	last map[[2]string]string
	// held is each running test's output, printed only if it fails.
	held map[[2]string]*strings.Builder
}

func newSummary() *summary {
	return &summary{pkgs: map[string]*counts{}, last: map[[2]string]string{}, held: map[[2]string]*strings.Builder{}}
}

func (s *summary) pkg(name string) *counts {
	c, ok := s.pkgs[name]
	if !ok {
		c = &counts{skips: map[string]string{}}
		s.pkgs[name] = c
	}
	return c
}

// add takes one event; out receives the output a human reads.
func (s *summary) add(e testEvent, out io.Writer) {
	switch e.Action {
	case "build-output":
		fmt.Fprint(out, e.Output)
		return
	case "build-fail":
		s.pkg(e.ImportPath).buildFailed = true
		return
	case "output":
		if e.Test == "" {
			fmt.Fprint(out, e.Output)
			return
		}
		k := [2]string{e.Package, e.Test}
		if s.held[k] == nil {
			s.held[k] = &strings.Builder{}
		}
		s.held[k].WriteString(e.Output)
		{
			if line := strings.TrimSpace(e.Output); line != "" && !strings.HasPrefix(line, "---") && !strings.HasPrefix(line, "===") {
				s.last[[2]string{e.Package, e.Test}] = line
			}
		}
		return
	}
	if e.Package == "" {
		return
	}
	c := s.pkg(e.Package)
	if e.Test == "" {
		if e.Action == "fail" && e.FailedBuild != "" {
			c.buildFailed = true
		}
		return
	}
	k := [2]string{e.Package, e.Test}
	switch e.Action {
	case "pass":
		c.passed++
		delete(s.held, k)
	case "fail":
		c.failed++
		if h := s.held[k]; h != nil {
			fmt.Fprint(out, h.String())
		}
		delete(s.held, k)
	case "skip":
		c.skipped++
		c.skips[e.Test] = s.last[k]
		delete(s.held, k)
	}
}

// report writes the per-package table, the skips and the closing line.
func (s *summary) report(w io.Writer) (passed, failed, skipped int) {
	names := make([]string, 0, len(s.pkgs))
	for n := range s.pkgs {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintln(w, "\n== tests per package (passed, failed, skipped)")
	for _, n := range names {
		c := s.pkgs[n]
		if c.passed+c.failed+c.skipped == 0 && !c.buildFailed {
			continue // a package without tests
		}
		note := ""
		switch {
		case c.buildFailed:
			note = "  BUILD FAILED"
		case c.passed == 0 && c.failed == 0 && c.skipped > 0:
			note = "  EVERY TEST SKIPPED"
		}
		fmt.Fprintf(w, "%6d %6d %6d  %s%s\n", c.passed, c.failed, c.skipped, n, note)
		passed += c.passed
		failed += c.failed
		skipped += c.skipped
		if c.buildFailed {
			failed++
		}
	}
	var skipLines []string
	for _, n := range names {
		for t, why := range s.pkgs[n].skips {
			skipLines = append(skipLines, fmt.Sprintf("  %s %s: %s", n, t, why))
		}
	}
	if len(skipLines) > 0 {
		sort.Strings(skipLines)
		fmt.Fprintln(w, "\n== skipped tests and why")
		for _, l := range skipLines {
			fmt.Fprintln(w, l)
		}
	}
	fmt.Fprintf(w, "\n%d passed, %d failed, %d skipped\n", passed, failed, skipped)
	return passed, failed, skipped
}

func main() {
	s := newSummary()
	out := bufio.NewWriter(os.Stdout)
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e testEvent
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			// Not an event (go vet or the toolchain wrote plain text).
			fmt.Fprintln(out, sc.Text())
			continue
		}
		s.add(e, out)
		if e.Action == "output" || e.Action == "build-output" {
			out.Flush()
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "testsummary: reading go test -json:", err)
		os.Exit(2)
	}
	s.report(out)
	out.Flush()
}
