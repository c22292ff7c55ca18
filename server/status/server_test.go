package status_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/go-sql-driver/mysql"
	"github.com/zarrsql/zarrsql/server"
	"github.com/zarrsql/zarrsql/server/status"
)

// TestOverServer: on a coordinator's HTTP listener, after the ERA5 seed query ran over
// the MySQL protocol, the status page lists it with its plot, and the page's JSON and
// SHOW PROCESSLIST name the same client.
func TestOverServer(t *testing.T) {
	s := startServer(t)
	db, err := sql.Open("mysql", "root@tcp("+s.Addr().String()+")/zarrsql")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q, err := os.ReadFile("../../examples/era5_histogram.sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(strings.TrimSuffix(strings.TrimSpace(string(q)), ";")); err != nil {
		t.Fatal(err)
	}
	var st status.Status
	if err := json.Unmarshal([]byte(httpGet(t, s, "/api/status")), &st); err != nil {
		t.Fatal(err)
	}
	if st.Plot == nil || st.Plot.Table != "era5" || st.Plot.Groups != 73 || len(st.Processes) == 0 || st.Processes[0].User != "root" {
		t.Fatalf("status after the seed query: %+v", st)
	}
	if svg := httpGet(t, s, "/"+st.Plot.PlotURL); !strings.Contains(svg, "<svg") {
		t.Fatalf("plot: %.200s", svg)
	}
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM information_schema.processlist WHERE user = 'root'").Scan(&n); err != nil || n == 0 {
		t.Fatalf("processlist: %d rows, %v", n, err)
	}
}

// startServer runs a coordinator over the corpus's ERA5-like store, with the status
// page at the root of its HTTP listener.
func startServer(t *testing.T) *server.Server {
	era5, err := filepath.Abs("../../testdata/zarr-corpus/xarray-cf/era5-small.zarr")
	if err != nil {
		t.Fatal(err)
	}
	cfg := server.Defaults()
	cfg.Builtins, cfg.Tables = false, []string{"era5=" + era5}
	cfg.Listen, cfg.HTTP, cfg.DataDir = "127.0.0.1:0", "127.0.0.1:0", t.TempDir()
	s, err := server.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	s.HandleHTTP("/", status.New(status.NewSource(s.Planner(), s.Engine().ProcessList))) // the wiring server needs
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = s.Serve() }()
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func httpGet(t *testing.T, s *server.Server, path string) string {
	t.Helper()
	resp, err := http.Get("http://" + s.HTTPAddr().String() + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
	}
	return string(b)
}
