package bench

import (
	"strings"
	"testing"
)

// reference is seed_hist.py's CSV for two latitudes and three bins.
const reference = "lat,bin,value\n" +
	"90.000000,0,1.5\n90.000000,1,0.0\n90.000000,2,0.25\n" +
	"-0.250000,0,2.0\n-0.250000,1,0.0\n-0.250000,2,np.float64(0.125)\n"

func TestCompare(t *testing.T) {
	for _, tc := range []struct {
		name, query string
		mismatches  int
		absentZero  int
		err         string
	}{
		{"long, bin numbers", "latitude\tbin\tfrequency\n90\t0\t1.5\n90\t1\t0\n90\t2\t0.25\n-0.25\t0\t2\n-0.25\t1\t0\n-0.25\t2\t0.125\n", 0, 0, ""},
		{"long, bin edges", "lat\tbin_lo\tmean\n90\t0\t1.5\n90\t1e-05\t0\n90\t1.2648552168552958e-05\t0.25\n" +
			"-0.25\t0\t2\n-0.25\t9.999999999999999e-06\t0\n-0.25\t1.2648552168552958e-05\t0.125\n", 0, 0, ""},
		{"long, bin edges, empty bins left out", "lat\tbin_lo\tmean\n90\t0\t1.5\n90\t1.2648552168552958e-05\t0.25\n" +
			"-0.25\t0\t2\n-0.25\t1.2648552168552958e-05\t0.125\n", 0, 2, ""},
		{"long, bin centres ranked", "lat\tbin_mid\tvalue\n90\t0.5\t1.5\n90\t1.5\t0\n90\t2.5\t0.25\n" +
			"-0.25\t0.5\t2\n-0.25\t1.5\t0\n-0.25\t2.5\t0.125\n", 0, 0, ""},
		{"long, empty bins left out", "latitude\tbin\tvalue\n90\t0\t1.5\n90\t2\t0.25\n-0.25\t0\t2\n-0.25\t2\t0.125\n", 0, 2, ""},
		{"wide", "latitude\tb0\tb1\tb2\n90\t1.5\t0\t0.25\n-0.25\t2\t0\t0.125\n", 0, 0, ""},
		{"a value off", "latitude\tbin\tvalue\n90\t0\t1.5000001\n90\t1\t0\n90\t2\t0.25\n-0.25\t0\t2\n-0.25\t1\t0\n-0.25\t2\t0.125\n", 1, 0, ""},
		{"a row too many", "latitude\tbin\tvalue\n90\t0\t1.5\n90\t1\t0\n90\t2\t0.25\n90\t3\t1\n-0.25\t0\t2\n-0.25\t1\t0\n-0.25\t2\t0.125\n", 1, 0, ""},
		{"no latitude", "n\n3\n", 0, 0, "no latitude column"},
		{"no value", "latitude\tbin\n90\t0\n", 0, 0, "no value column"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := compareText(t, tc.query)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Compared != 6 || c.Mismatches != tc.mismatches || c.AbsentZero != tc.absentZero {
				t.Errorf("%+v: want 6 compared, %d mismatches, %d absent zeros", c, tc.mismatches, tc.absentZero)
			}
		})
	}
}

func compareText(t *testing.T, query string) (Comparison, error) {
	t.Helper()
	ref, err := parseTable(reference, ',')
	if err != nil {
		t.Fatal(err)
	}
	q, err := parseTable(query, '\t')
	if err != nil {
		t.Fatal(err)
	}
	return compare(q, ref)
}
