package distributed

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/apache/arrow/go/v17/arrow/flight"
	"github.com/zarrsql/zarrsql/planner"
	"google.golang.org/grpc"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/stats"
)

// target is where an attempt runs: an executor, or this process (local set).
type target struct {
	name, region string
	max          int // attempts in flight at most
	conn         *grpc.ClientConn
	client       flight.FlightServiceClient
	local        *local

	// under Pool.mu
	inFlight  int
	failures  int       // consecutive
	healthyAt time.Time // first choice again from then
}

// keepaliveTime is how often a coordinator pings an executor connection with calls in
// flight (executors allow it, see Executor.Serve), to notice a vanished host.
const keepaliveTime = 20 * time.Second

// maxPartialMessage bounds one message from an executor (batches are ~1 MiB).
const maxPartialMessage = 64 << 20

func dialTarget(e Endpoint, o PoolOptions) (*target, error) {
	opts, err := o.Security.dialOptions(e.Addr)
	if err != nil {
		return nil, err
	}
	opts = append(opts, grpc.WithStatsHandler(wireCounter{}),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(maxPartialMessage)),
		// an address that resolves to several executors (a headless Service) spreads calls
		grpc.WithDefaultServiceConfig(`{"loadBalancingConfig":[{"round_robin":{}}]}`),
		grpc.WithKeepaliveParams(keepalive.ClientParameters{Time: keepaliveTime, Timeout: 10 * time.Second}))
	conn, err := grpc.NewClient(e.Addr, opts...)
	if err != nil {
		return nil, fmt.Errorf("executor %s: %w", e, err)
	}
	return &target{name: e.Addr, region: e.Region, max: o.MaxInFlight, conn: conn, client: flight.NewFlightServiceClient(conn)}, nil
}

// near reports whether t reads the data of region from inside it ("local" data is
// near this process, wherever it runs).
func (t *target) near(region string) bool {
	return t.region == region || t.local != nil && (region == "" || region == LocalRegion)
}

func (t *target) close() error {
	if t.conn == nil {
		return nil
	}
	if err := t.conn.Close(); err != nil {
		return fmt.Errorf("close connection to executor %s: %w", t.name, err)
	}
	return nil
}

// attempt runs f once on t and adds the attempt to the query's stats.
func (p *Pool) attempt(ctx context.Context, q *queryRecord, t *target, f planner.Fragment, n int) (*planner.Partial, error) {
	start := time.Now()
	region := f.Region
	if region == "" {
		region = LocalRegion
	}
	a := attemptResult{target: t, dataRegion: region, retry: n > 0}
	var part *planner.Partial
	var err error
	if t.local != nil {
		part, err = p.runLocal(ctx, t, f, &a)
	} else {
		tk := Ticket{Query: q.id, Attempt: n, AllowRemote: p.opts.AllowRemote, Heartbeat: p.opts.StallTimeout / 4, Fragment: f}
		part, err = p.runRemote(ctx, t, tk, &a)
	}
	if a.ok = err == nil; a.ok {
		a.cells, a.partial = part.Cells, PartialBytes(part)
	}
	q.add(a)
	p.observe(a, region, err, time.Since(start))
	return part, err
}

func (p *Pool) observe(a attemptResult, region string, err error, d time.Duration) {
	m, t := p.metrics, a.target
	outcome := "ok"
	switch {
	case errors.Is(err, errStalled):
		outcome = "stalled"
	case errors.Is(err, context.Canceled):
		outcome = "canceled"
	case err != nil:
		outcome = "error"
	}
	m.attempts.WithLabelValues(t.name, t.region, outcome).Inc()
	m.received.WithLabelValues(t.name, t.region).Add(float64(a.bytesSent))
	m.duration.WithLabelValues(t.region).Observe(d.Seconds())
	if a.ok {
		m.bytesRead.WithLabelValues(region).Add(float64(a.bytesRead))
		if !t.near(region) {
			m.remote.WithLabelValues(region).Add(float64(a.bytesRead))
		}
	}
}

func (p *Pool) runLocal(ctx context.Context, t *target, f planner.Fragment, a *attemptResult) (*planner.Partial, error) {
	var rc readCounter
	part, err := t.local.run(ctx, f, &rc)
	a.bytesRead = rc.n.Load()
	return part, err
}

// errStalled ends an attempt that sent nothing for StallTimeout.
var errStalled = errors.New("executor stalled")

// runRemote runs one attempt over Flight: DoGet, then the stream until its end, with
// the stall watchdog reset by every message.
func (p *Pool) runRemote(ctx context.Context, t *target, tk Ticket, a *attemptResult) (*planner.Partial, error) {
	b, err := tk.encode()
	if err != nil {
		return nil, badFragment(err)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	ctx, cancelT := context.WithTimeout(ctx, p.opts.FragmentTimeout)
	defer cancelT()
	stall := p.opts.StallTimeout
	dog := time.AfterFunc(stall, func() { cancel(fmt.Errorf("nothing received for %s: %w", stall, errStalled)) })
	defer dog.Stop()
	var sent atomic.Int64
	defer func() { a.bytesSent = sent.Load() }()
	stream, err := t.client.DoGet(context.WithValue(ctx, wireKey{}, &sent), &flight.Ticket{Ticket: b})
	if err != nil {
		return nil, causeOf(ctx, err)
	}
	var r streamResult
	defer func() { a.bytesRead = r.lastRead }()
	for {
		fd, err := stream.Recv()
		if err == io.EOF {
			return r.partial()
		}
		if err != nil {
			return nil, causeOf(ctx, err)
		}
		dog.Reset(stall)
		if err := r.add(fd); err != nil {
			return nil, err
		}
	}
}

// causeOf prefers the reason ctx ended (a stall) to the RPC's error.
func causeOf(ctx context.Context, err error) error {
	if c := context.Cause(ctx); c != nil && errors.Is(c, errStalled) {
		return c
	}
	return err
}

// streamResult collects an executor's answer.
type streamResult struct {
	data     []*flight.FlightData // the Arrow IPC messages
	done     *streamMeta
	lastRead int64 // bytes read, as last reported
}

func (r *streamResult) add(fd *flight.FlightData) error {
	if len(fd.DataHeader) > 0 {
		if r.done != nil {
			return fmt.Errorf("executor sent data after its final message")
		}
		r.data = append(r.data, fd)
	}
	if len(fd.AppMetadata) == 0 {
		return nil
	}
	var m streamMeta
	if err := json.Unmarshal(fd.AppMetadata, &m); err != nil {
		return fmt.Errorf("executor metadata: %w", err)
	}
	r.lastRead = m.BytesRead
	if m.Kind == metaDone {
		if len(fd.DataHeader) > 0 {
			return fmt.Errorf("executor's final message holds data")
		}
		r.done = &m
	}
	return nil
}

// partial decodes the answer once the stream ended.
func (r *streamResult) partial() (*planner.Partial, error) {
	if r.done == nil {
		return nil, fmt.Errorf("executor's stream ended without its final message")
	}
	if len(r.data) == 0 {
		return nil, fmt.Errorf("executor's stream holds no partial")
	}
	p, err := decodeMessages(r.data)
	if err != nil {
		return nil, err
	}
	if p.Cells != r.done.Cells || groupsOf(p) != r.done.Groups {
		return nil, fmt.Errorf("executor's partial of %d cells in %d groups, its final message says %d in %d",
			p.Cells, groupsOf(p), r.done.Cells, r.done.Groups)
	}
	return p, nil
}

// decodeMessages decodes the Arrow IPC stream of a partial.
func decodeMessages(data []*flight.FlightData) (*planner.Partial, error) {
	rdr, err := flight.NewRecordReader(&replay{data: data})
	if err != nil {
		return nil, fmt.Errorf("decode partial: %w", err)
	}
	defer rdr.Release()
	d, err := newPartialDecoder(rdr.Schema())
	if err != nil {
		return nil, err
	}
	n := 0
	for ; rdr.Next(); n++ {
		if err := d.add(rdr.Record()); err != nil {
			return nil, err
		}
	}
	if err := rdr.Err(); err != nil && err != io.EOF {
		return nil, fmt.Errorf("decode partial: %w", err)
	}
	if n == 0 {
		return nil, fmt.Errorf("decode partial: no record batch")
	}
	return d.partial()
}

// replay serves collected messages to flight.NewRecordReader.
type replay struct{ data []*flight.FlightData }

func (r *replay) Recv() (*flight.FlightData, error) {
	if len(r.data) == 0 {
		return nil, io.EOF
	}
	fd := r.data[0]
	r.data = r.data[1:]
	return fd, nil
}

// wireCounter is a gRPC stats handler that adds the wire size of what a call
// receives (payloads with their gRPC framing, header, trailer) to the counter in the
// call's context.
type wireCounter struct{}

type wireKey struct{}

func (wireCounter) TagRPC(ctx context.Context, _ *stats.RPCTagInfo) context.Context { return ctx }

func (wireCounter) HandleRPC(ctx context.Context, s stats.RPCStats) {
	c, ok := ctx.Value(wireKey{}).(*atomic.Int64)
	if !ok {
		return
	}
	switch s := s.(type) {
	case *stats.InPayload:
		c.Add(int64(s.WireLength))
	case *stats.InHeader:
		c.Add(int64(s.WireLength))
	case *stats.InTrailer:
		c.Add(int64(s.WireLength))
	}
}

func (wireCounter) TagConn(ctx context.Context, _ *stats.ConnTagInfo) context.Context { return ctx }

func (wireCounter) HandleConn(context.Context, stats.ConnStats) {}

// Check asks every executor the region it serves; the error names those that do not
// answer and those that serve another region than configured.
func (p *Pool) Check(ctx context.Context) error {
	var errs []error
	for _, t := range p.targets {
		errs = append(errs, t.check(ctx))
	}
	return errors.Join(errs...)
}

func (t *target) check(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := t.client.DoAction(ctx, &flight.Action{Type: actionInfo})
	if err != nil {
		return fmt.Errorf("executor %s: %w", t.name, err)
	}
	res, err := stream.Recv()
	if err != nil {
		return fmt.Errorf("executor %s: %w", t.name, err)
	}
	var info executorInfo
	if err := json.Unmarshal(res.GetBody(), &info); err != nil {
		return fmt.Errorf("executor %s: its info: %w", t.name, err)
	}
	if info.Region != t.region {
		return fmt.Errorf("executor %s serves region %q, configured as %q", t.name, info.Region, t.region)
	}
	return nil
}
