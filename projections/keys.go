package projections

import (
	"context"
	"strings"
	"time"

	"github.com/butler-pm/butler/domain/event"
	"github.com/butler-pm/butler/domain/key"
	"github.com/butler-pm/butler/domain/key/reconcile"
	"github.com/butler-pm/butler/domain/localtime"
)

// KeysIndex is the key read model's name.
const KeysIndex = "keys"

// Key is the key ledger (钥匙台账): one document per tagged key, with its
// loans (each naming the owner who signed, R-K2, and whether its form is
// filed in the owner's archive, R-K5) and loss (R-K4).
type Key struct {
	ID               string     `json:"id"`
	Project          string     `json:"project"`
	District         string     `json:"district"`
	Unit             string     `json:"unit"`
	Tag              string     `json:"tag"`
	Custodian        string     `json:"custodian"`
	Status           string     `json:"status"`
	OnLoan           bool       `json:"on_loan"`
	Borrower         string     `json:"borrower,omitempty"`
	AuthorisationRef string     `json:"authorisation_ref,omitempty"`
	DueAt            *time.Time `json:"due_at,omitempty"`
	// LoanOverdue: the current loan passed its due time without a return.
	LoanOverdue bool      `json:"loan_overdue"`
	Loans       []KeyLoan `json:"loans"`
	// LoanFormsUnfiled: a loan form (lent or returned) is not yet in the
	// owner's archive (R-K5); the filing policy picks these keys up, and
	// they stay pending while the unit has no archive.
	LoanFormsUnfiled bool       `json:"loan_forms_unfiled"`
	LoanFormsPending int        `json:"loan_forms_pending"`
	LossReported     bool       `json:"loss_reported"`
	Lost             bool       `json:"lost"`
	LossNote         string     `json:"loss_note,omitempty"`
	Accountable      string     `json:"accountable,omitempty"`
	ApprovedBy       string     `json:"approved_by,omitempty"`
	LostMonth        string     `json:"lost_month,omitempty"`
	Text             string     `json:"text"`
	Month            string     `json:"month"`
	RegisteredAt     time.Time  `json:"registered_at"`
	LostAt           *time.Time `json:"lost_at,omitempty"`
	Stamped
}

// KeyLoan is one lending of a key.
type KeyLoan struct {
	Borrower         string     `json:"borrower"`
	Purpose          string     `json:"purpose,omitempty"`
	AuthorisationRef string     `json:"authorisation_ref"`
	LentBy           string     `json:"lent_by"`
	LentAt           time.Time  `json:"lent_at"`
	Due              time.Time  `json:"due"`
	ReturnedAt       *time.Time `json:"returned_at,omitempty"`
	Overdue          bool       `json:"overdue"`
	// FormFiled / ReturnFiled: the loan form went into the owner's
	// archive (FormArchiveID) when lent / when returned (R-K5).
	FormFiled     bool   `json:"form_filed"`
	ReturnFiled   bool   `json:"return_filed"`
	FormArchiveID string `json:"form_archive_id,omitempty"`
}

// Keys projects key streams.
var Keys = StreamModel[Key]{Index: KeysIndex, Prefix: key.StreamPrefix, Decode: key.Decode,
	Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "unit": Keyword, "tag": Keyword, "custodian": Keyword,
		"status": Keyword, "borrower": Keyword, "accountable": Keyword, "month": Keyword, "lost_month": Keyword,
		"on_loan": Bool, "loan_overdue": Bool, "loss_reported": Bool, "lost": Bool, "loan_forms_unfiled": Bool, "loan_forms_pending": Number,
		"text": Text, "loss_note": Text,
		"registered_at": Date, "due_at": Date, "lost_at": Date, "updated_at": Date,
	},
	Fold: func(d *Key, id string, p event.Payload, e event.Recorded) {
		by := e.Meta.Actor.StaffID
		switch p := p.(type) {
		case key.Registered:
			*d = Key{ID: id, Project: p.Project, District: p.District, Unit: p.Unit, Tag: p.Tag, Custodian: p.Custodian,
				Status: string(key.StatusInCustody), Loans: []KeyLoan{}, Month: localtime.Month(p.At),
				RegisteredAt: p.At, Stamped: Stamped{UpdatedAt: p.At}}
		case key.Lent:
			due := p.Due
			d.Status, d.OnLoan, d.LoanOverdue = string(key.StatusOnLoan), true, false
			// Who authorised the loan is the household's (sealed in v2, in
			// plain text in v1's event only): not kept here (R-D3).
			d.Borrower, d.AuthorisationRef, d.DueAt = p.Borrower, p.AuthorisationRef, &due
			d.Loans = append(d.Loans, KeyLoan{Borrower: p.Borrower, Purpose: p.Purpose,
				AuthorisationRef: p.AuthorisationRef, LentBy: by, LentAt: p.At, Due: p.Due})
		case key.Returned:
			at := p.At
			d.Status, d.OnLoan, d.LoanOverdue = string(key.StatusInCustody), false, false
			d.Borrower, d.AuthorisationRef, d.DueAt = "", "", nil
			if n := len(d.Loans); n > 0 {
				d.Loans[n-1].ReturnedAt = &at
			}
		case key.LoanOverdue:
			d.LoanOverdue = true
			if n := len(d.Loans); n > 0 {
				d.Loans[n-1].Overdue = true
			}
		case key.LossReported:
			d.Status, d.LossReported, d.LossNote = string(key.StatusLossReported), true, p.Note
			d.OnLoan, d.LoanOverdue = false, false
		case key.LossApproved:
			at := p.At
			d.Status, d.Lost, d.Accountable, d.ApprovedBy, d.LostAt = string(key.StatusLost), true, p.Accountable, by, &at
			d.LostMonth = localtime.Month(p.At)
		case key.LoanFormFiled:
			if i := p.Loan - 1; i >= 0 && i < len(d.Loans) {
				if p.Stage == key.StageReturned {
					d.Loans[i].ReturnFiled = true
				} else {
					d.Loans[i].FormFiled = true
				}
				d.Loans[i].FormArchiveID = p.ArchiveID
			}
		}
		d.LoanFormsPending = 0
		for _, l := range d.Loans {
			if !l.FormFiled {
				d.LoanFormsPending++
			}
			if l.ReturnedAt != nil && !l.ReturnFiled {
				d.LoanFormsPending++
			}
		}
		d.LoanFormsUnfiled = d.LoanFormsPending > 0
		d.Text = strings.Join([]string{d.Unit, d.Tag, d.Borrower, d.LossNote}, " ")
	},
}

// KeyDaysIndex is the key-register day read model's name.
const KeyDaysIndex = "key-days"

// KeyDay is one project's key register on one day: reconciled by the
// custodian or missed, discrepancies, the supervisor's check (R-K3).
type KeyDay struct {
	ID         string `json:"id"`
	Project    string `json:"project"`
	District   string `json:"district"`
	Day        string `json:"day"`
	Month      string `json:"month"`
	Custodian  string `json:"custodian,omitempty"`
	Reconciled bool   `json:"reconciled"`
	Missed     bool   `json:"missed"`
	// Settled: the day was reconciled or recorded missed, so it counts in
	// the compliance rate (a day with only a supervisor check so far does not).
	Settled     bool `json:"settled"`
	Discrepancy bool `json:"discrepancy"`
	Ledger      int  `json:"ledger"`
	// Register is the key register's count the ledger was taken from
	// (R-K3; absent for a ledger typed in, key.reconciled.v1).
	Register          *reconcile.Register `json:"register,omitempty"`
	Counted           int                 `json:"counted"`
	MissingTags       []string            `json:"missing_tags"`
	Note              string              `json:"note,omitempty"`
	SupervisorChecked bool                `json:"supervisor_checked"`
	Supervisor        string              `json:"supervisor,omitempty"`
	SupervisorMatches *bool               `json:"supervisor_matches,omitempty"`
	SupervisorNote    string              `json:"supervisor_note,omitempty"`
	Date              time.Time           `json:"date"`
	Stamped
}

// KeyDays projects key-register day streams.
var KeyDays = StreamModel[KeyDay]{Index: KeyDaysIndex, Prefix: reconcile.StreamPrefix, Decode: reconcile.Decode,
	Fields: map[string]FieldKind{
		"id": Keyword, "project": Keyword, "district": Keyword, "day": Keyword, "month": Keyword, "custodian": Keyword,
		"supervisor": Keyword, "missing_tags": Keyword,
		"reconciled": Bool, "missed": Bool, "settled": Bool, "discrepancy": Bool, "supervisor_checked": Bool,
		"note": Text, "supervisor_note": Text,
		"ledger": Number, "counted": Number, "date": Date, "updated_at": Date,
	},
	Fold: func(d *KeyDay, id string, p event.Payload, e event.Recorded) {
		by := e.Meta.Actor.StaffID
		d.ID, d.Project, d.District = id, e.Meta.Project, e.Meta.District
		if d.MissingTags == nil {
			d.MissingTags = []string{}
		}
		setDay := func(day string) {
			d.Day = day
			if len(day) >= 7 {
				d.Month = day[:7]
			}
			if t, err := time.ParseInLocation(time.DateOnly, day, localtime.Zone()); err == nil {
				d.Date = t
			}
		}
		switch p := p.(type) {
		case reconcile.Reconciled:
			setDay(p.Day)
			d.Reconciled, d.Custodian, d.Ledger, d.Counted, d.Note = true, by, p.Ledger, p.Counted, p.Note
			d.MissingTags = append([]string{}, p.MissingTags...)
		case reconcile.ReconciledV2:
			setDay(p.Day)
			reg := p.Register
			d.Reconciled, d.Custodian, d.Ledger, d.Register, d.Counted, d.Note = true, by, p.Ledger, &reg, p.Counted, p.Note
			d.MissingTags = append([]string{}, p.MissingTags...)
		case reconcile.DiscrepancyFound:
			setDay(p.Day)
			d.Discrepancy = true
		case reconcile.SupervisorChecked:
			setDay(p.Day)
			m := p.Matches
			d.SupervisorChecked, d.Supervisor, d.SupervisorMatches, d.SupervisorNote = true, by, &m, p.Note
		case reconcile.ReconciliationMissed:
			setDay(p.Day)
			d.Missed = true
		}
		d.Settled = d.Reconciled || d.Missed
	},
}

// CountKeys is a project's key register from the key read model (R-K3):
// every key registered, those lost (loss reported or approved), those on
// loan. It is what a reconciliation's ledger is taken from.
func CountKeys(ctx context.Context, store SearchStore, project string) (reconcile.Register, error) {
	res, err := store.Search(ctx, KeysIndex, Query{Terms: map[string][]string{KeyFieldProject: {project}}, Size: 1,
		Facets: []string{KeyFieldStatus}})
	if err != nil {
		return reconcile.Register{}, err
	}
	reg := reconcile.Register{Registered: res.Total}
	for _, f := range res.Facets[KeyFieldStatus] {
		switch f.Term {
		case string(key.StatusLost), string(key.StatusLossReported):
			reg.Lost += f.Count
		case string(key.StatusOnLoan):
			reg.OnLoan += f.Count
		}
	}
	return reg, nil
}
