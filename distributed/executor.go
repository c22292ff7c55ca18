package distributed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync/atomic"
	"time"

	"github.com/apache/arrow/go/v17/arrow/flight"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/zarrsql/zarrsql/connectors/blobstore"
	"github.com/zarrsql/zarrsql/connectors/zarr"
	"github.com/zarrsql/zarrsql/planner"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// ExecutorOptions configure an Executor.
type ExecutorOptions struct {
	Region       string // required: the region this executor serves (e.g. gcp:us-central1)
	Workers      int    // goroutines per fragment; 0: GOMAXPROCS
	MaxFragments int    // fragments run at once, others wait (heartbeating); 0: DefaultMaxFragments
	MaxStores    int    // opened stores kept; 0: DefaultMaxStores
	// Compression of the partials' Arrow buffers: "zstd" (default), "lz4" or "none".
	Compression string
	Store       blobstore.Options
	Zarr        zarr.Options
	Security    Security
	Log         *slog.Logger // nil: no logs
}

// DefaultMaxFragments is ExecutorOptions.MaxFragments' default.
const DefaultMaxFragments = 4

// Limits of the heartbeat period a ticket may ask for.
const (
	DefaultHeartbeat = time.Second
	minHeartbeat     = 20 * time.Millisecond
	maxHeartbeat     = 30 * time.Second
)

// Executor is the Flight service that runs fragments of the region it serves. It is
// stateless beyond a cache of opened stores.
type Executor struct {
	flight.BaseFlightServer
	opts    ExecutorOptions
	local   *local
	slots   chan struct{}
	ipcOpts []ipc.Option
	metrics *executorMetrics
	log     *slog.Logger
	// faults, when set (tests), is called at "start" (before the fragment runs) and
	// "sent" (after its partial, before the final message); an error fails the call.
	faults func(ctx context.Context, stage string, t Ticket) error
}

// NewExecutor checks o and returns an Executor; Serve serves it.
func NewExecutor(o ExecutorOptions) (*Executor, error) {
	if o.Region == "" {
		return nil, fmt.Errorf("executor: no region")
	}
	if o.MaxFragments <= 0 {
		o.MaxFragments = DefaultMaxFragments
	}
	var ipcOpts []ipc.Option
	switch o.Compression {
	case "", "zstd":
		ipcOpts = append(ipcOpts, ipc.WithZstd(), ipc.WithMinSpaceSavings(0.1))
	case "lz4":
		ipcOpts = append(ipcOpts, ipc.WithLZ4(), ipc.WithMinSpaceSavings(0.1))
	case "none":
	default:
		return nil, fmt.Errorf("executor: compression %q: want zstd, lz4 or none", o.Compression)
	}
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Executor{opts: o, local: newLocal(o.Workers, o.MaxStores, o.Store, o.Zarr),
		slots: make(chan struct{}, o.MaxFragments), ipcOpts: ipcOpts, metrics: newExecutorMetrics(), log: log}, nil
}

// Region returns the region the executor serves.
func (e *Executor) Region() string { return e.opts.Region }

// Serve serves the Flight service on lis until ctx ends, then stops gracefully
// (running fragments get a few seconds) and closes lis and the opened stores.
func (e *Executor) Serve(ctx context.Context, lis net.Listener) error {
	opts, err := e.opts.Security.serverOptions(lis.Addr())
	if err != nil {
		return fmt.Errorf("executor on %s: %w", lis.Addr(), err)
	}
	opts = append(opts, grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: keepaliveTime / 2}))
	srv := grpc.NewServer(opts...)
	flight.RegisterFlightServiceServer(srv, e)
	served, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		defer func() {
			if r := recover(); r != nil {
				e.log.Error("executor stop", "panic", r)
			}
		}()
		select {
		case <-ctx.Done():
			stopGracefully(srv, 5*time.Second)
		case <-served:
			srv.Stop()
		}
	}()
	err = srv.Serve(lis)
	close(served)
	<-stopped
	return errors.Join(ignoreClosed(err), e.local.Close())
}

// stopGracefully stops srv, cutting the calls still running after grace.
func stopGracefully(srv *grpc.Server, grace time.Duration) {
	t := time.AfterFunc(grace, srv.Stop)
	defer t.Stop()
	srv.GracefulStop()
}

func ignoreClosed(err error) error {
	if errors.Is(err, grpc.ErrServerStopped) {
		return nil
	}
	return err
}

// streamMeta is the JSON of a metadata-only message: "heartbeat" while the fragment
// runs, "done" after its partial.
type streamMeta struct {
	Kind      string `json:"kind"`
	Region    string `json:"region,omitempty"`
	BytesRead int64  `json:"bytes_read"`
	Cells     int64  `json:"cells,omitempty"`
	Groups    int    `json:"groups,omitempty"` // rows of the partial's batches
	ElapsedNS int64  `json:"elapsed_ns,omitempty"`
}

const (
	metaHeartbeat = "heartbeat"
	metaDone      = "done"
)

// DoGet runs the fragment of a ticket and streams its partial back.
func (e *Executor) DoGet(tkt *flight.Ticket, stream flight.FlightService_DoGetServer) (err error) {
	start := time.Now()
	defer recoverTo(&err, "executor DoGet")
	cs := &countingStream{FlightService_DoGetServer: stream}
	t, err := decodeTicket(tkt.GetTicket())
	if err != nil {
		err = badFragment(err)
	} else {
		err = e.serve(cs, t)
	}
	outcome := outcomeOf(err)
	e.metrics.done(outcome, time.Since(start), cs.sent.Load())
	if err != nil {
		level := slog.LevelWarn
		if outcome == "canceled" {
			level = slog.LevelDebug // the coordinator gave up on it
		}
		e.log.Log(stream.Context(), level, "fragment "+outcome, "query", t.Query, "fragment", t.Fragment.Index,
			"dataset", t.Fragment.Dataset, "attempt", t.Attempt, "err", err)
	}
	return grpcError(err)
}

// serve checks, runs and answers one ticket.
func (e *Executor) serve(stream *countingStream, t Ticket) error {
	if t.Fragment.Region != e.opts.Region && !t.AllowRemote {
		return status.Errorf(codes.FailedPrecondition, "%s is in region %q; this executor serves %q and the query does not allow remote reads",
			t.what(), t.Fragment.Region, e.opts.Region)
	}
	ctx := stream.Context()
	if err := e.fault(ctx, "start", t); err != nil {
		return err
	}
	e.metrics.running.Inc()
	defer e.metrics.running.Dec()
	var rc readCounter
	started := time.Now()
	p, err := e.runBeating(ctx, stream, t, &rc)
	if err != nil {
		return err
	}
	e.metrics.bytesRead.Add(float64(rc.n.Load()))
	progress, err := json.Marshal(streamMeta{Kind: metaHeartbeat, BytesRead: rc.n.Load()})
	if err != nil {
		return err
	}
	if err := writePartial(stream, p, progress, e.ipcOpts); err != nil {
		return fmt.Errorf("send the partial of %s: %w", t.what(), err)
	}
	if err := e.fault(ctx, "sent", t); err != nil {
		return err
	}
	return sendMeta(stream, streamMeta{Kind: metaDone, Region: e.opts.Region, BytesRead: rc.n.Load(),
		Cells: p.Cells, Groups: groupsOf(p), ElapsedNS: time.Since(started).Nanoseconds()})
}

func (e *Executor) fault(ctx context.Context, stage string, t Ticket) error {
	if e.faults == nil {
		return nil
	}
	return e.faults(ctx, stage, t)
}

// runBeating runs the fragment (after waiting for a slot) on another goroutine and
// sends a heartbeat every period until it ends.
func (e *Executor) runBeating(ctx context.Context, stream *countingStream, t Ticket, rc *readCounter) (*planner.Partial, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		p   *planner.Partial
		err error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		defer func() { done <- r }()
		defer recoverTo(&r.err, "%s", t.what())
		r.p, r.err = e.runSlot(ctx, t.Fragment, rc)
	}()
	tick := time.NewTicker(heartbeat(t.Heartbeat))
	defer tick.Stop()
	for {
		select {
		case r := <-done:
			return r.p, r.err
		case <-tick.C:
			if err := sendMeta(stream, streamMeta{Kind: metaHeartbeat, BytesRead: rc.n.Load()}); err != nil {
				return nil, err
			}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// runSlot runs f once a slot is free.
func (e *Executor) runSlot(ctx context.Context, f planner.Fragment, rc *readCounter) (*planner.Partial, error) {
	select {
	case e.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-e.slots }()
	return e.local.run(ctx, f, rc)
}

func heartbeat(d time.Duration) time.Duration {
	if d <= 0 {
		return DefaultHeartbeat
	}
	return min(max(d, minHeartbeat), maxHeartbeat)
}

// writePartial writes p as an Arrow IPC stream of record batches of about
// maxBatchBytes, the first with the application metadata meta.
func writePartial(out flight.DataStreamWriter, p *planner.Partial, meta []byte, opts []ipc.Option) error {
	rec, err := partialRecord(p)
	if err != nil {
		return err
	}
	defer rec.Release()
	w := flight.NewRecordWriter(out, append([]ipc.Option{ipc.WithSchema(rec.Schema())}, opts...)...)
	bs := batches(rec, rowBytes(p))
	defer func() {
		for _, b := range bs {
			b.Release()
		}
	}()
	for i, b := range bs {
		if i > 0 {
			meta = nil
		}
		if err := w.WriteWithAppMetadata(b, meta); err != nil {
			return err
		}
	}
	return w.Close()
}

func sendMeta(stream *countingStream, m streamMeta) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return stream.Send(&flight.FlightData{AppMetadata: b})
}

// countingStream counts the bytes of the messages sent.
type countingStream struct {
	flight.FlightService_DoGetServer
	sent atomic.Int64
}

func (s *countingStream) Send(d *flight.FlightData) error {
	s.sent.Add(int64(proto.Size(d)))
	return s.FlightService_DoGetServer.Send(d)
}

// grpcError gives err the status code that tells the coordinator whether to retry.
func grpcError(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	code := codes.Internal
	switch {
	case errors.Is(err, context.Canceled):
		code = codes.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		code = codes.DeadlineExceeded
	case errors.Is(err, blobstore.ErrNotFound):
		code = codes.NotFound
	case errors.Is(err, blobstore.ErrPermission):
		code = codes.PermissionDenied
	case permanentLocal(err):
		code = codes.InvalidArgument
	}
	return status.Error(code, err.Error())
}

// outcomeOf is the metric label of a call's result.
func outcomeOf(err error) string {
	switch status.Code(grpcError(err)) {
	case codes.OK:
		return "ok"
	case codes.Canceled, codes.DeadlineExceeded:
		return "canceled"
	case codes.FailedPrecondition:
		return "refused"
	}
	return "error"
}

// DoAction answers "zarrsql.info" with the executor's region (JSON), for checks.
func (e *Executor) DoAction(a *flight.Action, stream flight.FlightService_DoActionServer) (err error) {
	defer recoverTo(&err, "executor DoAction")
	if a.GetType() != actionInfo {
		return status.Errorf(codes.Unimplemented, "action %q: this executor knows %q", a.GetType(), actionInfo)
	}
	b, err := json.Marshal(executorInfo{Region: e.opts.Region})
	if err != nil {
		return err
	}
	return stream.Send(&flight.Result{Body: b})
}

const actionInfo = "zarrsql.info"

// executorInfo is the answer to actionInfo.
type executorInfo struct {
	Region string `json:"region"`
}
