// Package report turns a validation report (validate.Report, contracts.md §3)
// into what people and programs read: the contract JSON, a Chinese terminal
// summary, a self-contained HTML page and an annotated Excel workbook that a
// clerk corrects and submits again.
//
// Every writer takes the report as it is and never changes it. Chinese labels
// for datasets, fields and rules come from the data standard; when a name is
// not in the standard (a header the standard does not define, an unknown
// dataset) its id is shown instead.
package report
