package server

import (
	"errors"
	"fmt"
	"testing"

	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/vitess/go/mysql"
)

func TestErrorCode(t *testing.T) {
	interrupted := mysql.NewSQLError(mysql.ERQueryInterrupted, mysql.SSUnknownSQLState, "query interrupted")
	for _, tc := range []struct {
		err  error
		want int
	}{
		{errors.New("anything"), mysql.ERUnknownError},
		{interrupted, mysql.ERQueryInterrupted},
		{fmt.Errorf("run: %w", interrupted), mysql.ERQueryInterrupted},
		{sql.ErrTableNotFound.New("nosuch"), mysql.ERNoSuchTable},
	} {
		if got := errorCode(tc.err); got != tc.want {
			t.Errorf("errorCode(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}

// TestBlobMetricsByRegion: each region gets its collectors once, labelled with it.
func TestBlobMetricsByRegion(t *testing.T) {
	running := 3
	m, err := newMetrics(func() int { return running })
	if err != nil {
		t.Fatal(err)
	}
	local, err := m.blobMetrics("local")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := m.blobMetrics("local")
	aws, err := m.blobMetrics("aws:us-west-2")
	if err != nil || again != local || aws == local {
		t.Fatalf("blobMetrics: %p %p %p %v", local, again, aws, err)
	}
	families, err := m.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	regions := map[string]bool{}
	var plans float64
	for _, f := range families {
		for _, s := range f.GetMetric() {
			for _, l := range s.GetLabel() {
				if f.GetName() == "zarrsql_blob_requests_in_flight" && l.GetName() == "region" {
					regions[l.GetValue()] = true
				}
			}
			if f.GetName() == "zarrsql_array_plans_running" {
				plans = s.GetGauge().GetValue()
			}
		}
	}
	if !regions["local"] || !regions["aws:us-west-2"] || len(regions) != 2 {
		t.Errorf("regions of zarrsql_blob_requests_in_flight: %v", regions)
	}
	if plans != 3 {
		t.Errorf("zarrsql_array_plans_running = %g, want 3", plans)
	}
}
