package web

import (
	"net/http"
	"net/url"
	"time"

	"shuiyun/internal/account"
	"shuiyun/internal/agency"
	"shuiyun/internal/store"
)

func urlq(s string) string { return url.QueryEscape(s) }

// agencyStatus is one line of the ministry's national picture.
type agencyStatus struct {
	Agency  agency.Agency
	Last    *store.Delivery
	Today   int
	Missing []int64
}

type homeData struct {
	Agency     agencyStatus
	Recent     []*store.Delivery
	ToFix      []*store.Delivery
	National   []agencyStatus
	Reporting  int // agencies with a package today
	Deliveries int // packages today
}

func (s *Server) home(w http.ResponseWriter, r *http.Request, u *account.User) error {
	c := callerOf(u)
	var d homeData
	switch {
	case c.Audits():
		s.render(w, r, u, "home", "首页", d)
		return nil
	case c.SeesAll():
		for _, a := range agency.All {
			if a.Code == agency.Ministry {
				continue
			}
			st, err := s.agencyStatus(r, a)
			if err != nil {
				return err
			}
			d.National = append(d.National, st)
			if st.Today > 0 {
				d.Reporting++
			}
			d.Deliveries += st.Today
		}
	default:
		a, _ := agency.Lookup(u.Agency)
		st, err := s.agencyStatus(r, a)
		if err != nil {
			return err
		}
		d.Agency = st
		recent, err := s.st.Deliveries(r.Context(), u.Agency, 20)
		if err != nil {
			return err
		}
		d.Recent = recent
		for _, dl := range recent {
			if dl.Rejected > 0 || dl.Status == "rejected" || dl.Status == "held" {
				d.ToFix = append(d.ToFix, dl)
			}
		}
	}
	s.render(w, r, u, "home", "首页", d)
	return nil
}

func (s *Server) agencyStatus(r *http.Request, a agency.Agency) (agencyStatus, error) {
	st := agencyStatus{Agency: a}
	recent, err := s.st.Deliveries(r.Context(), a.Code, 50)
	if err != nil {
		return st, err
	}
	today := startOfDay(s.cfg.Now())
	for _, d := range recent {
		if !d.ReceivedAt.Before(today) {
			st.Today++
		}
	}
	if len(recent) > 0 {
		st.Last = recent[0]
	}
	st.Missing, err = s.st.MissingSequences(r.Context(), a.Code)
	return st, err
}

// startOfDay is midnight, Beijing time, of the day t falls on.
func startOfDay(t time.Time) time.Time {
	y, m, d := t.In(beijing).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, beijing)
}
