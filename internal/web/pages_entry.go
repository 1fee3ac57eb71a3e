package web

import (
	"encoding/csv"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"shuiyun/internal/access"
	"shuiyun/internal/account"
	"shuiyun/internal/audit"
	"shuiyun/internal/standard"
	"shuiyun/internal/store"
	"shuiyun/internal/validate"
)

// formField is one input of a manual-entry form, made from the standard.
type formField struct {
	F        *standard.Field
	Value    string
	Codes    []standard.Code // code fields: a select
	Input    string          // text, date, number, select, codes
	Key      bool            // part of the business key: fixed when correcting
	Findings []validate.Finding
}

type entryData struct {
	DS       *standard.Dataset
	Fields   []formField
	Key      string // the record being corrected ("" for a new one)
	Error    string
	Others   []validate.Finding // findings not tied to one field
	Datasets []*standard.Dataset
}

func (s *Server) entryIndex(w http.ResponseWriter, r *http.Request, u *account.User) error {
	var list []*standard.Dataset
	for _, ds := range s.std.Datasets {
		if !ds.Reference || callerOf(u).Sender() == "000000" {
			list = append(list, ds)
		}
	}
	s.render(w, r, u, "entry_index", "在线填报", entryData{Datasets: list})
	return nil
}

func (s *Server) entryDataset(r *http.Request, c access.Caller) (*standard.Dataset, error) {
	ds, err := s.dataset(r)
	if err != nil {
		return nil, err
	}
	if ds.Reference && c.Sender() != "000000" {
		return nil, errorf(http.StatusForbidden, "%s 由海事、船检系统提供，不能由报送单位填报", ds.Label)
	}
	return ds, nil
}

func (s *Server) entryForm(w http.ResponseWriter, r *http.Request, u *account.User) error {
	c := callerOf(u)
	ds, err := s.entryDataset(r, c)
	if err != nil {
		return err
	}
	vals := make([]string, len(ds.Fields))
	key := r.URL.Query().Get("key")
	if key != "" {
		v, err := s.st.Current(r.Context(), ds.Name, key)
		if err != nil {
			return err
		}
		if v == nil || v.Deleted {
			return errNotFound
		}
		if !c.Writes(v.Owner) {
			return errorf(http.StatusForbidden, "这条记录属于%s，您只能更正本单位的记录", agencyName(v.Owner))
		}
		vals = v.Values
	}
	s.render(w, r, u, "entry", formTitle(ds, key), entryData{DS: ds, Key: key, Fields: s.formFields(ds, vals, nil)})
	return nil
}

func formTitle(ds *standard.Dataset, key string) string {
	if key != "" {
		return "更正记录 · " + ds.Label
	}
	return "新增记录 · " + ds.Label
}

func (s *Server) formFields(ds *standard.Dataset, vals []string, findings []validate.Finding) []formField {
	var out []formField
	for i, f := range ds.Fields {
		ff := formField{F: f, Value: vals[i], Input: "text"}
		for _, k := range ds.Key {
			ff.Key = ff.Key || k == f.Name
		}
		switch f.Type {
		case standard.TypeDate:
			ff.Input = "date"
		case standard.TypeDecimal, standard.TypeInteger:
			ff.Input = "number"
		case standard.TypeBoolean:
			ff.Input = "select"
			ff.Codes = []standard.Code{{Code: "1", Name: "是"}, {Code: "0", Name: "否"}}
		case standard.TypeCode:
			if cl := s.std.CodeList(f.CodeList); cl != nil {
				ff.Input, ff.Codes = "select", cl.Codes
			}
		}
		for _, fd := range findings {
			if fd.Field == f.Name {
				ff.Findings = append(ff.Findings, fd)
			}
		}
		out = append(out, ff)
	}
	return out
}

// entryCheck runs the engine on the form as it stands: each finding by its
// field, for the page to show beside the inputs while the clerk types.
func (s *Server) entryCheck(w http.ResponseWriter, r *http.Request, u *account.User) error {
	c := callerOf(u)
	ds, err := s.entryDataset(r, c)
	if err != nil {
		return err
	}
	rep, _, _, cleanup, err := s.checkForm(w, r, c, ds)
	if err != nil {
		return err
	}
	defer cleanup()
	out := map[string][]string{}
	for _, f := range rep.Files {
		for _, fd := range f.Findings {
			out[fd.Field] = append(out[fd.Field], fd.Rule+"："+fd.Message)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"valid": rep.Valid, "findings": out})
	return nil
}

// checkForm writes the posted record as a one-row file and validates it with
// the same engine, rules and stored data as a package.
func (s *Server) checkForm(w http.ResponseWriter, r *http.Request, c access.Caller, ds *standard.Dataset) (*validate.Report, []string, string, func(), error) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return nil, nil, "", nil, errorf(http.StatusBadRequest, "表单无法读取")
	}
	vals := make([]string, len(ds.Fields))
	for i, f := range ds.Fields {
		vals[i] = strings.TrimSpace(r.PostForm.Get(f.Name))
	}
	dir, err := os.MkdirTemp(s.uploadRoot(), "entry-")
	if err != nil {
		return nil, nil, "", nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	path := filepath.Join(dir, ds.Name+".csv")
	if err := writeRow(path, ds, vals); err != nil {
		cleanup()
		return nil, nil, "", nil, err
	}
	rep, err := validate.Run(r.Context(), s.std, []string{path}, validate.Options{Dataset: ds.Name, AsOf: validate.Today(),
		Submitter: c.Sender(), Repository: s.st})
	if err != nil {
		cleanup()
		return nil, nil, "", nil, err
	}
	return rep, vals, path, cleanup, nil
}

// entrySubmit checks one record with the same engine and rules as a file,
// shows the findings beside their inputs, or submits it as a one-row package.
func (s *Server) entrySubmit(w http.ResponseWriter, r *http.Request, u *account.User) error {
	c := callerOf(u)
	ds, err := s.entryDataset(r, c)
	if err != nil {
		return err
	}
	rep, vals, path, cleanup, err := s.checkForm(w, r, c, ds)
	if err != nil {
		return err
	}
	defer cleanup()
	key, owner, err := s.ownerOf(r, ds, path)
	if err != nil {
		return err
	}
	if owner != "" && !c.Writes(owner) {
		return errorf(http.StatusForbidden, "业务主键相同的记录属于%s，您只能新增或更正本单位的记录", agencyName(owner))
	}
	if !rep.Valid {
		var findings []validate.Finding
		for _, f := range rep.Files {
			findings = append(findings, f.Findings...)
		}
		d := entryData{DS: ds, Key: r.PostForm.Get("key"), Fields: s.formFields(ds, vals, findings), Error: "有错误，请按提示改正后再保存"}
		for _, fd := range findings {
			if ds.Field(fd.Field) == nil {
				d.Others = append(d.Others, fd)
			}
		}
		w.WriteHeader(http.StatusUnprocessableEntity)
		s.render(w, r, u, "entry", formTitle(ds, d.Key), d)
		return nil
	}
	sub, err := s.submitFiles(r.Context(), c, []string{path}, ds.Name, "incremental")
	if err != nil {
		return err
	}
	action := audit.Submit
	if owner != "" {
		action = audit.Correct
	}
	s.audit(r, u, action, ds.Name, "在线填报 "+store.KeyText(key)+" → "+filepath.Base(sub.Package))
	return s.afterSubmit(w, r, sub)
}

// ownerOf reads the business key of the one row at path and the agency that
// owns the stored record with that key ("" when there is none).
func (s *Server) ownerOf(r *http.Request, ds *standard.Dataset, path string) (key, owner string, err error) {
	err = validate.Records(r.Context(), s.std, path, ds.Name, func(_ validate.RecordTable, rec *validate.Record) error {
		key = rec.Key
		return nil
	})
	if err != nil || key == "" {
		return key, "", err
	}
	v, err := s.st.Current(r.Context(), ds.Name, key)
	if err != nil || v == nil || v.Deleted {
		return key, "", err
	}
	return key, v.Owner, nil
}

func writeRow(path string, ds *standard.Dataset, vals []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(f)
	cw.Write(append(ds.FieldNames(), "op_type"))
	cw.Write(append(append([]string(nil), vals...), "U"))
	cw.Flush()
	if err := cw.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
