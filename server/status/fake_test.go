package status

import (
	"math"
	"sync/atomic"
	"time"

	"github.com/zarrsql/zarrsql/planner"
)

// fakeSource is a status page's data as a coordinator running the ERA5 seed query over
// the real store would show it: 721 latitudes x 50 bins. Each call to Running
// advances the plan by one chunk.
type fakeSource struct {
	started time.Time
	calls   atomic.Int64
	recent  []planner.Finished
}

const fakeQuery = "-- the seed\nWITH tp_6hr AS (SELECT COARSEN(time, 6, 'trim') AS time, latitude, longitude, SUM(tp) AS tp_6hr FROM era5 GROUP BY 1, 2, 3) SELECT 1"

func newFakeSource() *fakeSource {
	started := time.Now().Add(-6 * time.Second)
	f := planner.Finished{Seq: 7, Conn: 3, Query: fakeQuery, Duration: 95 * time.Second,
		Progress: planner.ProgressSnapshot{Table: "era5", Variable: "tp", Split: "time", Started: started.Add(-time.Hour),
			TasksDone: 4525, TasksTotal: 4525, CellsRead: 140256 * 721 * 1440, BytesTotal: 140256 * 721 * 1440 * 4},
		Hist: era5LikeHist(721)}
	failed := planner.Finished{Seq: 6, Conn: 3, Query: "SELECT 2", Err: "read chunk tp/12.0.0: context canceled"}
	return &fakeSource{started: started, recent: []planner.Finished{f, failed}}
}

func (s *fakeSource) Running() map[uint32]planner.ProgressSnapshot {
	done := 2 + s.calls.Add(1)
	return map[uint32]planner.ProgressSnapshot{12: {Query: fakeQuery, Table: "era5", Variable: "tp", Split: "time",
		Started: s.started, TasksDone: done, TasksTotal: 12, CellsRead: done * 31 * 721 * 1440,
		CellsTotal: 12 * 31 * 721 * 1440, BytesTotal: 12 * 31 * 721 * 1440 * 4}}
}

func (s *fakeSource) Recent() []planner.Finished { return s.recent }

func (s *fakeSource) Processes() []ProcessInfo {
	return []ProcessInfo{{ID: 12, User: "root", Host: "127.0.0.1:50212", DB: "zarrsql", Command: "Query", Seconds: 6,
		Query: fakeQuery, State: "era5 (3/12 partitions) [tp cells read (96557760/386231040 rows)]"}}
}

// era5LikeHist is a histogram shaped like the seed's: latitudes 90 to -90, the seed's
// 51 edges, counts over 1440 longitudes peaking at larger bins in the tropics.
func era5LikeHist(nlat int) *planner.HistResult {
	h := &planner.HistResult{GroupDim: "latitude", Variable: "tp", Edges: []float64{0}}
	for i := range 50 {
		h.Edges = append(h.Edges, math.Pow(10, -5+5*float64(i)/49))
	}
	for g := range nlat {
		lat := 90 - 180*float64(g)/float64(nlat-1)
		peak := 12 + 18*math.Exp(-lat*lat/400) + 6*math.Exp(-(math.Abs(lat)-45)*(math.Abs(lat)-45)/200)
		row := make([]float64, 50)
		row[0] = 900 // dry: the first bin, which the plot drops
		for b := 1; b < 50; b++ {
			row[b] = 500 * math.Exp(-(float64(b)-peak)*(float64(b)-peak)/30)
		}
		h.Groups = append(h.Groups, formatLat(lat))
		h.GroupValues = append(h.GroupValues, lat)
		h.Mean = append(h.Mean, row)
	}
	return h
}

func formatLat(v float64) string { return numText(v) }
