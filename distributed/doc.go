// Package distributed moves array-plan fragments to executors in their data's region
// and their partial aggregates back; it does not interpret SQL.
//
//	coordinator (planner.Options.Runner = *Pool)                 executor (zarrsql executor)
//	  Pool.Run(frags)                                              Executor.DoGet
//	    placement: fragment.Region -> executors of that region       ticket JSON -> Fragment
//	    per region: bounded fragments in flight per executor         region check
//	    per fragment: attempt, backoff, reassign, accept once        open store (cached per URL)
//	    Flight DoGet(Ticket{query, attempt, fragment}) ---------->   planner.RunFragment
//	    <--- heartbeats (app metadata) ... Arrow record batches      Partial -> Arrow columns
//	         of the Partial, then the final stats (app metadata)     bytes read, cells
//	    merge-ready []*planner.Partial in fragment order
//
// Wire format: a Flight Ticket holds the JSON of Ticket (query id, attempt number,
// whether remote reads are allowed, the heartbeat period, the planner.Fragment). The
// DoGet stream answers with metadata-only messages while the fragment runs
// (heartbeats, so that a stalled executor is noticed long before a fragment could
// finish), then one Arrow IPC stream of the Partial (see partial.go: histogram counts
// as a fixed-size list per group, aggregate states as one column per kept state; ±Inf
// and NaN travel as IEEE floats), then a final metadata message with the fragment's
// accounting (bytes read from object storage, cells). A stream that ends without that
// final message is a failed attempt, whatever it carried before.
//
// Fault handling lives in the Pool: every fragment is retried (default 5 times) with
// jittered exponential backoff, preferably on another executor of its region; an
// attempt that fails, loses its connection or sends nothing for StallTimeout is
// abandoned (its RPC cancelled, which cancels the work on the executor). The result of
// a fragment is accepted once, from the first attempt that completes; a fragment that
// fails every attempt fails the whole Run, which cancels the other fragments: a query
// never returns a partial result.
//
// Executors are stateless: everything an executor needs is in the ticket, and the
// stores it opens are only a cache. Security between processes is mTLS, a shared
// token, or both (see Security); plaintext is refused off loopback unless allowed.
//
// Use: a coordinator sets planner.Options.Runner to a *Pool (NewPool with REGION=ADDR
// endpoints); fragments of regions without executors fail the query with a
// *NoExecutorError, unless remote reads are allowed. Each query's accounting (bytes
// read per region, bytes sent to the coordinator per region, fragments per executor,
// retries) is kept under its id (WithQueryID, or the go-mysql-server context's process
// id and start time, QueryIDOf) for Pool.Stats and Pool.Recent, and counted by the
// Prometheus collectors Register adds. InProcess runs fragments in this process
// without any of that. `zarrsql executor` serves an Executor.
package distributed
