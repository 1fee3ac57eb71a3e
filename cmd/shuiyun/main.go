//go:debug zipinsecurepath=0

// Command shuiyun is the waterway data-sharing system: the unified validation
// tool agencies run offline, and (later) the ministry's hub.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // Asia/Shanghai on hosts without a zone database

	"shuiyun/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], cli.Std())
	stop()
	os.Exit(code)
}
