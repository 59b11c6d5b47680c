package httpapi

import "github.com/butler-pm/butler/projections"

// Chinese column headers of exports. fieldHeaders names the fields most
// read models share; indexHeaders gives a record type's own meaning where
// a field's name says less (a "by" is a drill's organiser, a "kind" a
// kind of what). A field with no header keeps its name (a test lists every
// indexed field without one).
var fieldHeaders = map[string]string{
	"id": "编号", "project": "项目", "district": "片区", "unit": "房屋", "unit_id": "房屋编号", "household": "住户",
	"butler": "管家", "butlers": "管家", "status": "状态", "month": "月份", "months": "月份", "kind": "类型",
	"category": "类别", "description": "描述", "soothing": "安抚", "notes": "备注", "note": "备注",
	"registered_by": "登记人", "registered_at": "登记时间", "assignee": "处理人", "level": "处理级别",
	"communications": "沟通记录", "delays": "延期说明", "expected_by": "预计完成时间", "resolution": "处理结果",
	"resolved_at": "解决时间", "return_visit": "回访", "return_visited": "已回访", "satisfaction": "满意度",
	"visit_comment": "回访意见", "closed_at": "关闭时间", "escalations": "升级记录", "risk_flagged": "群诉风险",
	"risk_reason": "风险原因", "warn": "预警对象", "updated_at": "更新时间", "area": "区域", "warranty": "保修",
	"paid": "有偿服务", "urgent": "紧急", "leak": "漏水", "confirmed": "业主确认", "result": "维修结果",
	"sla_deadline": "三天时限", "sla_breached": "超时未沟通", "communicated_in_sla": "时限内已沟通",
	"completed_at": "完成时间", "return_visit_due_at": "回访截止时间", "return_visit_in_time": "按时回访",
	"return_visit_overdue": "回访逾期", "tag": "标签", "custodian": "钥匙管理员", "borrower": "借用人",
	"accountable": "责任人", "on_loan": "借出中", "loan_overdue": "借用逾期", "loss_reported": "已报失", "lost": "已遗失",
	"lost_month": "遗失月份", "lost_at": "遗失时间", "loan_forms_unfiled": "借用单未归档", "loan_forms_pending": "待归档借用单",
	"due_at": "到期时间", "day": "日期", "date": "日期", "ledger": "台账数", "counted": "清点数", "reconciled": "已盘点",
	"missed": "漏做", "settled": "已结算", "discrepancy": "账实不符", "supervisor": "主管", "supervisor_checked": "主管已核查",
	"missing_tags": "缺失钥匙", "period": "账期", "arrears_bucket": "欠费账龄", "receipts": "收据号", "in_arrears": "欠费",
	"text": "内容", "next_ageing_at": "下次账龄变化时间", "issued_at": "开单时间", "amount_fen": "金额（分）",
	"paid_fen": "已缴（分）", "outstanding_fen": "未缴（分）", "set_by": "制定人", "set_at": "制定时间",
	"total_target_fen": "计划总额（分）", "targets": "目标", "week": "周", "reconciled_by": "对账人", "mismatch": "不一致",
	"explained": "已说明", "open": "未结", "explanation": "说明", "difference_fen": "差额（分）", "reconciled_at": "对账时间",
	"plan_id": "计划编号", "bills": "账单", "target_fen": "目标（分）", "collected_fen": "已收（分）",
	"missing_documents": "缺少资料", "started_day": "开工日期", "contractor": "施工单位", "site_checked": "已现场查看",
	"briefed": "已交底", "has_open_violations": "有未整改违规", "filed_at": "备案时间", "started_at": "开工时间",
	"next_inspection_check_at": "下次巡查检查时间", "renovation_id": "装修编号", "failed": "不合格项", "inspected": "已巡查",
	"reported_to": "报告对象", "rectified": "已整改", "closed": "已关闭", "recorded_at": "记录时间", "checkers": "核对人",
	"met": "达标", "short": "不足", "checks": "核对次数", "missed_months": "漏做月份", "open_findings": "未处理发现",
	"inspection": "巡检", "ventilation": "通风", "cleaning": "保洁", "compliant": "达标", "areas": "区域", "findings": "发现问题",
	"at": "时间", "approvals": "审批", "title": "标题", "content": "内容", "organisation": "组织", "publicity": "宣传",
	"risks": "风险", "summary": "总结", "held_at": "举办时间", "retain_until": "保留至", "summary_due_at": "总结截止时间",
	"lead_days": "提前天数", "participants": "参与人数", "coverage": "调查覆盖率", "budget_fen": "预算（分）", "large": "大型活动",
	"approved_in_time": "按时审批", "coverage_met": "覆盖达标", "summary_overdue": "总结逾期", "summary_in_time": "按时总结",
	"year": "年度", "survey_findings": "调查结果", "activities": "活动", "surveyed_at": "调查时间", "responses": "问卷数",
	"satisfied": "满意数", "operator": "值班员", "previous": "上一班", "open_messages": "未处理留言", "night": "夜班",
	"opened_at": "开班时间", "shift": "班次", "current_shift": "当前班次", "from": "来源", "received_at": "接收时间",
	"handled": "已处理", "handed_over": "已交接", "unhandled": "未处理", "type": "类型", "location": "地点",
	"reported_at": "报告时间", "by": "记录人", "passed": "通过", "households": "住户", "planned_at": "计划时间",
	"visit_ratio": "走访比例", "planned_ratio": "计划比例", "ratio_met": "比例达标", "visit_kind": "走访类型",
	"visit_id": "走访编号", "opinions": "意见", "opinion": "意见", "action": "整改措施", "warnings": "预警",
	"festival": "春节走访", "duplicate": "重复走访", "fed_back": "已反馈", "reason": "原因", "source": "来源",
	"since": "起始时间", "due_by": "截止时间", "done_at": "完成时间", "overdue": "逾期", "on_time": "按时",
	"name": "姓名", "role": "岗位", "trained": "已培训", "onboarded": "已上岗", "owner": "业主", "phone": "电话",
	"phones": "全部电话", "masked": "已脱敏", "erased": "已删除", "owner_masked": "业主信息已脱敏", "owner_erased": "业主信息已删除", "messages": "留言", "handed_to": "交接给",
	"document": "资料", "documents": "资料", "archive_id": "档案编号", "reader": "查阅人", "route": "接口",
	"units": "房屋", "subject": "事项", "work_order_id": "工单编号", "move_in_id": "入住编号", "steps": "步骤",
	"steps_completed": "已完成步骤数", "completed": "已完成", "defects": "问题", "developer_ref": "移交编号",
	"fixed": "已修复", "found_at": "发现时间", "occupied": "已入住", "assessments": "考核", "trainer": "培训人",
	"sessions": "培训场次", "attendees": "参加人", "topic": "主题", "planned_on": "计划日期", "spot_checked": "已抽查",
	"matches": "相符", "corrected": "已纠正", "behaviour_checks": "行为规范检查", "behaviour_failed": "行为规范不合格",
	"one_to_ones": "一对一谈话", "catalogue": "目录", "loans": "借阅", "returned_at": "归还时间", "lent_at": "借出时间",
	"lent_by": "借出人", "approved_by": "审批人", "approved_at": "审批时间", "stage": "阶段", "total": "合计",
	"events": "事件", "position": "位置", "actor": "操作人", "seq": "序号", "occurred_at": "发生时间",
	"correlation_id": "关联编号", "causation_id": "起因编号", "stream": "记录流", "revision": "版本", "data": "内容",
	"contact_at": "联系方式登记时间", "erased_at": "删除时间", "staff": "员工", "loss_note": "遗失说明",
	"supervisor_note": "主管备注", "days_overdue": "逾期天数", "total_fen": "应缴（分）", "open_violations": "未整改违规",
	"open_defects": "未解决问题", "steps_done": "已完成步骤", "steps_missing": "未完成步骤", "resolved": "已解决",
	"one_to_one_months": "一对一谈话月份", "record": "记录", "registered": "已登记", "last_check_at": "最近核查时间",
	"last_check_matches": "最近核查相符", "loss_reason": "遗失原因", "missing": "缺失", "signed_by": "签批人",
	"problem": "问题", "problems": "问题", "report": "报告", "drafted_at": "起草时间", "drafted_by": "起草人",
	"held": "已举办", "planned": "计划",
	// Fields of read models that other branches add (R-C2, R-C5, R-C7, R-C8, R-W5, R-W7, R-W8, R-H6, R-S7, R-D2…).
	"deadline": "处理时限", "important": "重要投诉", "important_reason": "重要原因", "missed_review_days": "主管漏查日期",
	"next_review_check_at": "下次主管查看检查时间", "overdue_at": "逾期时间", "overdue_unexplained": "逾期未说明",
	"records_unfiled": "记录未归档", "resolved_in_time": "按时解决", "review_days": "主管查看日期", "review_missed": "主管漏查",
	"valid": "有效投诉", "validity_reason": "有效性理由", "after_rain_due_by": "雨后回访截止时间", "after_rain_overdue": "雨后回访逾期",
	"after_rain_visit_in_time": "雨后按时回访", "after_rain_visited": "雨后已回访", "after_rainy_day": "完工后雨天",
	"forms_filed": "单据已归档", "forms_unfiled": "单据未归档", "rained_after_completion": "完工后已下雨", "sign_off_role": "签收角色",
	"urgent_visited": "紧急维修已回访", "verification_note": "核实说明", "verification_result": "核实结果", "verified": "已核实",
	"visit_found_false": "回访不实", "visit_month": "回访月份", "visits_made": "已回访次数", "visits_required": "应回访次数",
	"appraisal_overdue_months": "考核逾期月份", "appraised_months": "已考核月份", "one_to_one_weeks": "一对一谈话周",
	"patrol_missed_weeks": "漏巡查周", "profiled": "已建档", "talk_missed_weeks": "漏谈话周", "attempts": "尝试次数",
	"relative_conflict": "亲属回避冲突", "key_client": "重点客户", "rated": "已评分", "check_due_by": "核查截止时间",
	"checked_quarters": "已核查季度", "checks_missed": "漏核查", "missed_quarters": "漏核查季度",
	"assignment": "派工", "untrained": "未培训", "what": "事项", "purpose": "用途", "reason_code": "原因代码",
	// R-F6, R-R7, R-M3, R-V2.
	"guided": "已疏导", "influential": "有影响力业主欠费", "last_talk_at": "最近沟通时间", "next_talk_due_at": "下次沟通截止时间",
	"talk_overdue": "沟通逾期", "talk_overdue_months": "沟通逾期月份", "documents_unfiled": "资料未归档",
	"next_weather_due_by": "特殊天气服务截止时间", "weather_days": "特殊天气日期", "weather_open": "特殊天气服务未完成",
	"served": "已服务", "weather": "特殊天气", "weather_missed": "特殊天气服务遗漏",
}

// indexHeaders are a record type's own headers, before fieldHeaders.
var indexHeaders = map[string]map[string]string{
	projections.CCRecordsIndex:        {"by": "组织人", "type": "类型", "passed": "通过"},
	projections.ComplaintsIndex:       {"butler": "责任管家"},
	projections.WorkOrdersIndex:       {"butler": "责任管家", "result": "维修结果"},
	projections.ReturnVisitsIndex:     {"butler": "回访人", "status": "状态"},
	projections.VisitsIndex:           {"butler": "走访人", "kind": "记录类型"},
	projections.KeyDaysIndex:          {"missed": "未盘点"},
	projections.RenovationDaysIndex:   {"missed": "漏巡查"},
	projections.StaffAssignmentsIndex: {"kind": "记录类型"},
	projections.ActivitiesIndex:       {"butler": "提出人"},
	// history rows
	"history": {"id": "事件编号", "type": "事件类型", "stream": "记录流", "recorded_at": "记录时间", "actor": "操作人",
		"role": "角色", "district": "片区", "project": "项目", "data": "内容"},
}

// headerOf is one column's header for a record type.
func headerOf(index, field string) string {
	if h, ok := indexHeaders[index][field]; ok {
		return h
	}
	if h, ok := fieldHeaders[field]; ok {
		return h
	}
	return field
}

// headersOf is headerOf over columns.
func headersOf(index string, cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = headerOf(index, c)
	}
	return out
}
