package commands

import (
	"context"
	"time"

	"github.com/butler-pm/butler/domain/apperr"
	"github.com/butler-pm/butler/domain/complaint"
)

// The complaint time rules' commands (actor system): R-C2's overdue and
// R-C8's missed daily looks. The domain decides again, so a stale read
// model records nothing wrong, and each event is recorded once.

// RecordComplaintOverdue records complaint.overdue.v1 when the deadline
// passed with the complaint unresolved (R-C2).
type RecordComplaintOverdue struct {
	ComplaintID string `json:"complaint_id"`
}

type RecordComplaintOverdueHandler struct{ d handlerDeps }

func NewRecordComplaintOverdueHandler(store EventStore, clock Clock, ids IDGenerator) RecordComplaintOverdueHandler {
	return RecordComplaintOverdueHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordComplaintOverdueHandler) Handle(ctx context.Context, m Meta, cmd RecordComplaintOverdue) (PolicyResult, error) {
	return recordOnComplaint(ctx, h.d, m, cmd.ComplaintID, func(c *complaint.Complaint, now time.Time) (bool, error) {
		return c.RecordOverdue(now)
	})
}

// RecordMissedComplaintReviews records complaint.review_missed.v1 for
// every ended day that needed a supervisor's look and had none (R-C8).
type RecordMissedComplaintReviews struct {
	ComplaintID string `json:"complaint_id"`
}

type RecordMissedComplaintReviewsHandler struct{ d handlerDeps }

func NewRecordMissedComplaintReviewsHandler(store EventStore, clock Clock, ids IDGenerator) RecordMissedComplaintReviewsHandler {
	return RecordMissedComplaintReviewsHandler{newHandlerDeps(store, clock, ids)}
}

func (h RecordMissedComplaintReviewsHandler) Handle(ctx context.Context, m Meta, cmd RecordMissedComplaintReviews) (PolicyResult, error) {
	return recordOnComplaint(ctx, h.d, m, cmd.ComplaintID, func(c *complaint.Complaint, now time.Time) (bool, error) {
		n, err := c.RecordMissedReviews(now)
		return n > 0, err
	})
}

func recordOnComplaint(ctx context.Context, d handlerDeps, m Meta, id string, decide func(c *complaint.Complaint, now time.Time) (bool, error)) (PolicyResult, error) {
	if bad := missing("complaint_id", id); bad != nil {
		return PolicyResult{}, apperr.Invalid(bad)
	}
	return recordAsSystem(ctx, d, m, complaintSystemStream(id), decide)
}

func complaintSystemStream(id string) systemStream[*complaint.Complaint] {
	return systemStream[*complaint.Complaint]{id: id, name: complaint.Stream(id), decode: complaint.Decode,
		rebuild: complaint.FromHistory, codes: complaintCodes}
}

// RecordComplaintOverdue runs the R-C2 rule on one complaint.
func (h *Handlers) RecordComplaintOverdue(ctx context.Context, id string) (bool, error) {
	r, err := h.Complaint.RecordOverdue.Handle(ctx, Meta{}, RecordComplaintOverdue{ComplaintID: id})
	return r.Recorded, err
}

// RecordMissedComplaintReviews runs the R-C8 rule on one complaint.
func (h *Handlers) RecordMissedComplaintReviews(ctx context.Context, id string) (bool, error) {
	r, err := h.Complaint.RecordMissedReviews.Handle(ctx, Meta{}, RecordMissedComplaintReviews{ComplaintID: id})
	return r.Recorded, err
}

// FileComplaintRecords runs the R-C6 filing rule on one complaint.
func (h *Handlers) FileComplaintRecords(ctx context.Context, id, archiveID string) (bool, error) {
	r, err := h.Complaint.FileRecords.Handle(ctx, Meta{}, FileComplaintRecords{ComplaintID: id, ArchiveID: archiveID})
	return r.Recorded, err
}
