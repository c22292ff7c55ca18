package planner

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCoarsenNoLeapLabels checks COARSEN's window labels on a noleap time axis that
// passes Feb 28 -> Mar 1 in 1992 (a leap year elsewhere) against xarray's:
// ds.PRECT.isel(member_id=0).coarsen(time=4, boundary='trim').sum().time.
func TestCoarsenNoLeapLabels(t *testing.T) {
	e := newEngine(t, false, map[string]string{"lens": filepath.Join("testdata", "stores", "lens-unsorted-leap.zarr")})
	var got []string
	for _, r := range e.mustQuery("SELECT DISTINCT COARSEN(time, 4, 'trim') AS t FROM lens ORDER BY t") {
		got = append(got, r[0].(time.Time).Format("2006-01-02T15:04:05"))
	}
	want := "1992-02-20T15:00:00 1992-02-21T15:00:00 1992-02-22T15:00:00 1992-02-23T15:00:00 1992-02-24T15:00:00 " +
		"1992-02-25T15:00:00 1992-02-26T15:00:00 1992-02-27T15:00:00 1992-02-28T15:00:00 1992-03-01T15:00:00 " +
		"1992-03-02T15:00:00 1992-03-03T15:00:00 1992-03-04T15:00:00 1992-03-05T15:00:00 1992-03-06T15:00:00"
	if strings.Join(got, " ") != want {
		t.Fatalf("labels\n%s\nwant (xarray)\n%s", strings.Join(got, " "), want)
	}
}
