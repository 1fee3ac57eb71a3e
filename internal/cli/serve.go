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
	"shuiyun/internal/standard"
	"shuiyun/internal/store"
	"shuiyun/internal/validate"
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

func runServe(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "serve", "[参数]", serveHelp)
	hf := addHubFlags(fs, env)
	addr := fs.String("addr", getenv(env, "SHUIYUN_ADDR", "127.0.0.1:8080"), "HTTP 监听地址（环境变量 SHUIYUN_ADDR）")
	demo := fs.Bool("demo", false, "演示模式：生成并导入几天的模拟交换包")
	rescan := fs.Duration("rescan", 30*time.Second, "定期全量扫描收件目录的间隔（网络共享目录可能收不到文件事件）")
	if err := hf.parse(fs, env, args); err != nil {
		return err
	}
	if *demo && hf.data == defaultData { // no folder given by flag, environment or config file
		dir, err := os.MkdirTemp("", "shuiyun-hub-demo-")
		if err != nil {
			return err
		}
		hf.data = dir
	}
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
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return &exitError{code: 2, err: fmt.Errorf("--addr %s: %w", *addr, err)}
	}
	if *demo {
		if err := runHubDemo(ctx, env, hf, st, std); err != nil {
			return err
		}
	}
	return serveUntilDone(ctx, env, ln, hub, *rescan, log)
}

// flagSet reports whether a flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func serveUntilDone(ctx context.Context, env *Env, ln net.Listener, hub *ingest.Hub, rescan time.Duration, log *slog.Logger) error {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 2)
	go func() { errc <- hub.Run(ctx, rescan) }()
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			errc <- err
		}
	}()
	fmt.Fprintf(env.Stdout, "平台已启动：http://%s/healthz ；按 Ctrl-C 停止\n", ln.Addr())
	select {
	case <-ctx.Done():
	case err := <-errc:
		if err != nil {
			return &exitError{code: 2, err: err}
		}
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	srv.Shutdown(shut)
	log.Info("hub stopped")
	return nil
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
