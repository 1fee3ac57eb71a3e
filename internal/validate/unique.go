package validate

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"sync"

	"shuiyun/internal/standard"
)

// UNIQUE and REL-12 are resolved once a table is read, by sorting hashes
// rather than probing a map per row. A million-entry map missed the cache on
// nearly every probe (map lookups were 10% of a 1M-row run's CPU, run on the
// first partition's critical path and, for the others, serially after them)
// and held ~100 MB that made the collector run every 15 MB under the
// command's memory limit. Hashing and sorting run on every partition at once;
// only one walk over the sorted hashes is serial.

// hashed is a key (or ship id) of one row: a 64-bit hash, 32 bits of a
// second hash (see hashKey) and the row. Rows grow through the partitions, so
// among equal hashes the row orders entries as the table does.
type hashed struct {
	h     uint64
	check uint32
	row   uint32
}

// firsts holds the first occurrences of keys in one table (run: index in
// batch.runs), sorted by hash, one per hash. A hash is a first occurrence in
// at most one table of a batch.
type firsts struct {
	run  int32
	list []hashed
}

// hit is a row that repeats an earlier one: UNIQUE (ship false) or REL-12.
type hit struct {
	row   uint32
	ship  bool
	run   int32
	first uint32 // row
}

// entryOf returns the partition that read a keyed row and the row's entry.
func entryOf(workers []*worker, row uint32) (*worker, keyEntry) {
	for _, w := range workers {
		if n := len(w.keys); n > 0 && uint32(w.keys[n-1].row) >= row {
			j, _ := slices.BinarySearchFunc(w.keys, row, func(k keyEntry, r uint32) int { return int(k.row) - int(r) })
			return w, w.keys[j]
		}
	}
	panic(fmt.Sprintf("validate: no key entry for row %d", row))
}

// resolveKeys runs UNIQUE, then REL-12 on the rows that passed it, over the
// keyed rows of every partition, and reports on each later occurrence.
func (t *tableRun) resolveKeys(workers []*worker) {
	keys, ships := hashAll(workers, t.rel12On)
	var hits []hit
	dup := bitset{}
	name := t.plan.ds.Name
	t.b.unique[name] = t.resolveFirsts(keys, t.b.unique[name], func(e hashed, run int32, row uint32) {
		dup.set(int(e.row))
		hits = append(hits, hit{row: e.row, run: run, first: row})
	})
	if t.rel12On {
		ships = slices.DeleteFunc(ships, func(e hashed) bool { return dup.has(int(e.row)) })
		t.b.active = t.resolveFirsts(ships, t.b.active, func(e hashed, run int32, row uint32) {
			hits = append(hits, hit{row: e.row, ship: true, run: run, first: row})
		})
	}
	slices.SortFunc(hits, func(a, b hit) int { return int(a.row) - int(b.row) })
	for _, h := range hits {
		t.report(workers, h)
	}
	for _, w := range workers {
		w.keys, w.keyBytes = nil, nil
	}
}

// hashAll hashes each partition's keys and (withShips) ship ids in parallel,
// and sorts each kind over all partitions (sortAll).
func hashAll(workers []*worker, withShips bool) (keys, ships []hashed) {
	perKey := make([][]hashed, len(workers))
	perShip := make([][]hashed, len(workers))
	var wg sync.WaitGroup
	for k, w := range workers {
		wg.Go(func() { perKey[k], perShip[k] = w.hashKeys(withShips) })
	}
	wg.Wait()
	return sortAll(perKey), sortAll(perShip)
}

// hashKeys returns the partition's keys and (withShips) ship ids, hashed, in
// row order.
func (w *worker) hashKeys(withShips bool) (keys, ships []hashed) {
	keys = make([]hashed, 0, len(w.keys))
	if withShips {
		ships = make([]hashed, 0, w.shipCount())
	}
	for _, k := range w.keys {
		key, ship := w.keyText(k)
		if key != "" {
			h, check := hashKey(key)
			keys = append(keys, hashed{h, check, uint32(k.row)})
		}
		if ship != "" && withShips {
			h, check := hashKey(ship)
			ships = append(ships, hashed{h, check, uint32(k.row)})
		}
	}
	return keys, ships
}

func (w *worker) shipCount() int {
	n := 0
	for _, k := range w.keys {
		if k.shipLen > 0 {
			n++
		}
	}
	return n
}

// sortAll orders the entries of all lists by hash; among equal hashes an
// earlier list comes first, and a list keeps its own order. The hashes are
// uniform, so one counting pass on their top bits leaves buckets of about
// four entries, which insertion sort finishes. Each list is counted and
// scattered, and each range of buckets sorted, on a goroutine of its own:
// sorting each partition and merging the sorted lists left the merges serial
// (1M-row run: hashing and sorting 47 → 38 ms, REL-12's ship ids 11–17 → 6 ms,
// of a 0.95 s wall).
func sortAll(lists [][]hashed) []hashed {
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	if n < 64 {
		out := slices.Concat(lists...)
		insertionSort(out)
		return out
	}
	shift := 64 - (bits.Len(uint(n)) - 2) // 2^b buckets: 2 to 4 entries each
	next := make([][]int, len(lists))     // per list: where its next entry of each bucket goes
	parallel(len(lists), func(k int) { next[k] = countBuckets(lists[k], shift) })
	placeBuckets(next)
	out := make([]hashed, n)
	parallel(len(lists), func(k int) {
		for _, e := range lists[k] {
			out[next[k][e.h>>shift]] = e
			next[k][e.h>>shift]++
		}
	})
	parallel(len(lists), func(k int) {
		insertionSort(out[bucketStart(out, shift, k, len(lists)):bucketStart(out, shift, k+1, len(lists))])
	})
	return out
}

// countBuckets returns how many entries of l fall in each bucket (the top bits of the hash).
func countBuckets(l []hashed, shift int) []int {
	count := make([]int, 1<<(64-shift))
	for _, e := range l {
		count[e.h>>shift]++
	}
	return count
}

// placeBuckets turns per-list bucket counts into the position in the sorted
// output of each list's first entry in each bucket: buckets in order, and
// within a bucket the lists in order.
func placeBuckets(next [][]int) {
	at := 0
	for j := range next[0] {
		for _, c := range next {
			c[j], at = at, at+c[j]
		}
	}
}

// bucketStart returns the position in out (sorted by bucket) of the first
// entry of the k-th of parts equal ranges of buckets.
func bucketStart(out []hashed, shift, k, parts int) int {
	if k == parts {
		return len(out)
	}
	first := uint64(k) << (64 - shift) / uint64(parts) // the range's first bucket
	i, _ := slices.BinarySearchFunc(out, first, func(e hashed, b uint64) int { return cmp.Compare(e.h>>shift, b) })
	return i
}

// parallel runs fn(0) … fn(n-1) at once and waits for them.
func parallel(n int, fn func(int)) {
	var wg sync.WaitGroup
	for k := range n {
		wg.Go(func() { fn(k) })
	}
	wg.Wait()
}

func insertionSort(a []hashed) {
	for i := 1; i < len(a); i++ {
		e, j := a[i], i
		for ; j > 0 && a[j-1].h > e.h; j-- {
			a[j] = a[j-1]
		}
		a[j] = e
	}
}

// resolveFirsts walks a table's hashes (sorted by hash, then row) against
// the first occurrences in earlier tables and in the table itself, calling
// repeat for each entry that repeats one. An entry whose hash is known but
// whose check differs collides with a different key: it is no repeat and does
// not become a first occurrence either. It returns known with the table's
// first occurrences added; they are written over hs, which is read ahead of them.
func (t *tableRun) resolveFirsts(hs []hashed, known []firsts, repeat func(e hashed, run int32, row uint32)) []firsts {
	walked := make([]int, len(known))
	kept := hs[:0]
	for g := 0; g < len(hs); {
		end := g + 1
		for end < len(hs) && hs[end].h == hs[g].h {
			end++
		}
		group := hs[g:end]
		run, f, found := firstOf(known, walked, hs[g].h)
		if !found {
			run, f = t.id, group[0]
			group = group[1:]
		}
		for _, e := range group {
			if e.check == f.check {
				repeat(e, run, f.row)
			}
		}
		if !found {
			kept = append(kept, f)
		}
		g = end
	}
	if len(kept) < len(hs)/2 { // do not hold on to the rest of hs
		kept = slices.Clone(kept)
	}
	return append(known, firsts{run: t.id, list: kept})
}

// firstOf finds hash h among the first occurrences of earlier tables; walked
// holds how far each list has been read (h only grows).
func firstOf(known []firsts, walked []int, h uint64) (int32, hashed, bool) {
	for k, fs := range known {
		l := fs.list
		for walked[k] < len(l) && l[walked[k]].h < h {
			walked[k]++
		}
		if walked[k] < len(l) && l[walked[k]].h == h {
			return fs.run, l[walked[k]], true
		}
	}
	return 0, hashed{}, false
}

// report adds the finding of a repeated key (UNIQUE) or ship id (REL-12) to
// the partition that read the row.
func (t *tableRun) report(workers []*worker, h hit) {
	w, k := entryOf(workers, h.row)
	key, ship := w.keyText(k)
	row := int(k.row)
	firstAt := t.b.runs[h.run].name()
	if h.ship {
		w.add(row, "ship_id", "REL-12", "", "", strings.Clone(ship),
			fmt.Sprintf("船舶 %s 已有一本存续状态的营运证（%s 第 %d 行）", ship, firstAt, h.first))
		return
	}
	if !t.uniqueOn {
		return
	}
	keyField := t.plan.ds.Fields[t.plan.key[0]]
	t.dupRows[row] = true
	shown := strings.Clone(strings.ReplaceAll(key, standard.KeySep, "/"))
	w.add(row, keyField.Name, "UNIQUE", "", "", shown,
		fmt.Sprintf("业务主键“%s”%s 重复，首次出现在 %s 第 %d 行", keyField.Label, shown, firstAt, h.first))
}
