package standard

import (
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

//go:generate sh internal/gen-regions/fetch.sh

//go:embed standard.yaml
var embeddedYAML []byte

//go:embed regions.tsv
var embeddedRegions []byte

// EmbeddedPath is the Path of the built-in standard.
const EmbeddedPath = "embedded:standard.yaml"

var (
	defaultOnce = sync.OnceValues(func() (*Standard, error) {
		s, err := parse("standard.yaml", embeddedYAML, "")
		if err != nil {
			return nil, err
		}
		s.Path = EmbeddedPath
		return s, nil
	})
	embeddedRegionsOnce = sync.OnceValues(func() (*Regions, error) {
		r, probs := parseRegions("regions.tsv", embeddedRegions)
		if len(probs) > 0 {
			return nil, &LoadError{Problems: probs}
		}
		return r, nil
	})
)

// Default returns the standard built into the binary. It is parsed once and shared:
// callers must not modify it.
func Default() (*Standard, error) {
	s, err := defaultOnce()
	if err != nil {
		return nil, fmt.Errorf("load embedded standard: %w", err)
	}
	return s, nil
}

// Load reads an operator's edited copy of the standard. Its regions come from the
// embedded GB/T 2260 table unless the file names its own with a top-level
// `regions: FILE` key (relative to the YAML file).
func Load(path string) (*Standard, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load standard %s: %w", path, err)
	}
	s, err := parse(path, data, filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("load standard %s: %w", path, err)
	}
	return s, nil
}

// Parse reads a standard from data; name is used in messages and, when the YAML
// has a `regions` key, as the base its path is relative to.
func Parse(name string, data []byte) (*Standard, error) {
	return parse(name, data, filepath.Dir(name))
}

// Problem is one thing wrong with a standard file.
type Problem struct {
	File    string
	Line    int // 0 when the problem concerns the whole file
	Message string
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Message)
}

// LoadError lists every problem found in a standard, so that an operator can fix
// them all in one go.
type LoadError struct {
	Problems []Problem
}

func (e *LoadError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

func parse(name string, data []byte, dir string) (*Standard, error) {
	c := &checker{file: name}
	c.decodeYAML(data)
	if len(c.probs) > 0 {
		return nil, c.err()
	}
	std := c.std
	std.Path = name
	std.Regions = c.regions(dir)
	c.check()
	if len(c.probs) > 0 {
		return nil, c.err()
	}
	return std, nil
}

// checker collects the problems of one file.
type checker struct {
	file      string
	probs     []Problem
	std       *Standard
	root      src
	noRegions bool // the region table could not be read: skip checks against it
}

func (c *checker) addf(line int, format string, args ...any) {
	c.probs = append(c.probs, Problem{File: c.file, Line: line, Message: fmt.Sprintf(format, args...)})
}

func (c *checker) err() error { return &LoadError{Problems: c.probs} }

var yamlLineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// decodeYAML parses data strictly: syntax errors, unknown keys and type errors are
// all problems.
func (c *checker) decodeYAML(data []byte) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		c.yamlError(err)
		return
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		c.addf(0, "文件为空")
		return
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		c.addf(top.Line, "顶层应为键值映射（version、datasets、code_lists、rules、settings…）")
		return
	}
	c.checkKeys(top, reflect.TypeOf(Standard{}), "")
	if len(c.probs) > 0 {
		return
	}
	std := &Standard{}
	if err := doc.Decode(std); err != nil {
		c.yamlError(err)
		return
	}
	c.std = std
	c.root = src{top}
}

func (c *checker) yamlError(err error) {
	var msgs []string
	if te, ok := err.(*yaml.TypeError); ok {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	for _, m := range msgs {
		if g := yamlLineRE.FindStringSubmatch(m); g != nil {
			line, _ := strconv.Atoi(g[1])
			c.addf(line, "YAML 错误：%s", g[2])
			continue
		}
		c.addf(0, "YAML 错误：%s", strings.TrimPrefix(m, "yaml: "))
	}
}

// checkKeys reports every mapping key that the Go type t does not declare. yaml's
// KnownFields would stop at the first one and gives English messages.
func (c *checker) checkKeys(n *yaml.Node, t reflect.Type, path string) {
	if n == nil {
		return
	}
	if n.Kind == yaml.AliasNode {
		n = n.Alias
		if n == nil {
			return
		}
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return // the decoder reports the type error
		}
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			ft, ok := fields[k.Value]
			if !ok {
				c.addf(k.Line, "%s未知的键 %q", where(path), k.Value)
				continue
			}
			c.checkKeys(v, ft, joinPath(path, k.Value))
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return
		}
		for i, item := range n.Content {
			c.checkKeys(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			c.checkKeys(n.Content[i+1], t.Elem(), joinPath(path, n.Content[i].Value))
		}
	}
}

func where(path string) string {
	if path == "" {
		return ""
	}
	return path + ": "
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

var yamlFieldsCache sync.Map // reflect.Type → map[string]reflect.Type

func yamlFields(t reflect.Type) map[string]reflect.Type {
	if m, ok := yamlFieldsCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		m[name] = f.Type
	}
	yamlFieldsCache.Store(t, m)
	return m
}

// src is a node of the YAML source, used to point problems at lines. A zero src
// (missing node) answers line 0.
type src struct{ n *yaml.Node }

// child returns the value of key in a mapping node.
func (s src) child(key string) src {
	if s.n == nil || s.n.Kind != yaml.MappingNode {
		return src{}
	}
	for i := 0; i+1 < len(s.n.Content); i += 2 {
		if s.n.Content[i].Value == key {
			return src{s.n.Content[i+1]}
		}
	}
	return src{}
}

// has reports whether a mapping node has key.
func (s src) has(key string) bool { return s.child(key).n != nil }

// item returns element i of a sequence node.
func (s src) item(i int) src {
	if s.n == nil || s.n.Kind != yaml.SequenceNode || i >= len(s.n.Content) {
		return src{}
	}
	return src{s.n.Content[i]}
}

// keyLine returns the line of key itself (not its value), else the node's own line.
func (s src) keyLine(key string) int {
	if s.n != nil && s.n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(s.n.Content); i += 2 {
			if s.n.Content[i].Value == key {
				return s.n.Content[i].Line
			}
		}
	}
	return s.line()
}

// line returns the line of key's value, else the node's own line.
func (s src) line(key ...string) int {
	for _, k := range key {
		if v := s.child(k); v.n != nil {
			return v.n.Line
		}
	}
	if s.n == nil {
		return 0
	}
	return s.n.Line
}

// regions loads the region table: the embedded one, or the file named by `regions`.
func (c *checker) regions(dir string) *Regions {
	if c.std.RegionsFile == "" {
		r, err := embeddedRegionsOnce()
		if err != nil {
			c.addf(0, "内置行政区划表有误：%v", err)
			c.noRegions = true
			return &Regions{codes: map[string]*Region{}, abbr: map[string][]string{}}
		}
		return r
	}
	path := c.std.RegionsFile
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	data, err := readRegularFile(path, maxRegionsSize)
	if err != nil {
		c.addf(c.root.line("regions"), "无法读取行政区划表 %s：%v", c.std.RegionsFile, err)
		c.noRegions = true
		return &Regions{codes: map[string]*Region{}, abbr: map[string][]string{}}
	}
	r, probs := parseRegions(path, data)
	c.probs = append(c.probs, probs...)
	c.noRegions = len(probs) > 0
	return r
}

// maxRegionsSize bounds a region table file: the real one is under 100 KB.
const maxRegionsSize = 16 << 20

// readRegularFile refuses devices, pipes and huge files, so that a `regions` key
// naming /dev/zero cannot hang the loader.
func readRegularFile(path string, limit int64) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("不是普通文件")
	}
	if fi.Size() > limit {
		return nil, fmt.Errorf("文件过大（%d 字节）", fi.Size())
	}
	return os.ReadFile(path)
}
