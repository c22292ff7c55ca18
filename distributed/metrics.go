package distributed

import (
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// register registers cs with reg.
func register(reg prometheus.Registerer, what string, cs ...prometheus.Collector) error {
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return fmt.Errorf("register %s metrics: %w", what, err)
		}
	}
	return nil
}

// executorMetrics are an Executor's collectors.
type executorMetrics struct {
	calls     *prometheus.CounterVec // by outcome
	duration  prometheus.Histogram
	running   prometheus.Gauge
	bytesRead prometheus.Counter
	bytesSent prometheus.Counter
}

func newExecutorMetrics() *executorMetrics {
	return &executorMetrics{
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zarrsql_executor_fragments_total",
			Help: "Fragments served by this executor, by outcome (ok, error, canceled, refused).",
		}, []string{"outcome"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "zarrsql_executor_fragment_duration_seconds",
			Help:    "Time from a fragment's ticket to its last message.",
			Buckets: prometheus.ExponentialBuckets(0.01, 4, 8), // 10ms .. 164s
		}),
		running: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "zarrsql_executor_fragments_running",
			Help: "Fragments accepted and not finished (running or waiting for a slot).",
		}),
		bytesRead: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "zarrsql_executor_read_bytes_total",
			Help: "Bytes read from object storage by the fragments that completed.",
		}),
		bytesSent: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "zarrsql_executor_sent_bytes_total",
			Help: "Bytes of the Flight messages sent to coordinators (partials, heartbeats, metadata).",
		}),
	}
}

func (m *executorMetrics) done(outcome string, d time.Duration, sent int64) {
	m.calls.WithLabelValues(outcome).Inc()
	m.duration.Observe(d.Seconds())
	m.bytesSent.Add(float64(sent))
}

// Register registers the executor's Prometheus collectors with reg.
func (e *Executor) Register(reg prometheus.Registerer) error {
	m := e.metrics
	return register(reg, "executor", m.calls, m.duration, m.running, m.bytesRead, m.bytesSent)
}

// poolMetrics are a Pool's collectors.
type poolMetrics struct {
	attempts  *prometheus.CounterVec // by executor, region, outcome
	retries   *prometheus.CounterVec // by data region
	bytesRead *prometheus.CounterVec // by data region
	remote    *prometheus.CounterVec // by data region
	received  *prometheus.CounterVec // by executor, region
	duration  *prometheus.HistogramVec
	inFlight  *prometheus.GaugeVec // by executor, region
}

func newPoolMetrics() *poolMetrics {
	byExec := []string{"executor", "region"}
	return &poolMetrics{
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zarrsql_coordinator_fragment_attempts_total",
			Help: "Fragment attempts by executor, its region and outcome (ok, error, stalled, canceled).",
		}, []string{"executor", "region", "outcome"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zarrsql_coordinator_fragment_retries_total",
			Help: "Fragment attempts after the first, by the region of the data.",
		}, []string{"region"}),
		bytesRead: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zarrsql_coordinator_read_bytes_total",
			Help: "Bytes read from object storage for accepted fragments, by the region of the data.",
		}, []string{"region"}),
		remote: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zarrsql_coordinator_remote_read_bytes_total",
			Help: "Of the bytes read, those read by a process outside the data's region (remote reads allowed).",
		}, []string{"region"}),
		received: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zarrsql_coordinator_received_bytes_total",
			Help: "Bytes of the Flight streams received from executors (every attempt), by executor and region.",
		}, byExec),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "zarrsql_coordinator_fragment_duration_seconds",
			Help:    "Duration of one fragment attempt, by executor region.",
			Buckets: prometheus.ExponentialBuckets(0.01, 4, 8),
		}, []string{"region"}),
		inFlight: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "zarrsql_coordinator_fragments_in_flight",
			Help: "Fragment attempts in flight, by executor and region.",
		}, byExec),
	}
}

// Register registers the pool's Prometheus collectors with reg.
func (p *Pool) Register(reg prometheus.Registerer) error {
	m := p.metrics
	return register(reg, "coordinator", m.attempts, m.retries, m.bytesRead, m.remote, m.received, m.duration, m.inFlight)
}
