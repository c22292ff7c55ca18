package main

import (
	"context"
	"flag"
	"log/slog"
	"net"
	"os"

	"github.com/sirupsen/logrus"

	"github.com/zarrsql/zarrsql/server"
)

// serve runs the coordinator until ctx ends.
func serve(ctx context.Context, args []string) error {
	cfg, log, err := setup("serve", args, nil)
	if err != nil {
		return err
	}
	s, err := server.New(ctx, cfg, log)
	if err != nil {
		return err
	}
	if err := s.Listen(); err != nil {
		return err
	}
	log.Info("zarrsql serving", "mysql", s.Addr().String(), "http", addrString(s.HTTPAddr()), "database", cfg.Database, "demo", cfg.DemoOn())
	go func() {
		<-ctx.Done()
		_ = s.Close()
	}()
	if err := s.Serve(); err != nil {
		return err
	}
	<-ctx.Done()
	return s.Close()
}

// setup loads the configuration (defaults, --config file, ZARRSQL_ environment, flags) and
// builds the logger it asks for; extra adds the command's own flags.
func setup(name string, args []string, extra func(*flag.FlagSet)) (server.Config, *slog.Logger, error) {
	newFlags := func() *flag.FlagSet {
		fs := flag.NewFlagSet(name, flag.ContinueOnError)
		if extra != nil {
			extra(fs)
		}
		return fs
	}
	cfg, err := server.LoadConfig(newFlags, args, os.LookupEnv)
	if err != nil {
		return cfg, nil, err
	}
	log, err := server.NewLogger(cfg, os.Stderr)
	if err != nil {
		return cfg, nil, err
	}
	if cfg.LogFormat == "json" {
		logrus.SetFormatter(&logrus.JSONFormatter{}) // go-mysql-server's own warnings
	}
	return cfg, log, nil
}

func addrString(a net.Addr) string {
	if a == nil {
		return "off"
	}
	return a.String()
}
