package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"sync/atomic"
)

// Counts says what applying one dataset of a package did.
type Counts struct {
	Inserted  int        // new records
	Updated   int        // records with a new current version
	Unchanged int        // upserts equal to the current version: no version written
	History   int        // rows older than the current version: kept in history only
	Withdrawn int        // D rows and, in a full snapshot, records absent from it
	Conflicts []Conflict // rows refused because another agency owns the record (REL-26)
	Owned     int        // full snapshot: the sender's current records before it
	Bulk      bool       // loaded in bulk: search indexes dropped and built again at the end (startBulk)
}

// Conflict is a row for a record another agency owns.
type Conflict struct {
	Row   int
	Key   string
	Owner string
}

// ErrShrink is returned by Close when a full snapshot would withdraw more of
// the sender's records than the guard allows; the caller rolls back.
var ErrShrink = errors.New("full snapshot would withdraw too many records")

// Batch identifies the rows being written: who sends them and from where.
type Batch struct {
	Sender   string
	Seq      int64
	DataDate string
	Full     bool // the rows are the sender's complete set of this dataset
	// UniqueKeys: the rows' keys are known to be distinct (the engine's UNIQUE
	// rejects repeats), so the Writer need not look for them.
	UniqueKeys bool
	MaxShrink  float64 // full: the largest share of the sender's records it may withdraw (0.2); ≥1 turns the guard off
	// Rows is how many rows the package holds for the dataset, if known: a
	// package that outweighs the table is loaded in bulk (see startBulk).
	Rows int
}

// Writer writes the accepted rows of one dataset of a package. Rows flow
// through a pipeline: the caller normalises and puts them; a second goroutine
// looks up the keys' current versions (on a read connection) and decides; a
// third writes on the transaction's connection. So on two cores reading,
// deciding and the database's own work overlap.
type Writer struct {
	tx      *Tx
	t       *dsTable
	b       Batch
	mark    int64 // the dataset's full-snapshot mark before this package
	pending []pendingRow
	block   []string               // the free part of the block Put copies values into
	keys    map[[2]uint64]struct{} // keys put or seen; nil when neither dedup nor a snapshot needs them
	dups    []pendingRow           // later rows of a key put before: applied after the stream, in order
	counts  Counts
	// full snapshots: how many of the sender's live records the package's
	// rows matched, and the keys of rejected rows (not looked up as they
	// go); when every live record is accounted for, none is absent and the
	// table need not be scanned.
	matched  int
	before   int // the sender's live records before the package (ownedBefore), when not read at once
	seenOnly map[string]struct{}
	// committed is the table's current versions before a bulk load, read
	// once; nil otherwise.
	committed map[string]current
	keyless   bool         // a bulk load with the key indexes dropped (restoreKeys)
	frozen    bool         // a bulk load into a table emptied in this transaction (truncateEmpty)
	vids      atomic.Int64 // frozen: the next version's sy_vid (numberVersions)
	// owned is the sender's live records, read at once for a full snapshot
	// (startOwned); nil otherwise.
	owned *owned

	pipe   *pipeline
	stream versionStream // the open statement encoded chunks go to (endStream)
}

type pendingRow struct {
	row    int
	op     byte
	key    string
	kh     [2]uint64 // keyHash(key), when the Writer keeps keys or reads the sender's records at once
	values []string
	hash   int64
}

// writeBatch is the writes one chunk of rows needs.
type writeBatch struct {
	closes, bumps []string // keys whose current version ends, or is confirmed at this sequence
	versions      []newVersion
	// The versions as the dialect takes them, made ahead by encode: in
	// COPY's text (preEncoder), else as values for the driver.
	encoded []byte
	inserts [][]any
}

// newVersion is a version decided on: a row, its owner and where its
// interval ends. The rest of its system columns are the Writer's.
type newVersion struct {
	pendingRow
	owner string
	to    int64
}

// sharedMeta are the system columns a Writer's versions share.
type sharedMeta struct {
	sender, dataDate string
	seq, job, from   int64
}

func (w *Writer) meta() sharedMeta {
	return sharedMeta{sender: w.b.Sender, dataDate: w.b.DataDate, seq: w.b.Seq, job: w.tx.job.ID, from: w.tx.now}
}

// deleted is the version's sy_deleted: a withdrawal's.
func (v *newVersion) deleted() int {
	if v.op == 'D' || v.op == 'W' {
		return 1
	}
	return 0
}

// encode readies the batch's versions for sending: on a decider, beside
// the connection sending the batch before. PostgreSQL's are encoded
// straight from the rows' text; boxing each value for the driver first
// cost a 1,000,000-row load 37,000,000 allocations.
func (w *Writer) encode(wb *writeBatch) error {
	if len(wb.versions) == 0 {
		return nil
	}
	if enc, ok := w.tx.s.d.(preEncoder); ok {
		var vid int64
		if w.frozen {
			n := int64(len(wb.versions))
			vid = w.vids.Add(n) - n
		}
		wb.encoded = enc.encodeVersions(w.t, w.meta(), wb.versions, vid)
	} else {
		wb.inserts = w.driverRows(wb.versions)
	}
	wb.versions = nil
	return nil
}

// driverRows are versions as the rows of a driver's insert.
func (w *Writer) driverRows(vs []newVersion) [][]any {
	m := w.meta()
	rows := make([][]any, len(vs))
	for i := range vs {
		v := &vs[i]
		row := make([]any, 0, w.t.width)
		row = append(row, v.key, v.owner, m.sender, m.seq, m.job, string(v.op), v.deleted(), m.from, v.to, v.hash, m.dataDate)
		for j, f := range w.t.ds.Fields {
			if v.values == nil {
				row = append(row, nil)
				continue
			}
			row = append(row, w.tx.s.d.value(f, v.values[j]))
		}
		rows[i] = row
	}
	return rows
}

// chunk is how many rows go through a lookup and a write together.
var chunk = 2000

// Dataset starts writing a dataset's rows in this transaction.
func (tx *Tx) Dataset(ctx context.Context, dataset string, b Batch) (*Writer, error) {
	t, err := tx.s.dsTable(dataset)
	if err != nil {
		return nil, err
	}
	mark, err := tx.fullMark(ctx, b.Sender, dataset)
	if err != nil {
		return nil, err
	}
	w := &Writer{tx: tx, t: t, b: b, mark: mark}
	if err := w.startBulk(ctx); err != nil {
		return nil, err
	}
	if err := w.startOwned(ctx); err != nil {
		return nil, err
	}
	if (b.Full || !b.UniqueKeys) && w.owned == nil {
		// Sized for the package: growing to a million keys rehashed them all
		// again at each doubling.
		w.keys = make(map[[2]uint64]struct{}, b.Rows)
	}
	return w, nil
}

var seenSeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

func keyHash(key string) [2]uint64 {
	return [2]uint64{maphash.String(seenSeeds[0], key), maphash.String(seenSeeds[1], key)}
}

// keyHashBytes is keyHash of a key held as bytes (maphash hashes both alike).
func keyHashBytes(key []byte) [2]uint64 {
	return [2]uint64{maphash.Bytes(seenSeeds[0], key), maphash.Bytes(seenSeeds[1], key)}
}

// Seen notes a key the package holds in a row that was not accepted: a full
// snapshot does not withdraw a record just because its new version had errors.
func (w *Writer) Seen(key string) {
	if key == "" {
		return
	}
	if w.owned != nil { // whether a row put it too is told at the end (accounted)
		if w.seenOnly == nil {
			w.seenOnly = map[string]struct{}{}
		}
		w.seenOnly[key] = struct{}{}
		return
	}
	if w.keys == nil {
		return
	}
	h := keyHash(key)
	if _, known := w.keys[h]; known {
		return
	}
	w.keys[h] = struct{}{}
	if w.b.Full {
		if w.seenOnly == nil {
			w.seenOnly = map[string]struct{}{}
		}
		w.seenOnly[key] = struct{}{}
	}
}

// Put adds an accepted row: op I/U upserts by key, D withdraws.
func (w *Writer) Put(ctx context.Context, row int, op byte, key string, values []string) error {
	if key == "" {
		return fmt.Errorf("row %d: no business key", row)
	}
	p := pendingRow{row: row, op: op, key: key}
	if op != 'D' {
		p.values = w.keep(values) // hashed where the chunk is decided (hashRows)
	}
	if w.keys != nil || w.owned != nil {
		p.kh = keyHash(key)
	}
	if w.keys != nil {
		h := p.kh
		if _, again := w.keys[h]; again && !w.b.UniqueKeys {
			// The same key twice (UNIQUE switched off): the later row must
			// see the earlier one, so it waits for the end of the stream.
			w.dups = append(w.dups, p)
			return nil
		}
		w.keys[h] = struct{}{}
		if w.seenOnly != nil {
			delete(w.seenOnly, key)
		}
	}
	w.pending = append(w.pending, p)
	if len(w.pending) >= chunk {
		if w.pipe == nil {
			w.pipe = w.startPipeline(ctx)
		}
		batch := w.pending
		w.pending = make([]pendingRow, 0, chunk)
		return w.pipe.send(batch)
	}
	return nil
}

// keep copies a row's values into the current block: a slice per row was a
// third of Put's time (an unchanged 1,000,000-row snapshot: 0.37 s).
func (w *Writer) keep(values []string) []string {
	if len(w.block) < len(values) {
		w.block = make([]string, chunk*len(values))
	}
	v := w.block[:len(values):len(values)]
	copy(v, values)
	w.block = w.block[len(values):]
	return v
}

// contentHash identifies a version's content, to skip unchanged upserts: FNV-1a
// (64 bits) of the values, each followed by 0x1f. It is stored with each
// version, so it must never change; written out here, as hash/fnv through
// its interface allocated a []byte per value (31 a row).
func contentHash(values []string) int64 {
	const offset, prime = 14695981039346656037, 1099511628211
	var h uint64 = offset
	for _, v := range values {
		for i := 0; i < len(v); i++ {
			h = (h ^ uint64(v[i])) * prime
		}
		h = (h ^ 0x1f) * prime
	}
	return int64(h)
}

// hashRows gives the rows their content hashes. It runs where chunks are
// decided, two at a time, rather than in Put on the caller's goroutine: an
// unchanged 1,000,000-row snapshot spent 0.45 s there hashing, while the
// deciders waited for the sender's records (startOwned).
func hashRows(rows []pendingRow) {
	for i := range rows {
		if rows[i].values != nil {
			rows[i].hash = contentHash(rows[i].values)
		}
	}
}

// Close writes what is pending and, for a full snapshot, withdraws the
// sender's records it does not hold; ErrShrink if that is too many.
func (w *Writer) Close(ctx context.Context) (Counts, error) {
	if w.pipe != nil {
		if err := w.pipe.close(); err != nil {
			return w.counts, err
		}
	}
	if err := w.restoreKeys(ctx); err != nil {
		return w.counts, err
	}
	if err := w.flush(ctx, w.pending); err != nil {
		return w.counts, err
	}
	matched := w.matched  // a repeated key's record is counted at its first row only
	for len(w.dups) > 0 { // one row per key at a time, in order
		// Each round is a later instant: a key's versions closed in one
		// transaction must not share an end (the key index is unique).
		w.tx.now++
		var next, later []pendingRow
		inNext := map[string]bool{}
		for _, p := range w.dups {
			if inNext[p.key] {
				later = append(later, p)
				continue
			}
			inNext[p.key] = true
			next = append(next, p)
		}
		if err := w.flush(ctx, next); err != nil {
			return w.counts, err
		}
		w.dups = later
	}
	w.matched = matched
	if err := w.numbered(ctx); err != nil {
		return w.counts, err
	}
	if w.b.Full {
		if err := w.withdrawAbsent(ctx); err != nil {
			return w.counts, err
		}
		if err := w.tx.setFullMark(ctx, w.b.Sender, w.t.ds.Name, w.b.Seq); err != nil {
			return w.counts, err
		}
	}
	// Chunks are decided two at a time (pipeline.decide): rows in order.
	slices.SortStableFunc(w.counts.Conflicts, func(a, b Conflict) int { return cmp.Compare(a.Row, b.Row) })
	return w.counts, w.endBulk(ctx)
}

// stale: a row of this sequence loses to what is stored (see the package doc).
func (w *Writer) stale(c current, found bool) bool {
	if w.mark > w.b.Seq {
		return true
	}
	return found && c.sender == w.b.Sender && c.seq > w.b.Seq
}

// flush decides and writes rows on the transaction's connection, seeing its
// own earlier writes.
func (w *Writer) flush(ctx context.Context, rows []pendingRow) error {
	if len(rows) == 0 {
		return nil
	}
	hashRows(rows)
	cur, err := w.tx.lookup(ctx, w.tx.c, w.t, keysOf(rows))
	if err != nil {
		return err
	}
	var wb writeBatch
	for _, p := range rows {
		c, found := cur[p.key]
		if w.owned != nil {
			w.owned.find(p.kh) // marks it held
		}
		w.decide(p, c, found, &wb)
	}
	return w.writeOut(ctx, &wb)
}

func keysOf(rows []pendingRow) []string {
	keys := make([]string, len(rows))
	for i, p := range rows {
		keys[i] = p.key
	}
	return keys
}

// decide turns one row into the version writes it needs.
func (w *Writer) decide(p pendingRow, c current, found bool, wb *writeBatch) {
	live := found && !c.deleted
	if live && c.owner != w.b.Sender && w.b.Sender != Ministry {
		w.counts.Conflicts = append(w.counts.Conflicts, Conflict{Row: p.row, Key: p.key, Owner: c.owner})
		return
	}
	owner := w.b.Sender
	if live {
		owner = c.owner
		if owner == w.b.Sender {
			w.matched++
		}
	}
	switch {
	case w.stale(c, found):
		w.counts.History++
		wb.version(w, p, owner, true)
	case p.op == 'D' && found && c.deleted && c.sender == w.b.Sender:
		if c.seq < w.b.Seq { // already withdrawn: remember the later sequence
			wb.bumps = append(wb.bumps, p.key)
		}
	case p.op == 'D':
		// Withdrawing a record not stored still leaves a tombstone: its
		// sequence makes an older upsert arriving later history only.
		if live {
			w.counts.Withdrawn++
		}
		if found {
			wb.closes = append(wb.closes, p.key)
		}
		wb.version(w, p, owner, false)
	case live && c.hash == p.hash:
		w.counts.Unchanged++
		// An incremental package confirms the content at its sequence; a full
		// snapshot needs not (its mark orders later arrivals), so re-sending
		// an unchanged snapshot writes nothing at all.
		if !w.b.Full && c.seq < w.b.Seq && c.sender == w.b.Sender {
			wb.bumps = append(wb.bumps, p.key)
		}
	default:
		if live {
			w.counts.Updated++
		} else {
			w.counts.Inserted++
		}
		if found {
			wb.closes = append(wb.closes, p.key)
		}
		wb.version(w, p, owner, false)
	}
}

// version queues a new version; historyOnly gives it an empty interval.
func (wb *writeBatch) version(w *Writer, p pendingRow, owner string, historyOnly bool) {
	var to int64 = openEnd
	if historyOnly {
		to = w.tx.now
	}
	wb.versions = append(wb.versions, newVersion{pendingRow: p, owner: owner, to: to})
}

// write closes superseded versions before inserting their successors: the
// unique index allows one current version per key at every statement.
// Chunks encoded ahead go into one statement left open between them
// (openVersions), ended when the connection is wanted for anything else.
func (w *Writer) write(ctx context.Context, wb *writeBatch) error {
	if err := w.encode(wb); err != nil { // batches not from the pipeline
		return err
	}
	if len(wb.closes) > 0 || len(wb.bumps) > 0 || len(wb.inserts) > 0 {
		if err := w.endStream(); err != nil {
			return err
		}
	}
	if err := w.tx.updateCurrent(ctx, w.t, "sy_to = ?", w.tx.now, wb.closes); err != nil {
		return err
	}
	if err := w.tx.updateCurrent(ctx, w.t, "sy_seq = ?", w.b.Seq, wb.bumps); err != nil {
		return err
	}
	if wb.encoded != nil {
		if w.stream == nil {
			w.stream = w.tx.s.d.(preEncoder).openVersions(ctx, w.tx, w.t, w.frozen)
		}
		return w.stream.send(wb.encoded)
	}
	if len(wb.inserts) > 0 {
		return w.tx.s.d.(rowInserter).insertVersions(ctx, w.tx, w.t, wb.inserts)
	}
	return nil
}

// writeOut writes a batch from outside the pipeline (which ends its own
// statement): nothing follows it into the statement it opens.
func (w *Writer) writeOut(ctx context.Context, wb *writeBatch) error {
	err := w.write(ctx, wb)
	if e := w.endStream(); err == nil {
		err = e
	}
	return err
}

// endStream ends the statement write left open, if any.
func (w *Writer) endStream() error {
	if w.stream == nil {
		return nil
	}
	s := w.stream
	w.stream = nil
	return s.end()
}

// accounted counts the sender's live records as the snapshot began
// (ownedBefore) and those of them the package's rows hold. The rows are
// decided against the same state, so these agree exactly when no record is
// absent, whatever the package itself withdrew or added.
func (w *Writer) accounted(ctx context.Context) (owned, matched int, err error) {
	if owned, err = w.ownedBefore(ctx); err != nil {
		return 0, 0, err
	}
	matched = w.matched
	var keys []string
	for k := range w.seenOnly {
		if w.owned != nil {
			// One of the sender's records that no accepted row put.
			if _, ok := w.owned.m[keyHash(k)]; ok && !w.owned.holds(keyHash(k)) {
				matched++
			}
			continue
		}
		keys = append(keys, k)
	}
	// Keys only seen were not written: on the transaction's connection they
	// still read as before the package.
	if len(keys) > 0 {
		cur, err := w.tx.lookup(ctx, w.tx.c, w.t, keys)
		if err != nil {
			return 0, 0, err
		}
		for _, c := range cur {
			if !c.deleted && c.owner == w.b.Sender {
				matched++
			}
		}
	}
	return owned, matched, nil
}

// holds reports whether a row of the package, accepted or not, held key.
func (w *Writer) holds(key string) bool {
	if w.owned == nil {
		_, ok := w.keys[keyHash(key)]
		return ok
	}
	if _, seen := w.seenOnly[key]; seen {
		return true
	}
	return w.owned.holds(keyHash(key))
}

// withdrawAbsent withdraws the sender's current records that the snapshot
// does not hold, unless a later sequence of the sender confirmed them.
func (w *Writer) withdrawAbsent(ctx context.Context) error {
	if w.mark > w.b.Seq {
		return nil // a later snapshot already decided the set
	}
	owned, matched, err := w.accounted(ctx)
	if err != nil {
		return err
	}
	w.counts.Owned = owned
	if owned == matched { // the common daily case: nothing absent
		return nil
	}
	q := "SELECT sy_key, sy_sender, sy_seq FROM " + w.t.name + " WHERE " + isCurrent + " AND sy_deleted = 0 AND sy_owner = ?"
	rows, err := w.tx.c.QueryContext(ctx, w.tx.s.d.rebind(q), w.b.Sender)
	if err != nil {
		return fmt.Errorf("read %s records of %s: %w", w.t.ds.Name, w.b.Sender, err)
	}
	var gone []pendingRow
	var keys []string
	for rows.Next() {
		var seq int64
		var key, sender string
		if err := rows.Scan(&key, &sender, &seq); err != nil {
			rows.Close()
			return err
		}
		if w.holds(key) {
			continue
		}
		if sender == w.b.Sender && seq > w.b.Seq {
			continue
		}
		gone = append(gone, pendingRow{op: 'W', key: key})
		keys = append(keys, key)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if w.b.MaxShrink < 1 && float64(len(gone)) > w.b.MaxShrink*float64(w.counts.Owned) {
		w.counts.Withdrawn = len(gone)
		return ErrShrink
	}
	wb := writeBatch{closes: keys}
	for _, p := range gone {
		w.counts.Withdrawn++
		wb.version(w, p, w.b.Sender, false)
	}
	return w.writeOut(ctx, &wb)
}
