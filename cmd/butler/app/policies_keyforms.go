package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/butler-pm/butler/projections"
)

// keyLoanForms is R-K5's filing policy: every key with a loan form not yet
// filed goes to the archive of its unit (same project, household = the
// key's unit, not lost), and the command files the form there and records
// it on the key. A unit without an archive leaves the key pending, which
// the key-loan-forms-unfiled KPI and ?loan_forms_unfiled=true show.
func (p *Policies) keyLoanForms(ctx context.Context) (int, error) {
	q := projections.Query{Terms: map[string][]string{"loan_forms_unfiled": {"true"}}, Size: 500, Sort: []projections.Sort{{Field: "id"}}}
	n := 0
	var failed []error // one key's failure does not hold up the others
	for {
		res, err := p.reads.Search(ctx, projections.KeysIndex, q)
		if err != nil {
			return n, err
		}
		keys := make([]projections.Key, len(res.Hits))
		units := map[string][]string{} // project → units of this page
		for i, h := range res.Hits {
			if err := decodeDoc(h, &keys[i]); err != nil {
				return n, err
			}
			units[keys[i].Project] = append(units[keys[i].Project], keys[i].Unit)
		}
		// One archive search per project per page, not one per key: many
		// keys may wait for units that have no archive yet.
		archives := map[[2]string]string{}
		for project, us := range units {
			found, err := p.unitArchives(ctx, project, us)
			if err != nil {
				return n, err
			}
			for unit, id := range found {
				archives[[2]string{project, unit}] = id
			}
		}
		for _, k := range keys {
			arc, ok := archives[[2]string{k.Project, k.Unit}]
			if !ok {
				continue // no archive for the unit yet: the forms wait
			}
			filed, err := p.handlers.FileKeyLoanForms(ctx, k.ID, arc)
			if err != nil {
				failed = append(failed, fmt.Errorf("key %s: %w", k.ID, err))
				continue
			}
			if filed {
				n++
			}
		}
		if len(res.Hits) < q.Size {
			return n, errors.Join(failed...)
		}
		q.After = res.Cursor
	}
}

// unitArchives maps each unit with an archive that is not lost to that
// archive (the first opened, should a unit have two).
func (p *Policies) unitArchives(ctx context.Context, project string, units []string) (map[string]string, error) {
	out := map[string]string{}
	q := projections.Query{
		Terms: map[string][]string{"project": {project}, "household": units, "status": {"in", "loan_requested", "on_loan"}},
		Size:  1000, Sort: []projections.Sort{{Field: "opened_at"}, {Field: "id"}}}
	for {
		res, err := p.reads.Search(ctx, projections.ArchivesIndex, q)
		if err != nil {
			return nil, err
		}
		for _, h := range res.Hits {
			var a projections.Archive
			if err := decodeDoc(h, &a); err != nil {
				return nil, err
			}
			if _, seen := out[a.Household]; !seen {
				out[a.Household] = a.ID
			}
		}
		if len(res.Hits) < q.Size {
			return out, nil
		}
		q.After = res.Cursor
	}
}
