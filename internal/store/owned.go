package store

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// ownedRows is, per back end, the smallest full snapshot whose sender's
// records are read at once (startOwned) rather than looked up chunk by
// chunk; 0: never. SQLite looks keys up inside the process, without a
// round trip: an unchanged 1,000,000-row snapshot stored in 3.6–3.9 s
// either way there, and the map cost 60 MB.
var ownedRows = map[string]int{"postgres": 10_000}

// ownedVersion is what a decision needs of one of the sender's live records;
// its owner is the sender and it is not withdrawn.
type ownedVersion struct {
	hash, seq int64
	idx       uint32 // its bit in owned.held
	sender    uint8  // who wrote it (owned.senders): the owner, or the ministry for it
}

// owned is the sender's live records as they stood when a full snapshot
// began, keyed by keyHash, read on a read connection while the caller
// streams rows.
//
// Why: a full snapshot mostly repeats what its sender holds. Looked up 900
// keys a query, an unchanged 1,000,000-row snapshot cost PostgreSQL 4.7 s of
// index probes and heap reads (1,500 queries at 3.1 ms; the table outgrew
// the default shared_buffers); the sender's records read in one scan cost it
// 0.6–0.8 s. Keys the package holds that are not among them (new records,
// another agency's, withdrawn ones) are still looked up.
//
// The map holds no pointers, so the garbage collector does not scan its
// million entries at each cycle. It also stands for the Writer's set of
// the keys the package holds (Writer.keys): held marks the records among
// them, fresh the other keys (new records, another agency's, withdrawn
// ones), which are few. One key set of a million entries less: 58 MB and a
// map insert a row.
type owned struct {
	done    chan struct{}
	err     error
	m       map[[2]uint64]ownedVersion
	senders []string
	held    []uint64 // a bit per record: a row of the package holds it
	fresh   map[[2]uint64]struct{}
}

// startOwned begins counting the sender's live records for a full snapshot:
// the table's, read already for a bulk load; else, for a snapshot large
// enough to gain from it, reading them all; else a count, taken before the
// package writes anything.
func (w *Writer) startOwned(ctx context.Context) error {
	switch {
	case !w.b.Full:
	case w.committed != nil:
		for _, c := range w.committed {
			if !c.deleted && c.owner == w.b.Sender {
				w.before++
			}
		}
	case w.b.UniqueKeys && ownedRows[w.tx.s.d.name()] > 0 && w.b.Rows >= ownedRows[w.tx.s.d.name()]:
		o := &owned{done: make(chan struct{}), m: make(map[[2]uint64]ownedVersion, w.b.Rows), fresh: map[[2]uint64]struct{}{}}
		w.owned = o
		ctx, cancel := context.WithCancel(ctx)
		w.tx.stops = append(w.tx.stops, cancel)
		go func() {
			defer close(o.done)
			o.err = o.read(ctx, w.tx.s, w.t, w.b.Sender)
		}()
	default:
		q := "SELECT COUNT(*) FROM " + w.t.name + " WHERE " + isCurrent + " AND sy_deleted = 0 AND sy_owner = ?"
		if err := w.tx.c.QueryRowContext(ctx, w.tx.s.d.rebind(q), w.b.Sender).Scan(&w.before); err != nil {
			return fmt.Errorf("count the records of %s in %s: %w", w.b.Sender, w.t.name, err)
		}
	}
	return nil
}

// ownedBefore is how many live records the sender had before the snapshot.
func (w *Writer) ownedBefore(ctx context.Context) (int, error) {
	if w.owned == nil {
		return w.before, nil
	}
	if err := w.owned.wait(ctx); err != nil {
		return 0, err
	}
	return len(w.owned.m), nil
}

func (o *owned) read(ctx context.Context, s *Store, t *dsTable, sender string) error {
	q := "SELECT sy_key, sy_sender, sy_seq, sy_hash FROM " + t.name + " WHERE " + isCurrent +
		" AND sy_deleted = 0 AND sy_owner = " + sqlString(sender)
	var err error
	if _, ok := s.d.(pgDialect); ok {
		err = s.copyLines(ctx, q, o.line)
	} else {
		err = s.readText(ctx, q, 4, func(v []string) error {
			return o.add(keyHash(v[0]), []byte(v[1]), []byte(v[2]), []byte(v[3]))
		})
	}
	if err != nil {
		return fmt.Errorf("read the records of %s in %s: %w", sender, t.name, err)
	}
	o.held = make([]uint64, (len(o.m)+63)/64)
	return nil
}

var tab = []byte{'\t'}

// line adds a record from a line of COPY's text format, without making a
// string of it (a string a line was a third of reading 1,000,000).
func (o *owned) line(b []byte) error {
	key, rest, ok1 := bytes.Cut(b, tab)
	by, rest, ok2 := bytes.Cut(rest, tab)
	seq, hash, ok3 := bytes.Cut(rest, tab)
	if !ok1 || !ok2 || !ok3 {
		return fmt.Errorf("copy: a row of other than 4 fields: %q", b)
	}
	if bytes.IndexByte(key, '\\') >= 0 {
		key = []byte(unescapeCopy(string(key)))
	}
	return o.add(keyHashBytes(key), by, seq, hash)
}

func (o *owned) add(kh [2]uint64, by, seqText, hashText []byte) error {
	seq, err1 := strconv.ParseInt(string(seqText), 10, 64)
	hash, err2 := strconv.ParseInt(string(hashText), 10, 64)
	if err1 != nil || err2 != nil {
		return fmt.Errorf("a version's sequence %q or hash %q", seqText, hashText)
	}
	i := slices.IndexFunc(o.senders, func(s string) bool { return s == string(by) })
	if i < 0 {
		if len(o.senders) > math.MaxUint8 {
			return fmt.Errorf("records written by more than %d agencies", math.MaxUint8)
		}
		i = len(o.senders)
		o.senders = append(o.senders, string(by))
	}
	if len(o.m) == math.MaxUint32 {
		return fmt.Errorf("more than %d records", math.MaxUint32)
	}
	o.m[kh] = ownedVersion{hash: hash, seq: seq, idx: uint32(len(o.m)), sender: uint8(i)}
	return nil
}

// wait returns once the records are read.
func (o *owned) wait(ctx context.Context) error {
	select {
	case <-o.done:
		return o.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// find looks a key up among the records; a record found is marked held.
// Callers hold the pipeline's decideMu, or run after it.
func (o *owned) find(kh [2]uint64) (ownedVersion, bool) {
	v, ok := o.m[kh]
	if ok {
		o.held[v.idx/64] |= 1 << (v.idx % 64)
	} else {
		o.fresh[kh] = struct{}{}
	}
	return v, ok
}

// holds reports whether a row of the package held the key: as one of the
// records, or as a fresh key.
func (o *owned) holds(kh [2]uint64) bool {
	if v, ok := o.m[kh]; ok {
		return o.held[v.idx/64]&(1<<(v.idx%64)) != 0
	}
	_, ok := o.fresh[kh]
	return ok
}

// current is a record's current version, for the Writer of sender.
func (o *owned) current(v ownedVersion, sender string) current {
	return current{owner: sender, sender: o.senders[v.sender], seq: v.seq, hash: v.hash}
}

// sqlString is s as an SQL string literal, for the statements that take no
// parameters (COPY). Both back ends read ” as a quote and nothing else as
// special (PostgreSQL with standard_conforming_strings, its default since 9.1).
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
