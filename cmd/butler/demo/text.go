package demo

import "time"

// The words of the demo: names, complaint categories and repair
// descriptions as a property company's service desk writes them.

var surnames = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹"}

var givenNames = []string{"秀英", "桂英", "秀兰", "玉兰", "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀珍", "霞", "平", "刚", "建华", "建国", "志强", "海燕", "晓东", "文静", "子涵", "浩然", "思远", "雨桐", "佳怡"}

var districtNames = []string{"东区", "西区", "南区", "北区", "中区", "湖畔区", "花园区", "滨江区"}

// complaintKind is a category with the complaints owners make in it.
type complaintKind struct {
	category string
	cases    []complaintCase
	risky    bool // can become a group complaint (R-C4)
}

// complaintCase is one complaint as the owner describes it, with what
// fixes it and what may hold it up: the texts of one record match.
type complaintCase struct {
	description, resolution, delay string
}

var complaintKinds = []complaintKind{
	{"噪音", []complaintCase{
		{"楼上夜间装修噪音扰民，影响休息", "已与装修户沟通，约定施工时间为早八点至晚六点，管家每日巡查", "装修户外出，暂未联系上，已在门上张贴整改通知"},
		{"隔壁空调外机噪音过大，晚上无法入睡", "已联系住户为空调外机加装减震垫，噪音明显降低", "需空调厂家售后上门检测，已预约"},
		{"小区广场舞音乐声音太大，持续到晚上十点", "已与广场舞队协商降低音量，晚八点半前结束", "广场舞队负责人外出，需等其回来后协商"},
		{"地下车库卷帘门开关噪音严重", "已为卷帘门导轨加注润滑油并更换磨损滚轮", "卷帘门滚轮需厂家订货，约一周到货"}}, true},
	{"漏水", []complaintCase{
		{"楼上卫生间漏水，天花板渗水严重", "已协调楼上业主重做卫生间防水，闭水试验合格", "需楼上业主配合入户，暂未联系上"},
		{"外墙渗水导致卧室墙面发霉", "已完成外墙打胶防水修补，雨后复查无渗水", "需等待天气转好再进行外墙施工"},
		{"厨房顶棚滴水，怀疑楼上水管破裂", "已更换楼上破裂水管并修复顶棚", "需楼上业主配合关闸检修，暂未联系上"},
		{"雨后阳台积水倒灌进客厅", "已疏通阳台地漏并加高挡水坎", "需等待连续晴天后施工挡水坎"}}, false},
	{"停车", []complaintCase{
		{"车位被外来车辆长期占用", "已联系车主挪车，并张贴告知禁止占用他人车位", "车主电话无人接听，已张贴挪车通知"},
		{"地下车库照明不足，存在安全隐患", "已更换车库照明灯具，增加照明点位", "灯具需采购，约五天到货"},
		{"消防通道被私家车堵塞", "已联系车主挪车并设置禁停标识，加强巡查", "车主外出，需交警协助联系"},
		{"访客车辆登记流程太慢，门口排队", "已增加高峰期岗亭人员，访客可提前线上登记", "线上登记功能需供应商调试"}}, true},
	{"卫生", []complaintCase{
		{"楼道垃圾未及时清运，气味难闻", "已安排保洁增加清运频次，每日两次", "垃圾清运车辆检修，需协调临时车辆"},
		{"垃圾分类点周边脏乱", "已清理分类点并安排专人定时巡查", "需增设垃圾桶，采购中"},
		{"电梯轿厢内有宠物粪便未清理", "已清洁消毒电梯，并提醒养宠住户文明养宠", "需调取监控确认住户，正在查看"},
		{"绿化带内堆放建筑垃圾", "已清运建筑垃圾，并告知装修户垃圾须袋装堆放至指定点", "需联系清运公司安排车辆"}}, false},
	{"电梯", []complaintCase{
		{"电梯频繁故障停运，老人上下楼困难", "已联系维保单位更换故障部件，试运行正常", "配件需厂家订货，约一周到货"},
		{"电梯运行时有异响", "已完成电梯检修并调整导靴，异响消除", "需维保单位专业人员上门检测"},
		{"电梯按键失灵", "已更换按键面板", "按键面板需厂家订货"},
		{"电梯停运没有提前通知", "已向业主致歉，今后停运检修提前一天在单元门和业主群公告", "需与维保单位核对停运原因"}}, true},
	{"安全", []complaintCase{
		{"单元门禁损坏，陌生人随意进出", "已修复门禁并加强访客登记", "门禁主板需厂家更换，约五天"},
		{"小区监控有盲区，电动车被盗", "已在车棚增设监控摄像头，并协助业主报警", "新增摄像头需施工布线"},
		{"楼道堆放杂物堵塞消防通道", "已清理楼道杂物并张贴消防提示", "杂物主人未联系上，已张贴限期清理通知"},
		{"夜间巡逻不到位", "已调整夜间巡逻路线和频次，主管抽查巡逻记录", "需与秩序维护外包单位重新排班"}}, true},
	{"服务态度", []complaintCase{
		{"前台工作人员态度冷淡，不耐烦", "已对相关人员批评教育并向业主致歉", "当事员工休假，待其返岗后当面致歉"},
		{"报修后无人回电，多次催促无果", "已安排专人跟进报修并向业主说明情况", "需工程部排查维修排期"},
		{"管家未按约定时间上门", "管家已上门致歉并重新约定时间", "业主近日出差，待其回来后上门致歉"}}, false},
	{"绿化", []complaintCase{
		{"楼下树木遮挡采光，请求修剪", "已安排园林修剪树枝，采光恢复", "修剪高大乔木需园林部门审批"},
		{"草坪长期无人修剪，蚊虫多", "已修剪草坪并喷洒灭蚊药", "需等待雨天过后再喷药"},
		{"绿化喷灌水溅到行人", "已调整喷灌时间和角度", "喷头需更换，采购中"}}, false},
}

var soothings = []string{"已向业主致歉并安抚情绪", "耐心倾听业主诉求，表示理解并承诺尽快处理", "已安抚业主，说明处理流程和时限", "已当面致歉，告知管家全程跟进"}

// complaintFollowUps suit any complaint; repairFollowUps a repair.
var complaintFollowUps = []string{"电话告知业主处理进度", "上门查看现场情况并向业主说明", "微信告知业主处理进展", "在服务台向业主说明处理方案", "再次致电业主确认问题是否缓解"}

var repairFollowUps = []string{"电话告知业主维修进度", "微信告知业主师傅预计上门时间", "短信通知业主已安排维修人员", "上门查看维修现场并向业主说明工期"}

// escalationReasons suit any complaint; a complaint that can become a
// group complaint may also be escalated because several owners are in it.
var escalationReasons = []string{"业主对处理进度不满意，要求主管介入", "业主多次投诉未果，情绪激动"}

// complaintComments are owners' words on a complaint's return visit, by
// satisfaction; commentsBySatisfaction are on a repair's.
var complaintComments = [6][]string{
	{},
	{"处理太慢，非常不满意", "问题没有解决，很失望"},
	{"处理一般，等了很久", "问题基本解决但过程不顺"},
	{"还可以，希望以后更及时", "问题解决了，沟通可以更主动"},
	{"处理及时，比较满意", "管家跟进很用心，满意"},
	{"非常满意，管家服务很贴心", "响应迅速，问题彻底解决，点赞"},
}

var riskReasons = []string{"同单元多户业主联名投诉，存在群诉风险", "业主在业主群内发起投诉，多人响应", "业主表示将向媒体反映"}

var commentsBySatisfaction = [6][]string{
	{},
	{"处理太慢，非常不满意", "问题没有解决，很失望"},
	{"处理一般，等了很久", "问题基本解决但过程不顺"},
	{"还可以，希望以后更及时", "问题解决了，沟通可以更主动"},
	{"处理及时，比较满意", "师傅很专业，满意"},
	{"非常满意，管家服务很贴心", "响应迅速，问题彻底解决，点赞"},
}

// repairKind is a repair with its descriptions and results.
type repairKind struct {
	descriptions []string
	results      []string
	leak         bool
	public       bool
}

var repairKinds = []repairKind{
	{[]string{"厨房水龙头漏水", "卫生间马桶水箱不停流水", "洗手盆下水管堵塞", "热水器进水阀门漏水"}, []string{"更换水龙头阀芯", "更换马桶进水阀", "疏通下水管道", "更换阀门并做密封处理"}, false, false},
	{[]string{"客厅灯不亮，开关失灵", "卧室插座没电", "入户门锁芯卡住打不开", "窗户合页松动关不严"}, []string{"更换开关面板", "检修线路并更换插座", "更换入户门锁芯", "紧固并更换窗户合页"}, false, false},
	{[]string{"楼上渗水导致卫生间顶棚漏水", "外墙渗水，卧室墙面潮湿", "阳台雨后渗水", "飘窗窗台渗水"}, []string{"重做卫生间防水层", "外墙打胶防水修补", "阳台地漏改造并做防水", "飘窗重新打胶密封"}, true, false},
	{[]string{"单元楼道灯不亮", "单元门禁读卡器失灵", "地下车库排水沟堵塞", "楼顶水箱浮球阀损坏"}, []string{"更换楼道声控灯", "更换门禁读卡模块", "清理排水沟淤泥", "更换水箱浮球阀"}, false, true},
	{[]string{"屋面防水层破损，顶楼渗水", "单元外墙雨水管破裂"}, []string{"屋面防水卷材修补", "更换雨水管"}, true, true},
}

var trainingTopics = []string{"片区管家服务礼仪", "投诉处理五步法", "报修流程与三天时限", "回访话术与满意度", "雨后回访与渗漏维修"}

// The modules' words.

var keyBorrowers = []string{"工程部维修师傅", "保洁主管", "中介经纪人（业主委托看房）", "开荒保洁队", "燃气公司抄表员"}

var keyPurposes = []string{"入户检修漏水", "业主委托带看房屋", "空置房开窗通风", "入户抄表", "更换厨房水龙头"}

var vacantNotes = map[string]string{"inspection": "检查门窗、水电、墙面，无异常", "ventilation": "开窗通风两小时后关闭", "cleaning": "室内除尘、拖地，清理阳台落叶"}

var vacantFindings = []string{"卫生间地漏返异味", "阳台窗户玻璃破裂", "厨房墙面渗水发霉", "入户门锁锈蚀难开"}

var contractors = []string{"美家装饰", "安居装修", "匠心建筑装饰", "城建维修服务部", "顺达装饰工程"}

var renovationWorks = []string{"全屋翻新：铺设地板、重做厨卫", "卫生间改造，重做防水", "厨房橱柜更换及墙面翻新", "客厅吊顶及墙面刷漆", "阳台封窗及地面铺砖"}

var renovationViolations = []string{"擅自拆改承重墙", "未经允许封闭阳台", "中午休息时间施工产生噪音", "装修垃圾堆放在楼道", "卫生间防水未做闭水试验即铺砖"}

var acceptanceFindings = []string{"卫生间闭水试验未达48小时", "阳台栏杆高度不足", "燃气管道包覆未留检修口"}

var checklistNames = map[string]string{"finished_product_protection": "成品保护", "rubbish": "垃圾清运", "working_hours": "施工时间",
	"walls": "墙体", "waterproofing": "防水", "guard_rails": "护栏", "terrace_balcony": "露台阳台"}

var moveInDefects = []string{"客厅墙面空鼓", "卧室窗户密封条脱落", "卫生间地面坡度不对积水", "入户门刮花", "厨房插座无电"}

var visitNotes = []string{"了解家庭情况，介绍管家服务内容", "询问近期报修处理情况，业主表示满意", "宣传垃圾分类与消防安全知识", "上门回访，了解问题处理后的使用情况"}

var visitOpinions = []string{"楼道灯经常不亮", "希望增加儿童游乐设施", "电动车充电桩不够用", "绿化带蚊虫较多", "快递柜经常满格"}

var rectifications = map[string]string{"楼道灯经常不亮": "更换为感应LED灯并每周巡查", "希望增加儿童游乐设施": "已报物业公司申请在中心花园增设滑梯",
	"电动车充电桩不够用": "新增二十个充电桩", "绿化带蚊虫较多": "每周两次喷洒灭蚊药", "快递柜经常满格": "协调快递公司增设一组快递柜"}

var supervisorPatrolProblems = []string{"地下车库两处照明灯不亮", "消防通道有电动车停放", "垃圾分类点桶身未清洗", "儿童游乐区一处秋千链条松动", "外围围墙一段护栏油漆剥落"}

var spotCheckProblems = []string{"系统记录的完工时间与纸质派工单不一致", "纸质服务记录表缺业主签字", "报修单记录的维修内容与系统不符"}

var keyClientNotes = []string{"走访业委会成员，听取对小区管理的意见", "走访老年业主，了解居家需要并登记", "走访商户业主，沟通装修与经营事项", "走访长期提出建议的业主，反馈整改进展"}

var patrolAreas = []string{"地下车库", "消防通道", "中心花园", "垃圾分类点", "儿童游乐区", "小区主入口", "电梯机房", "外围围墙"}

type ccMessage struct{ content, result string }

var ccMessages = []ccMessage{
	{"业主来电反映楼上漏水", "已通知片区管家和工程部上门查看"},
	{"业主询问物业费缴费方式", "已告知微信、支付宝及前台缴费方式"},
	{"夜间有人在小区内燃放烟花", "已通知秩序维护员前往劝阻"},
	{"业主反映电梯异响", "已通知电梯维保单位检查"},
	{"快递员要求进入小区送货", "已核实业主信息并登记放行"},
	{"业主家中门锁打不开", "已推荐正规开锁服务并由管家协助"},
}

var emergencySteps = map[string][]string{
	"fire":                {"confirm_alarm", "dispatch_response_team", "call_fire_service", "evacuate", "report_manager"},
	"wall_climbing":       {"dispatch_guard", "review_cctv", "report_manager"},
	"elevator_entrapment": {"reassure_passengers", "call_elevator_maintenance", "dispatch_guard", "report_manager"},
	"suspicious_person":   {"dispatch_guard", "review_cctv", "question_or_escort", "report_manager"},
}

var emergencySummaries = map[string]string{
	"fire": "误报，已复位报警系统", "wall_climbing": "经查为业主忘带门禁卡翻越围墙，已教育并登记",
	"elevator_entrapment": "维保人员到场，二十分钟内解困，乘客无受伤", "suspicious_person": "经询问为访客走错楼栋，已引导离开",
}

type activitySpec struct {
	title, content string
	month          time.Month
	day            int
	large          bool
}

var activities = []activitySpec{
	{"元宵猜灯谜", "灯谜竞猜、汤圆品尝", time.February, 12, false},
	{"植树节亲子种植", "亲子认领绿植、讲解养护知识", time.March, 12, false},
	{"端午包粽子", "邻里包粽子比赛、香囊制作", time.June, 1, false},
	{"夏季亲子运动会", "趣味接力、亲子拔河", time.July, 18, true},
	{"中秋游园会", "猜灯谜、月饼DIY、文艺演出", time.September, 20, true},
	{"重阳敬老茶话会", "为七十岁以上老人测血压、送慰问品", time.October, 25, false},
	{"冬至包饺子", "邻里包饺子、送饺子给独居老人", time.December, 21, false},
}

func activityTitles() []string {
	var out []string
	for _, a := range activities {
		out = append(out, a.title)
	}
	return out
}
