package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// A package whose every test skipped is named as such, with the reason,
// and the closing line counts every test.
func TestSummaryCountsAndShowsSkips(t *testing.T) {
	events := []testEvent{
		{Action: "run", Package: "p/a", Test: "TestOK"},
		{Action: "pass", Package: "p/a", Test: "TestOK"},
		{Action: "run", Package: "p/a", Test: "TestBad"},
		{Action: "output", Package: "p/a", Test: "TestBad", Output: "    a_test.go:9: want 2, got 3\n"},
		{Action: "fail", Package: "p/a", Test: "TestBad"},
		{Action: "run", Package: "p/es", Test: "TestNode"},
		{Action: "output", Package: "p/es", Test: "TestNode", Output: "    store_test.go:12: BUTLER_TEST_ELASTICSEARCH_URL is not set\n"},
		{Action: "output", Package: "p/es", Test: "TestNode", Output: "--- SKIP: TestNode (0.00s)\n"},
		{Action: "skip", Package: "p/es", Test: "TestNode"},
		{Action: "skip", Package: "p/es"},
		{Action: "build-fail", ImportPath: "p/broken"},
		{Action: "fail", Package: "p/broken", FailedBuild: "p/broken"},
	}
	s := newSummary()
	var shown strings.Builder
	for _, e := range events {
		b, _ := json.Marshal(e) // round trip, as the real input arrives
		var got testEvent
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatal(err)
		}
		s.add(got, &shown)
	}
	if strings.Contains(shown.String(), "SKIP") {
		t.Errorf("a skipped test's output is shown as if it failed:\n%s", shown.String())
	}
	if !strings.Contains(shown.String(), "a_test.go:9: want 2, got 3") {
		t.Errorf("a failed test's output is not shown:\n%s", shown.String())
	}
	var out strings.Builder
	passed, failed, skipped := s.report(&out)
	if passed != 1 || failed != 2 || skipped != 1 {
		t.Fatalf("counted %d passed, %d failed, %d skipped; want 1, 2 (one test, one build), 1", passed, failed, skipped)
	}
	text := out.String()
	for _, want := range []string{
		"p/es  EVERY TEST SKIPPED",
		"p/broken  BUILD FAILED",
		"p/es TestNode: store_test.go:12: BUTLER_TEST_ELASTICSEARCH_URL is not set",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q:\n%s", want, text)
		}
	}
	if !strings.HasSuffix(text, "\n1 passed, 2 failed, 1 skipped\n") {
		t.Errorf("the last line is not the count:\n%s", text)
	}
}
