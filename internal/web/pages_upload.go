package web

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"shuiyun/internal/access"
	"shuiyun/internal/account"
	"shuiyun/internal/audit"
	"shuiyun/internal/report"
	"shuiyun/internal/validate"
)

// upload is a file waiting in the data folder between its dry run and its
// confirmation; only the user who uploaded it sees it.
type upload struct {
	ID      string `json:"id"`
	UserID  int64  `json:"user_id"`
	File    string `json:"file"` // base name, as uploaded
	Dataset string `json:"dataset,omitempty"`
	Mode    string `json:"mode"`
}

func (u *upload) dir(root string) string  { return filepath.Join(root, u.ID) }
func (u *upload) path(root string) string { return filepath.Join(root, u.ID, u.File) }

type uploadData struct {
	Error    string
	Datasets any
	Upload   *upload
	Report   *validate.Report
	Rules    []ruleCount
	Findings []shownFinding
	Annotate bool
	Skipped  []string
}

type ruleCount struct {
	Rule, Label string
	N           int
}

type shownFinding struct {
	File string
	validate.Finding
}

func (s *Server) uploadPage(w http.ResponseWriter, r *http.Request, u *account.User) error {
	s.render(w, r, u, "upload", "上传数据", uploadData{Datasets: s.std.Datasets})
	return nil
}

// uploadSubmit saves the file and runs the dry run: the same engine, rules
// and stored data as the hub will use, nothing stored.
func (s *Server) uploadSubmit(w http.ResponseWriter, r *http.Request, u *account.User) error {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUpload)
	up, err := s.saveUpload(r, u)
	if err != nil {
		var he *httpError
		if errors.As(err, &he) {
			w.WriteHeader(he.code)
			s.render(w, r, u, "upload", "上传数据", uploadData{Error: he.msg, Datasets: s.std.Datasets})
			return nil
		}
		return err
	}
	rep, err := s.dryRun(r, callerOf(u), up)
	if err != nil {
		os.RemoveAll(up.dir(s.uploadRoot()))
		w.WriteHeader(http.StatusUnprocessableEntity)
		s.render(w, r, u, "upload", "上传数据", uploadData{Error: err.Error(), Datasets: s.std.Datasets})
		return nil
	}
	s.audit(r, u, audit.Upload, up.File, fmt.Sprintf("试校验：%d 行，%d 行有错误", rep.Summary.Rows, rep.Summary.ErrorRows))
	return seeOther(w, r, "/upload/"+up.ID)
}

func (s *Server) saveUpload(r *http.Request, u *account.User) (*upload, error) {
	file, hdr, err := r.FormFile("file")
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return nil, errorf(http.StatusRequestEntityTooLarge, "文件超过 %d MB 的上限", s.cfg.MaxUpload>>20)
		}
		return nil, errorf(http.StatusBadRequest, "请选择要上传的 Excel（.xlsx）或 CSV 文件")
	}
	defer file.Close()
	name := cleanName(hdr.Filename)
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".csv", ".jsonl":
	case ".xls":
		return nil, errorf(http.StatusBadRequest, "%s 是旧版 Excel（.xls）文件：请在 Excel 或 WPS 中“另存为” .xlsx 后再上传", name)
	default:
		return nil, errorf(http.StatusBadRequest, "%s：只接受 .xlsx、.csv 或 .jsonl 文件", name)
	}
	mode := r.FormValue("mode")
	if mode != "full" {
		mode = "incremental"
	}
	ds := r.FormValue("dataset")
	if ds != "" && s.std.Dataset(ds) == nil {
		return nil, errorf(http.StatusBadRequest, "未知的数据集 %q", ds)
	}
	up := &upload{ID: newID(), UserID: u.ID, File: name, Dataset: ds, Mode: mode}
	if err := os.MkdirAll(up.dir(s.uploadRoot()), 0o750); err != nil {
		return nil, err
	}
	if err := writeFrom(up.path(s.uploadRoot()), file); err != nil {
		os.RemoveAll(up.dir(s.uploadRoot()))
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return nil, errorf(http.StatusRequestEntityTooLarge, "文件超过 %d MB 的上限", s.cfg.MaxUpload>>20)
		}
		return nil, err
	}
	meta, _ := json.Marshal(up)
	return up, os.WriteFile(filepath.Join(up.dir(s.uploadRoot()), "upload.json"), meta, 0o640)
}

func writeFrom(path string, r io.Reader) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// cleanName keeps the base name of an uploaded file, without anything a
// file system or a shell would read specially.
func cleanName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, name)
	if name == "." || name == ".." || strings.HasPrefix(name, ".") {
		name = "upload" + name
	}
	if len(name) > 160 {
		name = name[len(name)-160:]
	}
	return name
}

func newID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// dryRun validates an upload against the repository and keeps the report
// (JSON for the page, the annotated workbook for download).
func (s *Server) dryRun(r *http.Request, c access.Caller, up *upload) (*validate.Report, error) {
	root := s.uploadRoot()
	rep, err := validate.Run(r.Context(), s.std, []string{up.path(root)}, validate.Options{
		Dataset: up.Dataset, AsOf: validate.Today(), Submitter: c.Sender(), Repository: s.st, MaxFindings: 2000})
	if err != nil {
		return nil, err
	}
	f, err := os.Create(filepath.Join(up.dir(root), "report.json"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := report.WriteJSON(f, rep); err != nil {
		return nil, err
	}
	if rep.Summary.Errors+rep.Summary.Warnings > 0 {
		xlsx := filepath.Join(up.dir(root), "annotated.xlsx")
		if err := report.WriteXLSX(xlsx, rep, s.std, report.XLSXOptions{}); err != nil {
			return nil, fmt.Errorf("annotated workbook: %w", err)
		}
	}
	return rep, nil
}

// loadUpload finds an upload of this user; anyone else's is "not found".
func (s *Server) loadUpload(r *http.Request, u *account.User) (*upload, error) {
	id := r.PathValue("id")
	if len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" {
		return nil, errNotFound
	}
	data, err := os.ReadFile(filepath.Join(s.uploadRoot(), id, "upload.json"))
	if err != nil {
		return nil, errNotFound
	}
	var up upload
	if err := json.Unmarshal(data, &up); err != nil || up.UserID != u.ID || up.ID != id {
		return nil, errNotFound
	}
	return &up, nil
}

func (s *Server) uploadResult(w http.ResponseWriter, r *http.Request, u *account.User) error {
	up, err := s.loadUpload(r, u)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(filepath.Join(up.dir(s.uploadRoot()), "report.json"))
	if err != nil {
		return errNotFound
	}
	var rep validate.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return err
	}
	d := uploadData{Upload: up, Report: &rep, Rules: s.ruleCounts(rep.Summary.ByRule)}
	for _, f := range rep.Files {
		for _, fd := range f.Findings {
			if len(d.Findings) < 500 {
				d.Findings = append(d.Findings, shownFinding{File: filepath.Base(f.Path) + sheetSuffix(f.Sheet), Finding: fd})
			}
		}
	}
	_, err = os.Stat(filepath.Join(up.dir(s.uploadRoot()), "annotated.xlsx"))
	d.Annotate = err == nil
	d.Skipped = s.skippedText(rep.Skipped)
	s.render(w, r, u, "upload_result", "校验结果 · "+up.File, d)
	return nil
}

// skippedText says in Chinese which rules could not run for lack of data.
// Rules that do not apply to this kind of submitter (a river
// administration's jurisdiction rule for a province) are not news to a clerk.
func (s *Server) skippedText(skipped []validate.Skipped) []string {
	var out []string
	for _, sk := range skipped {
		if strings.Contains(sk.Reason, "--submitter") {
			continue
		}
		text := sk.Reason
		if name, ok := strings.CutPrefix(sk.Reason, "no "); ok {
			name, _, _ = strings.Cut(name, " data")
			if ds := s.std.Dataset(name); ds != nil {
				text = "缺少“" + ds.Label + "”数据"
			}
		}
		out = append(out, sk.Rule+"："+text+"，本次未检查")
	}
	return out
}

func sheetSuffix(sheet string) string {
	if sheet == "" {
		return ""
	}
	return " [" + sheet + "]"
}

func (s *Server) ruleCounts(by map[string]int) []ruleCount {
	var out []ruleCount
	for id, n := range by {
		label := id
		if rule := s.std.Rule(id); rule != nil && rule.Title != "" {
			label = rule.Title
		}
		out = append(out, ruleCount{Rule: id, Label: label, N: n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].N > out[j].N || out[i].N == out[j].N && out[i].Rule < out[j].Rule })
	return out
}

func (s *Server) uploadAnnotated(w http.ResponseWriter, r *http.Request, u *account.User) error {
	up, err := s.loadUpload(r, u)
	if err != nil {
		return err
	}
	path := filepath.Join(up.dir(s.uploadRoot()), "annotated.xlsx")
	if _, err := os.Stat(path); err != nil {
		return errNotFound
	}
	name := strings.TrimSuffix(up.File, filepath.Ext(up.File)) + "_校验结果.xlsx"
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", contentDisposition(name))
	http.ServeFile(w, r, path)
	return nil
}

// contentDisposition names a download, Chinese names included (RFC 6266/5987).
func contentDisposition(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
	return fmt.Sprintf("attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii, url.PathEscape(name))
}

// uploadConfirm submits the upload through the package pipeline and shows its receipt.
func (s *Server) uploadConfirm(w http.ResponseWriter, r *http.Request, u *account.User) error {
	up, err := s.loadUpload(r, u)
	if err != nil {
		return err
	}
	sub, err := s.submitFiles(r.Context(), callerOf(u), []string{up.path(s.uploadRoot())}, up.Dataset, up.Mode)
	if err != nil {
		return errorf(http.StatusUnprocessableEntity, "提交失败：%v", err)
	}
	os.RemoveAll(up.dir(s.uploadRoot()))
	s.audit(r, u, audit.Submit, filepath.Base(sub.Package), "上传 "+up.File)
	return s.afterSubmit(w, r, sub)
}

func (s *Server) afterSubmit(w http.ResponseWriter, r *http.Request, sub *submission) error {
	if sub.Delivery == nil {
		return seeOther(w, r, "/receipts?flash="+urlq("已提交交换包 "+filepath.Base(sub.Package)+"，平台正在处理，稍后在此查看回执"))
	}
	return seeOther(w, r, fmt.Sprintf("/receipts/%d", sub.Delivery.ID))
}
