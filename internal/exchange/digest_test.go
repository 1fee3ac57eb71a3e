package exchange

import (
	"bytes"
	"crypto/sha256"
	"testing"
)

// TestAsyncHash: the background hash sums exactly what was written, in
// order, whatever the sizes and however far the writer runs ahead.
func TestAsyncHash(t *testing.T) {
	for _, writes := range []int{0, 1, 3, 9, 500} {
		a, want := newAsyncHash(sha256.New()), sha256.New()
		for i := range writes {
			p := bytes.Repeat([]byte{byte(i)}, 1+i%70000)
			a.Write(p)
			want.Write(p)
		}
		if got := a.Sum(); !bytes.Equal(got, want.Sum(nil)) {
			t.Errorf("%d writes: digest differs", writes)
		}
	}
}
