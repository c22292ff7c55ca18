package server_test

import (
	"context"
	"encoding/json"
	"net"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zarrsql/zarrsql/distributed"
)

// startExecutor serves an in-process executor for region on loopback.
func startExecutor(t *testing.T, region string) string {
	t.Helper()
	ex, err := distributed.NewExecutor(distributed.ExecutorOptions{Region: region})
	if err != nil {
		t.Fatal(err)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ex.Serve(ctx, lis) }()
	t.Cleanup(func() { cancel(); <-done })
	return lis.Addr().String()
}

// TestExecutorsPlaceByRegion runs the seed queries on a coordinator configured with two
// executors, ERA5 placed in GCP and LENS in AWS: results equal xarray's, every ERA5
// fragment ran on the GCP executor and every LENS one on the AWS one, and query_stats
// says so, with bytes sent far below bytes read.
func TestExecutorsPlaceByRegion(t *testing.T) {
	gcp, aws := startExecutor(t, "gcp:us-central1"), startExecutor(t, "aws:us-west-2")
	cfg := corpusConfig()
	cfg.Tables = []string{"era5=" + filepath.Join(corpus, "era5-small.zarr") + "@gcp:us-central1",
		"lens=" + filepath.Join(corpus, "lens-small.zarr") + "@aws:us-west-2"}
	cfg.Executors = []string{"gcp:us-central1=" + gcp, "aws:us-west-2=" + aws}
	db := start(t, cfg)
	for _, ex := range examples {
		checkHist(t, ex.file, queryHist(t, db, readExample(t, ex.file)), filepath.Join(corpus, ex.csv))
	}
	stats := column(t, db, "SELECT JSON_OBJECT('executors', executors, 'read', bytes_read, 'sent', bytes_sent, 'partial', partial_bytes) FROM query_stats")
	if len(stats) != 2 {
		t.Fatalf("query_stats has %d rows, want 2: %v", len(stats), stats)
	}
	for _, s := range stats {
		var q struct {
			Executors map[string]struct{ Region string }
			Read      map[string]int64
			Sent      map[string]int64
			Partial   int64
		}
		if err := json.Unmarshal([]byte(s), &q); err != nil {
			t.Fatal(err)
		}
		if len(q.Executors) != 1 || len(q.Read) != 1 || len(q.Sent) != 1 {
			t.Fatalf("one executor and region expected: %s", s)
		}
		for addr, e := range q.Executors {
			if want := map[string]string{gcp: "gcp:us-central1", aws: "aws:us-west-2"}[addr]; e.Region != want || q.Read[want] < 1_000_000 || q.Sent[want] >= 2*q.Partial {
				t.Errorf("stats %s: executor %s region %s; want region %s, MB read, sent < 2x partials", s, addr, e.Region, want)
			}
		}
	}
	if !strings.Contains(strings.Join(column(t, db, "SHOW TABLES"), " "), "query_stats") {
		t.Error("query_stats is not listed")
	}
	plan := strings.Join(column(t, db, "EXPLAIN PLAN "+readExample(t, "era5_histogram.sql")), "\n")
	if want := "on gcp:us-central1 executors " + gcp; !strings.Contains(plan, want) {
		t.Errorf("EXPLAIN does not say %q:\n%s", want, plan)
	}
	analyzed := strings.Join(column(t, db, "EXPLAIN ANALYZE "+readExample(t, "era5_histogram.sql")), "\n")
	if !strings.Contains(analyzed, "actual: 1 fragments, 1 attempts (0 retries)") || !strings.Contains(analyzed, "bytes from gcp:us-central1; sent to the coordinator") {
		t.Errorf("EXPLAIN ANALYZE lacks the accounting:\n%s", analyzed)
	}
}

// TestRemoteReads: with remote reads allowed and no executor for AWS, the LENS query
// runs on the GCP executor; EXPLAIN and a warning say how many bytes cross regions.
// Without the permission the query fails naming the region.
func TestRemoteReads(t *testing.T) {
	gcp := startExecutor(t, "gcp:us-central1")
	cfg := corpusConfig()
	cfg.Tables = []string{"lens=" + filepath.Join(corpus, "lens-small.zarr") + "@aws:us-west-2"}
	cfg.Executors = []string{"gcp:us-central1=" + gcp}
	q := readExample(t, "lens_histogram.sql")
	if _, err := start(t, cfg).Exec(q); err == nil || !strings.Contains(err.Error(), "aws:us-west-2") {
		t.Fatalf("no executor for aws:us-west-2: got %v", err)
	}
	cfg.AllowRemoteReads = true
	db := start(t, cfg)
	plan := strings.Join(column(t, db, "EXPLAIN PLAN "+q), "\n")
	if !strings.Contains(plan, "REMOTE READ from aws:us-west-2") || !strings.Contains(plan, "bytes (compressed chunks, at most) will cross regions") {
		t.Errorf("EXPLAIN does not say the read is remote:\n%s", plan)
	}
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
	}
	rows.Close()
	var level, msg string
	var code int
	if err := conn.QueryRowContext(context.Background(), "SHOW WARNINGS").Scan(&level, &code, &msg); err != nil || !strings.Contains(msg, "cross regions") {
		t.Errorf("warning %q (%v), want one about bytes crossing regions", msg, err)
	}
}
