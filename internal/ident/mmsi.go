package ident

// MMSI, standard.md §3.5.

const mmsiName = "MMSI " // the space separates the Latin name from the Chinese that follows

// MMSI checks a 9-digit MMSI of a mainland Chinese-flag ship station: its MID (first three
// digits) is 412, 413 or 414. Hong Kong (477), Macao (453) and Taiwan (416) MIDs are
// reported as not mainland. MMSI has no check digit. A value of blanks only, seen in real
// feeds, should be treated as empty by the caller; here it is reported as such.
func MMSI(s string) error {
	if len(s) != 9 || firstNonDigit(s) >= 0 {
		return mmsiShapeError(s)
	}
	if s[0] == '4' && s[1] == '1' && s[2] >= '2' && s[2] <= '4' {
		return nil
	}
	return mmsiMIDError(s)
}

func mmsiShapeError(s string) *Error {
	if s != "" && allBlank(s) {
		return errorf(KindMMSI, "%s全为空格，应作为空值处理", mmsiName)
	}
	if len(s) != 9 {
		return lengthError(KindMMSI, mmsiName, 9, "", s)
	}
	return charError(KindMMSI, mmsiName, s, firstNonDigit(s), false)
}

func mmsiMIDError(s string) *Error {
	mid := s[:3]
	switch mid {
	case "477":
		return errorf(KindMMSI, "%s前 3 位 477 是香港的海上识别数字，不是内地船籍船舶", mmsiName)
	case "453":
		return errorf(KindMMSI, "%s前 3 位 453 是澳门的海上识别数字，不是内地船籍船舶", mmsiName)
	case "416":
		return errorf(KindMMSI, "%s前 3 位 416 是台湾地区的海上识别数字，不是内地船籍船舶", mmsiName)
	}
	if s[0] < '2' || s[0] > '7' {
		return errorf(KindMMSI, "%s以 %c 开头，不是船舶电台识别码（内地船舶应以 412、413 或 414 开头）", mmsiName, s[0])
	}
	return errorf(KindMMSI, "%s前 3 位 %s 不是中国内地的海上识别数字（应为 412、413 或 414）", mmsiName, mid)
}

func allBlank(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' {
			return false
		}
	}
	return true
}
