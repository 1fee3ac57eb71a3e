package exchange

import (
	"archive/zip"
	"io/fs"
	"strconv"
	"strings"
	"unicode/utf8"
)

// checkEntries checks the zip's directory before anything is inflated: what we cannot read
// (ZIP-UNREADABLE), then the count, names and declared sizes (ZIP-UNSAFE). It returns the
// entries by name.
func checkEntries(files []*zip.File, lim Limits) (map[string]*zip.File, error) {
	if len(files) == 0 {
		return nil, errorf(ZipUnreadable, "ZIP 压缩包中没有任何条目")
	}
	for _, f := range files {
		if err := checkReadable(f); err != nil {
			return nil, err
		}
	}
	if len(files) > lim.MaxEntries {
		return nil, errorf(ZipUnsafe, "压缩包有 %d 个条目，超过上限 %d 个", len(files), lim.MaxEntries)
	}
	byName := make(map[string]*zip.File, len(files))
	folded := make(map[string]string, len(files))
	var total uint64
	for _, f := range files {
		if err := checkEntry(f, lim); err != nil {
			return nil, err
		}
		key := strings.ToLower(f.Name)
		if prev, dup := folded[key]; dup && prev == f.Name {
			return nil, errorf(ZipUnsafe, "压缩包条目“%s”出现了不止一次", f.Name)
		} else if dup {
			return nil, errorf(ZipUnsafe, "压缩包条目“%s”与“%s”只差大小写，解压到 Windows 上会互相覆盖", f.Name, prev)
		}
		folded[key], byName[f.Name] = f.Name, f
		if total += f.UncompressedSize64; total > uint64(lim.MaxTotalBytes) {
			return nil, errorf(ZipUnsafe, "压缩包解压后超过总大小上限 %s", byteSize(uint64(lim.MaxTotalBytes)))
		}
	}
	return byName, nil
}

func checkReadable(f *zip.File) error {
	if f.Flags&0x1 != 0 {
		return errorf(ZipUnreadable, "压缩包条目“%s”已加密，无法读取；请不要给数据包设密码", showName(f.Name))
	}
	if f.Method != zip.Store && f.Method != zip.Deflate {
		return errorf(ZipUnreadable, "压缩包条目“%s”使用了不支持的压缩方法（%d），只能用 Deflate 或不压缩", showName(f.Name), f.Method)
	}
	return nil
}

// checkEntry checks one entry's name, type and declared size.
func checkEntry(f *zip.File, lim Limits) error {
	if why := unsafeName(f.Name); why != "" {
		return errorf(ZipUnsafe, "压缩包条目“%s”的路径不安全：%s", showName(f.Name), why)
	}
	if why := unsafeMode(f.Mode()); why != "" {
		return errorf(ZipUnsafe, "压缩包条目“%s”不安全：%s", showName(f.Name), why)
	}
	size, packed := f.UncompressedSize64, f.CompressedSize64
	if size > uint64(lim.MaxEntryBytes) {
		return errorf(ZipUnsafe, "压缩包条目“%s”解压后有 %s，超过单个文件上限 %s", f.Name, byteSize(size), byteSize(uint64(lim.MaxEntryBytes)))
	}
	if lim.isBomb(size, packed) {
		return errorf(ZipUnsafe, "压缩包条目“%s”的压缩比超过 %d:1（%s 压缩成 %s），疑似压缩炸弹", f.Name, lim.MaxRatio, byteSize(size), byteSize(packed))
	}
	return nil
}

// unsafeName says why a name must not be written to disk, or returns "".
func unsafeName(name string) string {
	switch {
	case name == "":
		return "名称为空"
	case !utf8.ValidString(name):
		return "名称不是 UTF-8 编码"
	case strings.ContainsFunc(name, isControl):
		return "名称含控制字符"
	case strings.Contains(name, `\`):
		return "含反斜杠"
	case len(name) >= 2 && name[1] == ':' && isLetter(name[0]):
		return "以盘符开头"
	case strings.Contains(name, ":"):
		return "含冒号"
	case strings.HasPrefix(name, "/"):
		return "是绝对路径"
	case strings.HasSuffix(name, "/"):
		return "是文件夹，数据包内不能有文件夹"
	}
	for el := range strings.SplitSeq(name, "/") {
		switch el {
		case "..":
			return "含上级目录“..”"
		case ".", "":
			return "含“.”或空的路径段"
		}
	}
	switch {
	case strings.Contains(name, "/"):
		return "位于子文件夹中，数据包内不能有文件夹"
	case strings.HasSuffix(name, ".") || strings.HasSuffix(name, " "):
		return "以点或空格结尾"
	case isDeviceName(name):
		return "是 Windows 的设备名"
	}
	return ""
}

func unsafeMode(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "是符号链接"
	case m.IsDir():
		return "是文件夹"
	case !m.IsRegular():
		return "不是普通文件"
	}
	return ""
}

func isControl(r rune) bool { return r < 0x20 || 0x7f <= r && r < 0xa0 }

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// isDeviceName reports the names Windows maps to devices whatever their extension.
func isDeviceName(name string) bool {
	stem, _, _ := strings.Cut(strings.ToUpper(name), ".")
	switch stem {
	case "CON", "PRN", "AUX", "NUL":
		return true
	}
	return len(stem) == 4 && (strings.HasPrefix(stem, "COM") || strings.HasPrefix(stem, "LPT")) && '1' <= stem[3] && stem[3] <= '9'
}

// showName returns a name fit for a message: as is when printable, quoted otherwise.
func showName(name string) string {
	if utf8.ValidString(name) && !strings.ContainsFunc(name, isControl) {
		return name
	}
	return strconv.Quote(name)
}
