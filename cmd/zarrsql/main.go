// Package main is the zarrsql command, a SQL query engine over Zarr array data spoken to
// over the MySQL protocol. Subcommands:
//
//	zarrsql serve   [flags]          run the coordinator (the demo when no dataset is given)
//	zarrsql query   [flags] -e SQL   run one statement and print tab-separated rows
//	zarrsql executor --listen ADDR --region R   run a regional executor
//	zarrsql bench   [flags]          time the seed's ERA5 query against decode-only and xarray
//	zarrsql version                  print the version
//
// serve and query read their configuration from defaults, a YAML file (--config or
// ZARRSQL_CONFIG), ZARRSQL_<KEY> environment variables and flags, in rising precedence.
// The binary only parses flags and wires packages together; see package server.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/sirupsen/logrus"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "zarrsql:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: zarrsql serve|query|executor|bench|version [flags] (zarrsql <command> -h for flags)")
	}
	logrus.SetLevel(logrus.WarnLevel) // go-mysql-server logs every connection at info
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:])
	case "query":
		return query(ctx, args[1:])
	case "bench":
		return benchCmd(ctx, args[1:], slog.New(slog.NewTextHandler(os.Stderr, nil)))
	case "executor":
		return executorCmd(ctx, args[1:], slog.New(slog.NewTextHandler(os.Stderr, nil)))
	case "version":
		fmt.Println("zarrsql", version)
		return nil
	}
	return fmt.Errorf("unknown command %q: want serve, query, executor, bench or version", args[0])
}
