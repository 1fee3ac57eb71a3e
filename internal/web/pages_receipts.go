package web

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"

	"shuiyun/internal/access"
	"shuiyun/internal/account"
	"shuiyun/internal/exchange"
	"shuiyun/internal/store"
)

func (s *Server) receipts(w http.ResponseWriter, r *http.Request, u *account.User) error {
	c := callerOf(u)
	sender := c.Agency
	if c.SeesAll() {
		sender = r.URL.Query().Get("sender")
	}
	list, err := s.st.Deliveries(r.Context(), sender, 300)
	if err != nil {
		return err
	}
	s.render(w, r, u, "receipts", "回执", map[string]any{"List": list, "Sender": sender})
	return nil
}

// seesDelivery: a receipt is its sender's, and its inbox's (a package
// dropped in the wrong inbox is answered there).
func seesDelivery(c access.Caller, d *store.Delivery) bool {
	return c.SeesAll() || d.Sender == c.Agency || d.Inbox == c.Agency
}

func (s *Server) delivery(r *http.Request, c access.Caller) (*store.Delivery, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, errNotFound
	}
	d, err := s.st.DeliveryByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if d == nil || !seesDelivery(c, d) {
		return nil, errNotFound // another agency's receipt is "not found", not "forbidden": ids are not probed
	}
	return d, nil
}

func (s *Server) receipt(w http.ResponseWriter, r *http.Request, u *account.User) error {
	d, err := s.delivery(r, callerOf(u))
	if err != nil {
		return err
	}
	var rc exchange.Receipt
	if err := json.Unmarshal(d.Receipt, &rc); err != nil {
		return err
	}
	s.render(w, r, u, "receipt", "回执 · "+d.Name, map[string]any{"D": d, "R": rc})
	return nil
}

func (s *Server) receiptErrors(w http.ResponseWriter, r *http.Request, u *account.User) error {
	d, err := s.delivery(r, callerOf(u))
	if err != nil {
		return err
	}
	path := filepath.Join(s.cfg.Root.Outbox(d.Inbox), exchange.ErrorsName(d.Name, d.N))
	if !d.ErrorsXLSX {
		return errNotFound
	}
	if _, err := os.Stat(path); err != nil {
		return errNotFound
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", contentDisposition(filepath.Base(path)))
	http.ServeFile(w, r, path)
	return nil
}
