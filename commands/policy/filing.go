package policy

import (
	"context"
	"time"

	"github.com/butler-pm/butler/commands"
	"github.com/butler-pm/butler/projections"
)

// filedRecord is where a record that waits to be filed belongs: its id,
// project and unit.
type filedRecord interface {
	place() (id, project, unit string)
}

// fileIntoArchives is the shape of every filing rule (R-K5 key loan forms,
// R-W8 work-order forms, R-C6 complaint records, R-M3 move-in documents):
// each record of index that waits (the query) goes to the archive of its
// unit (same project, household = the record's unit, not lost), and file
// puts it there and records it on the record. A unit without an archive
// leaves the record waiting, which its read model's field shows. One
// archive search per project per page, not one per record: many records
// may wait for units that have no archive yet.
func fileIntoArchives[T filedRecord](index string, q projections.Query, file func(ctx context.Context, id, archive string) (bool, error)) func(context.Context, Searcher, time.Time) (int, error) {
	return func(ctx context.Context, reads Searcher, _ time.Time) (int, error) {
		return recordPages(ctx, reads, index, q, func(hits []projections.Document) ([]string, recorder, error) {
			recs := make([]T, len(hits))
			units := map[string][]string{} // project → units of this page
			for i, hit := range hits {
				r, err := decode[T](hit)
				if err != nil {
					return nil, nil, err
				}
				recs[i] = r
				_, project, unit := r.place()
				units[project] = append(units[project], unit)
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
			for _, r := range recs {
				id, project, unit := r.place()
				if arc, ok := archives[[2]string{project, unit}]; ok {
					ids, archiveOf[id] = append(ids, id), arc
				}
			}
			return ids, func(ctx context.Context, id string) (bool, error) {
				return file(ctx, id, archiveOf[id])
			}, nil
		})
	}
}

type (
	filedKey       struct{ projections.Key }
	filedWorkOrder struct{ projections.WorkOrder }
	filedComplaint struct{ projections.Complaint }
	filedMoveIn    struct{ projections.MoveIn }
)

func (k filedKey) place() (string, string, string)       { return k.ID, k.Project, k.Unit }
func (w filedWorkOrder) place() (string, string, string) { return w.ID, w.Project, w.Unit }
func (c filedComplaint) place() (string, string, string) { return c.ID, c.Project, c.Unit }
func (m filedMoveIn) place() (string, string, string)    { return m.ID, m.Project, m.Unit }

// keyLoanForms is R-K5's filing rule: a key's loan forms not yet filed go
// to the archive of its unit (?loan_forms_unfiled=true and the
// key-loan-forms-unfiled KPI show those waiting).
func keyLoanForms(h *commands.Handlers) func(context.Context, Searcher, time.Time) (int, error) {
	return fileIntoArchives[filedKey](projections.KeysIndex, projections.Query{
		Terms: terms{projections.KeyFieldLoanFormsUnfiled: {"true"}},
	}, h.FileKeyLoanForms)
}

// workOrderForms is R-W8's filing rule: a closed in-home repair's forms
// (报修单、派工单、服务记录表) go to the archive of its unit (the
// work-order-forms-unfiled KPI shows those waiting).
func workOrderForms(h *commands.Handlers) func(context.Context, Searcher, time.Time) (int, error) {
	return fileIntoArchives[filedWorkOrder](projections.WorkOrdersIndex, projections.Query{
		Terms: terms{projections.WorkOrderFieldFormsUnfiled: {"true"}},
	}, h.FileWorkOrderForms)
}

// complaintRecords is R-C6's filing rule: a complaint's communication
// records not yet filed go to the archive of its unit
// (?records_unfiled=true shows those waiting).
func complaintRecords(h *commands.Handlers) func(context.Context, Searcher, time.Time) (int, error) {
	return fileIntoArchives[filedComplaint](projections.ComplaintsIndex, projections.Query{
		Terms: terms{projections.ComplaintFieldRecordsUnfiled: {"true"}},
	}, h.FileComplaintRecords)
}

// moveInDocuments is R-M3's filing rule: a move-in's documents
// (agreements, forms, photos) go to the archive of its unit
// (?documents_unfiled=true on the move-ins shows those waiting).
func moveInDocuments(h *commands.Handlers) func(context.Context, Searcher, time.Time) (int, error) {
	return fileIntoArchives[filedMoveIn](projections.MoveInsIndex, projections.Query{
		Terms: terms{projections.MoveInFieldDocumentsUnfiled: {"true"}},
	}, h.FileMoveInDocuments)
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
