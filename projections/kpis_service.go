package projections

// serviceKPIs are the KPIs of visits, vacant units, activities, the
// command centre, archives and staff, appended to KPIs() in one line.
func serviceKPIs() []KPI {
	var all []KPI
	all = append(all, staffKPIs()...)
	all = append(all, commandCentreKPIs()...)
	all = append(all, visitKPIs()...)
	all = append(all, vacantKPIs()...)
	all = append(all, activityKPIs()...)
	all = append(all, archiveKPIs()...)
	return all
}
