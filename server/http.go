package server

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// web is a Server's HTTP side: /metrics, /healthz and, at /, whatever HandleHTTP installs
// there. It follows the MySQL listener: opened by Listen, served by Serve, stopped by Close.
type web struct {
	mux  *http.ServeMux
	root atomic.Pointer[http.Handler] // the handler of "/"

	mu     sync.Mutex
	srv    *http.Server
	ln     net.Listener
	served chan struct{} // closed when the serving goroutine returns; nil before Serve
	closed bool
}

// newWeb builds the mux: /metrics from m, /healthz, and a placeholder at /.
func newWeb(m *metrics, log *slog.Logger) *web {
	w := &web{mux: http.NewServeMux()}
	metricsHandler := promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		Registry: m.reg,
	})
	w.mux.Handle("/metrics", promhttp.InstrumentMetricHandler(m.reg, metricsHandler))
	w.mux.HandleFunc("/healthz", func(rw http.ResponseWriter, _ *http.Request) {
		rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(rw, "ok\n")
	})
	var placeholder http.Handler = http.HandlerFunc(notInstalled)
	w.root.Store(&placeholder)
	w.mux.HandleFunc("/", func(rw http.ResponseWriter, r *http.Request) { (*w.root.Load()).ServeHTTP(rw, r) })
	return w
}

func notInstalled(rw http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(rw, r)
		return
	}
	rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(rw, "zarrsql status page: not installed\n")
}

// HandleHTTP registers h on the HTTP listener's mux, with http.ServeMux's patterns (and
// its panic on a pattern that conflicts with one registered, /metrics and /healthz among
// them). "/" replaces the placeholder status page. Call it after New and before Serve.
func (s *Server) HandleHTTP(pattern string, h http.Handler) {
	if pattern == "/" {
		s.web.root.Store(&h)
		return
	}
	s.web.mux.Handle(pattern, h)
}

// HTTPAddr is the HTTP listener's address after Listen; nil when cfg.HTTP is empty.
func (s *Server) HTTPAddr() net.Addr {
	s.web.mu.Lock()
	defer s.web.mu.Unlock()
	if s.web.ln == nil {
		return nil
	}
	return s.web.ln.Addr()
}

// listen opens the HTTP listener on addr (nothing when addr is empty).
func (w *web) listen(addr string, log *slog.Logger) error {
	if addr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s (http): %w", addr, err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.ln = ln
	w.srv = &http.Server{
		Handler:           w.mux,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	return nil
}

// serve starts serving in a goroutine that close waits for.
func (w *web) serve(log *slog.Logger) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.srv == nil || w.served != nil || w.closed {
		return
	}
	done := make(chan struct{})
	w.served = done
	go func(srv *http.Server, ln net.Listener) {
		defer close(done)
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			log.Error("http listener stopped", "addr", ln.Addr().String(), "err", err)
		}
	}(w.srv, w.ln)
}

// close stops the listener and open connections and waits for serve's goroutine. It may
// be called more than once.
func (w *web) close() error {
	w.mu.Lock()
	srv, ln, done := w.srv, w.ln, w.served
	w.closed = true
	w.mu.Unlock()
	if srv == nil {
		return nil
	}
	err := srv.Close()
	if cerr := ln.Close(); cerr != nil && !errors.Is(cerr, net.ErrClosed) && err == nil {
		err = cerr
	}
	if done != nil {
		<-done
	}
	if err != nil {
		return fmt.Errorf("close http listener: %w", err)
	}
	return nil
}
