package policy

import (
	"context"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/projections"
)

// keyLoanForms is R-K5's filing rule: every key with a loan form not yet
// filed goes to the archive of its unit (same project, household = the
// key's unit, not lost), and the command files the form there and records
// it on the key. A unit without an archive leaves the key pending, which
// the key-loan-forms-unfiled KPI and ?loan_forms_unfiled=true show.
func keyLoanForms(h *commands.Handlers) func(context.Context, Searcher, time.Time) (int, error) {
	return func(ctx context.Context, reads Searcher, _ time.Time) (int, error) {
		return recordPages(ctx, reads, projections.KeysIndex, projections.Query{
			Terms: terms{projections.KeyFieldLoanFormsUnfiled: {"true"}},
		}, func(hits []projections.Document) ([]string, recorder, error) {
			keys := make([]projections.Key, len(hits))
			units := map[string][]string{} // project → units of this page
			for i, hit := range hits {
				k, err := decode[projections.Key](hit)
				if err != nil {
					return nil, nil, err
				}
				keys[i] = k
				units[k.Project] = append(units[k.Project], k.Unit)
			}
			// One archive search per project per page, not one per key: many
			// keys may wait for units that have no archive yet.
			archives := map[[2]string]string{}
			for project, us := range units {
				found, err := unitArchives(ctx, reads, project, us)
				if err != nil {
					return nil, nil, err
				}
				for unit, id := range found {
					archives[[2]string{project, unit}] = id
				}
			}
			// A key whose unit has no archive yet is left out: its forms wait.
			var ids []string
			archiveOf := map[string]string{}
			for _, k := range keys {
				if arc, ok := archives[[2]string{k.Project, k.Unit}]; ok {
					ids, archiveOf[k.ID] = append(ids, k.ID), arc
				}
			}
			return ids, func(ctx context.Context, id string) (bool, error) {
				return h.FileKeyLoanForms(ctx, id, archiveOf[id])
			}, nil
		})
	}
}

// unitArchives maps each unit with an archive that is not lost to that
// archive (the first opened, should a unit have two).
func unitArchives(ctx context.Context, reads Searcher, project string, units []string) (map[string]string, error) {
	out := map[string]string{}
	err := pages(ctx, reads, projections.ArchivesIndex, projections.Query{
		Terms: terms{
			projections.ArchiveFieldProject:   {project},
			projections.ArchiveFieldHousehold: units,
			projections.ArchiveFieldStatus:    {"in", "loan_requested", "on_loan"},
		},
		Size: 1000, Sort: []projections.Sort{{Field: projections.ArchiveFieldOpenedAt}, {Field: projections.FieldID}},
	}, func(hits []projections.Document) error {
		for _, hit := range hits {
			a, err := decode[projections.Archive](hit)
			if err != nil {
				return err
			}
			if _, seen := out[a.Household]; !seen {
				out[a.Household] = a.ID
			}
		}
		return nil
	})
	return out, err
}
