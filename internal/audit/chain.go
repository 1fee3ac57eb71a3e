package audit

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"iter"
	"time"

	"github.com/emmansun/gmsm/sm3"
)

// format begins every hashed encoding, so a later layout cannot be confused with this one.
const format = "shuiyun.audit/v1"

// Seal links e after the entry whose hash is prev: it sets e.Prev and e.Hash,
// and rounds e.At to the microsecond in UTC, as the store keeps it.
func Seal(prev string, e Entry) Entry {
	e.At = time.UnixMicro(e.At.UnixMicro()).UTC()
	e.Prev = prev
	e.Hash = hash(e)
	return e
}

// hash is the hex SM3 of e's canonical encoding: every field but Hash, each
// text length-prefixed, so no two entries encode alike.
func hash(e Entry) string {
	b := make([]byte, 0, 256)
	b = appendText(b, format)
	b = binary.BigEndian.AppendUint64(b, uint64(e.Seq))
	b = binary.BigEndian.AppendUint64(b, uint64(e.At.UnixMicro()))
	for _, s := range []string{e.Login, e.Agency, e.Action, e.Target, e.Detail, e.IP, e.Prev} {
		b = appendText(b, s)
	}
	sum := sm3.Sum(b)
	return hex.EncodeToString(sum[:])
}

func appendText(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(len(s)))
	return append(b, s...)
}

// Head is the last entry as the store records it apart from the entries:
// deleting entries from the end leaves a chain intact in itself, but shorter
// than its head.
type Head struct {
	Seq  int64
	Hash string
}

// Problem is one sign that the log was changed.
type Problem struct {
	Seq  int64 // the entry where it shows
	What string
}

// Verify checks a log, entries in sequence order, against its head, and lists
// every edited entry, broken link, missing entry and missing tail.
func Verify(entries iter.Seq[Entry], head Head) []Problem {
	var problems []Problem
	report := func(seq int64, format string, args ...any) {
		problems = append(problems, Problem{Seq: seq, What: fmt.Sprintf(format, args...)})
	}
	var last Entry
	for e := range entries {
		switch want := last.Seq + 1; {
		case e.Seq > want:
			report(e.Seq, "缺少第 %s 条记录（已被删除）", span(want, e.Seq-1))
		case e.Seq < want:
			report(e.Seq, "序号 %d 重复或倒序（应为 %d）", e.Seq, want)
		case e.Prev != last.Hash:
			report(e.Seq, "与上一条记录的链接不符：上一条记录被删除、替换或改写过")
		}
		if hash(e) != e.Hash {
			report(e.Seq, "记录内容与其哈希不符：记录被修改过")
		}
		last = e
	}
	checkHead(last, head, report)
	return problems
}

func checkHead(last Entry, head Head, report func(int64, string, ...any)) {
	switch {
	case head.Seq > last.Seq:
		report(head.Seq, "缺少末尾的第 %s 条记录（已被删除）", span(last.Seq+1, head.Seq))
	case head.Seq < last.Seq:
		report(last.Seq, "第 %s 条记录在链头（第 %d 条）之后：链头未随记录更新，或记录是另外插入的", span(head.Seq+1, last.Seq), head.Seq)
	case head.Hash != last.Hash:
		report(last.Seq, "最后一条记录的哈希与链头记下的不符：末尾记录被替换过")
	}
}

// span names the entries from a to b.
func span(a, b int64) string {
	if a == b {
		return fmt.Sprint(a)
	}
	return fmt.Sprintf("%d 至 %d", a, b)
}
