package commands

import "context"

// Handlers holds one handler per command, built on one store, clock and id
// generator: what the HTTP API and the policies call.
type Handlers struct {
	RegisterComplaint     RegisterComplaintHandler
	DispatchComplaint     DispatchComplaintHandler
	FollowUpComplaint     FollowUpComplaintHandler
	ExplainComplaintDelay ExplainComplaintDelayHandler
	ResolveComplaint      ResolveComplaintHandler
	ReturnVisitComplaint  ReturnVisitComplaintHandler
	CloseComplaint        CloseComplaintHandler
	EscalateComplaint     EscalateComplaintHandler
	FlagComplaintRisk     FlagComplaintRiskHandler

	RegisterWorkOrder    RegisterWorkOrderHandler
	DispatchWorkOrder    DispatchWorkOrderHandler
	StartWorkOrder       StartWorkOrderHandler
	FollowUpWorkOrder    FollowUpWorkOrderHandler
	CompleteWorkOrder    CompleteWorkOrderHandler
	ConfirmWorkOrder     ConfirmWorkOrderHandler
	ReturnVisitWorkOrder ReturnVisitWorkOrderHandler
	CloseWorkOrder       CloseWorkOrderHandler
	SLABreach            RecordSLABreachHandler
	ReturnVisitOverdue   RecordReturnVisitOverdueHandler

	RecordRainyDay RecordRainyDayHandler

	RegisterStaff   RegisterStaffHandler
	AttendTraining  AttendTrainingHandler
	AssessStaff     AssessStaffHandler
	CheckBehaviour  CheckBehaviourHandler
	HoldOneToOne    HoldOneToOneHandler
	PublishSanction PublishSanctionHandler

	OpenShift             OpenShiftHandler
	LogMessage            LogMessageHandler
	HandleMessage         HandleMessageHandler
	HandOverShift         HandOverShiftHandler
	CloseShift            CloseShiftHandler
	ReportEmergency       ReportEmergencyHandler
	CompleteEmergencyStep CompleteEmergencyStepHandler
	CloseEmergency        CloseEmergencyHandler
	RecordDrill           RecordDrillHandler
	RecordHandoverCheck   RecordHandoverCheckHandler

	PlanVisits              PlanVisitsHandler
	RecordVisit             RecordVisitHandler
	RectifyOpinion          RectifyOpinionHandler
	FeedBackOpinion         FeedBackOpinionHandler
	WarnCommonProblem       WarnCommonProblemHandler
	RecordMisfortune        RecordMisfortuneHandler
	SatisfyReturnVisit      SatisfyReturnVisitHandler
	OpenRequiredReturnVisit OpenRequiredReturnVisitHandler
	MarkReturnVisitOverdue  MarkReturnVisitOverdueHandler

	RegisterVacantUnit       RegisterVacantUnitHandler
	ServiceVacantUnit        ServiceVacantUnitHandler
	WeatherServiceVacantUnit WeatherServiceVacantUnitHandler
	VacantFinding            VacantFindingHandler
	OccupyVacantUnit         OccupyVacantUnitHandler
	RecordVacantMonth        RecordVacantMonthHandler
	RecordPatrol             RecordPatrolHandler
	ReportPatrolFinding      ReportPatrolFindingHandler

	ActivityPlan    ActivityPlanHandler
	ProposeActivity ProposeActivityHandler
	ActOnActivity   ActOnActivityHandler

	OpenArchive  OpenArchiveHandler
	ActOnArchive ActOnArchiveHandler
	ReadArchive  ReadArchiveHandler

	RecordSupervisorPatrol RecordSupervisorPatrolHandler
	RecordSpotCheck        RecordSpotCheckHandler
	CorrectSpotCheck       CorrectSpotCheckHandler
	FileIntegrityReport    FileIntegrityReportHandler
	HandleIntegrityReport  HandleIntegrityReportHandler
	DraftTrainingPlan      DraftTrainingPlanHandler
	ApproveTrainingPlan    ApproveTrainingPlanHandler
	RecordTrainingSession  RecordTrainingSessionHandler

	RegisterKey             RegisterKeyHandler
	LendKey                 LendKeyHandler
	ReturnKey               ReturnKeyHandler
	ReportKeyLoss           ReportKeyLossHandler
	ApproveKeyLoss          ApproveKeyLossHandler
	ReconcileKeys           ReconcileKeysHandler
	CheckKeyRegister        CheckKeyRegisterHandler
	KeyLoanOverdue          RecordKeyLoanOverdueHandler
	KeyReconciliationMissed RecordKeyReconciliationMissedHandler
	FileKeyLoanForm         FileKeyLoanFormHandler

	IssueBill             IssueBillHandler
	RecordFeePayment      RecordFeePaymentHandler
	RemindArrears         RemindArrearsHandler
	SetCollectionPlan     SetCollectionPlanHandler
	ReviseCollectionPlan  ReviseCollectionPlanHandler
	ReconcileFeeLedgers   ReconcileFeeLedgersHandler
	ExplainLedgerMismatch ExplainLedgerMismatchHandler
	ArrearsAgeing         RecordArrearsAgeingHandler

	FileRenovation                 FileRenovationHandler
	FileRenovationDocument         FileRenovationDocumentHandler
	ApproveRenovation              ApproveRenovationHandler
	CheckRenovationSite            CheckRenovationSiteHandler
	BriefRenovationRules           BriefRenovationRulesHandler
	StartRenovation                StartRenovationHandler
	InspectRenovation              InspectRenovationHandler
	RecordRenovationViolation      RecordRenovationViolationHandler
	RectifyRenovationViolation     RectifyRenovationViolationHandler
	CloseRenovationViolation       CloseRenovationViolationHandler
	CompleteRenovation             CompleteRenovationHandler
	InspectRenovationForAcceptance InspectRenovationForAcceptanceHandler
	FixRenovationFinding           FixRenovationFindingHandler
	CloseRenovation                CloseRenovationHandler
	CheckRenovationRegister        CheckRenovationRegisterHandler
	MissedInspections              RecordMissedInspectionsHandler
	RegisterChecksShort            RecordRegisterChecksShortHandler

	OpenMoveIn                  OpenMoveInHandler
	ReviewMoveInDocuments       ReviewMoveInDocumentsHandler
	CollectMoveInFees           CollectMoveInFeesHandler
	SignMoveInAgreements        SignMoveInAgreementsHandler
	FillMoveInForms             FillMoveInFormsHandler
	InspectMoveInUnit           InspectMoveInUnitHandler
	HandOverMoveInKeys          HandOverMoveInKeysHandler
	HandMoveInDefectToDeveloper HandMoveInDefectToDeveloperHandler
	ResolveMoveInDefect         ResolveMoveInDefectHandler
	RecordMoveInOccupied        RecordMoveInOccupiedHandler
}

// NewHandlers builds every handler with UUIDv7 ids.
func NewHandlers(store EventStore, clock Clock) *Handlers {
	return &Handlers{
		RegisterComplaint:     NewRegisterComplaintHandler(store, clock, nil),
		DispatchComplaint:     NewDispatchComplaintHandler(store, clock, nil).WithStaff(NewEventStaffDirectory(store)),
		FollowUpComplaint:     NewFollowUpComplaintHandler(store, clock, nil),
		ExplainComplaintDelay: NewExplainComplaintDelayHandler(store, clock, nil),
		ResolveComplaint:      NewResolveComplaintHandler(store, clock, nil),
		ReturnVisitComplaint:  NewReturnVisitComplaintHandler(store, clock, nil),
		CloseComplaint:        NewCloseComplaintHandler(store, clock, nil),
		EscalateComplaint:     NewEscalateComplaintHandler(store, clock, nil),
		FlagComplaintRisk:     NewFlagComplaintRiskHandler(store, clock, nil),

		RegisterWorkOrder:    NewRegisterWorkOrderHandler(store, clock, nil),
		DispatchWorkOrder:    NewDispatchWorkOrderHandler(store, clock, nil).WithStaff(NewEventStaffDirectory(store)),
		StartWorkOrder:       NewStartWorkOrderHandler(store, clock, nil),
		FollowUpWorkOrder:    NewFollowUpWorkOrderHandler(store, clock, nil),
		CompleteWorkOrder:    NewCompleteWorkOrderHandler(store, clock, nil),
		ConfirmWorkOrder:     NewConfirmWorkOrderHandler(store, clock, nil),
		ReturnVisitWorkOrder: NewReturnVisitWorkOrderHandler(store, clock, nil),
		CloseWorkOrder:       NewCloseWorkOrderHandler(store, clock, nil),
		SLABreach:            NewRecordSLABreachHandler(store, clock, nil),
		ReturnVisitOverdue:   NewRecordReturnVisitOverdueHandler(store, clock, nil),

		RecordRainyDay: NewRecordRainyDayHandler(store, clock, nil),

		RegisterStaff:   NewRegisterStaffHandler(store, clock, nil),
		AttendTraining:  NewAttendTrainingHandler(store, clock, nil),
		AssessStaff:     NewAssessStaffHandler(store, clock, nil),
		CheckBehaviour:  NewCheckBehaviourHandler(store, clock, nil),
		HoldOneToOne:    NewHoldOneToOneHandler(store, clock, nil),
		PublishSanction: NewPublishSanctionHandler(store, clock, nil),

		OpenShift:             NewOpenShiftHandler(store, clock, nil),
		LogMessage:            NewLogMessageHandler(store, clock, nil),
		HandleMessage:         NewHandleMessageHandler(store, clock, nil),
		HandOverShift:         NewHandOverShiftHandler(store, clock, nil),
		CloseShift:            NewCloseShiftHandler(store, clock, nil),
		ReportEmergency:       NewReportEmergencyHandler(store, clock, nil),
		CompleteEmergencyStep: NewCompleteEmergencyStepHandler(store, clock, nil),
		CloseEmergency:        NewCloseEmergencyHandler(store, clock, nil),
		RecordDrill:           NewRecordDrillHandler(store, clock, nil),
		RecordHandoverCheck:   NewRecordHandoverCheckHandler(store, clock, nil),

		PlanVisits:              NewPlanVisitsHandler(store, clock, nil),
		RecordVisit:             NewRecordVisitHandler(store, clock, nil),
		RectifyOpinion:          NewRectifyOpinionHandler(store, clock, nil),
		FeedBackOpinion:         NewFeedBackOpinionHandler(store, clock, nil),
		WarnCommonProblem:       NewWarnCommonProblemHandler(store, clock, nil),
		RecordMisfortune:        NewRecordMisfortuneHandler(store, clock, nil),
		SatisfyReturnVisit:      NewSatisfyReturnVisitHandler(store, clock, nil),
		OpenRequiredReturnVisit: NewOpenRequiredReturnVisitHandler(store, clock, nil),
		MarkReturnVisitOverdue:  NewMarkReturnVisitOverdueHandler(store, clock, nil),

		RegisterVacantUnit:       NewRegisterVacantUnitHandler(store, clock, nil),
		ServiceVacantUnit:        NewServiceVacantUnitHandler(store, clock, nil),
		WeatherServiceVacantUnit: NewWeatherServiceVacantUnitHandler(store, clock, nil),
		VacantFinding:            NewVacantFindingHandler(store, clock, nil),
		OccupyVacantUnit:         NewOccupyVacantUnitHandler(store, clock, nil),
		RecordVacantMonth:        NewRecordVacantMonthHandler(store, clock, nil),
		RecordPatrol:             NewRecordPatrolHandler(store, clock, nil),
		ReportPatrolFinding:      NewReportPatrolFindingHandler(store, clock, nil),

		ActivityPlan:    NewActivityPlanHandler(store, clock, nil),
		ProposeActivity: NewProposeActivityHandler(store, clock, nil),
		ActOnActivity:   NewActOnActivityHandler(store, clock, nil),

		OpenArchive:  NewOpenArchiveHandler(store, clock, nil),
		ActOnArchive: NewActOnArchiveHandler(store, clock, nil),
		ReadArchive:  NewReadArchiveHandler(store, clock, nil),

		RecordSupervisorPatrol: NewRecordSupervisorPatrolHandler(store, clock, nil),
		RecordSpotCheck:        NewRecordSpotCheckHandler(store, clock, nil),
		CorrectSpotCheck:       NewCorrectSpotCheckHandler(store, clock, nil),
		FileIntegrityReport:    NewFileIntegrityReportHandler(store, clock, nil),
		HandleIntegrityReport:  NewHandleIntegrityReportHandler(store, clock, nil),
		DraftTrainingPlan:      NewDraftTrainingPlanHandler(store, clock, nil),
		ApproveTrainingPlan:    NewApproveTrainingPlanHandler(store, clock, nil),
		RecordTrainingSession:  NewRecordTrainingSessionHandler(store, clock, nil),

		RegisterKey:             NewRegisterKeyHandler(store, clock, nil),
		LendKey:                 NewLendKeyHandler(store, clock, nil),
		ReturnKey:               NewReturnKeyHandler(store, clock, nil),
		ReportKeyLoss:           NewReportKeyLossHandler(store, clock, nil),
		ApproveKeyLoss:          NewApproveKeyLossHandler(store, clock, nil),
		ReconcileKeys:           NewReconcileKeysHandler(store, clock, nil),
		CheckKeyRegister:        NewCheckKeyRegisterHandler(store, clock, nil),
		KeyLoanOverdue:          NewRecordKeyLoanOverdueHandler(store, clock, nil),
		KeyReconciliationMissed: NewRecordKeyReconciliationMissedHandler(store, clock, nil),
		FileKeyLoanForm:         NewFileKeyLoanFormHandler(store, clock, nil),

		IssueBill:             NewIssueBillHandler(store, clock, nil),
		RecordFeePayment:      NewRecordFeePaymentHandler(store, clock, nil),
		RemindArrears:         NewRemindArrearsHandler(store, clock, nil),
		SetCollectionPlan:     NewSetCollectionPlanHandler(store, clock, nil),
		ReviseCollectionPlan:  NewReviseCollectionPlanHandler(store, clock, nil),
		ReconcileFeeLedgers:   NewReconcileFeeLedgersHandler(store, clock, nil),
		ExplainLedgerMismatch: NewExplainLedgerMismatchHandler(store, clock, nil),
		ArrearsAgeing:         NewRecordArrearsAgeingHandler(store, clock, nil),

		FileRenovation:                 NewFileRenovationHandler(store, clock, nil),
		FileRenovationDocument:         NewFileRenovationDocumentHandler(store, clock, nil),
		ApproveRenovation:              NewApproveRenovationHandler(store, clock, nil),
		CheckRenovationSite:            NewCheckRenovationSiteHandler(store, clock, nil),
		BriefRenovationRules:           NewBriefRenovationRulesHandler(store, clock, nil),
		StartRenovation:                NewStartRenovationHandler(store, clock, nil),
		InspectRenovation:              NewInspectRenovationHandler(store, clock, nil),
		RecordRenovationViolation:      NewRecordRenovationViolationHandler(store, clock, nil),
		RectifyRenovationViolation:     NewRectifyRenovationViolationHandler(store, clock, nil),
		CloseRenovationViolation:       NewCloseRenovationViolationHandler(store, clock, nil),
		CompleteRenovation:             NewCompleteRenovationHandler(store, clock, nil),
		InspectRenovationForAcceptance: NewInspectRenovationForAcceptanceHandler(store, clock, nil),
		FixRenovationFinding:           NewFixRenovationFindingHandler(store, clock, nil),
		CloseRenovation:                NewCloseRenovationHandler(store, clock, nil),
		CheckRenovationRegister:        NewCheckRenovationRegisterHandler(store, clock, nil),
		MissedInspections:              NewRecordMissedInspectionsHandler(store, clock, nil),
		RegisterChecksShort:            NewRecordRegisterChecksShortHandler(store, clock, nil),

		OpenMoveIn:                  NewOpenMoveInHandler(store, clock, nil),
		ReviewMoveInDocuments:       NewReviewMoveInDocumentsHandler(store, clock, nil),
		CollectMoveInFees:           NewCollectMoveInFeesHandler(store, clock, nil),
		SignMoveInAgreements:        NewSignMoveInAgreementsHandler(store, clock, nil),
		FillMoveInForms:             NewFillMoveInFormsHandler(store, clock, nil),
		InspectMoveInUnit:           NewInspectMoveInUnitHandler(store, clock, nil),
		HandOverMoveInKeys:          NewHandOverMoveInKeysHandler(store, clock, nil),
		HandMoveInDefectToDeveloper: NewHandMoveInDefectToDeveloperHandler(store, clock, nil),
		ResolveMoveInDefect:         NewResolveMoveInDefectHandler(store, clock, nil),
		RecordMoveInOccupied:        NewRecordMoveInOccupiedHandler(store, clock, nil),
	}
}

// RecordSLABreach runs the R-W3 policy on one work order; it reports
// whether a breach was recorded now.
func (h *Handlers) RecordSLABreach(ctx context.Context, workOrderID string) (bool, error) {
	r, err := h.SLABreach.Handle(ctx, Meta{}, RecordSLABreach{WorkOrderID: workOrderID})
	return r.Recorded, err
}

// RecordReturnVisitOverdue runs the R-W5 urgent-repair policy on one work
// order; it reports whether the overdue visit was recorded now.
func (h *Handlers) RecordReturnVisitOverdue(ctx context.Context, workOrderID string) (bool, error) {
	r, err := h.ReturnVisitOverdue.Handle(ctx, Meta{}, RecordReturnVisitOverdue{WorkOrderID: workOrderID})
	return r.Recorded, err
}
