package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"shuiyun/internal/access"
	"shuiyun/internal/agency"
	"shuiyun/internal/standard"
	"shuiyun/internal/store"
)

// filterOps are the filter operators a user may pick, with their labels.
var filterOps = []struct{ Op, Label string }{
	{"eq", "等于"}, {"prefix", "开头是"}, {"contains", "包含"}, {"gte", "不小于"}, {"lte", "不大于"},
}

// recordQuery reads a search from URL parameters — the same for the browse
// page, its downloads and the API — and checks it against the caller's
// scope: the owner filter, and that no filter or full-text search probes
// data the caller may not read.
func recordQuery(c access.Caller, ds *standard.Dataset, q url.Values) (store.Query, error) {
	sq := store.Query{Dataset: ds.Name, Text: strings.TrimSpace(q.Get("q")), Sort: q.Get("sort"), Desc: q.Get("desc") == "1", After: q.Get("after")}
	switch owner := q.Get("owner"); {
	case owner == "mine":
		sq.Owner = c.Agency
	case owner != "" && owner != "all":
		if !agency.Known(owner) {
			return sq, errorf(http.StatusBadRequest, "owner：%q 不是报送单位代码", owner)
		}
		sq.Owner = owner
	}
	own := sq.Owner != "" && c.Owns(sq.Owner)
	fields, ops, vals := q["f"], q["op"], q["v"]
	for i, name := range fields {
		if name == "" || i >= len(vals) || strings.TrimSpace(vals[i]) == "" {
			continue
		}
		f := ds.Field(name)
		if f == nil {
			return sq, errorf(http.StatusBadRequest, "数据集 %s 没有字段 %q", ds.Code, name)
		}
		op := "eq"
		if i < len(ops) && ops[i] != "" {
			op = ops[i]
		}
		if !slices.ContainsFunc(filterOps, func(o struct{ Op, Label string }) bool { return o.Op == op }) {
			return sq, errorf(http.StatusBadRequest, "不支持的筛选方式 %q", op)
		}
		if !own && !c.Filterable(f, vals[i]) {
			return sq, errorf(http.StatusForbidden, "字段“%s”不向其他单位共享，只能在本单位的数据中按它筛选（把范围选为“本单位”）", f.Label)
		}
		sq.Filters = append(sq.Filters, store.Filter{Field: f.Name, Op: op, Value: strings.TrimSpace(vals[i])})
	}
	if sq.Text != "" && !own {
		for _, name := range store.TextFields(ds) {
			if !c.Filterable(ds.Field(name), sq.Text) {
				return sq, errorf(http.StatusForbidden, "全文检索涉及不共享的字段，只能在本单位的数据中使用")
			}
		}
	}
	if sq.Sort != "" && !slices.Contains(store.SortableFields(ds), sq.Sort) {
		return sq, errorf(http.StatusBadRequest, "不能按字段 %q 排序", sq.Sort)
	}
	if at := q.Get("as_of"); at != "" {
		t, err := parseInstant(at)
		if err != nil {
			return sq, errorf(http.StatusBadRequest, "as_of：%v", err)
		}
		sq.AsOf = t
	}
	return sq, nil
}

// parseInstant reads a date (the end of that day, Beijing time) or an RFC 3339 instant.
func parseInstant(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, beijing); err == nil {
			return t, nil
		}
	}
	d, err := time.ParseInLocation(time.DateOnly, s, beijing)
	if err != nil {
		return time.Time{}, errorf(http.StatusBadRequest, "%q 不是日期（YYYY-MM-DD）或时间（RFC 3339）", s)
	}
	return d.AddDate(0, 0, 1).Add(-time.Microsecond), nil
}
