// Package publish renders the data standard for people and machines: a catalogue
// for the terminal, the whole standard as JSON, a Frictionless Table Schema per
// dataset, an Excel template per dataset and one self-contained HTML page.
//
// # Decisions
//
// Excel templates. The data sheet is named by the dataset's Chinese label when
// Excel accepts it as a sheet name (at most 31 UTF-16 units, none of :\/?*[]),
// else by the dataset code (D03); the validation engine finds the dataset by
// either. Row 1 holds the Chinese labels exactly as the standard spells them
// (an asterisk in the cell would stop the header from matching), mandatory ones
// in red, each with a comment giving type, format, code list and condition. Row 2
// holds the field ids, which the engine skips as a second header row; data starts
// on row 3. Every text-like column (string, id, code, code set, boolean) is
// formatted as text so that Excel keeps leading zeros and long digit strings;
// date columns show yyyy-mm-dd.
//
// Drop-downs offer the codes' Chinese names, not the codes: the people filling
// in a template read names, the engine accepts a code's exact Chinese name and
// stores the code, so the data that leaves the hub still carries codes. A name
// is offered only when the code list's own lookup maps it back to that code;
// otherwise (a name shared by two codes, or equal to another code) the code is
// offered instead. Single-code fields reject other input; code-set fields warn
// only (information style), because several names or codes joined by "|" are
// valid there. The lists live on a hidden sheet "代码表" (inline lists are limited
// to 255 characters). Booleans offer 是/否.
//
// Table Schema. The schema describes the canonical exchange form (CSV with a
// header of field ids): code fields carry an enum of codes, code sets a pattern of
// codes joined by "|", identifiers a pattern of their structure (check digits
// are named in the description, Table Schema cannot express them). Patterns are
// written for XML Schema (implicit anchors, no (?:), \p{Han} as a character
// range). Checks the standard only warns about (a warning pattern, an exclusive
// minimum) go into the description, not the constraints, because every Table
// Schema constraint is an error. Foreign keys are emitted for refs to another
// dataset's whole single-field key; other refs (equalities such as
// operator_name = D02.operator_name) are described only.
package publish
