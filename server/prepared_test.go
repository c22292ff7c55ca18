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
	checkHist(t, "prepared", queryHist(t, db, q, "1990-01-01", "2006-01-01"), filepath.Join(corpus, "era5-small.hist.csv"))
}
