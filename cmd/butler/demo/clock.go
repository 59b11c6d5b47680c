// Package demo generates a compound's operations (片区管家 demo data) through
// the real command handlers, so every event obeys the domain rules: staff,
// rainy days, complaints and repairs over a number of months, with Chinese
// names and descriptions and a satisfaction that drifts month by month.
//
// Generation is deterministic for a seed and an end date: the clock is
// moved by the generator, ids come from a seeded generator (in UUIDv7
// layout), and the event store records the simulated time.
package demo

import (
	"encoding/binary"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/butler-pm/butler/commands"
)

// Clock is the simulated time the generator moves. The embedded store's
// writer goroutine reads it too, hence the lock.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock starts at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the simulated time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock; it never goes backwards, so $all stays in time order.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	if t.After(c.t) {
		c.t = t
	}
	c.mu.Unlock()
}

// NewIDs returns an id generator seeded with seed: UUIDv7 layout (the
// clock's millisecond timestamp, version and variant bits), random bits
// from a seeded PCG, so the same seed and clock give the same ids.
func NewIDs(seed uint64, clock commands.Clock) commands.IDGenerator {
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	return func() (string, error) {
		mu.Lock()
		defer mu.Unlock()
		var u uuid.UUID
		ms := uint64(clock.Now().UnixMilli())
		u[0], u[1], u[2], u[3], u[4], u[5] = byte(ms>>40), byte(ms>>32), byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms)
		binary.BigEndian.PutUint16(u[6:8], uint16(rng.Uint32()))
		binary.BigEndian.PutUint64(u[8:16], rng.Uint64())
		u[6] = (u[6] & 0x0f) | 0x70 // version 7
		u[8] = (u[8] & 0x3f) | 0x80 // RFC 9562 variant
		return u.String(), nil
	}
}

// NewHandlers builds the command handlers the generator uses on store,
// with the given clock and id generator; dispatch consults the staff
// register (R-S2) as in the program.
func NewHandlers(store commands.EventStore, clock commands.Clock, ids commands.IDGenerator) *commands.Handlers {
	staff := commands.NewEventStaffDirectory(store)
	return &commands.Handlers{
		RegisterComplaint:     commands.NewRegisterComplaintHandler(store, clock, ids),
		DispatchComplaint:     commands.NewDispatchComplaintHandler(store, clock, ids).WithStaff(staff),
		FollowUpComplaint:     commands.NewFollowUpComplaintHandler(store, clock, ids),
		ExplainComplaintDelay: commands.NewExplainComplaintDelayHandler(store, clock, ids),
		ResolveComplaint:      commands.NewResolveComplaintHandler(store, clock, ids),
		ReturnVisitComplaint:  commands.NewReturnVisitComplaintHandler(store, clock, ids),
		CloseComplaint:        commands.NewCloseComplaintHandler(store, clock, ids),
		EscalateComplaint:     commands.NewEscalateComplaintHandler(store, clock, ids),
		FlagComplaintRisk:     commands.NewFlagComplaintRiskHandler(store, clock, ids),

		RegisterWorkOrder:    commands.NewRegisterWorkOrderHandler(store, clock, ids),
		DispatchWorkOrder:    commands.NewDispatchWorkOrderHandler(store, clock, ids).WithStaff(staff),
		StartWorkOrder:       commands.NewStartWorkOrderHandler(store, clock, ids),
		FollowUpWorkOrder:    commands.NewFollowUpWorkOrderHandler(store, clock, ids),
		CompleteWorkOrder:    commands.NewCompleteWorkOrderHandler(store, clock, ids),
		ConfirmWorkOrder:     commands.NewConfirmWorkOrderHandler(store, clock, ids),
		ReturnVisitWorkOrder: commands.NewReturnVisitWorkOrderHandler(store, clock, ids),
		CloseWorkOrder:       commands.NewCloseWorkOrderHandler(store, clock, ids),
		SLABreach:            commands.NewRecordSLABreachHandler(store, clock, ids),
		ReturnVisitOverdue:   commands.NewRecordReturnVisitOverdueHandler(store, clock, ids),

		RecordRainyDay: commands.NewRecordRainyDayHandler(store, clock, ids),

		RegisterStaff:   commands.NewRegisterStaffHandler(store, clock, ids),
		AttendTraining:  commands.NewAttendTrainingHandler(store, clock, ids),
		AssessStaff:     commands.NewAssessStaffHandler(store, clock, ids),
		CheckBehaviour:  commands.NewCheckBehaviourHandler(store, clock, ids),
		HoldOneToOne:    commands.NewHoldOneToOneHandler(store, clock, ids),
		PublishSanction: commands.NewPublishSanctionHandler(store, clock, ids),

		OpenShift:             commands.NewOpenShiftHandler(store, clock, ids),
		LogMessage:            commands.NewLogMessageHandler(store, clock, ids),
		HandleMessage:         commands.NewHandleMessageHandler(store, clock, ids),
		HandOverShift:         commands.NewHandOverShiftHandler(store, clock, ids),
		CloseShift:            commands.NewCloseShiftHandler(store, clock, ids),
		ReportEmergency:       commands.NewReportEmergencyHandler(store, clock, ids),
		CompleteEmergencyStep: commands.NewCompleteEmergencyStepHandler(store, clock, ids),
		CloseEmergency:        commands.NewCloseEmergencyHandler(store, clock, ids),
		RecordDrill:           commands.NewRecordDrillHandler(store, clock, ids),
		RecordHandoverCheck:   commands.NewRecordHandoverCheckHandler(store, clock, ids),

		PlanVisits:              commands.NewPlanVisitsHandler(store, clock, ids),
		RecordVisit:             commands.NewRecordVisitHandler(store, clock, ids),
		RectifyOpinion:          commands.NewRectifyOpinionHandler(store, clock, ids),
		FeedBackOpinion:         commands.NewFeedBackOpinionHandler(store, clock, ids),
		WarnCommonProblem:       commands.NewWarnCommonProblemHandler(store, clock, ids),
		RecordMisfortune:        commands.NewRecordMisfortuneHandler(store, clock, ids),
		SatisfyReturnVisit:      commands.NewSatisfyReturnVisitHandler(store, clock, ids),
		OpenRequiredReturnVisit: commands.NewOpenRequiredReturnVisitHandler(store, clock, ids),
		MarkReturnVisitOverdue:  commands.NewMarkReturnVisitOverdueHandler(store, clock, ids),

		RegisterVacantUnit:       commands.NewRegisterVacantUnitHandler(store, clock, ids),
		ServiceVacantUnit:        commands.NewServiceVacantUnitHandler(store, clock, ids),
		WeatherServiceVacantUnit: commands.NewWeatherServiceVacantUnitHandler(store, clock, ids),
		VacantFinding:            commands.NewVacantFindingHandler(store, clock, ids),
		OccupyVacantUnit:         commands.NewOccupyVacantUnitHandler(store, clock, ids),
		RecordVacantMonth:        commands.NewRecordVacantMonthHandler(store, clock, ids),
		RecordPatrol:             commands.NewRecordPatrolHandler(store, clock, ids),
		ReportPatrolFinding:      commands.NewReportPatrolFindingHandler(store, clock, ids),

		ActivityPlan:    commands.NewActivityPlanHandler(store, clock, ids),
		ProposeActivity: commands.NewProposeActivityHandler(store, clock, ids),
		ActOnActivity:   commands.NewActOnActivityHandler(store, clock, ids),

		OpenArchive:  commands.NewOpenArchiveHandler(store, clock, ids),
		ActOnArchive: commands.NewActOnArchiveHandler(store, clock, ids),
		ReadArchive:  commands.NewReadArchiveHandler(store, clock, ids),

		RecordSupervisorPatrol: commands.NewRecordSupervisorPatrolHandler(store, clock, ids),
		RecordSpotCheck:        commands.NewRecordSpotCheckHandler(store, clock, ids),
		CorrectSpotCheck:       commands.NewCorrectSpotCheckHandler(store, clock, ids),
		FileIntegrityReport:    commands.NewFileIntegrityReportHandler(store, clock, ids),
		HandleIntegrityReport:  commands.NewHandleIntegrityReportHandler(store, clock, ids),

		RegisterKey:             commands.NewRegisterKeyHandler(store, clock, ids),
		LendKey:                 commands.NewLendKeyHandler(store, clock, ids),
		ReturnKey:               commands.NewReturnKeyHandler(store, clock, ids),
		ReportKeyLoss:           commands.NewReportKeyLossHandler(store, clock, ids),
		ApproveKeyLoss:          commands.NewApproveKeyLossHandler(store, clock, ids),
		ReconcileKeys:           commands.NewReconcileKeysHandler(store, clock, ids),
		CheckKeyRegister:        commands.NewCheckKeyRegisterHandler(store, clock, ids),
		KeyLoanOverdue:          commands.NewRecordKeyLoanOverdueHandler(store, clock, ids),
		KeyReconciliationMissed: commands.NewRecordKeyReconciliationMissedHandler(store, clock, ids),

		IssueBill:             commands.NewIssueBillHandler(store, clock, ids),
		RecordFeePayment:      commands.NewRecordFeePaymentHandler(store, clock, ids),
		RemindArrears:         commands.NewRemindArrearsHandler(store, clock, ids),
		SetCollectionPlan:     commands.NewSetCollectionPlanHandler(store, clock, ids),
		ReviseCollectionPlan:  commands.NewReviseCollectionPlanHandler(store, clock, ids),
		ReconcileFeeLedgers:   commands.NewReconcileFeeLedgersHandler(store, clock, ids),
		ExplainLedgerMismatch: commands.NewExplainLedgerMismatchHandler(store, clock, ids),
		ArrearsAgeing:         commands.NewRecordArrearsAgeingHandler(store, clock, ids),

		FileRenovation:                 commands.NewFileRenovationHandler(store, clock, ids),
		FileRenovationDocument:         commands.NewFileRenovationDocumentHandler(store, clock, ids),
		ApproveRenovation:              commands.NewApproveRenovationHandler(store, clock, ids),
		CheckRenovationSite:            commands.NewCheckRenovationSiteHandler(store, clock, ids),
		BriefRenovationRules:           commands.NewBriefRenovationRulesHandler(store, clock, ids),
		StartRenovation:                commands.NewStartRenovationHandler(store, clock, ids),
		InspectRenovation:              commands.NewInspectRenovationHandler(store, clock, ids),
		RecordRenovationViolation:      commands.NewRecordRenovationViolationHandler(store, clock, ids),
		RectifyRenovationViolation:     commands.NewRectifyRenovationViolationHandler(store, clock, ids),
		CloseRenovationViolation:       commands.NewCloseRenovationViolationHandler(store, clock, ids),
		CompleteRenovation:             commands.NewCompleteRenovationHandler(store, clock, ids),
		InspectRenovationForAcceptance: commands.NewInspectRenovationForAcceptanceHandler(store, clock, ids),
		FixRenovationFinding:           commands.NewFixRenovationFindingHandler(store, clock, ids),
		CloseRenovation:                commands.NewCloseRenovationHandler(store, clock, ids),
		CheckRenovationRegister:        commands.NewCheckRenovationRegisterHandler(store, clock, ids),
		MissedInspections:              commands.NewRecordMissedInspectionsHandler(store, clock, ids),
		RegisterChecksShort:            commands.NewRecordRegisterChecksShortHandler(store, clock, ids),

		OpenMoveIn:                  commands.NewOpenMoveInHandler(store, clock, ids),
		ReviewMoveInDocuments:       commands.NewReviewMoveInDocumentsHandler(store, clock, ids),
		CollectMoveInFees:           commands.NewCollectMoveInFeesHandler(store, clock, ids),
		SignMoveInAgreements:        commands.NewSignMoveInAgreementsHandler(store, clock, ids),
		FillMoveInForms:             commands.NewFillMoveInFormsHandler(store, clock, ids),
		InspectMoveInUnit:           commands.NewInspectMoveInUnitHandler(store, clock, ids),
		HandOverMoveInKeys:          commands.NewHandOverMoveInKeysHandler(store, clock, ids),
		HandMoveInDefectToDeveloper: commands.NewHandMoveInDefectToDeveloperHandler(store, clock, ids),
		ResolveMoveInDefect:         commands.NewResolveMoveInDefectHandler(store, clock, ids),
		RecordMoveInOccupied:        commands.NewRecordMoveInOccupiedHandler(store, clock, ids),
	}
}
