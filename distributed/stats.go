package distributed

import (
	"context"
	"maps"
	"strconv"
	"sync"
	"time"
)

// QueryStats is the accounting of one query's fragments (of every Run under its id).
type QueryStats struct {
	ID         string
	Start, End time.Time
	Fragments  int // fragments whose result was accepted
	Attempts   int // attempts made, retries included
	Retries    int // attempts after a fragment's first
	Cells      int64
	// PartialBytes is the raw size of the accepted partials (see PartialBytes).
	PartialBytes int64
	// BytesRead is what the accepted attempts read from object storage, by the region
	// of the data; RemoteBytesRead the part of it read from outside that region.
	BytesRead       map[string]int64
	RemoteBytesRead int64
	// RetriedBytesRead is what failed attempts are known to have read (their last
	// heartbeat), not in BytesRead.
	RetriedBytesRead int64
	// BytesSent is the size of the Flight streams executors sent to the coordinator
	// (gRPC messages as received, every attempt), by the executor's region.
	BytesSent map[string]int64
	Executors map[string]ExecutorStats // by executor address; InProcessName for this process
	Err       string                   // the Run's error, if any
}

// ExecutorStats is one executor's part of a query.
type ExecutorStats struct {
	Region    string
	Fragments int // accepted results
	Attempts  int
	Failures  int
	BytesRead int64 // by its accepted attempts
	BytesSent int64 // to the coordinator, every attempt
}

// InProcessName names the coordinator's own process in ExecutorStats.
const InProcessName = "in-process"

// TotalBytesSent is BytesSent over every region.
func (s QueryStats) TotalBytesSent() int64 { return sum(s.BytesSent) }

// TotalBytesRead is BytesRead over every region.
func (s QueryStats) TotalBytesRead() int64 { return sum(s.BytesRead) }

func sum(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

func (s QueryStats) clone() QueryStats {
	s.BytesRead, s.BytesSent, s.Executors = maps.Clone(s.BytesRead), maps.Clone(s.BytesSent), maps.Clone(s.Executors)
	return s
}

// attemptResult is what one attempt adds to its query's stats.
type attemptResult struct {
	target     *target
	dataRegion string
	retry      bool
	ok         bool
	bytesRead  int64
	bytesSent  int64
	cells      int64
	partial    int64
}

// queryRecord is a query's stats while its fragments run.
type queryRecord struct {
	id string // immutable
	mu sync.Mutex
	st QueryStats
}

func (q *queryRecord) add(a attemptResult) {
	q.mu.Lock()
	defer q.mu.Unlock()
	s := &q.st
	e := s.Executors[a.target.name]
	e.Region = a.target.region
	e.Attempts++
	e.BytesSent += a.bytesSent
	s.Attempts++
	s.BytesSent[a.target.region] += a.bytesSent
	if a.retry {
		s.Retries++
	}
	if !a.ok {
		e.Failures++
		s.RetriedBytesRead += a.bytesRead
		s.Executors[a.target.name] = e
		return
	}
	e.Fragments++
	e.BytesRead += a.bytesRead
	s.Executors[a.target.name] = e
	s.Fragments++
	s.Cells += a.cells
	s.PartialBytes += a.partial
	s.BytesRead[a.dataRegion] += a.bytesRead
	if !a.target.near(a.dataRegion) {
		s.RemoteBytesRead += a.bytesRead
	}
}

func (q *queryRecord) snapshot() QueryStats {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.st.clone()
}

// statsBook keeps the stats of the last queries, by id.
type statsBook struct {
	keep int

	mu    sync.Mutex
	seq   uint64
	byID  map[string]*queryRecord
	order []string // ids, oldest first
}

func newStatsBook(keep int) *statsBook {
	return &statsBook{keep: max(keep, 1), byID: map[string]*queryRecord{}}
}

// begin returns the record of id (a new id when empty), created if needed.
func (b *statsBook) begin(id string) *queryRecord {
	b.mu.Lock()
	defer b.mu.Unlock()
	if id == "" {
		b.seq++
		id = "run-" + strconv.FormatUint(b.seq, 10)
	}
	if q := b.byID[id]; q != nil {
		return q
	}
	q := &queryRecord{id: id, st: QueryStats{ID: id, Start: time.Now(), BytesRead: map[string]int64{},
		BytesSent: map[string]int64{}, Executors: map[string]ExecutorStats{}}}
	b.byID[id] = q
	b.order = append(b.order, id)
	for len(b.order) > b.keep {
		delete(b.byID, b.order[0])
		b.order = b.order[1:]
	}
	return q
}

func (q *queryRecord) end(err error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.st.End = time.Now()
	if err != nil {
		q.st.Err = err.Error()
	}
}

func (b *statsBook) get(id string) (QueryStats, bool) {
	b.mu.Lock()
	q := b.byID[id]
	b.mu.Unlock()
	if q == nil {
		return QueryStats{}, false
	}
	return q.snapshot(), true
}

func (b *statsBook) recent() []QueryStats {
	b.mu.Lock()
	qs := make([]*queryRecord, 0, len(b.order))
	for i := len(b.order) - 1; i >= 0; i-- {
		qs = append(qs, b.byID[b.order[i]])
	}
	b.mu.Unlock()
	out := make([]QueryStats, len(qs))
	for i, q := range qs {
		out[i] = q.snapshot()
	}
	return out
}

type queryIDKey struct{}

// WithQueryID names the query whose fragments a Pool runs under ctx: the Runs of one
// query add up in Pool.Stats(id).
func WithQueryID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, queryIDKey{}, id)
}

// processQuery is what a go-mysql-server *sql.Context offers: the connection's process
// id (KILL QUERY's) and when its current query started.
type processQuery interface {
	Pid() uint64
	QueryTime() time.Time
}

// queryID is the query id of ctx: WithQueryID's, else "PID@START" (QueryIDOf) when ctx
// is a query's context, else "" (every Run a query of its own).
func queryID(ctx context.Context) string {
	if id, ok := ctx.Value(queryIDKey{}).(string); ok {
		return id
	}
	if q, ok := ctx.(processQuery); ok {
		return QueryIDOf(q.Pid(), q.QueryTime())
	}
	return ""
}

// QueryIDOf is the id under which a Pool keeps the stats of the query that process pid
// started at start, when its Runs get that query's *sql.Context.
func QueryIDOf(pid uint64, start time.Time) string {
	return strconv.FormatUint(pid, 10) + "@" + start.UTC().Format(time.RFC3339Nano)
}
