package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/vitess/go/mysql"
	"github.com/dolthub/vitess/go/sqltypes"
	querypb "github.com/dolthub/vitess/go/vt/proto/query"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/zarrsql/zarrsql/connectors/blobstore"
	"github.com/zarrsql/zarrsql/connectors/sqltable"
	"github.com/zarrsql/zarrsql/connectors/zarr"
)

// metrics are a Server's Prometheus collectors, in a registry of its own (several servers
// may run in one process, as in tests):
//
//	zarrsql_queries_total                      statements run over the MySQL protocol
//	zarrsql_query_errors_total{code}           those that failed, by MySQL error code
//	zarrsql_query_duration_seconds             their latency, failed or not
//	zarrsql_array_plans_running                array plans running now
//	zarrsql_blob_*{region}                     object store requests, retries, latency and
//	                                           bytes read, by the region of the dataset
//	go_*, process_*                            the Go runtime and the process
//
// A failed COM_STMT_PREPARE counts as an error but not as a query.
type metrics struct {
	reg         *prometheus.Registry
	queries     prometheus.Counter
	queryErrors *prometheus.CounterVec
	duration    prometheus.Histogram
	shardIndex  *prometheus.CounterVec

	mu   sync.Mutex
	blob map[string]*blobstore.Metrics // by region
}

// newMetrics registers the collectors; running counts the array plans running.
func newMetrics(running func() int) (*metrics, error) {
	m := &metrics{reg: prometheus.NewRegistry(), blob: map[string]*blobstore.Metrics{}}
	m.queries = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "zarrsql_queries_total",
		Help: "Statements run over the MySQL protocol (COM_QUERY and COM_STMT_EXECUTE).",
	})
	m.queryErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "zarrsql_query_errors_total",
		Help: "Statements and prepares that failed, by MySQL error code.",
	}, []string{"code"})
	m.duration = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "zarrsql_query_duration_seconds",
		Help:    "Time from receiving a statement to sending its last row or its error.",
		Buckets: prometheus.ExponentialBuckets(0.001, 4, 10), // 1ms .. 262s
	})
	m.shardIndex = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "zarrsql_shard_index_cache_total",
		Help: "Lookups of Zarr v3 shard indexes, by region and result (hit: cached, miss: read). Chunks themselves are not cached: a query reads each chunk once.",
	}, []string{"region", "result"})
	plans := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "zarrsql_array_plans_running",
		Help: "Array plans running now.",
	}, func() float64 { return float64(running()) })
	for _, c := range []prometheus.Collector{m.queries, m.queryErrors, m.duration, m.shardIndex, plans,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})} {
		if err := m.reg.Register(c); err != nil {
			return nil, fmt.Errorf("register metrics: %w", err)
		}
	}
	return m, nil
}

// blobMetrics returns the object store collectors of one region, labelled region="...",
// creating them on first use.
func (m *metrics) blobMetrics(region string) (*blobstore.Metrics, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if b, ok := m.blob[region]; ok {
		return b, nil
	}
	b, err := blobstore.NewMetrics(prometheus.WrapRegistererWith(prometheus.Labels{"region": region}, m.reg))
	if err != nil {
		return nil, fmt.Errorf("region %s: %w", region, err)
	}
	m.blob[region] = b
	return b, nil
}

// observe counts a statement that started at start and ended with err.
func (m *metrics) observe(start time.Time, err error) {
	m.queries.Inc()
	m.duration.Observe(time.Since(start).Seconds())
	if err != nil {
		m.failed(err)
	}
}

func (m *metrics) failed(err error) {
	m.queryErrors.WithLabelValues(strconv.Itoa(errorCode(err))).Inc()
}

// errorCode is the MySQL error code the client receives for err: GMS has already cast the
// errors of its handler to *mysql.SQLError; others are cast as GMS does (1105 when unknown).
func errorCode(err error) int {
	var se *mysql.SQLError
	if errors.As(err, &se) {
		return se.Number()
	}
	return sql.CastSQLError(err).Number()
}

// observedHandler is GMS's mysql.Handler with every statement counted, timed and logged
// at debug level.
type observedHandler struct {
	mysql.Handler
	m   *metrics
	log *slog.Logger
}

// observeQueries wraps GMS's handler (a gms.HandlerWrapper).
func (s *Server) observeQueries(h mysql.Handler) (mysql.Handler, error) {
	return observedHandler{Handler: h, m: s.metrics, log: s.log}, nil
}

func (h observedHandler) ComQuery(ctx context.Context, c *mysql.Conn, query string, callback mysql.ResultSpoolFn) error {
	start := time.Now()
	err := syntaxCode(h.Handler.ComQuery(ctx, c, query, callback))
	h.done(ctx, c, query, start, err)
	return err
}

func (h observedHandler) ComMultiQuery(ctx context.Context, c *mysql.Conn, query string, callback mysql.ResultSpoolFn) (string, error) {
	start := time.Now()
	rest, err := h.Handler.ComMultiQuery(ctx, c, query, callback)
	err = syntaxCode(err)
	h.done(ctx, c, strings.TrimSuffix(query, rest), start, err)
	return rest, err
}

func (h observedHandler) ComStmtExecute(ctx context.Context, c *mysql.Conn, prepare *mysql.PrepareData, callback func(*sqltypes.Result) error) error {
	start := time.Now()
	err := syntaxCode(h.Handler.ComStmtExecute(ctx, c, prepare, callback))
	h.done(ctx, c, prepare.PrepareStmt, start, err)
	return err
}

func (h observedHandler) ComPrepare(ctx context.Context, c *mysql.Conn, query string, prepare *mysql.PrepareData) ([]*querypb.Field, error) {
	fields, err := h.Handler.ComPrepare(ctx, c, query, prepare)
	err = syntaxCode(err)
	if err != nil {
		h.m.failed(err)
		h.log.DebugContext(ctx, "prepare failed", "conn", c.ConnectionID, "query", clip(query), "code", errorCode(err), "err", err)
	}
	return fields, err
}

// syntaxCode gives errors GMS sends as 1105 (unknown) MySQL's own codes, which clients
// and BI tools act on: a SQL syntax error is 1064 (ER_PARSE_ERROR, SQLSTATE 42000), a
// query ended by KILL QUERY (or a dropped client) 1317 (ER_QUERY_INTERRUPTED, 70100).
func syntaxCode(err error) error {
	var se *mysql.SQLError
	if !errors.As(err, &se) || se.Number() != mysql.ERUnknownError {
		return err
	}
	switch {
	case strings.HasPrefix(se.Message, "syntax error at position"):
		return mysql.NewSQLError(mysql.ERParseError, mysql.SSClientError, "%s", se.Message)
	case strings.Contains(se.Message, "context canceled"):
		return mysql.NewSQLError(mysql.ERQueryInterrupted, "70100", "Query execution was interrupted")
	}
	return err
}

// done records a statement.
func (h observedHandler) done(ctx context.Context, c *mysql.Conn, query string, start time.Time, err error) {
	h.m.observe(start, err)
	if !h.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []any{"conn", c.ConnectionID, "query", clip(query), "took", time.Since(start).Round(time.Microsecond)}
	if err != nil {
		attrs = append(attrs, "code", errorCode(err), "err", err)
	}
	h.log.DebugContext(ctx, "query", attrs...)
}

// clip shortens a statement for the log.
func clip(query string) string {
	const most = 200
	if len(query) <= most {
		return query
	}
	return query[:most] + "..."
}

// initOps creates the server's metrics and its HTTP mux.
func (s *Server) initOps() error {
	m, err := newMetrics(s.runningPlans)
	if err != nil {
		return err
	}
	s.metrics, s.web = m, newWeb(m, s.log)
	return nil
}

// runningPlans counts the array plans running.
func (s *Server) runningPlans() int {
	if s.planner == nil {
		return 0
	}
	return len(s.planner.Running())
}

// storeOptions are the options of the stores of one region: its metrics.
func (s *Server) storeOptions(region string) (sqltable.MemSourceOptions, error) {
	b, err := s.metrics.blobMetrics(region)
	if err != nil {
		return sqltable.MemSourceOptions{}, err
	}
	hits, misses := s.metrics.shardIndex.WithLabelValues(region, "hit"), s.metrics.shardIndex.WithLabelValues(region, "miss")
	observe := func(hit bool) {
		if hit {
			hits.Inc()
		} else {
			misses.Inc()
		}
	}
	return sqltable.MemSourceOptions{Blob: blobstore.Options{Metrics: b}, Zarr: zarr.Options{OnShardIndex: observe}}, nil
}
