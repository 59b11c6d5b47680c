package policy

import (
	"context"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/projections"
)

// moveInDocuments is R-M3's filing rule: every move-in with documents
// (agreements, forms, photos) not yet in the owner's archive files them in
// the archive of its unit (same project, household = the move-in's unit,
// not lost). A unit without an archive leaves them waiting
// (?documents_unfiled=true on the move-ins).
func moveInDocuments(h *commands.Handlers) func(context.Context, Searcher, time.Time) (int, error) {
	return func(ctx context.Context, reads Searcher, _ time.Time) (int, error) {
		return recordPages(ctx, reads, projections.MoveInsIndex, projections.Query{
			Terms: terms{projections.MoveInFieldDocumentsUnfiled: {"true"}},
		}, func(hits []projections.Document) ([]string, recorder, error) {
			moveIns := make([]projections.MoveIn, len(hits))
			units := map[string][]string{}
			for i, hit := range hits {
				mi, err := decode[projections.MoveIn](hit)
				if err != nil {
					return nil, nil, err
				}
				moveIns[i] = mi
				units[mi.Project] = append(units[mi.Project], mi.Unit)
			}
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
			var ids []string
			archiveOf := map[string]string{}
			for _, mi := range moveIns {
				if arc, ok := archives[[2]string{mi.Project, mi.Unit}]; ok {
					ids, archiveOf[mi.ID] = append(ids, mi.ID), arc
				}
			}
			return ids, func(ctx context.Context, id string) (bool, error) {
				return h.FileMoveInDocuments(ctx, id, archiveOf[id])
			}, nil
		})
	}
}
