package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus figures, in a registry of its own
// (several servers in one test process must not collide).
type metrics struct {
	reg          *prometheus.Registry
	requests     *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	signInFailed prometheus.Counter
	submissions  prometheus.Counter
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "shuiyun_http_requests_total",
			Help: "HTTP requests by route group, method and status class."}, []string{"group", "method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "shuiyun_http_request_seconds",
			Help: "HTTP request latency by route group.", Buckets: prometheus.ExponentialBuckets(0.002, 2.5, 10)}, []string{"group"}),
		signInFailed: prometheus.NewCounter(prometheus.CounterOpts{Name: "shuiyun_sign_in_failures_total", Help: "Failed sign-ins."}),
		submissions:  prometheus.NewCounter(prometheus.CounterOpts{Name: "shuiyun_web_submissions_total", Help: "Packages built from uploads, manual entry and the API."}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.signInFailed, m.submissions,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) handler() http.Handler { return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}) }

// group names a path by its first segment, so labels stay few whatever ids are in paths.
func group(path string) string {
	seg, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	switch seg {
	case "", "login", "logout", "account", "records", "upload", "entry", "receipts", "agencies", "standard", "admin", "audit", "progress", "api", "static", "healthz", "metrics":
		if seg == "" {
			return "home"
		}
		return seg
	}
	return "other"
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (m *metrics) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		g := group(r.URL.Path)
		if sw.code == 0 {
			sw.code = http.StatusOK
		}
		m.requests.WithLabelValues(g, r.Method, strconv.Itoa(sw.code/100)+"xx").Inc()
		m.latency.WithLabelValues(g).Observe(time.Since(start).Seconds())
	})
}
