package blevestore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/butler-pm/butler/projections"
)

// aliasFile records which generation serves each read model.
const aliasFile = "aliases.json"

// retireAfter is how long a promoted-away generation stays open, so that
// searches already running on it finish before it is closed and deleted.
var retireAfter = 5 * time.Second

func loadAliases(dir string) (map[string]string, error) {
	raw, err := os.ReadFile(filepath.Join(dir, aliasFile))
	if errors.Is(err, os.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("blevestore: reading aliases: %w", err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("blevestore: %s is damaged: %w", aliasFile, err)
	}
	return m, nil
}

// resolve maps a read model's name to the physical index serving it.
// The caller holds s.mu.
func (s *Store) resolve(name string) string {
	if phys, ok := s.aliases[name]; ok {
		return phys
	}
	return name
}

// NewGeneration creates an empty index for schema under a fresh name and
// returns that name; writes and reads addressed to it go to the new index
// while the read model's own name keeps serving the old one.
func (s *Store) NewGeneration(ctx context.Context, schema projections.Schema) (string, error) {
	if s.memory() {
		return "", projections.ErrNoGenerations
	}
	gen := schema.Name + ".g" + strconv.FormatInt(time.Now().UnixNano(), 36)
	schema.Name = gen
	if err := s.EnsureIndex(ctx, schema); err != nil {
		return "", err
	}
	return gen, nil
}

// Promote makes generation serve the read model name, atomically for
// readers and writers: the alias file is replaced by rename after fsync.
// The generation it replaces is closed and deleted once searches running
// on it have had time to finish.
func (s *Store) Promote(ctx context.Context, name, generation string) error {
	if s.memory() {
		return projections.ErrNoGenerations
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := validName(name); err != nil {
		return err
	}
	if _, err := s.mustOpen(generation); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errClosed
	}
	old := s.resolve(name)
	next := make(map[string]string, len(s.aliases)+1)
	for k, v := range s.aliases {
		next[k] = v
	}
	next[name] = generation
	if err := writeAliases(s.dir, next); err != nil {
		return err
	}
	s.aliases = next
	if old == generation {
		return nil
	}
	h := s.indexes[old]
	delete(s.indexes, old)
	s.retired.Add(1)
	go func() {
		defer s.retired.Done()
		t := time.NewTimer(retireAfter)
		select {
		case <-t.C:
		case <-s.closing:
			t.Stop()
		}
		if h != nil {
			h.wmu.Lock()
			_ = h.idx.Close()
			h.wmu.Unlock()
		}
		_ = os.RemoveAll(filepath.Join(s.dir, old))
	}()
	return nil
}

func writeAliases(dir string, m map[string]string) error {
	raw, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, aliasFile+".tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("blevestore: writing aliases: %w", err)
	}
	if _, err := f.Write(raw); err != nil {
		f.Close()
		return fmt.Errorf("blevestore: writing aliases: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("blevestore: writing aliases: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("blevestore: writing aliases: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, aliasFile)); err != nil {
		return fmt.Errorf("blevestore: writing aliases: %w", err)
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
