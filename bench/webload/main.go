// Command webload measures the hub's search latency under concurrent
// clients and its full-dataset export rate, over HTTP on loopback, through
// the public API (a token of a ministry viewer).
//
//	go run ./bench/webload -url http://127.0.0.1:18181 -token syt_… -csv vessels.csv
package main

import (
	"bufio"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sync"
	"time"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:18181", "the hub")
	token := flag.String("token", "", "API token")
	data := flag.String("csv", "", "the loaded vessel CSV, to sample filter values from")
	clients := flag.Int("clients", 50, "concurrent clients")
	dur := flag.Duration("duration", 15*time.Second, "how long to load")
	export := flag.Bool("export", true, "also time a full CSV export")
	flag.Parse()
	queries := sample(*data)
	lat, errs := load(*base, *token, queries, *clients, *dur)
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[int(float64(len(lat)-1)*p)] }
	fmt.Printf("search: clients=%d queries=%d errors=%d qps=%.0f p50=%.1fms p90=%.1fms p99=%.1fms max=%.1fms\n",
		*clients, len(lat), errs, float64(len(lat))/dur.Seconds(), ms(pct(0.5)), ms(pct(0.9)), ms(pct(0.99)), ms(lat[len(lat)-1]))
	if *export {
		rows, secs := exportAll(*base, *token)
		fmt.Printf("export csv: rows=%d seconds=%.2f rows/s=%.0f\n", rows, secs, float64(rows)/secs)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// sample builds filtered-page queries from values found in the data: a
// licence's vessels, a name prefix, a name search, a ship type in one
// province, a page sorted by name.
func sample(path string) []string {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	r.ReuseRecord = true
	head, err := r.Read()
	if err != nil {
		log.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	var qs []string
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; ; n++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		if rng.IntN(2000) != 0 {
			continue
		}
		name := []rune(rec[col["ship_name_cn"]])
		prefix := string(name[:min(3, len(name))])
		qs = append(qs,
			"f=operator_license_no&op=eq&v="+url.QueryEscape(rec[col["operator_license_no"]]),
			"f=ship_name_cn&op=prefix&v="+url.QueryEscape(prefix),
			"q="+url.QueryEscape(prefix),
			"owner=320000&f=ship_type&op=eq&v="+url.QueryEscape(rec[col["ship_type"]]),
			"sort=ship_name_cn&f=ship_name_cn&op=gte&v="+url.QueryEscape(prefix),
		)
	}
	if len(qs) == 0 {
		log.Fatal("no rows sampled")
	}
	return qs
}

func load(base, token string, qs []string, clients int, dur time.Duration) ([]time.Duration, int) {
	var mu sync.Mutex
	var all []time.Duration
	errs := 0
	stop := time.Now().Add(dur)
	var wg sync.WaitGroup
	tr := &http.Transport{MaxIdleConnsPerHost: clients}
	for c := range clients {
		wg.Go(func() {
			hc := &http.Client{Transport: tr}
			rng := rand.New(rand.NewPCG(uint64(c), 7))
			var mine []time.Duration
			bad := 0
			for time.Now().Before(stop) {
				q := qs[rng.IntN(len(qs))]
				req, _ := http.NewRequest("GET", base+"/api/v1/datasets/vessel_operating_certificate/records?limit=50&"+q, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				t0 := time.Now()
				resp, err := hc.Do(req)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				mine = append(mine, time.Since(t0))
				if err != nil || resp.StatusCode != 200 {
					bad++
				}
			}
			mu.Lock()
			all, errs = append(all, mine...), errs+bad
			mu.Unlock()
		})
	}
	wg.Wait()
	return all, errs
}

func exportAll(base, token string) (int, float64) {
	req, _ := http.NewRequest("GET", base+"/api/v1/datasets/vessel_operating_certificate/export?format=csv", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	t0 := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		log.Fatalf("export: %s", resp.Status)
	}
	r := csv.NewReader(bufio.NewReaderSize(resp.Body, 1<<20))
	r.ReuseRecord = true
	rows := -1 // the header
	for {
		_, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		rows++
	}
	return rows, time.Since(t0).Seconds()
}
