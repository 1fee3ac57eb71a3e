package exchange

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
)

// Receipt is the hub's answer to a package (contracts.md §4).
type Receipt struct {
	Format           string    `json:"format"`
	Package          string    `json:"package"`
	Sender           string    `json:"sender"`
	Sequence         int64     `json:"sequence"`
	SHA256           string    `json:"sha256"`
	Status           string    `json:"status"`
	ReceivedAt       string    `json:"received_at"`
	ProcessedAt      string    `json:"processed_at"`
	Standard         string    `json:"standard"`
	Rows             RowCounts `json:"rows"`
	Findings         []Finding `json:"findings"`          // never null in JSON: [] when none
	MissingSequences []int64   `json:"missing_sequences"` // never null: []
	Reason           *Reason   `json:"reason"`            // null when none
}

// RowCounts counts a package's rows.
type RowCounts struct {
	Total    int `json:"total"`
	Accepted int `json:"accepted"`
	Rejected int `json:"rejected"`
	Warnings int `json:"warnings"`
}

// Finding is one problem found in a row.
type Finding struct {
	File     string `json:"file"`
	Row      int    `json:"row"`
	Field    string `json:"field"`
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Value    string `json:"value"`
	Message  string `json:"message"`
}

// Reason says why a package was rejected or held.
type Reason struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// MarshalJSON writes empty lists as [] rather than null: agencies' scripts iterate over
// them without a null check.
func (r Receipt) MarshalJSON() ([]byte, error) {
	type plain Receipt // without the method
	if r.Findings == nil {
		r.Findings = []Finding{}
	}
	if r.MissingSequences == nil {
		r.MissingSequences = []int64{}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(plain(r)); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// Encode returns the receipt as indented JSON ending in a newline, with <, > and & as
// they are, filling Format when empty.
func (r Receipt) Encode() ([]byte, error) {
	if r.Format == "" {
		r.Format = ReceiptFormat
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // a message "<dataset>.csv" should read as written
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return nil, fmt.Errorf("encode receipt %s: %w", r.Package, err)
	}
	return b.Bytes(), nil
}

// WriteReceipt writes r, encoded, to path atomically.
func WriteReceipt(path string, r Receipt) error {
	b, err := r.Encode()
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, b)
}

// ReadReceipt reads a receipt, for a duplicate delivery that repeats the first outcome.
func ReadReceipt(path string) (Receipt, error) {
	var r Receipt
	b, err := os.ReadFile(path)
	if err != nil {
		return r, fmt.Errorf("read receipt: %w", err)
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return r, fmt.Errorf("read receipt %s: %w", path, err)
	}
	return r, nil
}
