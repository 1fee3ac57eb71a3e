package exchange

import "fmt"

// ManifestFormat is the format string of a package manifest.
const ManifestFormat = "shuiyun.package/v1"

// ReceiptFormat is the format string of a receipt.
const ReceiptFormat = "shuiyun.receipt/v1"

// Reason codes of contracts.md §4.
const (
	ZipUnreadable       = "ZIP-UNREADABLE"
	ZipUnsafe           = "ZIP-UNSAFE"
	ManifestInvalid     = "MANIFEST-INVALID"
	SenderUnknown       = "SENDER-UNKNOWN"
	SenderWrongInbox    = "SENDER-WRONG-INBOX"
	ChecksumMismatch    = "CHECKSUM-MISMATCH"
	RowcountMismatch    = "ROWCOUNT-MISMATCH"
	StandardUnsupported = "STANDARD-UNSUPPORTED"
	SequenceConflict    = "SEQUENCE-CONFLICT"
	ShrinkHeld          = "SHRINK-HELD"
	Parked              = "PARKED"
)

// Receipt statuses of contracts.md §4.
const (
	Accepted  = "accepted"
	Partial   = "partial"
	Rejected  = "rejected"
	Duplicate = "duplicate"
	Held      = "held"
)

// Error is a package-level rejection: Code is a reason code above, Message one clear
// Chinese line naming the entry or field at fault.
type Error struct{ Code, Message string }

// Error returns the code and the message.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Reason returns the receipt's reason for the rejection.
func (e *Error) Reason() *Reason { return &Reason{Code: e.Code, Message: e.Message} }

func errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}
