package server

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/dolthub/go-mysql-server/sql"
	"github.com/dolthub/go-mysql-server/sql/types"

	"github.com/zarrsql/zarrsql/distributed"
)

// executorPool connects to the configured executors (nil when there are none and
// remote reads are off: the planner then runs every fragment in-process). Executors
// that cannot be reached or announce another region are logged, not fatal: queries
// over their region retry and fail with an error naming them.
func (s *Server) executorPool(ctx context.Context) (*distributed.Pool, error) {
	cfg := s.cfg
	if len(cfg.Executors) == 0 && !cfg.AllowRemoteReads {
		return nil, nil
	}
	eps, err := distributed.ParseEndpoints(cfg.Executors)
	if err != nil {
		return nil, fmt.Errorf("config: executors: %w", err)
	}
	pool, err := distributed.NewPool(distributed.PoolOptions{Executors: eps, AllowRemote: cfg.AllowRemoteReads, Log: s.log,
		Security: distributed.Security{CertFile: cfg.ExecutorTLSCert, KeyFile: cfg.ExecutorTLSKey, CAFile: cfg.ExecutorTLSCA,
			TokenFile: cfg.ExecutorTokenFile, Token: os.Getenv("ZARRSQL_EXECUTOR_TOKEN"), AllowInsecure: cfg.ExecutorAllowInsecure}})
	if err != nil {
		return nil, err
	}
	if err := pool.Register(s.metrics.reg); err != nil {
		return nil, err
	}
	if err := pool.Check(ctx); err != nil {
		s.log.Warn("executors", "err", err)
	}
	return pool, nil
}

// queryStatsTable is zarrsql.query_stats: per recent distributed query, the fragments,
// retries, bytes read from object storage per region and bytes sent to the coordinator
// per region (empty when every fragment runs in-process).
func (s *Server) queryStatsTable() *sysTable {
	cols := []struct {
		name string
		typ  sql.Type
	}{
		{"query_id", types.LongText}, {"started", types.DatetimeMaxPrecision}, {"seconds", types.Float64},
		{"fragments", types.Int64}, {"attempts", types.Int64}, {"retries", types.Int64}, {"cells", types.Int64},
		{"partial_bytes", types.Int64}, {"bytes_read", types.JSON}, {"remote_bytes_read", types.Int64},
		{"bytes_sent", types.JSON}, {"executors", types.JSON}, {"error", types.LongText},
	}
	schema := make(sql.Schema, len(cols))
	for i, c := range cols {
		schema[i] = &sql.Column{Name: c.name, Type: c.typ, Nullable: true, Source: "query_stats"}
	}
	return &sysTable{name: "query_stats", schema: schema, rows: s.queryStatsRows}
}

func (s *Server) queryStatsRows(*sql.Context) ([]sql.Row, error) {
	if s.pool == nil {
		return nil, nil
	}
	var rows []sql.Row
	for _, q := range s.pool.Recent() {
		rows = append(rows, sql.Row{q.ID, q.Start.UTC(), q.End.Sub(q.Start).Seconds(), int64(q.Fragments),
			int64(q.Attempts), int64(q.Retries), q.Cells, q.PartialBytes, jsonOf(q.BytesRead),
			q.RemoteBytesRead, jsonOf(q.BytesSent), jsonOf(q.Executors), q.Err})
	}
	return rows, nil
}

// jsonOf returns v as a JSON column value.
func jsonOf(v any) sql.JSONWrapper {
	b, err := json.Marshal(v)
	if err != nil {
		return types.JSONDocument{Val: nil}
	}
	var out any
	_ = json.Unmarshal(b, &out)
	return types.JSONDocument{Val: out}
}
