package server_test

import (
	"encoding/csv"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	mysqldriver "github.com/go-sql-driver/mysql"
)

// The seed's two computations, examples/*.sql, run as they are over the MySQL protocol
// against the corpus stores, equal xarray's results (|diff| <= 1e-12 per value).

var examples = []struct{ file, csv string }{
	{"era5_histogram.sql", "era5-small.hist.csv"},
	{"lens_histogram.sql", "lens-small.hist.csv"},
}

func readExample(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestExamplesOverWire(t *testing.T) {
	for _, rowOnly := range []bool{false, true} {
		cfg := corpusConfig()
		cfg.RowPathOnly = rowOnly
		db := start(t, cfg)
		for _, ex := range examples {
			checkHist(t, ex.file, queryHist(t, db, readExample(t, ex.file)), filepath.Join(corpus, ex.csv))
		}
	}
}

// TestExamplesMySQLCLI runs `mysql < examples/<file>` with no database named.
func TestExamplesMySQLCLI(t *testing.T) {
	needProgram(t, "mysql", "mariadb-client")
	host, port, _ := strings.Cut(startAddr(t, corpusConfig()), ":")
	for _, ex := range examples {
		out := runClient(t, readExample(t, ex.file), "mysql", "--protocol=tcp", "-h", host, "-P", port, "-u", "root", "--skip-ssl", "-B")
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) == 0 || lines[0] != "lat\tbin\tvalue" {
			t.Fatalf("%s: header %q", ex.file, lines[0])
		}
		var got [][3]string
		for _, l := range lines[1:] {
			f := strings.Split(l, "\t")
			if len(f) != 3 {
				t.Fatalf("%s: line %q", ex.file, l)
			}
			got = append(got, [3]string{f[0], f[1], f[2]})
		}
		checkHist(t, ex.file, got, filepath.Join(corpus, ex.csv))
	}
}

// checkHist compares rows (lat, bin, value), ordered by lat then bin, with a reference
// CSV; reference rows of value 0 may be missing.
func checkHist(t *testing.T, what string, rows [][3]string, path string) {
	t.Helper()
	type key struct {
		lat string
		bin int
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := map[key]float64{}
	for _, r := range recs[1:] {
		b, _ := strconv.Atoi(r[1])
		v, _ := strconv.ParseFloat(r[2], 64)
		want[key{r[0], b}] = v
	}
	got := map[key]float64{}
	prev := [2]float64{math.Inf(-1), -1}
	for _, r := range rows {
		lat, err1 := strconv.ParseFloat(r[0], 64)
		bin, err2 := strconv.Atoi(r[1])
		v, err3 := strconv.ParseFloat(r[2], 64)
		if err1 != nil || err2 != nil || err3 != nil {
			t.Fatalf("%s: row %v", what, r)
		}
		if lat < prev[0] || lat == prev[0] && float64(bin) <= prev[1] {
			t.Fatalf("%s: not ordered by lat, bin at %v", what, r)
		}
		prev = [2]float64{lat, float64(bin)}
		got[key{strconv.FormatFloat(lat, 'f', 6, 64), bin}] = v
	}
	bad := 0
	for k, w := range want {
		g, ok := got[k]
		if (!ok && w != 0) || math.Abs(g-w) > 1e-12 {
			bad++
		}
	}
	if bad > 0 || len(got) > len(want) {
		t.Errorf("%s: %d of %d values differ from %s (%d rows)", what, bad, len(want), path, len(got))
	}
}

// TestErrorCodes checks the MySQL error codes clients get for zarrsql's errors.
func TestErrorCodes(t *testing.T) {
	cfg := corpusConfig()
	cfg.MaxRowCells = 1000
	db := start(t, cfg)
	for _, c := range []struct {
		q    string
		code uint16
	}{
		{"SELEC 1", 1064},
		{"SELECT COARSEN(time, 0) AS t, SUM(tp) FROM era5 GROUP BY t", 1210},
		{"SELECT latitude, HISTOGRAM(tp, '[1, 0]') FROM era5 GROUP BY latitude", 1210},
		{"SELECT latitude, SUM(tp) FROM era5 WHERE tp > 0 GROUP BY latitude", 1104},
		{"SELECT * FROM nosuchtable", 1146},
	} {
		_, err := db.Exec(c.q)
		var me *mysqldriver.MySQLError
		if !errors.As(err, &me) || me.Number != c.code {
			t.Errorf("%s: %v, want error %d", c.q, err, c.code)
		}
	}
}
