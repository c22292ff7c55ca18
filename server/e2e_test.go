package server_test

import (
	"bufio"
	"database/sql"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/zarrsql/zarrsql/connectors/blobstore/blobtest"
)

// buildZarrsql builds cmd/zarrsql into a temporary directory ($ZARRSQL_BIN if set).
func buildZarrsql(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("ZARRSQL_BIN"); bin != "" {
		return bin
	}
	bin := filepath.Join(t.TempDir(), "zarrsql")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/zarrsql")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/zarrsql: %v\n%s", err, out)
	}
	return bin
}

// runProcess starts bin with args and returns the value of key in the first log line
// that has it (the address the process serves on); the process is killed at the end.
func runProcess(t *testing.T, bin, key string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	re := regexp.MustCompile(key + `=([0-9.]+:[0-9]+)`)
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
	}()
	select {
	case addr := <-found:
		return addr
	case <-time.After(30 * time.Second):
		t.Fatalf("%s %v: no %s in its log within 30 s", bin, args, key)
	}
	return ""
}

// TestEndToEndProcesses runs real processes on loopback: a coordinator (zarrsql serve)
// and two executors labelled gcp:us-central1 and aws:us-west-2; ERA5 is read from files
// in GCP, LENS from an S3-compatible server (gofakes3) in AWS. The two seed queries run
// at the same time on two connections and equal xarray's results; query_stats shows
// every ERA5 fragment on the GCP executor, every LENS one on the AWS one, megabytes read
// and less than twice the partials' size sent to the coordinator.
func TestEndToEndProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs zarrsql processes")
	}
	bin := buildZarrsql(t)
	lensURL, _ := blobtest.StartS3(t, blobtest.LoadDir(t, filepath.Join(corpus, "lens-small.zarr")))
	era5, err := filepath.Abs(filepath.Join(corpus, "era5-small.zarr"))
	if err != nil {
		t.Fatal(err)
	}
	gcp := runProcess(t, bin, "addr", "executor", "--listen", "127.0.0.1:0", "--region", "gcp:us-central1")
	aws := runProcess(t, bin, "addr", "executor", "--listen", "127.0.0.1:0", "--region", "aws:us-west-2")
	coord := runProcess(t, bin, "mysql", "serve", "--listen", "127.0.0.1:0", "--http", "", "--builtins=false",
		"--table", "era5="+era5+"@gcp:us-central1", "--table", "lens="+lensURL+"@aws:us-west-2",
		"--executor", "gcp:us-central1="+gcp, "--executor", "aws:us-west-2="+aws)
	db, err := sql.Open("mysql", "root@tcp("+coord+")/zarrsql")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var wg sync.WaitGroup
	for _, ex := range examples {
		wg.Add(1)
		go func() {
			defer wg.Done()
			checkHist(t, ex.file, queryHist(t, db, readExample(t, ex.file)), filepath.Join(corpus, ex.csv))
		}()
	}
	wg.Wait()
	checkStats(t, db, map[string]string{gcp: "gcp:us-central1", aws: "aws:us-west-2"})
}

// queryHist runs a seed query and returns its rows (lat, bin, value) as text.
func queryHist(t *testing.T, db *sql.DB, q string, args ...any) [][3]string {
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Error(err)
		return nil
	}
	defer rows.Close()
	var got [][3]string
	for rows.Next() {
		var r [3]string
		if err := rows.Scan(&r[0], &r[1], &r[2]); err != nil {
			t.Error(err)
		}
		got = append(got, r)
	}
	return got
}

// checkStats checks query_stats: each query ran on one executor, of its data's region,
// read megabytes there and sent less than twice its partials.
func checkStats(t *testing.T, db *sql.DB, regions map[string]string) {
	t.Helper()
	stats := column(t, db, "SELECT JSON_OBJECT('executors', executors, 'read', bytes_read, 'sent', bytes_sent, 'partial', partial_bytes, 'retries', retries) FROM query_stats")
	if len(stats) != 2 {
		t.Fatalf("query_stats has %d rows, want 2: %v", len(stats), stats)
	}
	for _, s := range stats {
		var q struct {
			Executors        map[string]struct{ Region string }
			Read, Sent       map[string]int64
			Partial, Retries int64
		}
		if err := json.Unmarshal([]byte(s), &q); err != nil {
			t.Fatal(err)
		}
		for addr, e := range q.Executors {
			want := regions[addr]
			if len(q.Executors) != 1 || e.Region != want || q.Read[want] < 1_000_000 || q.Sent[want] >= 2*q.Partial || len(q.Sent) != 1 {
				t.Errorf("query_stats %s: want one executor in %s, megabytes read there, sent < 2x partials", s, want)
			}
		}
		t.Logf("query_stats: %s", s)
	}
}
