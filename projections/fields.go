package projections

// Field names of the read models that other packages query (the time
// rules in commands/policy). Each is a key of its read model's Schema
// (fields_test.go checks it), so a renamed field fails there rather than
// in a query that silently matches nothing.

// FieldID is the document id, a Keyword field of every read model.
const FieldID = "id"

// Fields of the work-orders read model (WorkOrder).
const (
	WorkOrderFieldStatus             = "status"
	WorkOrderFieldUrgent             = "urgent"
	WorkOrderFieldSLADeadline        = "sla_deadline"
	WorkOrderFieldSLABreached        = "sla_breached"
	WorkOrderFieldCommunicatedInSLA  = "communicated_in_sla"
	WorkOrderFieldReturnVisited      = "return_visited"
	WorkOrderFieldReturnVisitDueAt   = "return_visit_due_at"
	WorkOrderFieldReturnVisitOverdue = "return_visit_overdue"
	WorkOrderFieldProject            = "project"
	WorkOrderFieldUnit               = "unit"
	WorkOrderFieldLeak               = "leak"
	WorkOrderFieldCompletedAt        = "completed_at"
	WorkOrderFieldUrgentVisited      = "urgent_visited"
	WorkOrderFieldAfterRainVisited   = "after_rain_visited"
	WorkOrderFieldAfterRainOverdue   = "after_rain_overdue"
	WorkOrderFieldFormsUnfiled       = "forms_unfiled"
)

// Fields of the activities read model (Activity).
const (
	ActivityFieldStatus         = "status"
	ActivityFieldSummaryDueAt   = "summary_due_at"
	ActivityFieldSummaryOverdue = "summary_overdue"
)

// Fields of the complaints read model (Complaint).
const (
	ComplaintFieldStatus            = "status"
	ComplaintFieldProject           = "project"
	ComplaintFieldUnit              = "unit"
	ComplaintFieldDeadline          = "deadline"
	ComplaintFieldOverdue           = "overdue"
	ComplaintFieldNextReviewCheckAt = "next_review_check_at"
	ComplaintFieldRecordsUnfiled    = "records_unfiled"
)

// Fields of the keys read model (Key).
const (
	KeyFieldProject          = "project"
	KeyFieldRegisteredAt     = "registered_at"
	KeyFieldOnLoan           = "on_loan"
	KeyFieldDueAt            = "due_at"
	KeyFieldLoanOverdue      = "loan_overdue"
	KeyFieldLoanFormsUnfiled = "loan_forms_unfiled"
	KeyFieldStatus           = "status"
)

// Fields of the key-days read model (KeyDay).
const (
	KeyDayFieldProject = "project"
	KeyDayFieldDate    = "date"
	KeyDayFieldSettled = "settled"
)

// Fields of the fee-bills read model (FeeBill).
const (
	FeeBillFieldStatus       = "status"
	FeeBillFieldInArrears    = "in_arrears"
	FeeBillFieldNextAgeingAt = "next_ageing_at"
	FeeBillFieldProject      = "project"
	FeeBillFieldUpdatedAt    = "updated_at"
	FeeBillFieldIssuedAt     = "issued_at"
)

// Fields of the renovations read model (Renovation).
const (
	RenovationFieldProject               = "project"
	RenovationFieldStatus                = "status"
	RenovationFieldFiledAt               = "filed_at"
	RenovationFieldNextInspectionCheckAt = "next_inspection_check_at"
	RenovationFieldUnit                  = "unit"
	RenovationFieldTalkOverdue           = "talk_overdue"
	RenovationFieldNextTalkDueAt         = "next_talk_due_at"
)

// Fields of the renovation register weeks read model (RenovationRegisterWeek).
const (
	RegisterWeekFieldProject = "project"
	RegisterWeekFieldWeek    = "week"
	RegisterWeekFieldSettled = "settled"
)

// Fields of the return-visits read model (ReturnVisitDue).
const (
	ReturnVisitDueFieldStatus = "status"
	ReturnVisitDueFieldDueBy  = "due_by"
)

// Fields of the vacant-units read model (VacantUnit).
const VacantUnitFieldRegisteredAt = "registered_at"

// More fields of the vacant-units read model (R-V2).
const (
	VacantUnitFieldProject          = "project"
	VacantUnitFieldStatus           = "status"
	VacantUnitFieldWeatherOpen      = "weather_open"
	VacantUnitFieldNextWeatherDueBy = "next_weather_due_by"
)

// Fields of the archives read model (Archive).
const (
	ArchiveFieldProject   = "project"
	ArchiveFieldHousehold = "household"
	ArchiveFieldStatus    = "status"
	ArchiveFieldOpenedAt  = "opened_at"
	// ArchiveFieldCheckDueBy is when the next quarterly check falls due (R-D2).
	ArchiveFieldCheckDueBy = "check_due_by"
)

// Fields of the move-ins read model (MoveIn).
const MoveInFieldDocumentsUnfiled = "documents_unfiled"

// Fields of the fee-reconciliations read model (FeeReconciliation).
const (
	FeeReconciliationFieldProject = "project"
	FeeReconciliationFieldWeek    = "week"
)
