package table

import (
	"encoding/xml"
	"path"
	"strings"

	"github.com/xuri/excelize/v2"
)

// relationships is the part of an OPC relationships part that maps ids to targets.
type relationships struct {
	Rel []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

// sheetParts maps sheet names to the zip parts that hold them, so that a
// table's Size can be the uncompressed size of its sheet (for progress). It
// only looks up what excelize has already loaded; anything unexpected leaves
// the map incomplete and the Size 0.
func sheetParts(f *excelize.File) map[string]string {
	parts := map[string]string{}
	book := relTarget(f, "_rels/.rels", "", "/officeDocument")
	if book == "" || f.WorkBook == nil {
		return parts
	}
	relsPath := path.Join(path.Dir(book), "_rels", path.Base(book)+".rels")
	var rels relationships
	if !loadXML(f, relsPath, &rels) {
		return parts
	}
	for _, s := range f.WorkBook.Sheets.Sheet {
		for _, r := range rels.Rel {
			if r.ID == s.ID {
				parts[s.Name] = resolvePart(path.Dir(book), r.Target)
			}
		}
	}
	return parts
}

// relTarget returns the resolved target of the first relationship in the
// relationships part relsPath whose type ends in typeSuffix.
func relTarget(f *excelize.File, relsPath, dir, typeSuffix string) string {
	var rels relationships
	if !loadXML(f, relsPath, &rels) {
		return ""
	}
	for _, r := range rels.Rel {
		if strings.HasSuffix(r.Type, typeSuffix) {
			return resolvePart(dir, r.Target)
		}
	}
	return ""
}

// resolvePart resolves a relationship target: relative to dir, or from the
// package root when it starts with "/" (as WPS writes them).
func resolvePart(dir, target string) string {
	target = strings.ReplaceAll(target, `\`, "/")
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Join(dir, target), "/")
}

func loadXML(f *excelize.File, name string, v any) bool {
	b, ok := f.Pkg.Load(name)
	if !ok {
		return false
	}
	data, ok := b.([]byte)
	return ok && xml.Unmarshal(data, v) == nil
}
