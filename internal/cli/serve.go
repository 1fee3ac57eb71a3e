package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"time"

	"shuiyun/internal/agency"
	"shuiyun/internal/exchange"
	"shuiyun/internal/hubdemo"
	"shuiyun/internal/ingest"
	"shuiyun/internal/progress"
	"shuiyun/internal/standard"
	"shuiyun/internal/store"
	"shuiyun/internal/validate"
	"shuiyun/internal/web"
)

const serveHelp = `
运行部级平台：监视各单位的收件目录（inbox/<发送方>/），把到达的交换包校验入库，在 outbox/ 写回执，把包移入 archive/。
多个实例可共用一个 PostgreSQL 数据库，每个包只由一个实例处理一次。GET /healthz 在就绪后返回 200。

--demo 演示：在临时（或 --data 给定的）目录建立内置数据库和 34 个单位的交换目录，生成几天的模拟交换包
（含错误行、重复投递、乱序到达、缺号）逐个入库，在终端显示回执、缺号和一条记录的历史，然后继续运行。

示例：
  shuiyun serve --demo
  shuiyun serve --data /srv/shuiyun --addr 0.0.0.0:8080
  shuiyun serve --db postgres://shuiyun@db/shuiyun --exchange /srv/exchange`

type serveOptions struct {
	addr, tlsCert, tlsKey string
	demo, secure          bool
	rescan, timeout       time.Duration
	maxUploadMB           int64
	cpuProfile            string
}

func runServe(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "serve", "[参数]", serveHelp)
	hf := addHubFlags(fs, env)
	var o serveOptions
	fs.StringVar(&o.addr, "addr", getenv(env, "SHUIYUN_ADDR", "127.0.0.1:8080"), "HTTP 监听地址（环境变量 SHUIYUN_ADDR）")
	fs.BoolVar(&o.demo, "demo", false, "演示模式：生成并导入几天的模拟交换包，建立演示用户")
	fs.DurationVar(&o.rescan, "rescan", 30*time.Second, "定期全量扫描收件目录的间隔（网络共享目录可能收不到文件事件）")
	fs.StringVar(&o.tlsCert, "tls-cert", getenv(env, "SHUIYUN_TLS_CERT", ""), "TLS 证书文件（PEM）；与 --tls-key 一起给出时以 HTTPS 提供服务")
	fs.StringVar(&o.tlsKey, "tls-key", getenv(env, "SHUIYUN_TLS_KEY", ""), "TLS 私钥文件（PEM）")
	fs.BoolVar(&o.secure, "secure-cookies", false, "会话 Cookie 加 Secure 标记（在 HTTPS 反向代理之后运行时使用；--tls-cert 时自动开启）")
	fs.Int64Var(&o.maxUploadMB, "max-upload", 200, "上传文件和接口请求体的大小上限（MB）")
	fs.DurationVar(&o.timeout, "request-timeout", 10*time.Minute, "单个请求（含上传和下载）的最长时间")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "把 CPU 性能剖析写入文件，服务停止时写完（供开发人员分析性能）")
	if err := hf.parse(fs, env, args); err != nil {
		return err
	}
	if o.cpuProfile != "" {
		stop, err := startProfile(o.cpuProfile)
		if err != nil {
			return usageErr("--cpuprofile: %v", err)
		}
		defer stop()
	}
	if (o.tlsCert == "") != (o.tlsKey == "") {
		return usageErr("--tls-cert 与 --tls-key 须一起给出")
	}
	if o.demo && hf.data == defaultData { // no folder given by flag, environment or config file
		dir, err := os.MkdirTemp("", "shuiyun-hub-demo-")
		if err != nil {
			return err
		}
		hf.data = dir
	}
	hf.mapFile = true
	st, std, err := hf.open(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	log := slog.New(slog.NewTextHandler(env.Stderr, nil))
	hub, err := hf.hub(st, std, log, time.Minute, nil)
	if err != nil {
		return err
	}
	figures := progress.New(st)
	site, err := web.New(web.Config{Store: st, Standard: std, Hub: hub, Progress: figures, Root: hf.root(), Data: hf.data, Logger: log,
		Secure: o.secure || o.tlsCert != "", MaxUpload: o.maxUploadMB << 20})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return &exitError{code: 2, err: fmt.Errorf("--addr %s: %w", o.addr, err)}
	}
	if o.demo {
		if err := runHubDemo(ctx, env, hf, st, std); err != nil {
			return err
		}
	}
	if err := bootstrapUsers(ctx, env, st, o.demo); err != nil {
		return err
	}
	if o.demo {
		// The demo's packages all arrived today: its progress pages show today.
		if _, err := figures.ComputeThrough(ctx, figures.Today()); err != nil {
			return fmt.Errorf("demo progress figures: %w", err)
		}
		fmt.Fprintf(env.Stdout, "报送进展与数据质量：http://%s/progress?day=%s\n", ln.Addr(), figures.Today())
	}
	go computeProgress(ctx, figures, log, o.demo)
	return serveUntilDone(ctx, env, ln, hub, site, o, log)
}

// computeProgress brings the daily progress figures up to the last whole
// day, at start and then every ten minutes (a day is computed once, after
// midnight and a grace period; nothing happens while it is up to date). The
// demo shows today's figures instead, computed again each minute: a day
// still going on may change, which a real hub never lets a published figure do.
func computeProgress(ctx context.Context, figures *progress.Service, log *slog.Logger, demo bool) {
	every := 10 * time.Minute
	if demo {
		every = time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		var err error
		if demo {
			if _, err = figures.RecomputeFrom(ctx, figures.Today()); err == nil {
				_, err = figures.ComputeThrough(ctx, figures.Today())
			}
		} else {
			_, err = figures.Update(ctx)
		}
		if err != nil && ctx.Err() == nil {
			log.Error("progress figures", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// flagSet reports whether a flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func serveUntilDone(ctx context.Context, env *Env, ln net.Listener, hub *ingest.Hub, site *web.Server, o serveOptions, log *slog.Logger) error {
	srv := &http.Server{Handler: site.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: o.timeout,
		WriteTimeout: o.timeout, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	errc := make(chan error, 2)
	go func() { errc <- hub.Run(ctx, o.rescan) }()
	go func() {
		var err error
		if o.tlsCert != "" {
			err = srv.ServeTLS(ln, o.tlsCert, o.tlsKey)
		} else {
			err = srv.Serve(ln)
		}
		if !errors.Is(err, http.ErrServerClosed) {
			errc <- err
		}
	}()
	go sweepUploads(ctx, site)
	scheme := "http"
	if o.tlsCert != "" {
		scheme = "https"
	}
	fmt.Fprintf(env.Stdout, "平台已启动：%s://%s/ ；按 Ctrl-C 停止\n", scheme, ln.Addr())
	select {
	case <-ctx.Done():
	case err := <-errc:
		if err != nil {
			return &exitError{code: 2, err: err}
		}
	}
	// Graceful: stop taking requests, let those running finish (up to 10 s).
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	srv.Shutdown(shut)
	log.Info("hub stopped")
	return nil
}

func sweepUploads(ctx context.Context, site *web.Server) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		site.Sweep(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// runHubDemo delivers the demo's packages one by one and shows the outcome.
func runHubDemo(ctx context.Context, env *Env, hf *hubFlags, st *store.Store, std *standard.Standard) error {
	root := hf.root()
	var last exchange.Receipt
	hub, err := hf.hub(st, std, slog.New(slog.DiscardHandler), time.Minute, func(r exchange.Receipt) { last = r })
	if err != nil {
		return err
	}
	deliveries, err := hubdemo.Build(std, filepath.Join(hf.data, "demo-source"), validate.Today())
	if err != nil {
		return fmt.Errorf("demo packages: %w", err)
	}
	fmt.Fprintf(env.Stdout, "演示：数据目录 %s，交换目录 %s\n\n", hf.data, root)
	for _, d := range deliveries {
		if err := drop(d, root); err != nil {
			return err
		}
		if err := hub.AcceptWaiting(ctx); err != nil {
			return err
		}
		if err := hub.Drain(ctx); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "【%s】%s\n  ", agencyName(d.Inbox), d.Note)
		printReceipt(env.Stdout, "text", last)
	}
	return demoSummary(ctx, env, st, std, root)
}

// drop puts a package into an inbox the way senders must: a temporary name, then a rename.
func drop(d hubdemo.Delivery, root exchange.Root) error {
	data, err := os.ReadFile(d.Path)
	if err != nil {
		return err
	}
	dir := root.Inbox(d.Inbox)
	tmp := filepath.Join(dir, filepath.Base(d.Path)+".part")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, filepath.Base(d.Path)))
}

func agencyName(code string) string {
	if a, ok := agency.Lookup(code); ok {
		return a.Name
	}
	return code
}

func demoSummary(ctx context.Context, env *Env, st *store.Store, std *standard.Standard, root exchange.Root) error {
	w := env.Stdout
	fmt.Fprintln(w, "\n各单位报送进度（缺号 = 已收到更大序号、但尚未收到的包）：")
	for _, code := range []string{"320000", "330000", "440000", "CJ0000"} {
		missing, err := st.MissingSequences(ctx, code)
		if err != nil {
			return err
		}
		gap := "无"
		if len(missing) > 0 {
			gap = fmt.Sprint(missing)
		}
		fmt.Fprintf(w, "  %-6s %-12s 缺号：%s\n", code, agencyName(code), gap)
	}
	if err := showHistory(ctx, env, st, std); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n回执在 %s/<发送方>/，处理过的包在 %s/<发送方>/。\n", filepath.Join(string(root), "outbox"), filepath.Join(string(root), "archive"))
	fmt.Fprintf(w, "导出当前数据：shuiyun export --data %s --dataset shipping_operator\n", filepath.Dir(string(root)))
	fmt.Fprintf(w, "再放入交换包（先写 *.part 再改名）到 %s，平台会自动处理。\n\n", root.Inbox("<发送方>"))
	return nil
}

// showHistory prints the versions of the record the late package touched.
func showHistory(ctx context.Context, env *Env, st *store.Store, std *standard.Standard) error {
	ds := std.Dataset("shipping_operator")
	var versions []*store.Version
	err := st.Records(ctx, ds.Name, time.Time{}, func(v *store.Version) error {
		if versions != nil || v.Owner != "440000" || v.Seq != 3 {
			return nil
		}
		h, err := st.History(ctx, ds.Name, v.Key)
		if err == nil && slices.ContainsFunc(h, (*store.Version).HistoryOnly) {
			versions = h
		}
		return err
	})
	if err != nil || versions == nil {
		return err
	}
	addr := ds.FieldIndex("address")
	fmt.Fprintf(env.Stdout, "\n一条记录的历史（航运企业 %s；广东的序号 2 晚于序号 3 到达，只进入历史）：\n", store.KeyText(versions[0].Key))
	for _, v := range versions {
		state := "当前"
		switch {
		case v.HistoryOnly():
			state = "仅历史（迟到的旧序号）"
		case !v.To.IsZero():
			state = "已被取代 " + v.To.In(beijing()).Format("15:04:05.000")
		}
		fmt.Fprintf(env.Stdout, "  %s 发送方 %s 序号 %d 操作 %s  地址：%s  [%s]\n", v.From.In(beijing()).Format("15:04:05.000"), v.Sender, v.Seq, v.Op, v.Values[addr], state)
	}
	return nil
}
