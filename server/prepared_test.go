package server_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestExamplePrepared runs the ERA5 example as a server-side prepared statement (the
// binary protocol) with its time bounds as parameters.
func TestExamplePrepared(t *testing.T) {
	db := start(t, corpusConfig())
	q := strings.Replace(readExample(t, "era5_histogram.sql"), "time >= '1990-01-01' AND time < '2006-01-01'", "time >= ? AND time < ?", 1)
	if q == readExample(t, "era5_histogram.sql") {
		t.Fatal("era5_histogram.sql no longer holds its time bounds")
	}
	rows, err := db.Query(q, "1990-01-01", "2006-01-01")
	if err != nil {
		t.Fatal(err)
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
	checkHist(t, "prepared", got, filepath.Join(corpus, "era5-small.hist.csv"))
}
