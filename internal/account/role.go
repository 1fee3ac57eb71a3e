// Package account holds the hub's users, their roles and credentials:
// argon2id passwords, sign-in lockout, session and API-token secrets, and the
// agencies' responsibility profiles. It is pure domain: storage and the web
// build on it.
//
// Roles follow contracts.md §5 (GB/T 39477): administration, audit and
// operation are kept apart, so no role combines two of them.
package account

import (
	"fmt"

	"shuiyun/internal/agency"
)

// Role is what a user may do.
type Role string

// The roles of contracts.md §5.
const (
	MinistryAdmin   Role = "ministry_admin"   // manages agencies, users, rule activation; sees all data
	MinistryViewer  Role = "ministry_viewer"  // queries and downloads all data
	Auditor         Role = "auditor"          // reads the audit log, nothing else
	AgencySubmitter Role = "agency_submitter" // submits and corrects its agency's data
	AgencyViewer    Role = "agency_viewer"    // sees its agency's data, others' shareable fields masked
)

var labels = map[Role]string{
	MinistryAdmin:   "部级管理员",
	MinistryViewer:  "部级查询用户",
	Auditor:         "审计员",
	AgencySubmitter: "单位报送员",
	AgencyViewer:    "单位查询用户",
}

// Roles lists every role, ministry roles first.
func Roles() []Role {
	return []Role{MinistryAdmin, MinistryViewer, Auditor, AgencySubmitter, AgencyViewer}
}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return labels[r] != "" }

// Label is the role's Chinese name; an unknown role shows as itself.
func (r Role) Label() string {
	if l := labels[r]; l != "" {
		return l
	}
	return string(r)
}

// Ministry reports whether the role sees all agencies' data. The auditor does
// not: it reads the audit log only.
func (r Role) Ministry() bool { return r == MinistryAdmin || r == MinistryViewer }

// agencyBound: the role acts for one agency other than the ministry.
func (r Role) agencyBound() bool { return r == AgencySubmitter || r == AgencyViewer }

// CheckRoleAgency checks that a role fits the agency a user belongs to:
// ministry roles and the auditor belong to the ministry (000000), agency roles
// to one of the other known agencies.
func CheckRoleAgency(role Role, agencyCode string) error {
	if !role.Valid() {
		return fmt.Errorf("未知的角色 %q（可用 ministry_admin、ministry_viewer、auditor、agency_submitter、agency_viewer）", role)
	}
	if !role.agencyBound() {
		if agencyCode != agency.Ministry {
			return fmt.Errorf("%s只能属于交通运输部（单位代码 %s），不能属于 %q", role.Label(), agency.Ministry, agencyCode)
		}
		return nil
	}
	if agencyCode == agency.Ministry {
		return fmt.Errorf("%s须属于某个省级交通运输主管部门或航务管理局，不能属于交通运输部", role.Label())
	}
	if !agency.Known(agencyCode) {
		return fmt.Errorf("未知的单位代码 %q", agencyCode)
	}
	return nil
}
