package commands

// Who may run which fee command (R-F1…R-F5). Butlers bill and collect in
// their district (入户收费) and chase arrears; the cashier takes payments at
// the service centre and keeps the cashier ledger, so the weekly ledger
// reconciliation is the cashier's (or the supervisor's); the supervisor
// makes the month's plan and splits it per butler.
//
//	command                    butler supervisor cashier project_manager
//	bill issue                   x        x         x
//	payment record               x        x         x
//	arrears reminder             x        x
//	collection plan set/revise            x                   x
//	ledger reconcile/explain              x         x
//	policy (arrears ageing): system actor
var (
	feeBillRoles      = []string{RoleButler, RoleSupervisor, RoleCashier}
	feePaymentRoles   = []string{RoleButler, RoleSupervisor, RoleCashier}
	feeReminderRoles  = []string{RoleButler, RoleSupervisor}
	feePlanRoles      = []string{RoleSupervisor, RoleProjectManager}
	feeReconcileRoles = []string{RoleCashier, RoleSupervisor}
)
