// Package synonyms holds the words a search also looks for (漏水: 渗水,
// 漏雨…): Butler's list, embedded, and each project's own file, read
// again when it changes.
package synonyms

import (
	"bufio"
	_ "embed"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

//go:embed default.txt
var defaultList string

// recheck bounds how often a project's file is looked at again.
const recheck = 2 * time.Second

// Source gives each project its synonyms: the default list and the
// groups of DIR/<project>.txt, if there is one.
type Source struct {
	dir    string
	logger *slog.Logger
	base   map[string][]string

	mu       sync.Mutex
	projects map[string]*projectList
}

type projectList struct {
	checked time.Time
	modTime time.Time
	size    int64
	words   map[string][]string
}

// New reads project files from dir ("" for the default list only).
func New(dir string, logger *slog.Logger) *Source {
	if logger == nil {
		logger = slog.Default()
	}
	return &Source{dir: dir, logger: logger, base: Parse(strings.NewReader(defaultList), nil), projects: map[string]*projectList{}}
}

// Parse reads groups (one a line, words separated by spaces, # comments)
// into each word's alternatives, adding to into (nil: a new map).
func Parse(r io.Reader, into map[string][]string) map[string][]string {
	if into == nil {
		into = map[string][]string{}
	}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		words := strings.Fields(strings.ReplaceAll(line, "，", " "))
		for _, w := range words {
			for _, alt := range words {
				if alt != w && !contains(into[w], alt) {
					into[w] = append(into[w], alt)
				}
			}
		}
	}
	return into
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// For returns project's synonyms (not to be changed by the caller).
func (s *Source) For(project string) map[string][]string {
	if s.dir == "" || project == "" || strings.ContainsAny(project, `/\`) || strings.HasPrefix(project, ".") {
		return s.base
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.projects[project]
	if p == nil {
		p = &projectList{words: s.base}
		s.projects[project] = p
	}
	if time.Since(p.checked) < recheck {
		return p.words
	}
	p.checked = time.Now()
	path := filepath.Join(s.dir, project+".txt")
	st, err := os.Stat(path)
	if err != nil {
		p.modTime, p.size, p.words = time.Time{}, 0, s.base
		return p.words
	}
	if st.ModTime().Equal(p.modTime) && st.Size() == p.size {
		return p.words
	}
	f, err := os.Open(path)
	if err != nil {
		s.logger.Warn("synonyms: reading a project's list", "file", path, "err", err)
		return p.words
	}
	defer f.Close()
	words := map[string][]string{}
	for w, alts := range s.base {
		words[w] = append([]string(nil), alts...)
	}
	p.words, p.modTime, p.size = Parse(f, words), st.ModTime(), st.Size()
	return p.words
}
