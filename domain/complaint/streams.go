package complaint

import "slices"

// Stream names are stored history, like event type names: they are spelled
// here once, and every writer and reader takes them from here.

// StreamPrefix starts the stream name of every complaint.
const StreamPrefix = "complaint-"

// Stream is the stream of one complaint.
func Stream(id string) string { return StreamPrefix + id }

// Categories are what a complaint is about: a closed list, so that KPIs and
// trends by category add up and a search by category finds them all.
var Categories = []string{"漏水", "噪音", "停车", "卫生", "保洁", "电梯", "安全", "门禁", "照明", "绿化", "维修", "装修",
	"收费", "服务态度", "宠物", "其他"}

// ValidCategory reports whether c is one of Categories.
func ValidCategory(c string) bool { return slices.Contains(Categories, c) }
