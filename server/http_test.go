package server

import (
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

// TestWebLifecycle: the HTTP side opens, serves and closes like the MySQL one, in any
// order Close may come, and leaves no goroutine behind.
func TestWebLifecycle(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range []struct {
		name  string
		steps func(*web) error
	}{
		{"closed without serving", func(w *web) error { return w.close() }},
		{"served then closed twice", func(w *web) error {
			w.serve(log)
			if err := w.close(); err != nil {
				return err
			}
			return w.close()
		}},
		{"served after close", func(w *web) error {
			err := w.close()
			w.serve(log)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
			m, err := newMetrics(func() int { return 0 })
			if err != nil {
				t.Fatal(err)
			}
			w := newWeb(m, log)
			if err := w.listen("127.0.0.1:0", log); err != nil {
				t.Fatal(err)
			}
			addr := w.ln.Addr().String()
			if err := tc.steps(w); err != nil {
				t.Fatal(err)
			}
			if c, err := net.Dial("tcp", addr); err == nil {
				_ = c.Close()
				t.Fatalf("%s still accepts connections", addr)
			}
		})
	}
}

func TestWebListenErrors(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	m, err := newMetrics(func() int { return 0 })
	if err != nil {
		t.Fatal(err)
	}
	off := newWeb(m, log)
	if err := off.listen("", log); err != nil || off.ln != nil || off.close() != nil {
		t.Fatalf("empty address: %v, listener %v", err, off.ln)
	}
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	w := newWeb(m, log)
	if err := w.listen(busy.Addr().String(), log); err == nil || !strings.Contains(err.Error(), busy.Addr().String()) {
		t.Fatalf("busy port: %v", err)
	}
}
