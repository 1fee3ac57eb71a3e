package store

import (
	"context"
	"sync"
)

// pipeline runs a Writer's lookups and decisions in one goroutine and its
// writes in another, while the caller goes on reading rows.
type pipeline struct {
	w       *Writer
	decideC chan []pendingRow
	writeC  chan *writeBatch
	wg      sync.WaitGroup
	mu      sync.Mutex
	err     error
	// decideMu serialises the deciders' decisions (Writer.decide counts).
	decideMu sync.Mutex
	cancel   context.CancelFunc
}

func (w *Writer) startPipeline(ctx context.Context) *pipeline {
	ctx, cancel := context.WithCancel(ctx)
	p := &pipeline{w: w, decideC: make(chan []pendingRow, 1), writeC: make(chan *writeBatch, 1), cancel: cancel}
	p.wg.Add(2)
	go p.decide(ctx)
	go p.write(ctx)
	return p
}

func (p *pipeline) fail(err error) {
	p.mu.Lock()
	if p.err == nil {
		p.err = err
		p.cancel()
	}
	p.mu.Unlock()
}

func (p *pipeline) failed() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

func (p *pipeline) send(rows []pendingRow) error {
	if err := p.failed(); err != nil {
		return err
	}
	p.decideC <- rows
	return nil
}

// close waits for everything sent to be written.
func (p *pipeline) close() error {
	close(p.decideC)
	p.wg.Wait()
	p.cancel()
	return p.failed()
}

// deciders is how many chunks are looked up at once: a lookup waits on the
// database, so two keep it busy while the caller reads rows (an unchanged
// 1,000,000-row snapshot on SQLite spent 2.7 s of CPU looking up keys, the
// longest stage once the rows came from the validation spool).
const deciders = 2

// decide looks keys up on read connections: they see what was committed
// before this transaction, which is all a chunk needs, as a package's keys
// are distinct in the stream (repeats wait for the end, see Writer.Put). So
// chunks may be looked up, decided and written in any order.
func (p *pipeline) decide(ctx context.Context) {
	defer p.wg.Done()
	defer close(p.writeC)
	var wg sync.WaitGroup
	for range deciders {
		wg.Go(func() {
			for rows := range p.decideC {
				if p.failed() != nil {
					continue // drain
				}
				if err := p.decideChunk(ctx, rows); err != nil {
					p.fail(err)
				}
			}
		})
	}
	wg.Wait()
}

func (p *pipeline) decideChunk(ctx context.Context, rows []pendingRow) error {
	w := p.w
	hashRows(rows)
	cur, found, err := p.currents(ctx, rows)
	if err != nil {
		return err
	}
	wb := &writeBatch{}
	p.decideMu.Lock() // decide counts into the Writer
	for i, r := range rows {
		w.decide(r, cur[i], found[i], wb)
	}
	p.decideMu.Unlock()
	if err := w.encode(wb); err != nil {
		return err
	}
	p.writeC <- wb
	return nil
}

// currents gives each row's current version: from the sender's records read
// at once (startOwned) where they hold it, else looked up as committed.
func (p *pipeline) currents(ctx context.Context, rows []pendingRow) ([]current, []bool, error) {
	w := p.w
	cur, found := make([]current, len(rows)), make([]bool, len(rows))
	ask := rows
	if w.owned != nil {
		if err := w.owned.wait(ctx); err != nil {
			return nil, nil, err
		}
		ask = nil
		p.decideMu.Lock() // find marks what it finds held
		for i, r := range rows {
			var v ownedVersion
			if v, found[i] = w.owned.find(r.kh); found[i] {
				cur[i] = w.owned.current(v, w.b.Sender)
			} else {
				ask = append(ask, r)
			}
		}
		p.decideMu.Unlock()
	}
	looked, err := w.lookupCommitted(ctx, keysOf(ask))
	if err != nil {
		return nil, nil, err
	}
	for i, r := range rows {
		if !found[i] {
			cur[i], found[i] = looked[r.key]
		}
	}
	return cur, found, nil
}

func (p *pipeline) write(ctx context.Context) {
	defer p.wg.Done()
	for wb := range p.writeC {
		if p.failed() != nil {
			continue
		}
		if err := p.w.write(ctx, wb); err != nil {
			p.fail(err)
		}
	}
	if err := p.w.endStream(); err != nil {
		p.fail(err)
	}
}
