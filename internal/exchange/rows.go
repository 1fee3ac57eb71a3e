package exchange

import (
	"bufio"
	"encoding/csv"
	"io"
)

// countCSV counts the records after the header, reading as encoding/csv does (quoted
// fields may hold line breaks; rows may differ in length).
func countCSV(r io.Reader) (int, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	n := 0
	for {
		_, err := cr.Read()
		if err == io.EOF {
			return max(n-1, 0), nil
		}
		if err != nil {
			return 0, err
		}
		n++
	}
}

// countJSONL counts the lines holding anything but blanks (space, tab, CR).
func countJSONL(r io.Reader) (int, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	n, blank := 0, true
	for {
		c, err := br.ReadByte()
		if err == io.EOF {
			if !blank {
				n++
			}
			return n, nil
		}
		if err != nil {
			return 0, err
		}
		switch c {
		case '\n':
			if !blank {
				n++
			}
			blank = true
		case ' ', '\t', '\r':
		default:
			blank = false
		}
	}
}
