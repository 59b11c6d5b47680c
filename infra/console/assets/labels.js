// Chinese labels of what the API answers in stable English codes.

export const roles = {
  butler: '片区管家', supervisor: '主管', project_manager: '项目经理', cashier: '出纳', custodian: '钥匙管理员',
  archivist: '档案管理员', engineer: '工程人员', cleaner: '保洁', operator: '指挥中心值班员', operations: '运营部',
  quality: '品质部', auditor: '审计', analyst: '分析', system: '系统',
};

// The kinds of GET /overdue (docs/console.md).
export const overdueKinds = {
  complaint_overdue: '投诉超期', workorder_sla: '工单超 3 天未沟通', return_visit_due: '待回访',
  return_visit_overdue: '回访逾期', key_loan_overdue: '钥匙借用逾期', inspection_missed: '装修漏巡查',
  vacant_task_due: '空房服务待办', bill_in_arrears: '欠费', activity_unsummarised: '活动未总结',
  shift_unhandled: '值班来电未处理',
};

// Record collections (paths under /api/v1) and their names.
export const collections = {
  complaints: '投诉', 'work-orders': '报修工单', renovations: '装修', visits: '走访', 'return-visits': '回访',
  activities: '社区活动', keys: '钥匙', 'vacant-units': '空房', 'move-ins': '入住', patrols: '巡查',
  archives: '档案', staff: '员工', shifts: '值班', emergencies: '应急事件', 'fees/bills': '收费账单',
  'visit-plans': '走访计划', 'training-plans': '培训计划', 'activity-plans': '活动计划', units: '房屋',
};

// The collections one search box looks through, in this order.
export const searchable = ['complaints', 'work-orders', 'renovations', 'visits', 'activities', 'vacant-units', 'keys', 'move-ins'];

const aggregates = {
  complaint: '投诉', workorder: '工单', key: '钥匙', fee: '收费', feeledger: '对账', feeplan: '收费计划',
  renovation: '装修', movein: '入住', vacant: '空房', patrol: '巡查', activity: '活动', activityplan: '活动计划',
  archive: '档案', staff: '员工', shift: '值班', emergency: '应急', returnvisit: '回访', visit: '走访',
  visitplan: '走访计划', household: '住户', spotcheck: '抽查', trainingplan: '培训计划', integrity: '举报',
  credential: '账号', token: '令牌', commandcentre: '指挥中心', rainyday: '雨天', district: '片区',
  supervisorpatrol: '主管巡查', personaldata: '个人信息',
};
const verbs = {
  registered: '登记', dispatched: '派单', communication_recorded: '沟通记录', delay_explained: '说明延期原因',
  escalated: '升级', resolved: '处理完成', return_visited: '回访', risk_flagged: '标记群诉风险', closed: '关闭',
  completed: '完工', started: '开始处理', owner_confirmed: '业主签字确认', sla_breached: '超 3 天未沟通',
  return_visit_overdue: '回访逾期', lent: '借出', returned: '归还', loan_overdue: '借用逾期', reconciled: '盘点',
  reconciliation_missed: '漏盘点', discrepancy_found: '发现差异', loss_reported: '报失', loss_approved: '批准报失',
  loan_form_filed: '借用单归档', key_loan_form_filed: '钥匙借用单归档', supervisor_checked: '主管核查',
  filed: '备案', approved: '批准', inspected: '巡查', inspection_missed: '漏巡查', violation_recorded: '记录违规',
  violation_rectified: '违规整改', violation_closed: '违规关闭', work_completed: '完工', work_started: '开工',
  acceptance_inspected: '竣工验收', site_checked: '开工前现场检查', rules_briefed: '装修交底',
  document_filed: '资料归档', finding_fixed: '问题整改', register_checked: '核对台账', register_checks_short: '核对次数不足',
  opened: '开启', step_recorded: '记录步骤', occupied: '入住', defect_handed_to_developer: '缺陷移交开发商',
  defect_resolved: '缺陷已解决', billed: '开具账单', payment_recorded: '收款', arrears_aged: '欠费账龄',
  arrears_reminded: '催缴', due: '待回访', overdue: '逾期', satisfied: '完成', serviced: '完成服务',
  weather_serviced: '特殊天气服务', month_missed: '当月未完成', contractor_contacted: '联系承包方',
  finding_opened: '发现异常', finding_closed: '异常关闭', recorded: '记录', planned: '计划',
  opinion_rectified: '意见整改', opinion_fed_back: '意见反馈', common_problem_warned: '共性问题预警',
  held: '举办', proposed: '提交方案', summarised: '总结', summary_overdue: '总结逾期', surveyed: '满意度调查',
  drafted: '起草', message_logged: '记录来电', message_handled: '处理来电', handed_over: '交班', accessed: '查阅',
  catalogue_checked: '目录核对', loan_requested: '申请借阅', loan_signed: '签批借阅', lost: '遗失',
  assessed: '考核', behaviour_checked: '行为规范检查', one_to_one_held: '一对一面谈', sanction_published: '公布奖惩',
  training_attended: '参加培训', session_held: '举办培训', corrected: '纠正', drill_held: '应急演练',
  handover_checked: '交接检查', step_done: '完成处置步骤', reported: '报告', revised: '修订', set: '设定',
  mismatch_found: '发现不符', mismatch_explained: '说明不符', contact_recorded: '记录联系方式', erased: '删除个人信息',
  handled: '处理', read: '查阅', activation_issued: '发放激活链接', password_set: '设置密码',
  sign_in_failed: '登录失败', signed_in: '登录', revoked: '吊销', finding_reported: '报告问题',
};

// eventLabel turns complaint.registered.v2 into 投诉 · 登记.
export function eventLabel(type) {
  const [agg, verb] = String(type).split('.');
  if (!aggregates[agg] && !verbs[verb]) return type;
  return `${aggregates[agg] || agg} · ${verbs[verb] || verb}`;
}

export const fields = {
  id: '编号', status: '状态', category: '类别', description: '描述', unit: '房号', district: '片区', butler: '管家',
  owner: '业主', phone: '电话', phones: '电话', registered_at: '登记时间', updated_at: '更新时间', closed_at: '关闭时间',
  resolved_at: '处理完成时间', assignee: '处理人', satisfaction: '满意度', resolution: '处理结果', soothing: '安抚',
  notes: '记录', return_visited: '已回访', risk_flagged: '群诉风险', level: '处理层级', month: '月份', project: '项目',
  revision: '版本', communications: '沟通记录', return_visit: '回访', visit_comment: '回访意见', registered_by: '登记人',
  urgent: '紧急', area: '区域', warranty: '保修', paid: '有偿', completed_at: '完工时间', started_at: '开始时间',
  channel: '方式', note: '内容', by: '经办人', at: '时间', comment: '意见', complaint_id: '投诉编号', reason: '原因',
  expected_by: '预计完成', title: '标题', kind: '类型', due_at: '到期时间', name: '名称', role: '岗位',
  sla_breached: '超 3 天未沟通', confirmed: '业主已确认', staff_id: '工号', address: '地址',
};

export const statuses = {
  open: '处理中', registered: '已登记', dispatched: '已派单', resolved: '已处理', closed: '已关闭',
  completed: '已完工', started: '处理中', in_progress: '进行中', returned: '已归还', lent: '已借出', lost: '已遗失',
  available: '在库', approved: '已批准', filed: '已备案', held: '已举办', proposed: '待批准', paid: '已缴',
  unpaid: '未缴', active: '进行中', occupied: '已入住', vacant: '空置', escalated: '已升级', planned: '计划中',
  summarised: '已总结', confirmed: '已确认', return_visited: '已回访', working: '施工中', accepted: '已验收',
};

export const districts = { d1: '东区', d2: '西区', d3: '南区', d4: '北区' };

export function districtLabel(d) { return d ? (districts[d] ? `${districts[d]}（${d}）` : d) : '全项目'; }

// Which collection a KPI's records (drill-down ids) belong to.
export function kpiCollection(name) {
  const prefixes = [['complaint', 'complaints'], ['work-order', 'work-orders'], ['urgent', 'work-orders'],
    ['spot-check', 'work-orders'], ['key', 'keys'], ['renovation', 'renovations'], ['move-in', 'move-ins'],
    ['visit', 'visits'], ['opinion', 'visits'], ['required-return', 'return-visits'], ['vacant', 'vacant-units'],
    ['activity', 'activities'], ['fee-arrears', 'fees/bills'], ['training-plan', 'training-plans']];
  for (const [p, c] of prefixes) if (name.startsWith(p)) return c;
  return null;
}

export const trendSources = {
  '': '全部评价', complaints: '投诉回访', 'work-orders': '报修回访', visits: '走访', activities: '活动调查',
};

// Values of a few coded fields.
export const values = {
  channel: { phone: '电话', visit: '上门', wechat: '微信', sms: '短信', letter: '书面', onsite: '现场' },
  area: { unit: '户内', public: '公共区域' },
  warranty: { in: '保修期内', out: '保修期外' },
  level: { butler: '管家', supervisor: '主管', project_manager: '项目经理' },
};

// codedValue is a coded field's Chinese, or the value itself.
export function codedValue(field, v) {
  if (field === 'status') return statuses[v] || v;
  if (field === 'district') return districtLabel(v);
  return values[field]?.[v] ?? v;
}
