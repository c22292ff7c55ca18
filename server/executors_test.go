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
		rows, err := db.Query(readExample(t, ex.file))
		if err != nil {
			t.Fatalf("%s: %v", ex.file, err)
		}
		var got [][3]string
		for rows.Next() {
			var r [3]string
			if err := rows.Scan(&r[0], &r[1], &r[2]); err != nil {
				t.Fatal(err)
			}
			got = append(got, r)
		}
		rows.Close()
		checkHist(t, ex.file, got, filepath.Join(corpus, ex.csv))
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
}
