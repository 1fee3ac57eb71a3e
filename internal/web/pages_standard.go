package web

import (
	"bytes"
	"net/http"

	"shuiyun/internal/account"
	"shuiyun/internal/publish"
	"shuiyun/internal/standard"
)

var requirementLabels = map[standard.Requirement]string{standard.Mandatory: "必填", standard.Conditional: "条件必填"}

var sharingLabels = map[standard.Sharing]string{
	standard.Shareable: "共享", standard.SharedOwner: "仅本单位和部级", standard.NotShared: "不共享（对其他单位脱敏）", "": "共享",
}

func (s *Server) standardIndex(w http.ResponseWriter, r *http.Request, u *account.User) error {
	s.render(w, r, u, "standard", "数据标准 "+s.std.Version, s.std)
	return nil
}

type fieldRow struct {
	F           *standard.Field
	Required    string
	Sharing     string
	CodeList    *standard.CodeList
	RequireWhen string
}

func (s *Server) standardDataset(w http.ResponseWriter, r *http.Request, u *account.User) error {
	ds, err := s.dataset(r)
	if err != nil {
		return err
	}
	var rows []fieldRow
	for _, f := range ds.Fields {
		fr := fieldRow{F: f, Required: requirementLabels[f.Required], Sharing: sharingLabels[f.Sharing], CodeList: s.std.CodeList(f.CodeList)}
		if f.When != nil {
			fr.RequireWhen = f.When.Text
		}
		rows = append(rows, fr)
	}
	s.render(w, r, u, "standard_dataset", ds.Code+" "+ds.Label, map[string]any{"DS": ds, "Fields": rows})
	return nil
}

func (s *Server) standardCodes(w http.ResponseWriter, r *http.Request, u *account.User) error {
	s.render(w, r, u, "standard_codes", "代码表", s.std.CodeLists)
	return nil
}

func (s *Server) standardRules(w http.ResponseWriter, r *http.Request, u *account.User) error {
	s.render(w, r, u, "standard_rules", "校验规则", s.std.Rules)
	return nil
}

// standardTemplate sends a dataset's Excel template (drop-downs for codes,
// identifier columns as text, a sheet explaining every field).
func (s *Server) standardTemplate(w http.ResponseWriter, r *http.Request, u *account.User) error {
	ds, err := s.dataset(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := publish.WriteTemplateTo(&buf, s.std, ds); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", contentDisposition(publish.TemplateFileName(ds)))
	w.Write(buf.Bytes())
	return nil
}
