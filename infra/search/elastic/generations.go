package elasticstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/butler-pm/butler/projections"
)

// Generations: a read model NAME is served by the alias PREFIX+NAME, which
// points at exactly one physical index PREFIX+NAME-NNNNNN. A rebuild
//
//	phys, _ := store.CreateGeneration(ctx, schema) // empty, not yet aliased
//	... write the replayed documents to phys (strip the prefix for Write) ...
//	store.SwapAlias(ctx, store.Alias(schema.Name), phys)
//
// projections.Rebuild does exactly that through NewGeneration and Promote,
// which speak in read-model names (without the prefix) like the rest of the
// SearchStore port.

const generationDigits = 6

// CreateGeneration creates an empty index for schema under the next free
// generation name, PREFIX+NAME-000001, -000002, ..., and returns that
// physical name. The read model's alias is not touched: readers keep the
// current generation until SwapAlias.
func (s *Store) CreateGeneration(ctx context.Context, schema projections.Schema) (string, error) {
	if err := validSchema(schema); err != nil {
		return "", err
	}
	return s.createGeneration(ctx, schema, false)
}

// createGeneration creates the next generation; with withAlias it is born
// behind the read model's alias (a first generation, in one request). A
// lost race for a generation number retries with the next one, except for
// a first generation, where it reports errExists.
func (s *Store) createGeneration(ctx context.Context, schema projections.Schema, withAlias bool) (string, error) {
	alias := s.Alias(schema.Name)
	for range 5 {
		gens, err := s.generations(ctx, alias)
		if err != nil {
			return "", err
		}
		next := 1
		if len(gens) > 0 {
			next = gens[len(gens)-1].n + 1
		}
		phys := fmt.Sprintf("%s-%0*d", alias, generationDigits, next)
		a := ""
		if withAlias {
			a = alias
		}
		body, err := json.Marshal(s.indexBody(schema, a))
		if err != nil {
			return "", err
		}
		_, _, err = s.do(ctx, http.MethodPut, "/"+phys, body, "")
		if err == nil {
			return phys, nil
		}
		if !errors.Is(err, errExists) {
			return "", fmt.Errorf("elasticstore: creating %s: %w", phys, err)
		}
		if withAlias {
			return "", fmt.Errorf("elasticstore: creating %s: %w", phys, err)
		}
	}
	return "", fmt.Errorf("elasticstore: creating a generation of %s: too many concurrent creations", schema.Name)
}

type generation struct {
	name string
	n    int
}

// generations lists the physical indices of alias's read model, oldest
// first.
func (s *Store) generations(ctx context.Context, alias string) ([]generation, error) {
	status, resp, err := s.do(ctx, http.MethodGet, "/_cat/indices/"+url.PathEscape(alias)+"-*?format=json&h=index&expand_wildcards=all", nil, "")
	if status == http.StatusNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("elasticstore: listing generations of %s: %w", alias, err)
	}
	var rows []struct {
		Index string `json:"index"`
	}
	if err := json.Unmarshal(resp, &rows); err != nil {
		return nil, fmt.Errorf("elasticstore: listing generations of %s: %w", alias, err)
	}
	// Exact shape only: "butler-fee-*" also matches "butler-fee-bills-000001".
	re := regexp.MustCompile(`^` + regexp.QuoteMeta(alias) + `-([0-9]{` + strconv.Itoa(generationDigits) + `,})$`)
	var gens []generation
	for _, r := range rows {
		m := re.FindStringSubmatch(r.Index)
		if m == nil {
			continue
		}
		n, err := strconv.Atoi(m[1])
		if err != nil {
			continue
		}
		gens = append(gens, generation{name: r.Index, n: n})
	}
	sort.Slice(gens, func(i, j int) bool { return gens[i].n < gens[j].n })
	return gens, nil
}

// SwapAlias points alias at the physical index phys and nothing else, in
// one atomic _aliases request: every search and write sees either the old
// generation or the new one, never both or neither. It returns the indices
// the alias left.
func (s *Store) SwapAlias(ctx context.Context, alias, phys string) error {
	_, err := s.swapAlias(ctx, alias, phys)
	return err
}

func (s *Store) swapAlias(ctx context.Context, alias, phys string) ([]string, error) {
	if !validName.MatchString(alias) || !validName.MatchString(phys) {
		return nil, fmt.Errorf("elasticstore: invalid alias %q or index %q", alias, phys)
	}
	status, resp, err := s.do(ctx, http.MethodGet, "/_alias/"+url.PathEscape(alias), nil, "")
	if err != nil && status != http.StatusNotFound {
		return nil, fmt.Errorf("elasticstore: reading alias %s: %w", alias, err)
	}
	var current map[string]json.RawMessage
	if status != http.StatusNotFound {
		if err := json.Unmarshal(resp, &current); err != nil {
			return nil, fmt.Errorf("elasticstore: reading alias %s: %w", alias, err)
		}
	}
	actions := []any{}
	var left []string
	for idx := range current {
		if idx == phys {
			continue
		}
		left = append(left, idx)
		// must_exist: if another process moved the alias meanwhile, fail
		// rather than leave it on two generations.
		actions = append(actions, map[string]any{"remove": map[string]any{"index": idx, "alias": alias, "must_exist": true}})
	}
	actions = append(actions, map[string]any{"add": map[string]any{"index": phys, "alias": alias}})
	body, err := json.Marshal(map[string]any{"actions": actions})
	if err != nil {
		return nil, err
	}
	if _, _, err := s.do(ctx, http.MethodPost, "/_aliases", body, ""); err != nil {
		return nil, fmt.Errorf("elasticstore: pointing %s at %s: %w", alias, phys, err)
	}
	sort.Strings(left)
	return left, nil
}

// NewGeneration implements projections.Generations: it creates the next
// generation of schema's read model and returns its name without the
// prefix (e.g. "complaints-000002"), which Write, Get and Search accept.
func (s *Store) NewGeneration(ctx context.Context, schema projections.Schema) (string, error) {
	phys, err := s.CreateGeneration(ctx, schema)
	if err != nil {
		return "", err
	}
	return strings.TrimPrefix(phys, s.prefix), nil
}

// Promote implements projections.Generations: the read model name is
// served by generation (a name from NewGeneration) from now on. The
// generation it replaces is kept as the one fallback (and so searches
// running on it finish); older generations are deleted.
func (s *Store) Promote(ctx context.Context, name, generation string) error {
	alias, err := s.physical(name)
	if err != nil {
		return err
	}
	phys, err := s.physical(generation)
	if err != nil {
		return err
	}
	left, err := s.swapAlias(ctx, alias, phys)
	if err != nil {
		return err
	}
	gens, err := s.generations(ctx, alias)
	if err != nil {
		return err
	}
	keep := map[string]bool{phys: true}
	for _, l := range left {
		keep[l] = true
	}
	var drop []string
	for _, g := range gens {
		if !keep[g.name] && g.name < phys {
			drop = append(drop, g.name)
		}
	}
	if len(drop) == 0 {
		return nil
	}
	if _, _, err := s.do(ctx, http.MethodDelete, "/"+strings.Join(drop, ","), nil, ""); err != nil {
		return fmt.Errorf("elasticstore: %s promoted, but deleting old generations %v: %w", generation, drop, err)
	}
	return nil
}
