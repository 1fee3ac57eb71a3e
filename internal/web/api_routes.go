package web

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"shuiyun/internal/account"
	"shuiyun/internal/audit"
	"shuiyun/internal/exchange"
	"shuiyun/internal/standard"
	"shuiyun/internal/store"
	"shuiyun/internal/validate"
)

// apiRoute is one API operation: the table both registers the route and
// writes its OpenAPI description, so the two cannot drift apart.
type apiRoute struct {
	Method, Path string
	Allow        allow
	Handler      apiHandler
	ID, Summary  string
	Params       []apiParam
	Body         string // request body media type, "" for none
	Response     string // success media type (default application/json)
}

type apiParam struct {
	Name, In, Desc string
	Required       bool
}

var (
	pDataset = apiParam{Name: "dataset", In: "path", Desc: "数据集标识，如 vessel_operating_certificate", Required: true}
	pID      = apiParam{Name: "id", In: "path", Desc: "回执编号", Required: true}
	pKey     = apiParam{Name: "key", In: "query", Desc: "业务主键（多字段主键以 U+0000 连接）；或用 ref：查询结果中记录的 ref"}
	pRef     = apiParam{Name: "ref", In: "query", Desc: "查询结果中的记录引用（主键含个人身份号码时只能用它）"}
	pQuery   = []apiParam{
		{Name: "q", In: "query", Desc: "名称全文检索"},
		{Name: "owner", In: "query", Desc: "mine、all 或单位代码"},
		{Name: "f", In: "query", Desc: "筛选字段（可重复，与 op、v 按位置对应）"},
		{Name: "op", In: "query", Desc: "eq、prefix、contains、gte、lte"},
		{Name: "v", In: "query", Desc: "筛选值"},
		{Name: "sort", In: "query", Desc: "排序字段"},
		{Name: "desc", In: "query", Desc: "1 为倒序"},
		{Name: "as_of", In: "query", Desc: "时点：日期（当日结束）或 RFC 3339 时间"},
		{Name: "after", In: "query", Desc: "上一页返回的 next 游标"},
		{Name: "limit", In: "query", Desc: "每页条数，默认 50，最多 1000"},
	}
)

func (s *Server) apiTable() []apiRoute {
	return []apiRoute{
		{Method: "GET", Path: "/api/v1/datasets", Allow: signedIn, Handler: s.apiDatasets, ID: "listDatasets", Summary: "数据集目录"},
		{Method: "GET", Path: "/api/v1/datasets/{dataset}", Allow: signedIn, Handler: s.apiDataset, ID: "getDataset", Summary: "数据集的字段、主键与共享分类", Params: []apiParam{pDataset}},
		{Method: "GET", Path: "/api/v1/datasets/{dataset}/records", Allow: dataRead, Handler: s.apiRecords, ID: "queryRecords", Summary: "按条件查询记录（分页、时点，按调用方权限脱敏）", Params: append([]apiParam{pDataset}, pQuery...)},
		{Method: "GET", Path: "/api/v1/datasets/{dataset}/history", Allow: dataRead, Handler: s.apiHistory, ID: "recordHistory", Summary: "一条记录的全部版本", Params: []apiParam{pDataset, pKey, pRef}},
		{Method: "GET", Path: "/api/v1/datasets/{dataset}/export", Allow: dataRead, Handler: s.apiExport, ID: "exportRecords", Summary: "导出查询结果（CSV 或 XLSX，流式）", Params: append([]apiParam{pDataset, {Name: "format", In: "query", Desc: "csv（默认）或 xlsx"}}, pQuery...), Response: "text/csv"},
		{Method: "POST", Path: "/api/v1/validate", Allow: signedIn, Handler: s.apiValidate, ID: "validate", Summary: "试校验一个数据文件（不入库），返回校验报告", Params: []apiParam{{Name: "name", In: "query", Desc: "文件名（决定格式与数据集），如 vessel_operating_certificate.csv", Required: true}, {Name: "dataset", In: "query", Desc: "数据集（缺省按文件名、表头识别）"}}, Body: "application/octet-stream"},
		{Method: "POST", Path: "/api/v1/packages", Allow: submitter, Handler: s.apiSubmit, ID: "submitPackage", Summary: "提交交换包（与前置机收件目录同一流程），返回回执", Params: []apiParam{{Name: "name", In: "query", Desc: "包名 <发送方>_<yyyymmdd>_<序号>.zip", Required: true}}, Body: "application/zip"},
		{Method: "GET", Path: "/api/v1/receipts", Allow: dataRead, Handler: s.apiReceipts, ID: "listReceipts", Summary: "回执列表（本单位；部级可按 sender 筛选）", Params: []apiParam{{Name: "sender", In: "query", Desc: "发送方代码（部级用户）"}, {Name: "limit", In: "query", Desc: "条数，默认 100"}}},
		{Method: "GET", Path: "/api/v1/receipts/{id}", Allow: dataRead, Handler: s.apiReceipt, ID: "getReceipt", Summary: "一份回执（contracts.md §4 的 JSON）", Params: []apiParam{pID}},
	}
}

type apiDatasetInfo struct {
	Code, Name, Label string
	Key               []string
	Reference         bool
	Fields            []apiField `json:",omitempty"`
}

type apiField struct {
	Name, Label, Type, Required, Sharing string
	CodeList                             string `json:",omitempty"`
	Ref                                  string `json:",omitempty"`
}

func (s *Server) apiDatasets(w http.ResponseWriter, r *http.Request, u *account.User) (any, error) {
	var out []apiDatasetInfo
	for _, ds := range s.std.Datasets {
		out = append(out, apiDatasetInfo{Code: ds.Code, Name: ds.Name, Label: ds.Label, Key: ds.Key, Reference: ds.Reference})
	}
	return map[string]any{"standard": s.std.Version, "datasets": out}, nil
}

func (s *Server) apiDataset(w http.ResponseWriter, r *http.Request, u *account.User) (any, error) {
	ds, err := s.dataset(r)
	if err != nil {
		return nil, err
	}
	info := apiDatasetInfo{Code: ds.Code, Name: ds.Name, Label: ds.Label, Key: ds.Key, Reference: ds.Reference}
	for _, f := range ds.Fields {
		sh := string(f.Sharing)
		if sh == "" {
			sh = string(standard.Shareable)
		}
		info.Fields = append(info.Fields, apiField{Name: f.Name, Label: f.Label, Type: string(f.Type), Required: string(f.Required), Sharing: sh, CodeList: f.CodeList, Ref: f.Ref})
	}
	return info, nil
}

type apiRecord struct {
	Key     string      `json:"key"` // as the caller may read it (a personal key masked)
	Ref     string      `json:"ref"` // the query string of its history: key=… or ref=…
	Owner   string      `json:"owner"`
	Deleted bool        `json:"deleted,omitempty"`
	From    string      `json:"valid_from"`
	To      string      `json:"valid_to,omitempty"`
	Sender  string      `json:"sender"`
	Seq     int64       `json:"sequence"`
	Op      string      `json:"op"`
	Values  fieldValues `json:"values"`
}

// fieldValues is a record's non-empty values as a JSON object in the
// dataset's field order (a map sorted its keys on every record: a fifth of
// an API page's time).
type fieldValues struct {
	names, vals []string
}

// MarshalJSONTo writes the object token by token: handed over as bytes
// (MarshalJSON), the encoder would check and copy every page again.
func (fv fieldValues) MarshalJSONTo(enc *jsontext.Encoder) error {
	if err := enc.WriteToken(jsontext.BeginObject); err != nil {
		return err
	}
	for i, v := range fv.vals {
		if v == "" {
			continue
		}
		if err := enc.WriteToken(jsontext.String(fv.names[i])); err != nil {
			return err
		}
		if err := enc.WriteToken(jsontext.String(v)); err != nil {
			return err
		}
	}
	return enc.WriteToken(jsontext.EndObject)
}

func (s *Server) apiRecordOf(u *account.User, ds *standard.Dataset, v *store.Version) apiRecord {
	c := callerOf(u)
	vals := c.Values(ds, v.Owner, v.Values)
	rec := apiRecord{Key: keyText(c, v), Ref: s.recordParam(c, ds, v), Owner: v.Owner, Deleted: v.Deleted, From: v.From.Format(timeRFC3339Micro), Sender: v.Sender, Seq: v.Seq, Op: v.Op, Values: fieldValues{names: ds.FieldNames(), vals: vals}}
	if !v.To.IsZero() {
		rec.To = v.To.Format(timeRFC3339Micro)
	}
	return rec
}

const timeRFC3339Micro = "2006-01-02T15:04:05.000000Z07:00"

func (s *Server) apiRecords(w http.ResponseWriter, r *http.Request, u *account.User) (any, error) {
	ds, err := s.dataset(r)
	if err != nil {
		return nil, err
	}
	c := callerOf(u)
	sq, err := recordQuery(c, ds, r.URL.Query())
	if err != nil {
		return nil, err
	}
	if l := r.URL.Query().Get("limit"); l != "" {
		if sq.Limit, err = strconv.Atoi(l); err != nil || sq.Limit < 1 || sq.Limit > 1000 {
			return nil, errorf(http.StatusBadRequest, "limit 应为 1 至 1000")
		}
	}
	page, err := s.st.Search(r.Context(), sq)
	if err != nil {
		return nil, err
	}
	records := []apiRecord{}
	others := 0
	for _, v := range page.Versions {
		records = append(records, s.apiRecordOf(u, ds, v))
		if !c.Owns(v.Owner) {
			others++
		}
	}
	if others > 0 && !c.SeesAll() {
		s.audit(r, u, audit.ReadOther, ds.Name, "接口查询其他单位记录 "+strconv.Itoa(others)+" 条："+r.URL.RawQuery)
	}
	return map[string]any{"dataset": ds.Name, "records": records, "next": page.Next}, nil
}

func (s *Server) apiHistory(w http.ResponseWriter, r *http.Request, u *account.User) (any, error) {
	ds, err := s.dataset(r)
	if err != nil {
		return nil, err
	}
	key, byRef := s.recordKey(ds, r.URL.Query())
	history, err := s.st.History(r.Context(), ds.Name, key)
	if err != nil {
		return nil, err
	}
	c := callerOf(u)
	if len(history) == 0 || !keyAllowed(c, history[len(history)-1].Owner, key, byRef) {
		return nil, errNotFound
	}
	versions := []apiRecord{}
	for _, v := range history {
		versions = append(versions, s.apiRecordOf(u, ds, v))
	}
	last := history[len(history)-1]
	if !c.Owns(last.Owner) {
		s.audit(r, u, audit.ReadOther, ds.Name, "接口查看记录历史 "+keyText(c, last)+"（"+last.Owner+"）")
	}
	return map[string]any{"dataset": ds.Name, "key": keyText(c, last), "versions": versions}, nil
}

func (s *Server) apiExport(w http.ResponseWriter, r *http.Request, u *account.User) (any, error) {
	ds, err := s.dataset(r)
	if err != nil {
		return nil, err
	}
	c := callerOf(u)
	sq, err := recordQuery(c, ds, r.URL.Query())
	if err != nil {
		return nil, err
	}
	sq.After = ""
	format := r.URL.Query().Get("format")
	n, err := s.writeExport(w, r, c, ds, sq, format)
	s.audit(r, u, audit.Download, ds.Name, "接口导出 "+format+" "+strconv.Itoa(n)+" 条："+r.URL.RawQuery)
	if err != nil {
		s.log.Error("api export failed", "dataset", ds.Name, "err", err)
	}
	return nil, nil
}

// apiBody saves a request body under a fresh folder, with the given file name.
func (s *Server) apiBody(w http.ResponseWriter, r *http.Request, name string) (string, func(), error) {
	name = cleanName(name)
	if name == "" || name == "upload" {
		return "", nil, errorf(http.StatusBadRequest, "请用 name 参数给出文件名")
	}
	dir, err := os.MkdirTemp(s.uploadRoot(), "api-")
	if err != nil {
		return "", nil, err
	}
	done := func() { os.RemoveAll(dir) }
	path := filepath.Join(dir, name)
	if err := writeFrom(path, http.MaxBytesReader(w, r.Body, s.cfg.MaxUpload)); err != nil {
		done()
		return "", nil, errorf(http.StatusRequestEntityTooLarge, "请求体无法读取或超过 %d MB", s.cfg.MaxUpload>>20)
	}
	return path, done, nil
}

func (s *Server) apiValidate(w http.ResponseWriter, r *http.Request, u *account.User) (any, error) {
	path, done, err := s.apiBody(w, r, r.URL.Query().Get("name"))
	if err != nil {
		return nil, err
	}
	defer done()
	ds := r.URL.Query().Get("dataset")
	if ds != "" && s.std.Dataset(ds) == nil {
		return nil, errorf(http.StatusBadRequest, "未知的数据集 %q", ds)
	}
	rep, err := validate.Run(r.Context(), s.std, []string{path}, validate.Options{Dataset: ds, AsOf: validate.Today(),
		Submitter: callerOf(u).Sender(), Repository: s.st, MaxFindings: 10000})
	if err != nil {
		return nil, errorf(http.StatusUnprocessableEntity, "%s", strings.ReplaceAll(err.Error(), filepath.Dir(path)+string(filepath.Separator), ""))
	}
	for _, f := range rep.Files {
		f.Path = filepath.Base(f.Path)
	}
	return rep, nil
}

// apiSubmit takes a package made by the agency's own tools (shuiyun pack)
// and queues it as if it had arrived in its inbox: the sender in its name
// must be the caller's agency; the hub checks the rest.
func (s *Server) apiSubmit(w http.ResponseWriter, r *http.Request, u *account.User) (any, error) {
	name := r.URL.Query().Get("name")
	n, ok := exchange.ParseName(name)
	if !ok || cleanName(name) != name {
		return nil, errorf(http.StatusBadRequest, "name 应为 <发送方>_<yyyymmdd>_<6 位序号>.zip")
	}
	c := callerOf(u)
	if n.Sender != c.Sender() {
		return nil, errorf(http.StatusForbidden, "只能以本单位（%s）的名义提交交换包", c.Sender())
	}
	path, done, err := s.apiBody(w, r, name)
	if err != nil {
		return nil, err
	}
	defer done()
	id, err := s.cfg.Hub.Submit(r.Context(), path)
	if err != nil {
		return nil, err
	}
	s.metrics.submissions.Inc()
	s.audit(r, u, audit.Submit, name, "接口提交")
	d, err := s.awaitDelivery(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if d == nil {
		w.Header().Set("Location", "/api/v1/receipts?sender="+n.Sender)
		writeJSON(w, http.StatusAccepted, map[string]any{"status": "queued", "job": id})
		return nil, nil
	}
	return json.RawMessage(d.Receipt), nil
}

func (s *Server) apiReceipts(w http.ResponseWriter, r *http.Request, u *account.User) (any, error) {
	c := callerOf(u)
	sender := c.Agency
	if c.SeesAll() {
		sender = r.URL.Query().Get("sender")
	}
	limit := 100
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 1000 {
			return nil, errorf(http.StatusBadRequest, "limit 应为 1 至 1000")
		}
		limit = n
	}
	list, err := s.st.Deliveries(r.Context(), sender, limit)
	if err != nil {
		return nil, err
	}
	out := []map[string]any{}
	for _, d := range list {
		out = append(out, map[string]any{"id": d.ID, "package": d.Name, "sender": d.Sender, "sequence": d.Seq, "status": d.Status,
			"reason": d.Reason, "received_at": d.ReceivedAt.Format(timeRFC3339Micro), "rows": map[string]int{"total": d.Total, "accepted": d.Accepted, "rejected": d.Rejected, "warnings": d.Warnings}})
	}
	return map[string]any{"receipts": out}, nil
}

func (s *Server) apiReceipt(w http.ResponseWriter, r *http.Request, u *account.User) (any, error) {
	d, err := s.delivery(r, callerOf(u))
	if err != nil {
		return nil, err
	}
	return json.RawMessage(d.Receipt), nil
}
