// Package ident checks the identifiers of standard.md §3: 统一社会信用代码, 组织机构代码,
// 公民身份号码, IMO and MMSI numbers, 船舶识别号, 港口经营许可证编号 and 固定资产投资项目代码.
//
// It sits on the validation hot path (about a million rows a second), so the checks are
// byte loops over the string with no regexp, and a valid value costs no allocation: only
// building an *Error for a bad value allocates. Values are expected already trimmed;
// normalising case, width or blanks is the caller's decision, so these functions report
// such problems instead of silently fixing them (the one exception is bracket width in
// PortLicense, which the standard tells us to normalise).
//
// Every failure is an *Error whose Kind is the contracts.md rule id and whose Msg is a
// Chinese sentence a clerk can act on; for a wrong check character it names the right one.
package ident
