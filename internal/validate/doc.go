// Package validate is the unified validation engine: it reads tables (package
// table), checks every row against the data standard (package standard) and
// produces a Report (contracts.md §3). It stores nothing and needs no database
// or network, so agencies run exactly the same checks offline as the hub.
//
// # What the engine decides (where the spec leaves a choice)
//
// Datasets. --dataset applies to every file. Otherwise a CSV/JSONL file's
// dataset comes from its file name: the whole stem, then each part of the stem
// split at "_", "-", "." and blanks, matched by name, code (D03) or Chinese label;
// an XLSX sheet's from its sheet name, then (one-sheet workbooks) the file name;
// finally from the header: the dataset matching the most header cells, if at
// least half of them. A file whose dataset cannot be told is FILE-DATASET
// (error); an XLSX sheet that matches nothing is a FILE-DATASET warning and is
// skipped (instructions, code lists, a report's summary sheet).
//
// Header. Each header cell names a field by id or Chinese label. The envelope
// columns op_type, submitter_code, data_date, source_system and updated_at are
// known. Unknown columns are FILE-HEADER-UNKNOWN (warning, field = the header
// text); two columns for one field FILE-HEADER-DUPLICATE (the later column is
// ignored); a missing mandatory column FILE-HEADER-MISSING (field = the field)
// — reported once, not as REQ on every row, and every row of that table counts
// as an error row because none can be accepted. A first data row whose
// non-blank cells all equal the field ids of their columns is a second header
// row (our Excel templates carry one) and is skipped.
//
// Mojibake. A header cell that is Chinese text read as Windows-1252/Latin-1
// and saved again (a UTF-8 or GBK CSV opened without choosing its encoding) is
// FILE-ENCODING on the table, naming the header as it was meant; the rows are
// not checked.
//
// Rows. A row whose cells are all blank is skipped (it keeps its number). A row
// the reader could not decode is reported with the reader's rule (FILE-ENCODING)
// and checked no further. Non-blank cells beyond the header are FILE-ROW-SHAPE.
// op_type is I, U or D (blank = U; anything else is CODE on op_type); a D row is
// checked on its business key only.
//
// Values. Cells are trimmed (Unicode blanks and U+3000) and NFC-normalised; "",
// the settings' null values ("-", "--", "1900-01-01") and a date equal to
// 1900-01-01 are null. Half-width brackets become full-width in names and
// licence numbers. Identifiers are upper-cased; IMO drops an "IMO" prefix.
// Full-width digits in numbers and dates are read as ASCII.
//
// Field checks, in this order, at most one finding per (row, field):
// REQ / REQ-COND → FMT-EXCEL → FMT-DATE/INT/DEC/BOOL → FMT-LEN → FMT-PATTERN →
// FMT-RANGE → CODE → ID-*.
//   - REQ: a mandatory field is null. REQ-COND: a conditional field is null while
//     its condition holds; a condition on a field that is null or failed its own
//     check does not hold.
//   - FMT-EXCEL (id, string, code and code-set fields): scientific notation
//     as Excel shows it (9.13501E+17: one digit, fraction, E, sign, 2–3 digits), or an all-digit value shorter than the field's fixed
//     width (region codes 6, a `^\d{N}$` pattern N, a code list of fixed-width
//     digit codes with a leading zero such as C07 and C12) that zero-padding would
//     make valid.
//   - Dates: YYYY-MM-DD, YYYY/M/D, YYYY.M.D, YYYYMMDD, YYYY年M月D日, the same
//     followed by a time (truncated), and Excel serials (five integer digits,
//     optional fraction; 5-digit serials only, so a bare year is FMT-DATE).
//   - Integers: optional "-" and digits. Decimals: optional "-", digits, and
//     optionally "." and digits; at most Precision−Scale integer digits and at
//     most Scale decimals (trailing zeros beyond Scale are allowed).
//   - Booleans: 1/0, 是/否, Y/N, true/false (any case); a trailing "|" is
//     dropped (the real-feed form "1|", §8a.7a).
//   - FMT-LEN counts characters (runes) of the normalised value.
//   - CODE: the code, its exact Chinese name or an alias. Code sets split at "|",
//     drop blanks and repeats; every element must be in the list, and a sub-code
//     needs its item code (C03: 3001 needs 3000).
//   - ID-*: package ident. USCC_OR_CITIZEN passes if either check passes; if
//     both fail it is ID-CITIZEN when the value is 17 digits + digit/X with a
//     plausible birth date in positions 7–14, else ID-USCC. A valid USCC whose
//     embedded organisation code fails is an ID-USCC warning. A region code that
//     never existed is an ID-REGION error; one retired on or before today a
//     warning.
//
// Cross-field rules (DAT-01…08, REL-06 first part, REL-08, REL-09, REL-19…22,
// REL-25) use only fields that are present and passed their own checks; a rule
// part whose fields are unknown does not fire. They are reported on the later
// field of an order (DAT-01 on valid_to, or issue_date when it is after today)
// or the referencing field.
//
// Batch rules run across every file given together, plus --ref data for
// lookups. Tables are processed in dependency order (D01, D02, D04, D05, D06,
// D07, D08, D11, D12, D10, D03, D09; argument order within a dataset), so a
// referencing row is checked as it streams. Reports keep argument order.
//   - UNIQUE: the business key (Key, else AltKey when every Key field is null)
//     repeats in the batch: reported on each later occurrence, on the first key
//     field. Rows whose key fields are null or failed are not keyed; a row that
//     failed UNIQUE takes no part in REL-12 or REL-23.
//   - Lookups (REL-01…07, 10, 11, 13…18, 24) find the referenced record among
//     batch rows (of any outcome, if its key is valid) and --ref rows; the batch
//     wins. When the referenced dataset is absent from both, the rule is listed in
//     "skipped". When the record is not found only the existence rule fires
//     (REL-01, REL-10, REL-13, REL-15, REL-18); the rules comparing with it do not.
//   - REL-03 and REL-24: a certificate 存续 whose licence is cancelled (2/3/4)
//     fires REL-24 (warning, on status) while fewer than grace_days have passed
//     since the cancel date, REL-03 (error, on operator_license_no) after; an
//     expired licence fires REL-03.
//   - REL-06 is not followed by REL-07 on the same row.
//   - REL-12: the second and later 存续 certificates of a ship_id in the batch.
//   - REL-20 needs --submitter (a province: region codes in that province; the
//     ministry 000000: no check); D10 is checked by REL-25 instead. REL-21 needs
//     --submitter CJ0000 or ZJ0000.
//   - REL-23: the first name seen for a USCC (dataset order, then argument
//     order, then row) is the reference; later rows with another name warn.
//   - REL-26 needs the national repository and is always skipped offline.
//
// A row with at least one error finding is an error row; the report is valid when
// there is no error finding at all.
package validate
