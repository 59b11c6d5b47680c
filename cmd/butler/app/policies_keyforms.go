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
		for _, h := range res.Hits {
			var k projections.Key
			if err := decodeDoc(h, &k); err != nil {
				return n, err
			}
			arc, err := p.reads.Search(ctx, projections.ArchivesIndex, projections.Query{
				Terms: map[string][]string{"project": {k.Project}, "household": {k.Unit}, "status": {"in", "loan_requested", "on_loan"}},
				Size:  1, Sort: []projections.Sort{{Field: "opened_at"}}})
			if err != nil {
				return n, err
			}
			if len(arc.Hits) == 0 {
				continue // no archive for the unit yet: the forms wait
			}
			ok, err := p.handlers.FileKeyLoanForms(ctx, k.ID, arc.Hits[0].ID)
			if err != nil {
				failed = append(failed, fmt.Errorf("key %s: %w", k.ID, err))
				continue
			}
			if ok {
				n++
			}
		}
		if len(res.Hits) < q.Size {
			return n, errors.Join(failed...)
		}
		q.After = res.Cursor
	}
}
