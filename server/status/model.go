package status

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/zarrsql/zarrsql/planner"
)

// Status is the page's data (and /api/status's body).
type Status struct {
	Time      time.Time     `json:"time"`
	Running   []Running     `json:"running"`
	Processes []ProcessInfo `json:"processes"`
	Executors []Executor    `json:"executors"`
	Recent    []Recent      `json:"recent"`
	Plot      *Recent       `json:"plot,omitempty"` // the latest histogram plan
}

// Running is an array plan running on a connection.
type Running struct {
	Conn       uint32   `json:"conn"`
	User       string   `json:"user"`
	Query      string   `json:"query"`
	Table      string   `json:"table"`
	Variable   string   `json:"variable"`
	Split      string   `json:"split"`
	Region     string   `json:"region"`
	ChunksDone int64    `json:"chunks_done"`
	Chunks     int64    `json:"chunks"`
	Percent    float64  `json:"percent"`
	CellsRead  int64    `json:"cells_read"`
	Cells      int64    `json:"cells"`
	BytesRead  int64    `json:"bytes_read"` // decoded, estimated from the cells read
	Bytes      int64    `json:"bytes"`
	Elapsed    float64  `json:"elapsed_s"`
	Remaining  *float64 `json:"remaining_s"` // elapsed*(total-done)/done; nil before a chunk is done
}

// Executor is where fragments run.
type Executor struct {
	Name    string `json:"name"`
	Region  string `json:"region"`
	Running int    `json:"running"`
}

// Recent is an array plan that finished.
type Recent struct {
	Seq        int64     `json:"seq"`
	Conn       uint32    `json:"conn"`
	Query      string    `json:"query"`
	Table      string    `json:"table"`
	Variable   string    `json:"variable"`
	Finished   time.Time `json:"finished"`
	Duration   float64   `json:"duration_s"`
	ChunksDone int64     `json:"chunks_done"`
	Chunks     int64     `json:"chunks"`
	CellsRead  int64     `json:"cells_read"`
	Bytes      int64     `json:"bytes"`
	Error      string    `json:"error,omitempty"`
	Groups     int       `json:"groups,omitempty"` // histogram plans: rows of the plot
	Bins       int       `json:"bins,omitempty"`
	PlotURL    string    `json:"plot_url,omitempty"`
}

// The executor of every fragment while no executor is configured.
const (
	inProcessName   = "in-process executor"
	inProcessRegion = "local"
)

// collect reads src at now.
func collect(src Source, now time.Time) Status {
	procs := src.Processes()
	st := Status{Time: now, Processes: procs, Running: running(src.Running(), procs, now)}
	st.Executors = []Executor{{Name: inProcessName, Region: inProcessRegion, Running: len(st.Running)}}
	for _, f := range src.Recent() {
		st.Recent = append(st.Recent, recent(f))
	}
	for i := range st.Recent {
		if st.Recent[i].PlotURL != "" {
			st.Plot = &st.Recent[i]
			break
		}
	}
	return st
}

func running(m map[uint32]planner.ProgressSnapshot, procs []ProcessInfo, now time.Time) []Running {
	users := map[uint32]string{}
	for _, p := range procs {
		users[p.ID] = p.User
	}
	out := make([]Running, 0, len(m))
	for conn, s := range m {
		r := runningOf(s, now)
		r.Conn, r.User = conn, users[conn]
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Conn < out[j].Conn })
	return out
}

func runningOf(s planner.ProgressSnapshot, now time.Time) Running {
	r := Running{Query: s.Query, Table: s.Table, Variable: s.Variable, Split: s.Split, Region: inProcessRegion,
		ChunksDone: s.TasksDone, Chunks: s.TasksTotal, CellsRead: s.CellsRead, Cells: s.CellsTotal,
		Bytes: s.BytesTotal, Elapsed: now.Sub(s.Started).Seconds()}
	if s.TasksTotal > 0 {
		r.Percent = 100 * float64(s.TasksDone) / float64(s.TasksTotal)
	}
	if s.CellsTotal > 0 {
		r.BytesRead = int64(float64(s.BytesTotal) * float64(s.CellsRead) / float64(s.CellsTotal))
	}
	if s.TasksDone > 0 {
		rem := r.Elapsed * float64(s.TasksTotal-s.TasksDone) / float64(s.TasksDone)
		r.Remaining = &rem
	}
	return r
}

func recent(f planner.Finished) Recent {
	p := f.Progress
	r := Recent{Seq: f.Seq, Conn: f.Conn, Query: f.Query, Table: p.Table, Variable: p.Variable,
		Finished: p.Started.Add(f.Duration), Duration: f.Duration.Seconds(), ChunksDone: p.TasksDone,
		Chunks: p.TasksTotal, CellsRead: p.CellsRead, Bytes: p.BytesTotal, Error: f.Err}
	if h := f.Hist; h != nil && len(h.Groups) > 0 {
		r.Groups, r.Bins = len(h.Groups), len(h.Edges)-1
		r.PlotURL = fmt.Sprintf("plot/%d.svg", f.Seq)
	}
	return r
}

// shortQuery is a query on one line without its comment lines, at most n runes.
func shortQuery(q string, n int) string {
	var words []string
	for _, line := range strings.Split(q, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "--") {
			words = append(words, strings.Fields(line)...)
		}
	}
	q = strings.Join(words, " ")
	if r := []rune(q); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return q
}

// bytesText is n bytes in binary units.
func bytesText(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, i := float64(n), -1
	for v >= unit && i < 4 {
		v /= unit
		i++
	}
	return fmt.Sprintf("%.1f %ciB", v, "KMGTP"[i])
}

// secondsText is a duration in seconds, rounded for reading.
func secondsText(s float64) string {
	return (time.Duration(s * float64(time.Second))).Round(100 * time.Millisecond).String()
}
