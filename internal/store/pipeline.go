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
	cancel  context.CancelFunc
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

// decide looks keys up on a read connection: it sees what was committed
// before this transaction, which is all a chunk needs, as a package's keys
// are distinct in the stream (repeats wait for the end, see Writer.Put).
func (p *pipeline) decide(ctx context.Context) {
	defer p.wg.Done()
	defer close(p.writeC)
	w := p.w
	for rows := range p.decideC {
		if p.failed() != nil {
			continue // drain
		}
		cur, err := w.lookupCommitted(ctx, keysOf(rows))
		if err != nil {
			p.fail(err)
			continue
		}
		wb := &writeBatch{}
		for _, r := range rows {
			c, found := cur[r.key]
			w.decide(r, c, found, wb)
		}
		p.writeC <- wb
	}
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
}
