package report

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// Fills of annotated cells: Excel's own "bad" and "neutral" colours, which
// print legibly in black and white.
const (
	errorFill   = "FFC7CE"
	warningFill = "FFEB9C"
	headerFill  = "D9E1F2"
)

// numFmtText is Excel's built-in number format "@": the cell is text, so Excel
// neither reformats identifiers (9.13501E+17) nor drops leading zeros.
const numFmtText = 49

// xlsxStyles holds the style ids of an annotated workbook.
type xlsxStyles struct {
	text, textError, textWarning int
	header, opinion              int
	title, pass, fail, link      int
}

func newXLSXStyles(f *excelize.File) (*xlsxStyles, error) {
	var s xlsxStyles
	fill := func(color string) excelize.Fill {
		return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}
	}
	border := []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}}
	defs := []struct {
		id    *int
		style excelize.Style
	}{
		{&s.text, excelize.Style{NumFmt: numFmtText}},
		{&s.textError, excelize.Style{NumFmt: numFmtText, Fill: fill(errorFill)}},
		{&s.textWarning, excelize.Style{NumFmt: numFmtText, Fill: fill(warningFill)}},
		{&s.header, excelize.Style{NumFmt: numFmtText, Font: &excelize.Font{Bold: true}, Fill: fill(headerFill), Border: border}},
		{&s.opinion, excelize.Style{NumFmt: numFmtText, Font: &excelize.Font{Color: "9C0006"}}},
		{&s.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.pass, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14, Color: "2E7D32"}}},
		{&s.fail, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14, Color: "C62828"}}},
		{&s.link, excelize.Style{Font: &excelize.Font{Color: "0563C1", Underline: "single"}}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.style)
		if err != nil {
			return nil, fmt.Errorf("create style: %w", err)
		}
		*d.id = id
	}
	return &s, nil
}

// forSeverity returns the text style filled for a severity.
func (s *xlsxStyles) forSeverity(sev string) int {
	switch sev {
	case "error":
		return s.textError
	case "warning":
		return s.textWarning
	}
	return s.text
}
