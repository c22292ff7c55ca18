package distributed

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zarrsql/zarrsql/connectors/blobstore"
	"github.com/zarrsql/zarrsql/connectors/zarr"
)

// storeCache keeps opened Zarr stores by URL, at most max of them; the least recently
// used one beyond the bound is closed once no fragment uses it. Safe for concurrent use.
type storeCache struct {
	max     int
	blob    blobstore.Options
	zarr    zarr.Options
	timeout time.Duration // bound of one open (its metadata reads)

	mu      sync.Mutex
	tick    uint64
	entries map[string]*storeEntry
}

// storeEntry is one opened (or opening) store.
type storeEntry struct {
	url    string
	ready  chan struct{} // closed when the open ended; then grp or err is set
	grp    *zarr.Group
	bucket *blobstore.Bucket
	err    error

	refs    int // fragments using it (under storeCache.mu)
	used    uint64
	evicted bool
}

func newStoreCache(max int, b blobstore.Options, z zarr.Options) *storeCache {
	return &storeCache{max: max, blob: b, zarr: z, timeout: 2 * time.Minute, entries: map[string]*storeEntry{}}
}

// acquire returns the opened store at url; release it with release.
func (c *storeCache) acquire(ctx context.Context, url string) (*storeEntry, error) {
	e, opener := c.enter(url)
	if opener {
		c.open(ctx, e)
	}
	select {
	case <-e.ready:
	case <-ctx.Done():
		c.release(e)
		return nil, ctx.Err()
	}
	if e.err != nil {
		c.release(e)
		return nil, e.err
	}
	return e, nil
}

// enter finds or creates url's entry and takes a reference; opener is true when the
// caller must open it.
func (c *storeCache) enter(url string) (e *storeEntry, opener bool) {
	c.mu.Lock()
	c.tick++
	if e = c.entries[url]; e != nil {
		e.refs++
		e.used = c.tick
		c.mu.Unlock()
		return e, false
	}
	e = &storeEntry{url: url, ready: make(chan struct{}), refs: 1, used: c.tick}
	c.entries[url] = e
	idle := c.evictLocked()
	c.mu.Unlock()
	for _, old := range idle {
		old.close()
	}
	return e, true
}

// open opens e's store. It runs without the caller's cancellation (other fragments may
// wait for it) but within c.timeout; a failed open leaves the cache.
func (c *storeCache) open(ctx context.Context, e *storeEntry) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.timeout)
	defer cancel()
	defer close(e.ready)
	b, err := blobstore.Open(ctx, e.url, c.blob)
	if err != nil {
		c.fail(e, err)
		return
	}
	g, err := zarr.Open(ctx, countingStore{b}, c.zarr)
	if err != nil {
		c.fail(e, errors.Join(err, closeErr(b)))
		return
	}
	e.grp, e.bucket = g, b
}

func (c *storeCache) fail(e *storeEntry, err error) {
	e.err = err
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries[e.url] == e {
		delete(c.entries, e.url)
	}
}

// release drops a reference to e, closing it when it was evicted and is now unused.
func (c *storeCache) release(e *storeEntry) {
	c.mu.Lock()
	e.refs--
	closeIt := e.evicted && e.refs == 0
	c.mu.Unlock()
	if closeIt {
		e.close()
	}
}

// evictLocked drops least recently used entries beyond max and returns the unused ones
// to close; those in use close at their last release. (An entry without references has
// finished opening: its opener holds a reference until then.)
func (c *storeCache) evictLocked() (idle []*storeEntry) {
	for len(c.entries) > c.max {
		var lru *storeEntry
		for _, e := range c.entries {
			if lru == nil || e.used < lru.used {
				lru = e
			}
		}
		delete(c.entries, lru.url)
		lru.evicted = true
		if lru.refs == 0 {
			idle = append(idle, lru)
		}
	}
	return idle
}

// close closes e's bucket once its open has ended.
func (e *storeEntry) close() {
	<-e.ready
	if e.bucket != nil {
		_ = e.bucket.Close() // a cache entry's close has no one to report to
	}
}

// Close closes every store not in use (the ones in use close at their release).
func (c *storeCache) Close() error {
	c.mu.Lock()
	var idle []*storeEntry
	for url, e := range c.entries {
		delete(c.entries, url)
		e.evicted = true
		if e.refs == 0 {
			idle = append(idle, e)
		}
	}
	c.mu.Unlock()
	var errs []error
	for _, e := range idle {
		<-e.ready
		if e.bucket != nil {
			errs = append(errs, e.bucket.Close())
		}
	}
	return errors.Join(errs...)
}

func closeErr(b *blobstore.Bucket) error {
	if err := b.Close(); err != nil {
		return fmt.Errorf("after a failed open: %w", err)
	}
	return nil
}

// readCounter counts the bytes a fragment reads from object storage; it travels in the
// fragment's context to the store shared by every fragment of the URL.
type readCounter struct{ n atomic.Int64 }

type counterKey struct{}

func withReadCounter(ctx context.Context, c *readCounter) context.Context {
	return context.WithValue(ctx, counterKey{}, c)
}

// countRead adds len(b) to the readCounter of ctx, if any.
func countRead(ctx context.Context, b []byte) {
	if c, ok := ctx.Value(counterKey{}).(*readCounter); ok {
		c.n.Add(int64(len(b)))
	}
}

// countingStore adds the bytes read through it to the readCounter of each call's
// context.
type countingStore struct{ b *blobstore.Bucket }

func (s countingStore) Get(ctx context.Context, key string) ([]byte, error) {
	d, err := s.b.Get(ctx, key)
	countRead(ctx, d)
	return d, err
}

func (s countingStore) GetRange(ctx context.Context, key string, off, n int64) ([]byte, error) {
	d, err := s.b.GetRange(ctx, key, off, n)
	countRead(ctx, d)
	return d, err
}

func (s countingStore) Size(ctx context.Context, key string) (int64, error) {
	return s.b.Size(ctx, key)
}

func (s countingStore) List(ctx context.Context, prefix string) ([]string, error) {
	return s.b.List(ctx, prefix)
}

func (s countingStore) String() string { return s.b.String() }
