package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"shuiyun/internal/exchange"
	"shuiyun/internal/ingest"
	"shuiyun/internal/standard"
	"shuiyun/internal/store"
)

// hubFlags are the store and exchange flags of serve, ingest, export and
// migrate (contracts.md §2), each also read from SHUIYUN_* variables.
type hubFlags struct {
	data, db, exchange, standard string
}

func addHubFlags(fs *flag.FlagSet, env *Env) *hubFlags {
	h := &hubFlags{}
	fs.StringVar(&h.data, "data", getenv(env, "SHUIYUN_DATA", "shuiyun-data"), "数据目录：内置数据库 shuiyun.db 所在处，交换目录默认为其下的 exchange（环境变量 SHUIYUN_DATA）")
	fs.StringVar(&h.db, "db", getenv(env, "SHUIYUN_DB", ""), "PostgreSQL 连接串 postgres://…，代替内置数据库（环境变量 SHUIYUN_DB）")
	fs.StringVar(&h.exchange, "exchange", getenv(env, "SHUIYUN_EXCHANGE", ""), "交换根目录（inbox/ outbox/ archive/）；默认 <数据目录>/exchange（环境变量 SHUIYUN_EXCHANGE）")
	fs.StringVar(&h.standard, "standard", "", "数据标准文件（YAML）；默认使用内置标准 1.0（环境变量 SHUIYUN_STANDARD）")
	return h
}

func getenv(env *Env, key, fallback string) string {
	if env.Getenv != nil {
		if v := env.Getenv(key); v != "" {
			return v
		}
	}
	return fallback
}

func (h *hubFlags) root() exchange.Root {
	if h.exchange != "" {
		return exchange.Root(h.exchange)
	}
	return exchange.Root(filepath.Join(h.data, "exchange"))
}

// open loads the standard and opens the store, migrating it.
func (h *hubFlags) open(ctx context.Context, env *Env) (*store.Store, *standard.Standard, error) {
	std, err := loadStandard(env, h.standard)
	if err != nil {
		return nil, nil, err
	}
	st, err := store.Open(ctx, store.Config{Data: h.data, URL: h.db}, std)
	if err != nil {
		return nil, nil, &exitError{code: 2, err: err}
	}
	return st, std, nil
}

func (h *hubFlags) hub(st *store.Store, std *standard.Standard, log *slog.Logger, lease time.Duration, done func(exchange.Receipt)) (*ingest.Hub, error) {
	hub, err := ingest.New(ingest.Config{Root: h.root(), Store: st, Standard: std, Logger: log, Lease: lease, Processed: done})
	if err != nil {
		return nil, &exitError{code: 2, err: err}
	}
	return hub, nil
}

func logger(w io.Writer, verbose bool) *slog.Logger {
	level := slog.LevelWarn
	if verbose {
		level = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

const migrateHelp = `
创建或升级数据库：执行内置的迁移脚本，并按数据标准建立或补齐各数据集的表（标准新增字段时自动加列，已有数据不变）。
serve、ingest、export 启动时也会自动执行。`

func runMigrate(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "migrate", "[参数]", migrateHelp)
	hf := addHubFlags(fs, env)
	if err := parse(fs, args); err != nil {
		return err
	}
	st, std, err := hf.open(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintf(env.Stdout, "数据库（%s）已是最新：数据标准 %s，%d 个数据集\n", st.Dialect(), std.Version, len(std.Datasets))
	return nil
}
