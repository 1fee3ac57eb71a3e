// Command csvparse is the baseline of bench/validate.sh: it parses a CSV file
// with bare encoding/csv (ReuseRecord) in 1 goroutine or in N newline-aligned
// byte ranges, and prints rows and rows/s. The file must have no quoted newlines.
package main

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"sync"
	"time"
)

func main() {
	ranges := flag.Int("ranges", 1, "byte ranges parsed in parallel")
	flag.Parse()
	path := flag.Arg(0)
	info, err := os.Stat(path)
	if err != nil {
		log.Fatal(err)
	}
	start := time.Now()
	bounds := split(path, info.Size(), *ranges)
	counts := make([]int, len(bounds)-1)
	var wg sync.WaitGroup
	for i := 0; i+1 < len(bounds); i++ {
		wg.Go(func() { counts[i] = parse(path, bounds[i], bounds[i+1]) })
	}
	wg.Wait()
	rows := 0
	for _, n := range counts {
		rows += n
	}
	el := time.Since(start)
	fmt.Printf("encoding/csv ranges=%d rows=%d seconds=%.3f rows_per_s=%.0f\n", *ranges, rows, el.Seconds(), float64(rows)/el.Seconds())
}

// split returns range boundaries at line starts.
func split(path string, size int64, n int) []int64 {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	b := []int64{0}
	buf := make([]byte, 1<<16)
	for i := 1; i < n; i++ {
		at := size * int64(i) / int64(n)
		k, _ := f.ReadAt(buf, at)
		if j := bytes.IndexByte(buf[:k], '\n'); j >= 0 {
			b = append(b, at+int64(j)+1)
		}
	}
	return append(b, size)
}

func parse(path string, from, to int64) int {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(io.NewSectionReader(f, from, to-from))
	r.ReuseRecord = true
	r.FieldsPerRecord = -1
	n := 0
	for {
		_, err := r.Read()
		if err == io.EOF {
			return n
		}
		if err != nil {
			log.Fatal(err)
		}
		n++
	}
}
