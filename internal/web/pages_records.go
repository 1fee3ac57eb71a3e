package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"shuiyun/internal/access"
	"shuiyun/internal/account"
	"shuiyun/internal/audit"
	"shuiyun/internal/export"
	"shuiyun/internal/standard"
	"shuiyun/internal/store"
)

func (s *Server) dataset(r *http.Request) (*standard.Dataset, error) {
	ds := s.std.Dataset(r.PathValue("dataset"))
	if ds == nil {
		return nil, errNotFound
	}
	return ds, nil
}

type datasetRow struct {
	DS        *standard.Dataset
	Mine, All int
}

func (s *Server) datasets(w http.ResponseWriter, r *http.Request, u *account.User) error {
	var rows []datasetRow
	for _, ds := range s.std.Datasets {
		all, err := s.st.Count(r.Context(), ds.Name, "")
		if err != nil {
			return err
		}
		mine, err := s.st.Count(r.Context(), ds.Name, u.Agency)
		if err != nil {
			return err
		}
		rows = append(rows, datasetRow{DS: ds, Mine: mine, All: all})
	}
	s.render(w, r, u, "datasets", "数据查询", rows)
	return nil
}

// shownColumns: the browse table shows the key (as the link to the
// record), then the names and the first fields (the standard lists the
// important ones first), 7 columns at most.
func shownColumns(ds *standard.Dataset) []int {
	seen := map[int]bool{}
	for _, k := range ds.Key {
		seen[ds.FieldIndex(k)] = true
	}
	var cols []int
	add := func(i int) {
		if i >= 0 && !seen[i] && len(cols) < 7 {
			seen[i] = true
			cols = append(cols, i)
		}
	}
	for _, n := range store.TextFields(ds) {
		add(ds.FieldIndex(n))
	}
	for i := range ds.Fields {
		add(i)
	}
	return cols
}

type cell struct {
	Text   string
	Masked bool
}

type browseRow struct {
	Param   template.URL // the query string of the record's page
	Key     string       // the key as the caller may read it: the link to the record
	Owner   string
	Cells   []cell
	Deleted bool
}

type browseData struct {
	DS       *standard.Dataset
	Cols     []*standard.Field
	Rows     []browseRow
	Count    int
	More     bool
	Next     string
	Query    url.Values
	Filters  []filterRow
	Ops      any
	Sortable []string
	Download string
}

// NextPage and FirstPage keep the search and move the cursor.
func (d browseData) NextPage() template.URL  { return d.page(d.Next) }
func (d browseData) FirstPage() template.URL { return d.page("") }

func (d browseData) page(after string) template.URL {
	q := cloneValues(d.Query)
	q.Del("after")
	if after != "" {
		q.Set("after", after)
	}
	return template.URL("?" + q.Encode())
}

type filterRow struct{ Field, Op, Value string }

func (s *Server) browse(w http.ResponseWriter, r *http.Request, u *account.User) error {
	ds, err := s.dataset(r)
	if err != nil {
		return err
	}
	c := callerOf(u)
	q := r.URL.Query()
	sq, err := recordQuery(c, ds, q)
	if err != nil {
		return err
	}
	page, err := s.st.Search(r.Context(), sq)
	if err != nil {
		return err
	}
	count, more, err := s.st.SearchCount(r.Context(), sq, 10000)
	if err != nil {
		return err
	}
	d := browseData{DS: ds, Count: count, More: more, Next: page.Next, Query: q, Ops: filterOps, Sortable: store.SortableFields(ds)}
	cols := shownColumns(ds)
	for _, i := range cols {
		d.Cols = append(d.Cols, ds.Fields[i])
	}
	others := 0
	for _, v := range page.Versions {
		d.Rows = append(d.Rows, s.browseRow(c, ds, v, cols))
		if !c.Owns(v.Owner) {
			others++
		}
	}
	for i, f := range q["f"] {
		fr := filterRow{Field: f}
		if i < len(q["op"]) {
			fr.Op = q["op"][i]
		}
		if i < len(q["v"]) {
			fr.Value = q["v"][i]
		}
		d.Filters = append(d.Filters, fr)
	}
	if len(d.Filters) == 0 {
		d.Filters = []filterRow{{}}
	}
	dq := cloneValues(q)
	dq.Del("after")
	d.Download = "/records/" + ds.Name + "/download?" + dq.Encode()
	if others > 0 && !c.SeesAll() {
		s.audit(r, u, audit.ReadOther, ds.Name, fmt.Sprintf("查询其他单位记录 %d 条：%s", others, r.URL.RawQuery))
	}
	s.render(w, r, u, "browse", ds.Label, d)
	return nil
}

func (s *Server) browseRow(c access.Caller, ds *standard.Dataset, v *store.Version, cols []int) browseRow {
	return browseRow{Param: template.URL(s.recordParam(c, ds, v)), Key: keyText(c, v), Owner: v.Owner, Deleted: v.Deleted,
		Cells: s.cells(c, ds, v.Owner, v.Values, cols)}
}

func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// download streams a filtered view as CSV (UTF-8 with BOM: Excel opens it
// right) or XLSX, masked as the caller sees it, and records it in the audit log.
func (s *Server) download(w http.ResponseWriter, r *http.Request, u *account.User) error {
	ds, err := s.dataset(r)
	if err != nil {
		return err
	}
	c := callerOf(u)
	sq, err := recordQuery(c, ds, r.URL.Query())
	if err != nil {
		return err
	}
	sq.After = ""
	format := r.URL.Query().Get("format")
	n, err := s.writeExport(w, r, c, ds, sq, format)
	s.audit(r, u, audit.Download, ds.Name, fmt.Sprintf("%s %d 条：%s", format, n, r.URL.RawQuery))
	if err != nil {
		s.log.Error("download failed", "dataset", ds.Name, "err", err)
	}
	return nil
}

// writeExport writes the records of a query to w as CSV or XLSX, masked for c.
func (s *Server) writeExport(w http.ResponseWriter, r *http.Request, c access.Caller, ds *standard.Dataset, sq store.Query, format string) (int, error) {
	var out export.Writer
	name := ds.Name + "_" + s.cfg.Now().In(beijing).Format("20060102_150405")
	switch format {
	case "xlsx":
		x, err := export.NewXLSX(w, ds)
		if err != nil {
			return 0, err
		}
		out = x
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		name += ".xlsx"
	default:
		out = export.NewCSV(w, ds, export.Options{BOM: true, Safe: true})
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		name += ".csv"
	}
	w.Header().Set("Content-Disposition", "attachment; filename=\""+name+"\"")
	n := 0
	write := func(v *store.Version) error {
		n++
		return out.Write(c.Values(ds, v.Owner, v.Values))
	}
	var err error
	switch {
	case len(sq.Filters) > 0 || sq.Text != "" || sq.Sort != "":
		err = s.st.SearchEach(r.Context(), sq, write)
	case c.SeesAll() && sq.Owner == "":
		// The whole dataset for the ministry: stored order, nothing to mask
		// (the key order walks an index and costs half the rate).
		err = s.st.Values(r.Context(), ds.Name, sq.AsOf, func(vals []string) error { n++; return out.Write(vals) })
	default:
		err = s.st.Records(r.Context(), ds.Name, sq.AsOf, func(v *store.Version) error {
			if sq.Owner != "" && v.Owner != sq.Owner {
				return nil
			}
			return write(v)
		})
	}
	if err != nil {
		return n, err
	}
	return n, out.Close()
}

type versionView struct {
	V       *store.Version
	Values  []cell
	Package string
	PkgID   int64
}

type link struct {
	Label, Text string
	Href        template.URL
}

type recordData struct {
	DS      *standard.Dataset
	Key     string
	Current *versionView
	History []versionView
	Title   string // the key as the caller may read it
	Links   []link
	CanEdit bool
}

func (s *Server) record(w http.ResponseWriter, r *http.Request, u *account.User) error {
	ds, err := s.dataset(r)
	if err != nil {
		return err
	}
	key, byRef := s.recordKey(ds, r.URL.Query())
	history, err := s.st.History(r.Context(), ds.Name, key)
	if err != nil {
		return err
	}
	c := callerOf(u)
	if len(history) == 0 || !keyAllowed(c, history[len(history)-1].Owner, key, byRef) {
		return errNotFound
	}
	d := recordData{DS: ds, Key: key, Title: keyText(c, history[len(history)-1])}
	for i := len(history) - 1; i >= 0; i-- {
		vv, err := s.versionView(r, c, ds, history[i])
		if err != nil {
			return err
		}
		d.History = append(d.History, vv)
		if history[i].To.IsZero() {
			d.Current = &d.History[len(d.History)-1]
		}
	}
	owner := history[len(history)-1].Owner
	d.CanEdit = c.Writes(owner) && !ds.Reference
	if d.Current != nil {
		if d.Links, err = s.links(r, c, ds, d.Current.V); err != nil {
			return err
		}
	}
	if !c.Owns(owner) {
		s.audit(r, u, audit.ReadOther, ds.Name, "查看记录 "+d.Title+"（"+owner+"）")
	}
	s.render(w, r, u, "record", ds.Label+" · "+d.Title, d)
	return nil
}

func (s *Server) versionView(r *http.Request, c access.Caller, ds *standard.Dataset, v *store.Version) (versionView, error) {
	vv := versionView{V: v, Values: s.cells(c, ds, v.Owner, v.Values, allColumns(ds))}
	d, err := s.st.DeliveryOfJob(r.Context(), v.Job)
	if err != nil {
		return vv, err
	}
	if d != nil {
		vv.Package, vv.PkgID = d.Name, d.ID
	}
	return vv, nil
}

// links finds the records this one refers to (a vessel's operator licence)
// and those that refer to it (a licence's vessels), through the standard's
// reference fields.
func (s *Server) links(r *http.Request, c access.Caller, ds *standard.Dataset, v *store.Version) ([]link, error) {
	var out []link
	// Only references to a key are followed, and only indexed links listed
	// backwards: a reference to a name or a tonnage is a consistency rule,
	// and following it would scan a table of a million rows per page view.
	for i, f := range ds.Fields {
		target, field, ok := strings.Cut(f.Ref, ".")
		tds := s.std.Dataset(target)
		if !ok || v.Values[i] == "" || tds == nil || len(tds.Key) != 1 || tds.Key[0] != field {
			continue
		}
		found, err := s.linked(r, c, target, field, v.Values[i], f.Label, 5)
		if err != nil {
			return nil, err
		}
		out = append(out, found...)
	}
	for _, other := range s.std.Datasets {
		for _, name := range store.LinkFields(s.std, other) {
			f := other.Field(name)
			target, field, ok := strings.Cut(f.Ref, ".")
			if !ok || target != ds.Name {
				continue
			}
			val := v.Values[ds.FieldIndex(field)]
			if val == "" {
				continue
			}
			found, err := s.linked(r, c, other.Name, f.Name, val, other.Label, 20)
			if err != nil {
				return nil, err
			}
			out = append(out, found...)
		}
	}
	return out, nil
}

func (s *Server) linked(r *http.Request, c access.Caller, dataset, field, value, label string, limit int) ([]link, error) {
	page, err := s.st.Search(r.Context(), store.Query{Dataset: dataset, Filters: []store.Filter{{Field: field, Op: "eq", Value: value}}, Limit: limit})
	if err != nil {
		return nil, fmt.Errorf("links to %s.%s: %w", dataset, field, err)
	}
	ds := s.std.Dataset(dataset)
	var out []link
	for _, v := range page.Versions {
		text := keyText(c, v)
		if names := store.TextFields(ds); len(names) > 0 {
			if n := c.Values(ds, v.Owner, v.Values)[ds.FieldIndex(names[0])]; n != "" {
				text += " " + n
			}
		}
		out = append(out, link{Label: label, Text: text, Href: template.URL("/records/" + dataset + "/record?" + s.recordParam(c, ds, v))})
	}
	return out, nil
}
