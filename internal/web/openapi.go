package web

import (
	"net/http"
)

// openAPI serves the OpenAPI 3 document of the API, made from the same
// table that registers the routes.
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.openAPIDoc())
}

func (s *Server) openAPIDoc() map[string]any {
	paths := map[string]any{}
	for _, rt := range s.apiTable() {
		item, _ := paths[rt.Path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[rt.Path] = item
		}
		item[lower(rt.Method)] = operation(rt)
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "水运政务数据共享平台 API", "version": "1",
			"description": "以个人接口令牌调用（Authorization: Bearer <令牌>）；返回数据按调用方的权限过滤和脱敏。"},
		"servers":    []any{map[string]any{"url": "/"}},
		"security":   []any{map[string]any{"token": []any{}}},
		"components": components(),
		"paths":      paths,
	}
}

func operation(rt apiRoute) map[string]any {
	op := map[string]any{"operationId": rt.ID, "summary": rt.Summary}
	var params []any
	for _, p := range rt.Params {
		params = append(params, map[string]any{"name": p.Name, "in": p.In, "description": p.Desc, "required": p.Required, "schema": map[string]any{"type": "string"}})
	}
	if params != nil {
		op["parameters"] = params
	}
	if rt.Body != "" {
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{rt.Body: map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}}
	}
	media := rt.Response
	if media == "" {
		media = "application/json"
	}
	ok := map[string]any{"description": "成功", "content": map[string]any{media: map[string]any{}}}
	if media == "text/csv" {
		ok["content"] = map[string]any{"text/csv": map[string]any{}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": map[string]any{}}
	}
	responses := map[string]any{"200": ok, "401": ref("Error"), "403": ref("Error")}
	if rt.Method == "POST" && rt.Path == "/api/v1/packages" {
		responses["202"] = map[string]any{"description": "已排队，处理完成后在回执列表中查看"}
	}
	if len(rt.Params) > 0 {
		responses["400"], responses["404"] = ref("Error"), ref("Error")
	}
	op["responses"] = responses
	return op
}

func ref(name string) map[string]any { return map[string]any{"$ref": "#/components/responses/" + name} }

func components() map[string]any {
	return map[string]any{
		"securitySchemes": map[string]any{"token": map[string]any{"type": "http", "scheme": "bearer"}},
		"responses": map[string]any{"Error": map[string]any{"description": "错误", "content": map[string]any{"application/json": map[string]any{
			"schema": map[string]any{"type": "object", "properties": map[string]any{"error": map[string]any{"type": "object",
				"properties": map[string]any{"code": map[string]any{"type": "string"}, "message": map[string]any{"type": "string"}}}}}}}}},
	}
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}
