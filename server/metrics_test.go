package server_test

import (
	"bufio"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/zarrsql/zarrsql/server"
)

// startServer runs a server with its HTTP listener on a free loopback port until the test
// ends; before is called between New and Serve (for HandleHTTP).
func startServer(t *testing.T, cfg server.Config, before func(*server.Server)) *server.Server {
	t.Helper()
	cfg.Listen, cfg.HTTP, cfg.DataDir = "127.0.0.1:0", "127.0.0.1:0", t.TempDir()
	s, err := server.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if before != nil {
		before(s)
	}
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = s.Serve() }()
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

// get fetches an HTTP path of s and returns the status code and body.
func get(t *testing.T, s *server.Server, path string) (int, string) {
	t.Helper()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get("http://" + s.HTTPAddr().String() + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// scrape returns the samples of /metrics by series, as `name{label="value",...}`.
func scrape(t *testing.T, s *server.Server) map[string]float64 {
	t.Helper()
	code, body := get(t, s, "/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d %s", code, body)
	}
	samples := map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("/metrics line %q: %v", line, err)
		}
		samples[line[:i]] = v
	}
	return samples
}

// TestMetrics: statements over MySQL, failed ones by code, and the bytes read from the
// stores show in /metrics; the server leaves no goroutine behind.
func TestMetrics(t *testing.T) {
	leaks := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, leaks) }) // runs last, after the server closed
	s := startServer(t, corpusConfig(), nil)
	db, err := sql.Open("mysql", "root@tcp("+s.Addr().String()+")/zarrsql")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	before := scrape(t, s)
	if got := column(t, db, "SELECT COUNT(*) FROM era5 WHERE latitude = 0 AND longitude = 0"); got[0] != "100" {
		t.Fatalf("count: %v", got)
	}
	if got := column(t, db, "SELECT COUNT(*) FROM era5 WHERE latitude = ? AND longitude = 0", 0); got[0] != "100" { // prepared
		t.Fatalf("count: %v", got)
	}
	for _, bad := range []string{"SELECT * FROM nosuch", "SELEKT 1"} {
		if _, err := db.Exec(bad); err == nil {
			t.Fatalf("%s: no error", bad)
		}
	}
	got := scrape(t, s)
	for _, tc := range []struct {
		series string
		delta  float64
	}{
		{"zarrsql_queries_total", 4},
		{`zarrsql_query_errors_total{code="1146"}`, 1}, // ER_NO_SUCH_TABLE
		{`zarrsql_query_errors_total{code="1064"}`, 1}, // ER_PARSE_ERROR (GMS itself sends 1105)
		{"zarrsql_query_duration_seconds_count", 4},
		{"zarrsql_array_plans_running", 0},
	} {
		if d := got[tc.series] - before[tc.series]; d != tc.delta {
			t.Errorf("%s moved by %g, want %g", tc.series, d, tc.delta)
		}
	}
	if b := got[`zarrsql_blob_read_bytes_total{region="local"}`]; b <= 0 {
		t.Errorf(`zarrsql_blob_read_bytes_total{region="local"} = %g, want bytes read`, b)
	}
	for _, series := range []string{`zarrsql_blob_requests_total{op="get",outcome="ok",region="local"}`, "go_goroutines", "process_open_fds"} {
		if _, ok := got[series]; !ok {
			t.Errorf("no series %s", series)
		}
	}
}

// TestHTTPRoutes: /healthz, the placeholder at / until HandleHTTP replaces it, and a
// handler registered before Serve.
func TestHTTPRoutes(t *testing.T) {
	cfg := corpusConfig()
	plain := startServer(t, cfg, nil)
	hello := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "hello") })
	installed := startServer(t, cfg, func(s *server.Server) {
		s.HandleHTTP("/", hello)
		s.HandleHTTP("GET /api/x", hello)
	})
	for _, tc := range []struct {
		s          *server.Server
		path       string
		code       int
		bodyPrefix string
	}{
		{plain, "/healthz", 200, "ok"},
		{plain, "/", 200, "<!DOCTYPE html>"}, // the status page
		{plain, "/api/status", 200, "{"},
		{installed, "/", 200, "hello"},
		{installed, "/nosuch", 200, "hello"},
		{installed, "/api/x", 200, "hello"},
		{installed, "/healthz", 200, "ok"},
	} {
		code, body := get(t, tc.s, tc.path)
		if code != tc.code || !strings.HasPrefix(body, tc.bodyPrefix) {
			t.Errorf("GET %s = %d %q, want %d %q...", tc.path, code, body, tc.code, tc.bodyPrefix)
		}
	}
}

// TestHTTPOff: an empty address opens no HTTP listener.
func TestHTTPOff(t *testing.T) {
	cfg := corpusConfig()
	cfg.HTTP = ""
	db := start(t, cfg) // startAddr keeps an empty HTTP address
	if got := column(t, db, "SELECT 1"); got[0] != "1" {
		t.Fatalf("SELECT 1: %v", got)
	}
}
