// Package audit is the hub's audit log: who did what, when, from where. Each
// entry carries the SM3 hash of the one before it, so editing an entry breaks
// its hash, and deleting one breaks the chain or, at the end, disagrees with
// the head the store keeps apart from the entries.
//
// The chain proves that the log was not changed by anyone unable to rewrite
// every later entry and the head as well; it holds no secret key.
package audit

import (
	"time"
)

// Entry is one audited action.
type Entry struct {
	Seq    int64 // 1, 2, 3, … without gaps, assigned by the store
	At     time.Time
	Login  string // who; "cli" for the command line
	Agency string // the actor's agency code
	Action string // one of the constants below
	Target string // what was acted on: a user, a package, a dataset and record
	Detail string
	IP     string
	Prev   string // hex SM3 of the previous entry, "" for the first
	Hash   string // hex SM3 of this entry, Prev included
}

// Actions.
const (
	SignIn         = "sign_in"
	SignInFailed   = "sign_in_failed"
	SignOut        = "sign_out"
	Upload         = "upload"
	Submit         = "submit"
	Correct        = "correct"
	Download       = "download"
	ReadOther      = "read_other" // reading another agency's records
	Admin          = "admin"      // users, agencies, rules
	PasswordChange = "password_change"
	TokenCreate    = "token_create"
	TokenRevoke    = "token_revoke"
	ProfileEdit    = "profile_edit"
)

var actionLabels = map[string]string{
	SignIn:         "登录",
	SignInFailed:   "登录失败",
	SignOut:        "退出",
	Upload:         "上传",
	Submit:         "报送",
	Correct:        "更正",
	Download:       "下载",
	ReadOther:      "查阅其他单位数据",
	Admin:          "系统管理",
	PasswordChange: "修改密码",
	TokenCreate:    "创建令牌",
	TokenRevoke:    "吊销令牌",
	ProfileEdit:    "修改单位信息",
}

// Actions lists every action, in the order of the constants.
func Actions() []string {
	return []string{SignIn, SignInFailed, SignOut, Upload, Submit, Correct, Download, ReadOther, Admin,
		PasswordChange, TokenCreate, TokenRevoke, ProfileEdit}
}

// ActionLabel is an action's Chinese name; an unknown action shows as itself.
func ActionLabel(a string) string {
	if l := actionLabels[a]; l != "" {
		return l
	}
	return a
}
