package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/zarrsql/zarrsql/connectors/blobstore"
	"github.com/zarrsql/zarrsql/distributed"
)

// executorCmd runs a regional executor until ctx ends: a stateless Arrow Flight service
// that runs the fragments coordinators send it over the data of its region.
func executorCmd(ctx context.Context, args []string, log *slog.Logger) error {
	o := distributed.ExecutorOptions{Log: log}
	fs := flag.NewFlagSet("executor", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:8815", "address of the Flight service")
	metricsAddr := fs.String("metrics-listen", "", "address of an HTTP server of Prometheus /metrics (empty: none)")
	fs.StringVar(&o.Region, "region", "", "region this executor serves, as datasets name it (e.g. gcp:us-central1); required")
	fs.IntVar(&o.Workers, "workers", 0, "goroutines per fragment (0: the number of CPUs)")
	fs.IntVar(&o.MaxFragments, "max-fragments", distributed.DefaultMaxFragments, "fragments run at once")
	fs.IntVar(&o.MaxStores, "max-stores", distributed.DefaultMaxStores, "opened stores kept")
	fs.StringVar(&o.Compression, "compression", "zstd", "compression of partial results: zstd, lz4 or none")
	securityFlags(fs, &o.Security)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("executor: unexpected arguments %q", fs.Args())
	}
	o.Security.Token = os.Getenv("ZARRSQL_EXECUTOR_TOKEN")
	reg := prometheus.NewRegistry()
	m, err := blobstore.NewMetrics(reg)
	if err != nil {
		return err
	}
	o.Store.Metrics = m
	ex, err := distributed.NewExecutor(o)
	if err != nil {
		return err
	}
	if err := errors.Join(ex.Register(reg), reg.Register(collectors.NewGoCollector())); err != nil {
		return err
	}
	return runExecutor(ctx, ex, *listen, *metricsAddr, reg, log)
}

// securityFlags adds the flags of the TLS and token options (the token itself comes
// from a file or ZARRSQL_EXECUTOR_TOKEN, never from the command line).
func securityFlags(fs *flag.FlagSet, s *distributed.Security) {
	fs.StringVar(&s.CertFile, "tls-cert", "", "PEM certificate of this process (TLS)")
	fs.StringVar(&s.KeyFile, "tls-key", "", "PEM key of --tls-cert")
	fs.StringVar(&s.CAFile, "tls-ca", "", "PEM CA of the peers' certificates (with --tls-cert: require client certificates, mTLS)")
	fs.StringVar(&s.TokenFile, "token-file", "", "file holding the shared token (else ZARRSQL_EXECUTOR_TOKEN, if set)")
	fs.BoolVar(&s.AllowInsecure, "allow-insecure", false, "allow plaintext off loopback addresses")
}

// runExecutor listens and serves the executor, and its metrics when asked.
func runExecutor(ctx context.Context, ex *distributed.Executor, addr, metricsAddr string, reg *prometheus.Registry, log *slog.Logger) error {
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("executor: %w", err)
	}
	if metricsAddr != "" {
		stop, err := serveMetrics(metricsAddr, reg, log)
		if err != nil {
			return errors.Join(err, lis.Close())
		}
		defer stop()
	}
	log.Info("zarrsql executor serving", "addr", lis.Addr().String(), "region", ex.Region())
	return ex.Serve(ctx, lis)
}

// serveMetrics serves /metrics on addr until stop is called.
func serveMetrics(addr string, reg *prometheus.Registry, log *slog.Logger) (stop func(), err error) {
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer func() {
			if r := recover(); r != nil {
				log.Error("metrics server panic", "panic", r)
			}
		}()
		if err := srv.Serve(lis); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server", "err", err)
		}
	}()
	log.Info("zarrsql executor metrics", "addr", lis.Addr().String())
	return func() { _ = srv.Close() }, nil
}
