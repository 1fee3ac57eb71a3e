package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"go.yaml.in/yaml/v3"

	"shuiyun/internal/exchange"
	"shuiyun/internal/ingest"
	"shuiyun/internal/progress"
	"shuiyun/internal/standard"
	"shuiyun/internal/store"
)

// hubFlags are the store and exchange flags of serve, ingest, export and
// migrate (contracts.md §2), each also read from SHUIYUN_* variables.
type hubFlags struct {
	data, db, exchange, standard, config string
	mapFile                              bool // store.Config.MapFile: the server's random reads
}

func addHubFlags(fs *flag.FlagSet, env *Env) *hubFlags {
	h := &hubFlags{}
	fs.StringVar(&h.data, "data", getenv(env, "SHUIYUN_DATA", defaultData), "数据目录：内置数据库 shuiyun.db 所在处，交换目录默认为其下的 exchange（环境变量 SHUIYUN_DATA）")
	// Not defaulted from SHUIYUN_DB: --help prints defaults, and the URL may hold a password.
	fs.StringVar(&h.db, "db", "", "PostgreSQL 连接串 postgres://…，代替内置数据库（环境变量 SHUIYUN_DB）")
	fs.StringVar(&h.exchange, "exchange", getenv(env, "SHUIYUN_EXCHANGE", ""), "交换根目录（inbox/ outbox/ archive/）；默认 <数据目录>/exchange（环境变量 SHUIYUN_EXCHANGE）")
	fs.StringVar(&h.standard, "standard", "", "数据标准文件（YAML）；默认使用内置标准 1.0（环境变量 SHUIYUN_STANDARD）")
	fs.StringVar(&h.config, "config", getenv(env, "SHUIYUN_CONFIG", ""), "配置文件（YAML，键 data、db、exchange、addr、standard 及 serve 的 tls-cert、tls-key、max-upload、request-timeout、secure-cookies）；命令行参数和环境变量优先（环境变量 SHUIYUN_CONFIG）")
	return h
}

const defaultData = "shuiyun-data"

// configEnv names the environment variable of each setting a config file may hold.
var configEnv = map[string]string{"data": "SHUIYUN_DATA", "db": "SHUIYUN_DB", "exchange": "SHUIYUN_EXCHANGE",
	"addr": "SHUIYUN_ADDR", "standard": "SHUIYUN_STANDARD", "tls-cert": "SHUIYUN_TLS_CERT", "tls-key": "SHUIYUN_TLS_KEY",
	"max-upload": "SHUIYUN_MAX_UPLOAD", "request-timeout": "SHUIYUN_REQUEST_TIMEOUT", "secure-cookies": "SHUIYUN_SECURE_COOKIES"}

// parse parses the flags, then fills from the config file the settings that
// neither a flag nor an environment variable gave.
func (h *hubFlags) parse(fs *flag.FlagSet, env *Env, args []string) error {
	if err := parse(fs, args); err != nil {
		return err
	}
	if !flagSet(fs, "db") {
		h.db = getenv(env, "SHUIYUN_DB", "")
	}
	if h.config == "" {
		return nil
	}
	data, err := os.ReadFile(h.config)
	if err != nil {
		return usageErr("配置文件 %s：%v", h.config, err)
	}
	var settings map[string]string
	if err := yaml.Unmarshal(data, &settings); err != nil {
		return usageErr("配置文件 %s：%v", h.config, err)
	}
	for key, value := range settings {
		envName, known := configEnv[key]
		if !known {
			return usageErr("配置文件 %s：未知的设置 %q（可用 data、db、exchange、addr、standard、tls-cert、tls-key、max-upload、request-timeout、secure-cookies）", h.config, key)
		}
		if f := fs.Lookup(key); f != nil && !flagSet(fs, key) && getenv(env, envName, "") == "" {
			if err := fs.Set(key, value); err != nil {
				return usageErr("配置文件 %s：%s：%v", h.config, key, err)
			}
		}
	}
	return nil
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
	st, err := store.Open(ctx, store.Config{Data: h.data, URL: h.db, MapFile: h.mapFile}, std)
	if err != nil {
		return nil, nil, &exitError{code: 2, err: err}
	}
	return st, std, nil
}

func (h *hubFlags) hub(st *store.Store, std *standard.Standard, log *slog.Logger, lease time.Duration, done func(exchange.Receipt)) (*ingest.Hub, error) {
	rules := progress.New(st)
	hub, err := ingest.New(ingest.Config{Root: h.root(), Store: st, Standard: std, Logger: log, Lease: lease, Processed: done,
		RulesOn: func(ctx context.Context, at time.Time) (*standard.Standard, error) {
			return rules.StandardOn(ctx, progress.DayOf(at))
		}})
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
	if err := hf.parse(fs, env, args); err != nil {
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
