package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"shuiyun/internal/account"
	"shuiyun/internal/agency"
	"shuiyun/internal/audit"
	"shuiyun/internal/store"
)

// agencies lists the 34 agencies with the people responsible.
func (s *Server) agencies(w http.ResponseWriter, r *http.Request, u *account.User) error {
	type row struct {
		A agency.Agency
		P account.Profile
	}
	var rows []row
	for _, a := range agency.All {
		p, err := s.st.Profile(r.Context(), a.Code)
		if err != nil {
			return err
		}
		rows = append(rows, row{a, p})
	}
	s.render(w, r, u, "agencies", "报送单位", rows)
	return nil
}

func (s *Server) agencyPage(w http.ResponseWriter, r *http.Request, u *account.User) error {
	a, ok := agency.Lookup(r.PathValue("code"))
	if !ok {
		return errNotFound
	}
	p, err := s.st.Profile(r.Context(), a.Code)
	if err != nil {
		return err
	}
	missing, err := s.st.MissingSequences(r.Context(), a.Code)
	if err != nil {
		return err
	}
	c := callerOf(u)
	d := map[string]any{"A": a, "P": p, "Edit": c.EditsProfile(a.Code), "Missing": missing}
	if c.ReadsData() && c.Owns(a.Code) {
		recent, err := s.st.Deliveries(r.Context(), a.Code, 20)
		if err != nil {
			return err
		}
		d["Recent"] = recent
	}
	s.render(w, r, u, "agency", a.Name, d)
	return nil
}

func (s *Server) agencySave(w http.ResponseWriter, r *http.Request, u *account.User) error {
	a, ok := agency.Lookup(r.PathValue("code"))
	if !ok {
		return errNotFound
	}
	if !callerOf(u).EditsProfile(a.Code) {
		return errForbidden
	}
	r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
	p := account.Profile{Agency: a.Code, UpdatedAt: s.cfg.Now(), UpdatedBy: u.Login}
	for _, f := range []struct {
		dst  *string
		name string
		max  int
	}{{&p.Department, "department", 100}, {&p.Person, "person", 50}, {&p.Phone, "phone", 50}, {&p.Email, "email", 100}, {&p.WorkPlan, "work_plan", 20000}} {
		*f.dst = strings.TrimSpace(r.PostFormValue(f.name))
		if len([]rune(*f.dst)) > f.max {
			return errorf(http.StatusBadRequest, "%s 不能超过 %d 个字", f.name, f.max)
		}
	}
	if err := s.st.SetProfile(r.Context(), p); err != nil {
		return err
	}
	s.audit(r, u, audit.ProfileEdit, a.Code, "")
	return seeOther(w, r, "/agencies/"+a.Code+"?flash="+urlq("已保存"))
}

func (s *Server) users(w http.ResponseWriter, r *http.Request, u *account.User) error {
	list, err := s.st.Users(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, u, "users", "用户管理", map[string]any{"Users": list, "New": r.URL.Query().Get("new"), "Password": ""})
	return nil
}

// userCreate adds a user with a generated password, shown once; the user
// must change it at first sign-in.
func (s *Server) userCreate(w http.ResponseWriter, r *http.Request, u *account.User) error {
	nu := &account.User{Login: strings.TrimSpace(r.PostFormValue("login")), Name: strings.TrimSpace(r.PostFormValue("name")),
		Agency: r.PostFormValue("agency"), Role: account.Role(r.PostFormValue("role")), MustChangePassword: true}
	if nu.Role.Ministry() || nu.Role == account.Auditor {
		nu.Agency = agency.Ministry
	}
	if err := account.CheckLogin(nu.Login); err != nil {
		return errorf(http.StatusBadRequest, "%v", err)
	}
	if err := account.CheckRoleAgency(nu.Role, nu.Agency); err != nil {
		return errorf(http.StatusBadRequest, "%v", err)
	}
	if nu.Name == "" {
		nu.Name = nu.Login
	}
	pw, err := account.NewPassword()
	if err != nil {
		return err
	}
	if nu.PasswordHash, err = account.HashPassword(pw); err != nil {
		return err
	}
	if _, err := s.st.CreateUser(r.Context(), nu); errors.Is(err, store.ErrExists) {
		return errorf(http.StatusConflict, "登录名 %s 已被使用", nu.Login)
	} else if err != nil {
		return err
	}
	s.audit(r, u, audit.Admin, nu.Login, fmt.Sprintf("新建用户：%s，%s", agencyName(nu.Agency), nu.Role.Label()))
	list, err := s.st.Users(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, u, "users", "用户管理", map[string]any{"Users": list, "New": nu.Login, "Password": pw})
	return nil
}

// userUpdate changes a user's role, disables or enables it, or resets its password.
func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request, u *account.User) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	target, err := s.st.UserByID(r.Context(), id)
	if err != nil {
		return err
	}
	switch r.PostFormValue("action") {
	case "disable", "enable":
		if target.ID == u.ID {
			return errorf(http.StatusBadRequest, "不能停用自己的账户")
		}
		target.Disabled = r.PostFormValue("action") == "disable"
		if err := s.st.UpdateUser(r.Context(), target); err != nil {
			return err
		}
		if target.Disabled {
			if err := s.st.DeleteSessions(r.Context(), target.ID); err != nil {
				return err
			}
		}
	case "reset":
		pw, err := account.NewPassword()
		if err != nil {
			return err
		}
		hash, err := account.HashPassword(pw)
		if err != nil {
			return err
		}
		if err := s.st.SetPassword(r.Context(), target.ID, hash, true); err != nil {
			return err
		}
		s.audit(r, u, audit.Admin, target.Login, "重置密码")
		list, err := s.st.Users(r.Context())
		if err != nil {
			return err
		}
		s.render(w, r, u, "users", "用户管理", map[string]any{"Users": list, "New": target.Login, "Password": pw})
		return nil
	default:
		return errorf(http.StatusBadRequest, "未知操作")
	}
	s.audit(r, u, audit.Admin, target.Login, r.PostFormValue("action"))
	return seeOther(w, r, "/admin/users?flash="+urlq("已保存"))
}

type auditData struct {
	Entries  []audit.Entry
	Problems []audit.Problem
	Verified bool
	Actions  []string
	Filter   store.AuditFilter
	Query    map[string]string
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, u *account.User) error {
	q := r.URL.Query()
	f := store.AuditFilter{Login: q.Get("login"), Agency: q.Get("agency"), Action: q.Get("action"), Limit: 500, Desc: true}
	if d := q.Get("from"); d != "" {
		t, err := time.ParseInLocation(time.DateOnly, d, beijing)
		if err != nil {
			return errorf(http.StatusBadRequest, "起始日期应为 YYYY-MM-DD")
		}
		f.From = t
	}
	if d := q.Get("to"); d != "" {
		t, err := time.ParseInLocation(time.DateOnly, d, beijing)
		if err != nil {
			return errorf(http.StatusBadRequest, "截止日期应为 YYYY-MM-DD")
		}
		f.To = t.AddDate(0, 0, 1)
	}
	d := auditData{Actions: audit.Actions(), Filter: f, Query: map[string]string{"login": f.Login, "agency": f.Agency, "action": f.Action, "from": q.Get("from"), "to": q.Get("to")}}
	err := s.st.AuditEntries(r.Context(), f, func(e audit.Entry) error {
		d.Entries = append(d.Entries, e)
		return nil
	})
	if err != nil {
		return err
	}
	if q.Get("verify") == "1" {
		if d.Problems, err = s.st.VerifyAudit(r.Context()); err != nil {
			return err
		}
		d.Verified = true
	}
	s.render(w, r, u, "audit", "审计日志", d)
	return nil
}
