package exchange

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"

	"github.com/emmansun/gmsm/sm3"
)

// SHA256File returns the hex SHA-256 of the file at path.
func SHA256File(path string) (string, error) { return digestFile(path, sha256.New()) }

// SM3File returns the hex SM3 (GB/T 32905) of the file at path.
func SM3File(path string) (string, error) { return digestFile(path, sm3.New()) }

func digestFile(path string, h hash.Hash) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("digest: %w", err)
	}
	defer f.Close()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("digest %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// asyncHash feeds a hash from its own goroutine, so that SM3 — the slowest
// step of extracting a package — runs beside inflating instead of after it.
type asyncHash struct {
	h    hash.Hash
	c    chan []byte
	free chan []byte
	done chan struct{}
}

func newAsyncHash(h hash.Hash) *asyncHash {
	a := &asyncHash{h: h, c: make(chan []byte, 4), free: make(chan []byte, 4), done: make(chan struct{})}
	go func() {
		defer close(a.done)
		for b := range a.c {
			a.h.Write(b)
			select { // reuse the buffer unless enough are waiting already
			case a.free <- b[:0]:
			default:
			}
		}
	}()
	return a
}

// Write queues a copy of p; it never fails.
func (a *asyncHash) Write(p []byte) (int, error) {
	var b []byte
	select {
	case b = <-a.free:
	default:
	}
	a.c <- append(b, p...)
	return len(p), nil
}

// Sum waits for every queued byte and returns the digest; the hash takes no more writes.
func (a *asyncHash) Sum() []byte {
	close(a.c)
	<-a.done
	return a.h.Sum(nil)
}
