package exchange

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

type keySpec struct {
	name     string
	required bool
}

// The keys a manifest may hold, spelled exactly.
var (
	manifestKeys = []keySpec{
		{"format", true}, {"sender", true}, {"sequence", true}, {"created_at", false}, {"data_date", true},
		{"standard", false}, {"mode", true}, {"allow_shrink", false}, {"files", true},
	}
	fileKeys = []keySpec{{"name", true}, {"dataset", true}, {"rows", true}, {"sha256", true}, {"sm3", false}}
)

// keysSeen records which keys the manifest and each of its files hold.
type keysSeen struct {
	top   map[string]bool
	files []map[string]bool
}

// checkKeys walks the manifest before encoding/json decodes it, because encoding/json
// matches keys ignoring case and lets a repeated key win silently: either would let two
// readers of one manifest disagree. Value types are left to encoding/json.
func checkKeys(data []byte) (keysSeen, error) {
	var seen keysSeen
	dec := json.NewDecoder(bytes.NewReader(data))
	top, err := readObject(dec, "manifest.json", manifestKeys, func(key string, raw json.RawMessage) (err error) {
		if key == "files" && bytes.HasPrefix(raw, []byte("[")) {
			seen.files, err = readFiles(raw)
		}
		return err
	})
	if err != nil {
		return seen, err
	}
	seen.top = top
	if _, err := dec.Token(); err != io.EOF {
		return seen, errorf(ManifestInvalid, "manifest.json 在 JSON 对象结束后还有其他内容")
	}
	return seen, nil
}

// readObject reads one object whose keys must be in allowed, passing each value to value.
// It returns the keys seen.
func readObject(dec *json.Decoder, where string, allowed []keySpec, value func(string, json.RawMessage) error) (map[string]bool, error) {
	if tok, err := dec.Token(); err != nil {
		return nil, jsonError(err)
	} else if tok != json.Delim('{') {
		return nil, errorf(ManifestInvalid, "%s 应为 JSON 对象", where)
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, jsonError(err)
		}
		key, _ := tok.(string)
		if err := checkKey(where, key, allowed, seen); err != nil {
			return nil, err
		}
		seen[key] = true
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, jsonError(err)
		}
		if err := value(key, raw); err != nil {
			return nil, err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, jsonError(err)
	}
	return seen, nil
}

func checkKey(where, key string, allowed []keySpec, seen map[string]bool) error {
	known := false
	for _, k := range allowed {
		if k.name == key {
			known = true
		} else if strings.EqualFold(k.name, key) {
			return errorf(ManifestInvalid, "%s 中的键 %q 大小写不对，应为 %q", where, key, k.name)
		}
	}
	switch {
	case !known:
		return errorf(ManifestInvalid, "%s 中有未定义的键 %q", where, key)
	case seen[key]:
		return errorf(ManifestInvalid, "%s 中的键 %q 出现了不止一次", where, key)
	}
	return nil
}

// readFiles checks the keys of every object in the files array.
func readFiles(raw json.RawMessage) ([]map[string]bool, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.Token() // the opening bracket
	var files []map[string]bool
	for i := 0; dec.More(); i++ {
		where := fmt.Sprintf("manifest.json 的 files[%d]", i)
		keys, err := readObject(dec, where, fileKeys, func(string, json.RawMessage) error { return nil })
		if err != nil {
			return nil, err
		}
		files = append(files, keys)
	}
	return files, nil
}

// require reports the first required key missing.
func (s keysSeen) require() error {
	for _, k := range manifestKeys {
		if k.required && !s.top[k.name] {
			return errorf(ManifestInvalid, "manifest.json 缺少字段 %s", k.name)
		}
	}
	for i, f := range s.files {
		for _, k := range fileKeys {
			if k.required && !f[k.name] {
				return errorf(ManifestInvalid, "manifest.json 的 files[%d] 缺少字段 %s", i, k.name)
			}
		}
	}
	return nil
}
