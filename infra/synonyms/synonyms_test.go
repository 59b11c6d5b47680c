package synonyms

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestTheDefaultListAndAProjectsOwn(t *testing.T) {
	dir := t.TempDir()
	s := New(dir, nil)
	if got := s.For("p1")["漏水"]; !slices.Contains(got, "渗水") {
		t.Fatalf("漏水 → %v, want 渗水 among them", got)
	}
	if got := s.For("p1")["渗水"]; !slices.Contains(got, "漏水") {
		t.Fatalf("a group works both ways: 渗水 → %v", got)
	}
	if err := os.WriteFile(filepath.Join(dir, "p1.txt"), []byte("# 本小区的说法\n漏水 返潮\n会所 活动中心\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	s.projects["p1"].checked = time.Time{} // as if the recheck interval had passed
	s.mu.Unlock()
	p1 := s.For("p1")
	if !slices.Contains(p1["漏水"], "返潮") || !slices.Contains(p1["漏水"], "渗水") || !slices.Contains(p1["活动中心"], "会所") {
		t.Fatalf("p1's list: 漏水 → %v, 活动中心 → %v", p1["漏水"], p1["活动中心"])
	}
	if slices.Contains(s.For("p2")["漏水"], "返潮") {
		t.Fatal("p1's words reached p2")
	}
	if got := s.For("../p1"); len(got["会所"]) != 0 {
		t.Fatal("a project name left the directory")
	}
}
