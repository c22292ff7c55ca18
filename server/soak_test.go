package server_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestSoak runs 16 clients on loopback for ZARRSQL_SOAK (e.g. 5m), mixing the seed
// queries (checked against xarray's CSVs), metadata queries and bad SQL. It fails on a
// wrong result, a panic reported in an error, or goroutine/heap growth between the end
// of the first minute and the end of the run.
func TestSoak(t *testing.T) {
	d, err := time.ParseDuration(os.Getenv("ZARRSQL_SOAK"))
	if err != nil || d <= 0 {
		t.Skip("set ZARRSQL_SOAK to a duration (e.g. 5m) to soak")
	}
	db := start(t, corpusConfig())
	db.SetMaxOpenConns(32)
	first := min(time.Minute, d/5)
	var s soakStats
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for c := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.client(t, db, c, stop)
		}()
	}
	time.Sleep(first)
	g1, h1 := snapshot()
	time.Sleep(d - first)
	g2, h2 := snapshot() // under load, as g1
	close(stop)
	wg.Wait()
	g3, h3 := snapshot()
	t.Logf("soak %v: %d queries, %d bad SQL refused, %d wrong, %d panics; under load at %v and at the end: goroutines %d -> %d, heap in use %.1f -> %.1f MiB; idle after: %d goroutines, %.1f MiB",
		d, s.queries.Load(), s.refused.Load(), s.wrong.Load(), s.panics.Load(), first, g1, g2, mib(h1), mib(h2), g3, mib(h3))
	if s.wrong.Load() > 0 || s.panics.Load() > 0 {
		t.Errorf("%d wrong results, %d panics", s.wrong.Load(), s.panics.Load())
	}
	if g2 > g1+8 {
		t.Errorf("goroutines grew: %d -> %d", g1, g2)
	}
	if float64(h2) > float64(h1)*1.25+8<<20 {
		t.Errorf("heap grew: %.1f -> %.1f MiB", mib(h1), mib(h2))
	}
}

type soakStats struct{ queries, refused, wrong, panics atomic.Int64 }

var soakMeta = []string{
	"SHOW TABLES",
	"SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'zarrsql'",
	"DESCRIBE era5",
	"SELECT COUNT(*) FROM information_schema.tables",
}

var soakBad = []string{
	"SELEC 1",
	"SELECT nosuch FROM era5",
	"SELECT * FROM nosuchtable",
	"SELECT HISTOGRAM(tp) FROM era5",
	"SELECT EDGES(1, 'x', -3)",
	"SELECT COARSEN(time, 0) FROM era5 GROUP BY 1",
	"INSERT INTO era5 VALUES (1)",
	"SELECT LOGSPACE(0, 1, -5)",
}

// client runs queries in turn until stop: every 8th a seed query, others metadata or bad SQL.
func (s *soakStats) client(t *testing.T, db *sql.DB, c int, stop chan struct{}) {
	for i := c; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		s.queries.Add(1)
		switch {
		case i%8 == 0:
			s.seed(t, db, i/8)
		case i%2 == 0:
			s.meta(db, soakMeta[i/2%len(soakMeta)])
		default:
			s.bad(db, soakBad[i/2%len(soakBad)])
		}
	}
}

func (s *soakStats) seed(t *testing.T, db *sql.DB, i int) {
	ex := examples[i%len(examples)]
	rows, err := queryHistErr(t.Context(), db, readExample(t, ex.file))
	if err != nil || !histMatches(t, rows, filepath.Join(corpus, ex.csv)) {
		s.wrong.Add(1)
		t.Errorf("soak %s: wrong result (err %v, %d rows)", ex.file, err, len(rows))
	}
}

func (s *soakStats) meta(db *sql.DB, q string) {
	rows, err := db.Query(q)
	if err == nil {
		for rows.Next() {
		}
		err = rows.Err()
		rows.Close()
	}
	if err != nil {
		s.wrong.Add(1)
		s.notePanic(err)
	}
}

func (s *soakStats) bad(db *sql.DB, q string) {
	rows, err := db.Query(q)
	if err == nil {
		for rows.Next() {
		}
		err = rows.Err()
		rows.Close()
	}
	if err != nil {
		s.refused.Add(1)
		s.notePanic(err)
	}
}

func (s *soakStats) notePanic(err error) {
	if strings.Contains(strings.ToLower(err.Error()), "panic") {
		s.panics.Add(1)
	}
}

// histMatches compares rows with the CSV at path through checkHist on a scratch test.
func histMatches(t *testing.T, rows [][3]string, path string) bool {
	ok := true
	t.Run("", func(st *testing.T) {
		checkHist(st, "soak", rows, path)
		ok = !st.Failed()
	})
	return ok
}

// snapshot returns the goroutine count and HeapInuse after a GC.
func snapshot() (int, uint64) {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return runtime.NumGoroutine(), m.HeapInuse
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }
